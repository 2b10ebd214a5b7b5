CREATE OR REPLACE FUNCTION get_latest_fear_greed()
RETURNS TABLE(value integer, classification text, "timestamp" timestamptz)
LANGUAGE sql
STABLE PARALLEL SAFE
AS $$
  -- One backward probe of the unique index on timestamp.
  SELECT f.value, f.classification::text, f."timestamp"
    FROM fear_greed_index f
   ORDER BY f."timestamp" DESC
   LIMIT 1;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION get_latest_fear_greed() IS 'The newest Fear & Greed reading: value (0-100), classification, timestamp. No row when the table is empty.';

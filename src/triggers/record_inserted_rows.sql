CREATE OR REPLACE FUNCTION record_inserted_rows() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- Transaction-local: the writer reads it right after its statement.
  PERFORM set_config('iftb.inserted_rows', (SELECT count(*) FROM inserted_rows)::text, true);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION record_inserted_rows() IS 'Trigger function (AFTER INSERT FOR EACH STATEMENT on ohlcv and ohlcv_data): stores how many rows the statement inserted (not those an ON CONFLICT DO UPDATE updated) in the transaction-local setting iftb.inserted_rows, read by upsertCandles: a partitioned table cannot return xmax.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_record_inserted_rows AFTER INSERT ON ohlcv REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION record_inserted_rows();
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_record_inserted_rows ON ohlcv IS 'Counts the rows each INSERT statement inserted (iftb.inserted_rows).';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_record_inserted_rows AFTER INSERT ON ohlcv_data REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION record_inserted_rows();
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_record_inserted_rows ON ohlcv_data IS 'Counts the rows each INSERT statement inserted (iftb.inserted_rows).';

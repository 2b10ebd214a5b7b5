CREATE OR REPLACE FUNCTION classify_fear_greed() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- Runs before NOT NULL is checked, so an insert may leave classification out (or send NULL).
  NEW.classification := CASE
    WHEN NEW.value IS NULL THEN NULL
    WHEN NEW.value <= 25 THEN 'extreme_fear'
    WHEN NEW.value <= 45 THEN 'fear'
    WHEN NEW.value <= 55 THEN 'neutral'
    WHEN NEW.value <= 75 THEN 'greed'
    ELSE 'extreme_greed'
  END;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION classify_fear_greed() IS 'Trigger function (BEFORE INSERT OR UPDATE on fear_greed_index): classification from value: <= 25 extreme_fear, <= 45 fear, <= 55 neutral, <= 75 greed, else extreme_greed. Always derived: a classification the statement wrote is replaced.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER fear_greed_index_classify BEFORE INSERT OR UPDATE ON fear_greed_index FOR EACH ROW EXECUTE FUNCTION classify_fear_greed();
--> statement-breakpoint
COMMENT ON TRIGGER fear_greed_index_classify ON fear_greed_index IS 'Derives classification from value.';

-- Bump a data set's version whenever its table changes. Statement-level, so a bulk
-- import of 100,000 plots costs one bump, not 100,000.
CREATE OR REPLACE FUNCTION perkje_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO data_versions (name, version, changed_at)
	VALUES (TG_ARGV[0], 1, now())
	ON CONFLICT (name) DO UPDATE SET version = data_versions.version + 1, changed_at = now();
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER plots_data_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plots
FOR EACH STATEMENT EXECUTE FUNCTION perkje_bump_data_version('plots');
--> statement-breakpoint
CREATE TRIGGER neighbourhoods_data_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON neighbourhoods
FOR EACH STATEMENT EXECUTE FUNCTION perkje_bump_data_version('neighbourhoods');
--> statement-breakpoint
INSERT INTO data_versions (name, version) VALUES ('plots', 0), ('neighbourhoods', 0)
ON CONFLICT (name) DO NOTHING;

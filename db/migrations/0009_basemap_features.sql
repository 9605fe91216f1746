CREATE TABLE "basemap_features" (
	"id" serial PRIMARY KEY NOT NULL,
	"layer" text NOT NULL,
	"kind" text,
	"source_id" text NOT NULL,
	"dataset" text NOT NULL,
	"level" integer DEFAULT 0 NOT NULL,
	"geom" geometry(MultiPolygon, 4326) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "basemap_features_dataset_source_id_uq" ON "basemap_features" USING btree ("dataset","source_id");--> statement-breakpoint
CREATE INDEX "basemap_features_geom_gix" ON "basemap_features" USING gist ("geom");--> statement-breakpoint
-- Basemap tiles are cached and ETagged on this data set's version, as plots and neighbourhoods are (0003).
CREATE TRIGGER basemap_features_data_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON basemap_features
FOR EACH STATEMENT EXECUTE FUNCTION perkje_bump_data_version('basemap');
--> statement-breakpoint
INSERT INTO data_versions (name, version) VALUES ('basemap', 0) ON CONFLICT (name) DO NOTHING;

CREATE INDEX "plots_active_id_idx" ON "plots" USING btree ("id") WHERE "plots"."status" = 'active';--> statement-breakpoint
CREATE INDEX "plots_active_neighbourhood_idx" ON "plots" USING btree ("neighbourhood_id","id","status","adoptable","kind","area_m2") WHERE "plots"."status" = 'active';--> statement-breakpoint
CREATE INDEX "plots_active_area_asc_idx" ON "plots" USING btree ("area_m2","id") WHERE "plots"."status" = 'active';--> statement-breakpoint
CREATE INDEX "plots_active_area_desc_idx" ON "plots" USING btree ("area_m2" DESC NULLS LAST,"id") WHERE "plots"."status" = 'active';--> statement-breakpoint
-- The list's and the find box's text search (plotSearchSql in src/lib/server/plots/filters-sql.ts)
-- matches '%text%' in source ids and place-name attributes; trigram indexes let it read only the
-- plots that can match instead of testing every plot. pg_trgm is a trusted extension (no
-- superuser needed) and part of PGlite's contrib (loaded in src/lib/server/db/connection.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "plots_source_id_trgm_idx" ON "plots" USING gin ("source_id" gin_trgm_ops) WHERE "status" = 'active';--> statement-breakpoint
-- The expression must stay identical to placeNamesSql() there, or the planner cannot use it.
CREATE INDEX "plots_place_names_trgm_idx" ON "plots" USING gin ((coalesce("attributes"->>'straatnaam', '') || E'\n' || coalesce("attributes"->>'openbareruimtenaam', '') || E'\n' || coalesce("attributes"->>'openbareRuimteNaam', '') || E'\n' || coalesce("attributes"->>'straat', '') || E'\n' || coalesce("attributes"->>'street', '') || E'\n' || coalesce("attributes"->>'locatie', '') || E'\n' || coalesce("attributes"->>'woonplaats', '') || E'\n' || coalesce("attributes"->>'plaatsnaam', '')) gin_trgm_ops) WHERE "status" = 'active';

CREATE INDEX "plots_active_id_idx" ON "plots" USING btree ("id") WHERE "plots"."status" = 'active';--> statement-breakpoint
CREATE INDEX "plots_active_neighbourhood_idx" ON "plots" USING btree ("neighbourhood_id","id") WHERE "plots"."status" = 'active';--> statement-breakpoint
CREATE INDEX "plots_active_area_asc_idx" ON "plots" USING btree ("area_m2","id") WHERE "plots"."status" = 'active';--> statement-breakpoint
CREATE INDEX "plots_active_area_desc_idx" ON "plots" USING btree ("area_m2" DESC NULLS LAST,"id") WHERE "plots"."status" = 'active';
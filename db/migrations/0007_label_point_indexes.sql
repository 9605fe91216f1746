CREATE INDEX "neighbourhoods_label_point_gix" ON "neighbourhoods" USING gist ("label_point");--> statement-breakpoint
CREATE INDEX "plots_label_point_gix" ON "plots" USING gist ("label_point");
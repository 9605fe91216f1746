CREATE TABLE "import_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"target" text NOT NULL,
	"file" text NOT NULL,
	"dataset" text,
	"summary" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "neighbourhoods" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_key" text NOT NULL,
	"code" text,
	"name" text NOT NULL,
	"district_code" text,
	"district_name" text,
	"municipality_code" text,
	"area_m2" double precision NOT NULL,
	"geom" geometry(MultiPolygon, 4326) NOT NULL,
	"label_point" geometry(Point, 4326) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plots" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"dataset" text NOT NULL,
	"kind" text NOT NULL,
	"kind_detail" text,
	"owner" text,
	"status" text DEFAULT 'active' NOT NULL,
	"adoptable" boolean DEFAULT true NOT NULL,
	"not_adoptable_reason" text,
	"max_adopters" integer DEFAULT 1 NOT NULL,
	"area_m2" double precision NOT NULL,
	"neighbourhood_id" integer,
	"geom" geometry(MultiPolygon, 4326) NOT NULL,
	"label_point" geometry(Point, 4326) NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL,
	"repairs" text[],
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "plots" ADD CONSTRAINT "plots_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "neighbourhoods_source_key_uq" ON "neighbourhoods" USING btree ("source_key");--> statement-breakpoint
CREATE INDEX "neighbourhoods_geom_gix" ON "neighbourhoods" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "plots_source_id_uq" ON "plots" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "plots_geom_gix" ON "plots" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "plots_neighbourhood_idx" ON "plots" USING btree ("neighbourhood_id");--> statement-breakpoint
CREATE INDEX "plots_dataset_idx" ON "plots" USING btree ("dataset");
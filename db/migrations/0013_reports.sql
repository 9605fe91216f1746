CREATE TABLE "open311_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "report_categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"parent_id" integer,
	"name_nl" text NOT NULL,
	"name_en" text NOT NULL,
	"response_days" integer,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_confirmations" (
	"id" serial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"report_id" integer NOT NULL,
	"support_id" integer,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_feedback" (
	"id" serial PRIMARY KEY NOT NULL,
	"report_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"open_until" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"satisfied" boolean,
	"reasons" text[],
	"text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"report_id" integer NOT NULL,
	"kind" text DEFAULT 'state' NOT NULL,
	"actor_user_id" text,
	"actor_role" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"public_note" text,
	"internal_note" text,
	"partner_organisation_id" integer,
	"related_report_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_photos" (
	"report_id" integer NOT NULL,
	"photo_id" integer NOT NULL,
	"kind" text DEFAULT 'report' NOT NULL,
	"history_id" integer,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_routing_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"category_id" integer,
	"neighbourhood_id" integer,
	"district_code" text,
	"partner_organisation_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_supports" (
	"id" serial PRIMARY KEY NOT NULL,
	"report_id" integer NOT NULL,
	"user_id" text,
	"email" text,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"category_id" integer NOT NULL,
	"description" text NOT NULL,
	"geom" geometry(Point, 4326) NOT NULL,
	"plot_id" integer,
	"neighbourhood_id" integer,
	"source" text NOT NULL,
	"reporter_user_id" text,
	"reporter_email" text,
	"contact_allowed" boolean DEFAULT false NOT NULL,
	"confirmed_at" timestamp with time zone,
	"state" text DEFAULT 'reported' NOT NULL,
	"partner_organisation_id" integer,
	"deadline_at" timestamp with time zone NOT NULL,
	"deadline_3x_at" timestamp with time zone NOT NULL,
	"parent_id" integer,
	"support_count" integer DEFAULT 0 NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_response_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "report_categories" ADD CONSTRAINT "report_categories_parent_id_report_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."report_categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_confirmations" ADD CONSTRAINT "report_confirmations_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_confirmations" ADD CONSTRAINT "report_confirmations_support_id_report_supports_id_fk" FOREIGN KEY ("support_id") REFERENCES "public"."report_supports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_feedback" ADD CONSTRAINT "report_feedback_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_history" ADD CONSTRAINT "report_history_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_history" ADD CONSTRAINT "report_history_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_history" ADD CONSTRAINT "report_history_partner_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("partner_organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_history" ADD CONSTRAINT "report_history_related_report_id_reports_id_fk" FOREIGN KEY ("related_report_id") REFERENCES "public"."reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_photos" ADD CONSTRAINT "report_photos_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_photos" ADD CONSTRAINT "report_photos_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_photos" ADD CONSTRAINT "report_photos_history_id_report_history_id_fk" FOREIGN KEY ("history_id") REFERENCES "public"."report_history"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_routing_rules" ADD CONSTRAINT "report_routing_rules_category_id_report_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."report_categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_routing_rules" ADD CONSTRAINT "report_routing_rules_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_routing_rules" ADD CONSTRAINT "report_routing_rules_partner_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("partner_organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_supports" ADD CONSTRAINT "report_supports_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_supports" ADD CONSTRAINT "report_supports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_category_id_report_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."report_categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_plot_id_plots_id_fk" FOREIGN KEY ("plot_id") REFERENCES "public"."plots"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_reporter_user_id_users_id_fk" FOREIGN KEY ("reporter_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_partner_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("partner_organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_parent_id_reports_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "open311_keys_hash_uq" ON "open311_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "report_categories_slug_uq" ON "report_categories" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "report_categories_parent_idx" ON "report_categories" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_confirmations_token_uq" ON "report_confirmations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "report_feedback_token_uq" ON "report_feedback" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "report_feedback_report_idx" ON "report_feedback" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "report_history_report_idx" ON "report_history" USING btree ("report_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_photos_photo_uq" ON "report_photos" USING btree ("photo_id");--> statement-breakpoint
CREATE INDEX "report_photos_report_idx" ON "report_photos" USING btree ("report_id","position");--> statement-breakpoint
CREATE INDEX "report_routing_rules_category_idx" ON "report_routing_rules" USING btree ("category_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_supports_user_uq" ON "report_supports" USING btree ("report_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_supports_email_uq" ON "report_supports" USING btree ("report_id","email");--> statement-breakpoint
CREATE INDEX "report_supports_user_idx" ON "report_supports" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_idempotency_uq" ON "reports" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "reports_geom_gix" ON "reports" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "reports_state_created_idx" ON "reports" USING btree ("state","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reports_category_idx" ON "reports" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "reports_neighbourhood_idx" ON "reports" USING btree ("neighbourhood_id");--> statement-breakpoint
CREATE INDEX "reports_partner_idx" ON "reports" USING btree ("partner_organisation_id","deadline_at");--> statement-breakpoint
CREATE INDEX "reports_plot_idx" ON "reports" USING btree ("plot_id");--> statement-breakpoint
CREATE INDEX "reports_reporter_idx" ON "reports" USING btree ("reporter_user_id");--> statement-breakpoint
CREATE INDEX "reports_parent_idx" ON "reports" USING btree ("parent_id");--> statement-breakpoint
-- hand-written
ALTER TABLE "reports" ADD CONSTRAINT "reports_description_ck" CHECK (char_length("description") BETWEEN 1 AND 2000);--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_reporter_ck" CHECK ("source" <> 'email' OR "reporter_email" IS NOT NULL OR "confirmed_at" IS NOT NULL);--> statement-breakpoint
-- A report's history is appended, never edited. Allowed: the actor's ON DELETE SET NULL, and
-- the references to a partner or a related report going when those rows go.
CREATE FUNCTION perkje_report_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE'
		AND (NEW.actor_user_id IS NULL OR NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id)
		AND (NEW.partner_organisation_id IS NULL OR NEW.partner_organisation_id IS NOT DISTINCT FROM OLD.partner_organisation_id)
		AND (NEW.related_report_id IS NULL OR NEW.related_report_id IS NOT DISTINCT FROM OLD.related_report_id)
		AND (to_jsonb(NEW) - 'actor_user_id' - 'partner_organisation_id' - 'related_report_id')
			= (to_jsonb(OLD) - 'actor_user_id' - 'partner_organisation_id' - 'related_report_id') THEN
		RETURN NEW;
	END IF;
	-- A report deleted as a whole takes its history with it (ON DELETE CASCADE from reports).
	IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM reports WHERE id = OLD.report_id) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'report_history is append-only (% refused)', TG_OP;
END;
$$;--> statement-breakpoint
CREATE TRIGGER report_history_append_only BEFORE UPDATE OR DELETE ON report_history
	FOR EACH ROW EXECUTE FUNCTION perkje_report_history_append_only();--> statement-breakpoint
-- The public reports layer is served as tiles, so they go stale when reports change.
CREATE TRIGGER reports_data_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reports
FOR EACH STATEMENT EXECUTE FUNCTION perkje_bump_data_version('reports');--> statement-breakpoint
INSERT INTO data_versions (name, version) VALUES ('reports', 0) ON CONFLICT (name) DO NOTHING;
--> statement-breakpoint
-- The categories a new municipality starts with: REPORT_CATEGORY_SEED in src/lib/domain/report.ts (a spec keeps them equal).
INSERT INTO report_categories (slug, name_nl, name_en, position) VALUES ('groen', 'Groen', 'Green', 0) ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position) SELECT 'onkruid', id, 'Onkruid', 'Weeds', 5, 0 FROM report_categories WHERE slug = 'groen' ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position) SELECT 'snoeien', id, 'Snoeien', 'Pruning', 5, 1 FROM report_categories WHERE slug = 'groen' ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position) SELECT 'ziek-of-dood-groen', id, 'Ziek of dood groen', 'Diseased or dead plants', 5, 2 FROM report_categories WHERE slug = 'groen' ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position) SELECT 'boom', id, 'Boom', 'Tree', 3, 3 FROM report_categories WHERE slug = 'groen' ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, name_nl, name_en, position) VALUES ('afval', 'Afval', 'Waste', 1) ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position) SELECT 'zwerfafval', id, 'Zwerfafval', 'Litter', 3, 0 FROM report_categories WHERE slug = 'afval' ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, name_nl, name_en, position) VALUES ('openbare-ruimte', 'Openbare ruimte', 'Public space', 2) ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position) SELECT 'kapot-meubilair-of-hek', id, 'Kapot meubilair of hek', 'Broken furniture or fence', 5, 0 FROM report_categories WHERE slug = 'openbare-ruimte' ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position) SELECT 'vandalisme', id, 'Vandalisme', 'Vandalism', 3, 1 FROM report_categories WHERE slug = 'openbare-ruimte' ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, name_nl, name_en, position) VALUES ('water', 'Water', 'Water', 3) ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position) SELECT 'wateroverlast', id, 'Wateroverlast', 'Flooding', 3, 0 FROM report_categories WHERE slug = 'water' ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, name_nl, name_en, position) VALUES ('overig', 'Overig', 'Other', 4) ON CONFLICT (slug) DO NOTHING;--> statement-breakpoint
INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position) SELECT 'overig-groen', id, 'Overig', 'Other', 5, 0 FROM report_categories WHERE slug = 'overig' ON CONFLICT (slug) DO NOTHING;

CREATE TABLE "activities" (
	"id" serial PRIMARY KEY NOT NULL,
	"plot_id" integer NOT NULL,
	"adoption_id" integer NOT NULL,
	"team_id" integer,
	"author_user_id" text,
	"done_on" date NOT NULL,
	"tasks" text[] NOT NULL,
	"other_task" text,
	"minutes" integer NOT NULL,
	"people" integer DEFAULT 1 NOT NULL,
	"note" text,
	"idempotency_key" text,
	"note_hidden_at" timestamp with time zone,
	"note_hidden_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "activity_photos" (
	"activity_id" integer NOT NULL,
	"photo_id" integer NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"activity_id" integer NOT NULL,
	"kind" text NOT NULL,
	"actor_user_id" text,
	"actor_role" text NOT NULL,
	"before" jsonb,
	"reason" text,
	"photo_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "photo_variants" (
	"id" serial PRIMARY KEY NOT NULL,
	"photo_id" integer NOT NULL,
	"variant" text NOT NULL,
	"hash" text NOT NULL,
	"content_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"byte_size" integer NOT NULL,
	"bytes" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "photos" (
	"id" serial PRIMARY KEY NOT NULL,
	"owner_user_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"hidden_at" timestamp with time zone,
	"hidden_reason" text,
	"hidden_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_plot_id_plots_id_fk" FOREIGN KEY ("plot_id") REFERENCES "public"."plots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_adoption_id_adoptions_id_fk" FOREIGN KEY ("adoption_id") REFERENCES "public"."adoptions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_photos" ADD CONSTRAINT "activity_photos_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_photos" ADD CONSTRAINT "activity_photos_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_revisions" ADD CONSTRAINT "activity_revisions_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_revisions" ADD CONSTRAINT "activity_revisions_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_revisions" ADD CONSTRAINT "activity_revisions_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photo_variants" ADD CONSTRAINT "photo_variants_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_hidden_by_users_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activities_idempotency_uq" ON "activities" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "activities_plot_done_idx" ON "activities" USING btree ("plot_id","done_on" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "activities"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "activities_done_idx" ON "activities" USING btree ("done_on") WHERE "activities"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "activities_author_idx" ON "activities" USING btree ("author_user_id");--> statement-breakpoint
CREATE INDEX "activities_team_idx" ON "activities" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "activities_adoption_idx" ON "activities" USING btree ("adoption_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_photos_photo_uq" ON "activity_photos" USING btree ("photo_id");--> statement-breakpoint
CREATE INDEX "activity_photos_activity_idx" ON "activity_photos" USING btree ("activity_id","position");--> statement-breakpoint
CREATE INDEX "activity_revisions_activity_idx" ON "activity_revisions" USING btree ("activity_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "photo_variants_photo_variant_uq" ON "photo_variants" USING btree ("photo_id","variant");--> statement-breakpoint
CREATE INDEX "photo_variants_hash_idx" ON "photo_variants" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "photos_owner_idx" ON "photos" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "photos_pending_idx" ON "photos" USING btree ("created_at") WHERE "photos"."status" = 'pending';--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_minutes_ck" CHECK ("minutes" > 0 AND "minutes" <= 1440);--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_people_ck" CHECK ("people" >= 1 AND "people" <= 100);--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_tasks_ck" CHECK (cardinality("tasks") > 0);--> statement-breakpoint
-- An entry's history is appended, never edited. Allowed: the actor's and the photo's
-- ON DELETE SET NULL, and blanking what the entry held before when its author's account is
-- deleted (privacy: their old notes go with them).
CREATE FUNCTION perkje_activity_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE'
		AND (NEW.actor_user_id IS NULL OR NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id)
		AND (NEW.photo_id IS NULL OR NEW.photo_id IS NOT DISTINCT FROM OLD.photo_id)
		AND (NEW.before IS NULL OR NEW.before IS NOT DISTINCT FROM OLD.before)
		AND (to_jsonb(NEW) - 'actor_user_id' - 'photo_id' - 'before') = (to_jsonb(OLD) - 'actor_user_id' - 'photo_id' - 'before') THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'activity_revisions is append-only (% refused)', TG_OP;
END;
$$;--> statement-breakpoint
CREATE TRIGGER activity_revisions_append_only BEFORE UPDATE OR DELETE ON activity_revisions
	FOR EACH ROW EXECUTE FUNCTION perkje_activity_revisions_append_only();--> statement-breakpoint
-- The map of care colours plots by their last care, so its tiles go stale when entries change.
CREATE TRIGGER activities_data_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON activities
FOR EACH STATEMENT EXECUTE FUNCTION perkje_bump_data_version('activities');--> statement-breakpoint
INSERT INTO data_versions (name, version) VALUES ('activities', 0) ON CONFLICT (name) DO NOTHING;

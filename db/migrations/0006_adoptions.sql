CREATE TABLE "adoption_agreements" (
	"version" integer PRIMARY KEY NOT NULL,
	"text_nl" text NOT NULL,
	"text_en" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "adoption_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"adoption_id" integer NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_user_id" text,
	"actor_role" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "adoptions" (
	"id" serial PRIMARY KEY NOT NULL,
	"plot_id" integer NOT NULL,
	"user_id" text,
	"team_id" integer,
	"status" text NOT NULL,
	"motivation" text,
	"agreement_version" integer,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plot_kind_settings" (
	"kind" text PRIMARY KEY NOT NULL,
	"max_adopters" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_invites" (
	"id" serial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"email" text,
	"invited_by" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "adoption_agreements" ADD CONSTRAINT "adoption_agreements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoption_events" ADD CONSTRAINT "adoption_events_adoption_id_adoptions_id_fk" FOREIGN KEY ("adoption_id") REFERENCES "public"."adoptions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoption_events" ADD CONSTRAINT "adoption_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoptions" ADD CONSTRAINT "adoptions_plot_id_plots_id_fk" FOREIGN KEY ("plot_id") REFERENCES "public"."plots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoptions" ADD CONSTRAINT "adoptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoptions" ADD CONSTRAINT "adoptions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoptions" ADD CONSTRAINT "adoptions_agreement_version_adoption_agreements_version_fk" FOREIGN KEY ("agreement_version") REFERENCES "public"."adoption_agreements"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invites" ADD CONSTRAINT "team_invites_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invites" ADD CONSTRAINT "team_invites_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "adoption_events_adoption_idx" ON "adoption_events" USING btree ("adoption_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "adoptions_idempotency_uq" ON "adoptions" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "adoptions_plot_status_idx" ON "adoptions" USING btree ("plot_id","status");--> statement-breakpoint
CREATE INDEX "adoptions_user_idx" ON "adoptions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "adoptions_team_idx" ON "adoptions" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "team_invites_token_uq" ON "team_invites" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "team_invites_team_idx" ON "team_invites" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "team_members_team_user_uq" ON "team_members" USING btree ("team_id","user_id");--> statement-breakpoint
CREATE INDEX "team_members_user_idx" ON "team_members" USING btree ("user_id");--> statement-breakpoint
-- One open adoption per adopter and plot: a resident alone, or a team, cannot hold or ask
-- for the same plot twice (a second tap with a new key still makes one request).
CREATE UNIQUE INDEX "adoptions_open_user_uq" ON "adoptions" ("plot_id", "user_id")
	WHERE "team_id" IS NULL AND "user_id" IS NOT NULL AND "status" IN ('requested', 'offered', 'active');--> statement-breakpoint
CREATE UNIQUE INDEX "adoptions_open_team_uq" ON "adoptions" ("plot_id", "team_id")
	WHERE "team_id" IS NOT NULL AND "status" IN ('requested', 'offered', 'active');--> statement-breakpoint
-- Capacity is never exceeded, whoever writes: an adoption that starts to hold a place
-- ('offered' reserves one, 'active' holds one) locks its plot row first, so concurrent
-- writers queue on that lock, then counts the places taken. The service takes the same
-- lock first; this trigger is the guarantee, not the only check.
CREATE FUNCTION perkje_adoption_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	cap integer;
	taken integer;
BEGIN
	IF NEW.status NOT IN ('offered', 'active') THEN
		RETURN NEW;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.status IN ('offered', 'active') AND OLD.plot_id = NEW.plot_id THEN
		RETURN NEW;
	END IF;
	SELECT max_adopters INTO cap FROM plots WHERE id = NEW.plot_id FOR UPDATE;
	SELECT count(*) INTO taken FROM adoptions
		WHERE plot_id = NEW.plot_id AND status IN ('offered', 'active') AND id <> NEW.id;
	IF taken >= cap THEN
		RAISE EXCEPTION 'plot % is full (% of % places taken)', NEW.plot_id, taken, cap
			USING ERRCODE = 'check_violation', CONSTRAINT = 'adoptions_capacity';
	END IF;
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER adoptions_capacity BEFORE INSERT OR UPDATE OF status, plot_id ON adoptions
	FOR EACH ROW EXECUTE FUNCTION perkje_adoption_capacity();--> statement-breakpoint
-- History is appended, never edited. Allowed: the actor's ON DELETE SET NULL, and blanking
-- the reason together with it when that account is deleted (privacy).
CREATE FUNCTION perkje_adoption_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE'
		AND NEW.actor_user_id IS NULL
		AND (NEW.reason IS NULL OR NEW.reason IS NOT DISTINCT FROM OLD.reason)
		AND (to_jsonb(NEW) - 'actor_user_id' - 'reason') = (to_jsonb(OLD) - 'actor_user_id' - 'reason') THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'adoption_events is append-only (% refused)', TG_OP;
END;
$$;--> statement-breakpoint
CREATE TRIGGER adoption_events_append_only BEFORE UPDATE OR DELETE ON adoption_events
	FOR EACH ROW EXECUTE FUNCTION perkje_adoption_events_append_only();--> statement-breakpoint
-- A plot's map state comes from its adoptions, so tiles must go stale when they change.
CREATE TRIGGER adoptions_data_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoptions
FOR EACH STATEMENT EXECUTE FUNCTION perkje_bump_data_version('adoptions');--> statement-breakpoint
INSERT INTO data_versions (name, version) VALUES ('adoptions', 0) ON CONFLICT (name) DO NOTHING;--> statement-breakpoint
INSERT INTO adoption_agreements (version, text_nl, text_en) VALUES (1,
'Adoptieovereenkomst (versie 1)

1. Je zorgt met aandacht voor het perk: je wiedt, geeft water als het droog is, ruimt zwerfafval op en plant alleen in overleg met de gemeente.
2. Je gebruikt geen chemische bestrijdingsmiddelen en laat bomen, leidingen en verkeersborden met rust.
3. De grond blijft van de gemeente. De gemeente mag het perk altijd onderhouden, aanpassen of (met uitleg) terugnemen.
4. Je werkt veilig: niet op de rijbaan, met handschoenen, en kinderen onder begeleiding.
5. Je kunt de adoptie altijd beëindigen via Mijn perken. Na een lange periode zonder activiteit vragen we eerst hoe het gaat.
6. Wat je op Perkje deelt over je werk is openbaar zonder je naam, tenzij je zelf een weergavenaam kiest.',
'Adoption agreement (version 1)

1. You take good care of the plot: weed it, water it in dry weather, clear litter, and plant only after agreeing it with the municipality.
2. You use no chemical pesticides and leave trees, pipes and traffic signs alone.
3. The ground remains the municipality''s. The municipality may always maintain, change or (with an explanation) take back the plot.
4. You work safely: not on the road, with gloves, and children under supervision.
5. You can end the adoption at any time in My plots. After a long time without activity we first ask how things are going.
6. What you share on Perkje about your work is public without your name, unless you choose a display name yourself.')
ON CONFLICT (version) DO NOTHING;

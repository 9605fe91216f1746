import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	boolean,
	customType,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	serial,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { ACTIVITY_REVISION_KINDS, ACTIVITY_TASKS } from '#lib/domain/activity.js';
import { ADOPTION_EVENT_KINDS, ADOPTION_STATUSES } from '#lib/domain/adoption.js';
import { BASEMAP_LAYERS } from '#lib/domain/basemap.js';
import { IMPORT_TARGETS } from '#lib/domain/import.js';
import { MAIL_STATUSES } from '#lib/domain/mail.js';
import { PHOTO_STATUSES } from '#lib/domain/media.js';
import { PLOT_STATUSES } from '#lib/domain/plot-state.js';
import { ROLES } from '#lib/domain/policy.js';
import { REPORT_HISTORY_KINDS, REPORT_PHOTO_KINDS, REPORT_SOURCES, REPORT_STATES } from '#lib/domain/report.js';
import { TEAM_KINDS, TEAM_ROLES } from '#lib/domain/team.js';

/**
 * PostGIS columns. drizzle's own `geometry()` only makes point columns (see DESIGN.md), so
 * the type is spelled out. Values go in as SQL expressions (ST_Multi(ST_GeomFromGeoJSON(...)))
 * and come out through ST_AsGeoJSON in queries; the TypeScript side never holds WKB.
 */
const multiPolygon = customType<{ data: string; driverData: string }>({
	dataType: () => 'geometry(MultiPolygon, 4326)'
});
const bytea = customType<{ data: Buffer; driverData: Buffer }>({
	dataType: () => 'bytea'
});
const point = customType<{ data: string; driverData: string }>({
	dataType: () => 'geometry(Point, 4326)'
});

export const neighbourhoods = pgTable(
	'neighbourhoods',
	{
		id: serial('id').primaryKey(),
		/** Stable key for re-imports: the CBS code (BU_CODE) or, when a file has none, the name. */
		sourceKey: text('source_key').notNull(),
		code: text('code'),
		name: text('name').notNull(),
		districtCode: text('district_code'),
		districtName: text('district_name'),
		municipalityCode: text('municipality_code'),
		areaM2: doublePrecision('area_m2').notNull(),
		geom: multiPolygon('geom').notNull(),
		labelPoint: point('label_point').notNull(),
		importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('neighbourhoods_source_key_uq').on(t.sourceKey),
		index('neighbourhoods_geom_gix').using('gist', t.geom),
		index('neighbourhoods_label_point_gix').using('gist', t.labelPoint)
	]
);

export const plots = pgTable(
	'plots',
	{
		/** Integer ids so MapLibre feature-state works on vector tiles. */
		id: serial('id').primaryKey(),
		/** The source's own stable id (BGT lokaalID); upserts key on it. */
		sourceId: text('source_id').notNull(),
		/** Which import set the plot came from; "vanished" plots are judged per dataset. */
		dataset: text('dataset').notNull(),
		/** Broad kind (BGT fysiekVoorkomen, e.g. groenvoorziening). */
		kind: text('kind').notNull(),
		/** Finer kind (BGT plus_fysiekVoorkomen, e.g. heesters); null when unknown. */
		kindDetail: text('kind_detail'),
		/** Who maintains it (BGT bronhouder, e.g. G0503). */
		owner: text('owner'),
		status: text('status', { enum: PLOT_STATUSES }).notNull().default('active'),
		adoptable: boolean('adoptable').notNull().default(true),
		notAdoptableReason: text('not_adoptable_reason'),
		maxAdopters: integer('max_adopters').notNull().default(1),
		areaM2: doublePrecision('area_m2').notNull(),
		neighbourhoodId: integer('neighbourhood_id').references(() => neighbourhoods.id, {
			onDelete: 'set null'
		}),
		geom: multiPolygon('geom').notNull(),
		labelPoint: point('label_point').notNull(),
		/** Generated benchmark data; never part of the demo. */
		synthetic: boolean('synthetic').notNull().default(false),
		/** What the importer repaired (e.g. "ring orientation", "self-intersection"), if anything. */
		repairs: text('repairs').array(),
		/** The source's remaining attributes, kept for managers and later imports. */
		attributes: jsonb('attributes').notNull().default(sql`'{}'::jsonb`),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		retiredAt: timestamp('retired_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('plots_source_id_uq').on(t.sourceId),
		// The list's search matches a typed plot reference in any case (plotSearchSql).
		index('plots_source_id_lower_idx').on(sql`lower(${t.sourceId})`),
		index('plots_geom_gix').using('gist', t.geom),
		index('plots_label_point_gix').using('gist', t.labelPoint),
		index('plots_neighbourhood_idx').on(t.neighbourhoodId),
		index('plots_dataset_idx').on(t.dataset),
		// The public list's orders over active plots (plots/list.ts), each ending in the id as the
		// list's ORDER BY does, so any page, also a deep one, walks an index instead of sorting
		// the city; by neighbourhood the list reads one neighbourhood's plots in number order.
		index('plots_active_id_idx').on(t.id).where(sql`${t.status} = 'active'`),
		// Also holds what the list's counts filter on (state, kind, size), so counting a city per
		// neighbourhood reads this index only, not the plots with their outlines.
		index('plots_active_neighbourhood_idx')
			.on(t.neighbourhoodId, t.id, t.status, t.adoptable, t.kind, t.areaM2)
			.where(sql`${t.status} = 'active'`),
		index('plots_active_area_asc_idx').on(t.areaM2.asc(), t.id).where(sql`${t.status} = 'active'`),
		index('plots_active_area_desc_idx').on(t.areaM2.desc(), t.id).where(sql`${t.status} = 'active'`)
	]
);

/**
 * The municipality's own topography (BGT pand, wegdeel, waterdeel, …) drawn under the plots
 * when no basemap server is configured. Only what the map draws is kept; a re-import of a
 * dataset replaces its rows. All BGT objects here are areas (walls too), so one polygon column.
 */
export const basemapFeatures = pgTable(
	'basemap_features',
	{
		/** Integer ids: vector tile feature ids. */
		id: serial('id').primaryKey(),
		layer: text('layer', { enum: BASEMAP_LAYERS }).notNull(),
		/** Finer kind where BGT has one: road function (voetpad, rijbaan lokale weg), wall type (kademuur). */
		kind: text('kind'),
		/** BGT lokaalID. */
		sourceId: text('source_id').notNull(),
		/** Import set, by default the BGT object type of the file (bgt_pand). */
		dataset: text('dataset').notNull(),
		/** BGT relatieveHoogteligging: bridges and decks above the ground draw over it. */
		level: integer('level').notNull().default(0),
		geom: multiPolygon('geom').notNull(),
		importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('basemap_features_dataset_source_id_uq').on(t.dataset, t.sourceId),
		index('basemap_features_geom_gix').using('gist', t.geom)
	]
);

/** One row per import run: what came in and what it did, for operators and audits. */
export const importRuns = pgTable('import_runs', {
	id: serial('id').primaryKey(),
	target: text('target', { enum: IMPORT_TARGETS }).notNull(),
	file: text('file').notNull(),
	dataset: text('dataset'),
	summary: jsonb('summary').notNull(),
	startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
	finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * A counter per data set, bumped by a statement trigger whenever its table changes
 * (migration 0003). Caches that must be fresh across several app processes (map tiles)
 * key on it, because the database is the only thing those processes share.
 */
export const dataVersions = pgTable('data_versions', {
	name: text('name').primaryKey(),
	version: integer('version').notNull().default(0),
	changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow()
});

// --- Accounts -------------------------------------------------------------------------
// users/sessions/accounts/verifications are Better Auth's tables (drizzle adapter with
// usePlural); the columns after `updatedAt` in `users` are Perkje's own. Everything that
// refers to a user must be ON DELETE SET NULL or CASCADE and be listed in the privacy
// module (src/lib/server/privacy/sections.ts), so "delete my account" stays complete.

/** Partner organisations (welfare, housing corporation, contractor, social team). */
export const partnerOrganisations = pgTable(
	'partner_organisations',
	{
		id: serial('id').primaryKey(),
		name: text('name').notNull(),
		kind: text('kind'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('partner_organisations_name_uq').on(t.name)]
);

export const users = pgTable('users', {
	id: text('id').primaryKey(),
	/** Required by Better Auth; Perkje asks no names and keeps it empty (see displayName). */
	name: text('name').notNull().default(''),
	email: text('email').notNull().unique(),
	emailVerified: boolean('email_verified').notNull().default(false),
	image: text('image'),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	role: text('role', { enum: ROLES }).notNull().default('resident'),
	/** The only name ever shown in public, and only when the resident chose one. */
	displayName: text('display_name'),
	/** Language for e-mails: 'nl' or 'en'. */
	locale: text('locale').notNull().default('nl'),
	/** Scope of a partner account. */
	partnerOrganisationId: integer('partner_organisation_id').references(
		() => partnerOrganisations.id,
		{ onDelete: 'set null' }
	),
	/** Demo accounts (demo mode only), shown as such. */
	demo: boolean('demo').notNull().default(false)
});

export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		token: text('token').notNull().unique(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		/** Left empty: Perkje turns Better Auth's IP tracking off (data minimisation). */
		ipAddress: text('ip_address'),
		userAgent: text('user_agent'),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' })
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

export const accounts = pgTable(
	'accounts',
	{
		id: text('id').primaryKey(),
		accountId: text('account_id').notNull(),
		providerId: text('provider_id').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		accessToken: text('access_token'),
		refreshToken: text('refresh_token'),
		idToken: text('id_token'),
		accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
		refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
		scope: text('scope'),
		password: text('password'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('accounts_user_idx').on(t.userId)]
);

export const verifications = pgTable(
	'verifications',
	{
		id: text('id').primaryKey(),
		identifier: text('identifier').notNull(),
		value: text('value').notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('verifications_identifier_idx').on(t.identifier)]
);

/** The areas a platform account may see: neighbourhoods and/or whole districts. */
export const staffAreas = pgTable(
	'staff_areas',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		neighbourhoodId: integer('neighbourhood_id').references(() => neighbourhoods.id, {
			onDelete: 'cascade'
		}),
		districtCode: text('district_code')
	},
	(t) => [index('staff_areas_user_idx').on(t.userId)]
);

/**
 * Fixed-window counters for the rate limiter, in the database so every app process counts
 * together. Keys are hashed: no e-mail address or IP address is stored here.
 */
export const rateLimits = pgTable('rate_limits', {
	key: text('key').primaryKey(),
	windowStart: timestamp('window_start', { withTimezone: true }).notNull().defaultNow(),
	count: integer('count').notNull().default(0)
});

/**
 * Outgoing mail. With no SMTP configured every mail lands here as 'logged' (and in the
 * log), so a demo can complete every flow. 'pending' is for a sending worker.
 */
export const mailOutbox = pgTable(
	'mail_outbox',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
		recipient: text('recipient').notNull(),
		subject: text('subject').notNull(),
		textBody: text('text_body').notNull(),
		htmlBody: text('html_body'),
		/** What kind of mail (auth_verify, auth_reset, ...), for operators and tests. */
		kind: text('kind').notNull(),
		status: text('status', { enum: MAIL_STATUSES }).notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		lastError: text('last_error'),
		/** When the outbox worker may (re)try a pending mail: retries back off (notifications/outbox.ts). */
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		/** Set while a worker is sending it; a claim older than the lease is retaken after a crash. */
		claimedAt: timestamp('claimed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp('sent_at', { withTimezone: true })
	},
	(t) => [
		index('mail_outbox_status_idx').on(t.status, t.createdAt),
		index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt),
		index('mail_outbox_recipient_idx').on(t.recipient)
	]
);

/** Secrets the app makes itself when none is configured (the session-signing key). */
export const serverSecrets = pgTable('server_secrets', {
	name: text('name').primaryKey(),
	value: text('value').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

// --- Adoptions and teams ---------------------------------------------------------------
// The lifecycle rules live in src/lib/domain/adoption.ts; the service in
// src/lib/server/adoptions. Migration 0006 adds what drizzle cannot say: the capacity
// trigger (never more holders than max_adopters, whoever writes), the append-only trigger
// on adoption_events, partial unique indexes and data_versions triggers for tiles.

export const teams = pgTable('teams', {
	id: serial('id').primaryKey(),
	kind: text('kind', { enum: TEAM_KINDS }).notNull(),
	name: text('name').notNull(),
	createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

export const teamMembers = pgTable(
	'team_members',
	{
		id: serial('id').primaryKey(),
		teamId: integer('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** 'owner' may invite and rename; every member may adopt for the team and log work. */
		role: text('role', { enum: TEAM_ROLES }).notNull().default('member'),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('team_members_team_user_uq').on(t.teamId, t.userId),
		index('team_members_user_idx').on(t.userId)
	]
);

/**
 * An invitation to a team: sent to an e-mail address, or a shareable link (email null).
 * Only the token's SHA-256 is kept, so a database leak opens no team.
 */
export const teamInvites = pgTable(
	'team_invites',
	{
		id: serial('id').primaryKey(),
		teamId: integer('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		tokenHash: text('token_hash').notNull(),
		email: text('email'),
		invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		/** E-mail invites are used once; link invites stay usable until they expire or are revoked. */
		usedAt: timestamp('used_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('team_invites_token_uq').on(t.tokenHash), index('team_invites_team_idx').on(t.teamId)]
);

/** The municipality's adoption agreement, versioned; an adoption stores the version accepted. */
export const adoptionAgreements = pgTable('adoption_agreements', {
	version: integer('version').primaryKey(),
	textNl: text('text_nl').notNull(),
	textEn: text('text_en').notNull(),
	createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** Default capacity per plot kind; a plot's own max_adopters is set from it by managers. */
export const plotKindSettings = pgTable('plot_kind_settings', {
	kind: text('kind').primaryKey(),
	maxAdopters: integer('max_adopters').notNull().default(1),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export const adoptions = pgTable(
	'adoptions',
	{
		id: serial('id').primaryKey(),
		// RESTRICT: plots are retired, never deleted, and an adoption's history must not vanish.
		plotId: integer('plot_id')
			.notNull()
			.references(() => plots.id, { onDelete: 'restrict' }),
		/** Who asked (or was offered) it; with teamId set, the team adopts and this is its contact. */
		userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
		teamId: integer('team_id').references(() => teams.id, { onDelete: 'set null' }),
		status: text('status', { enum: ADOPTION_STATUSES }).notNull(),
		motivation: text('motivation'),
		agreementVersion: integer('agreement_version').references(() => adoptionAgreements.version),
		/** From the form, so a double tap makes one request. */
		idempotencyKey: text('idempotency_key'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		startedAt: timestamp('started_at', { withTimezone: true }),
		endedAt: timestamp('ended_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('adoptions_idempotency_uq').on(t.idempotencyKey),
		index('adoptions_plot_status_idx').on(t.plotId, t.status),
		index('adoptions_user_idx').on(t.userId),
		index('adoptions_team_idx').on(t.teamId)
	]
);

/**
 * Every transition of an adoption, appended and never edited (a trigger refuses UPDATE and
 * DELETE, except the actor's ON DELETE SET NULL and blanking the reason when an account goes).
 */
export const adoptionEvents = pgTable(
	'adoption_events',
	{
		id: serial('id').primaryKey(),
		adoptionId: integer('adoption_id')
			.notNull()
			.references(() => adoptions.id, { onDelete: 'restrict' }),
		fromStatus: text('from_status', { enum: ADOPTION_STATUSES }),
		toStatus: text('to_status', { enum: ADOPTION_STATUSES }).notNull(),
		actorUserId: text('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
		/** The role the actor acted in: 'resident', 'manager', 'admin' or 'system'. */
		actorRole: text('actor_role').notNull(),
		reason: text('reason'),
		/**
		 * 'status' for a change of status; 'question' (a manager asks the requester) and 'answer'
		 * (the requester replies) are messages on a waiting request, whose status stays the same.
		 * See REQUEST_NOTE_KINDS in src/lib/domain/adoption.ts.
		 */
		kind: text('kind', { enum: ADOPTION_EVENT_KINDS }).notNull().default('status'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('adoption_events_adoption_idx').on(t.adoptionId, t.id)]
);

// --- Audit and notifications -----------------------------------------------------------

/**
 * Every manager and admin action, written in the same transaction as the action itself
 * (src/lib/server/audit). Append-only: the app never updates or deletes a row, and a trigger
 * (migration) refuses UPDATE. The actor reference is set to null when that account is
 * deleted; the role they acted in stays, so the trail keeps its meaning.
 */
export const auditLog = pgTable(
	'audit_log',
	{
		id: serial('id').primaryKey(),
		actorUserId: text('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
		actorRole: text('actor_role').notNull(),
		/**
		 * What was done, dotted: one of AUDIT_ACTIONS (src/lib/domain/audit.ts) when written. No
		 * enum here: the trail is kept for years, and a code that has left that list stays readable.
		 */
		action: text('action').notNull(),
		subjectType: text('subject_type').notNull(),
		subjectId: text('subject_id').notNull(),
		before: jsonb('before'),
		after: jsonb('after'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('audit_log_created_idx').on(t.createdAt),
		index('audit_log_actor_idx').on(t.actorUserId, t.createdAt),
		index('audit_log_subject_idx').on(t.subjectType, t.subjectId)
	]
);

/** In-app notifications ("Meldingen" in the account menu). */
export const notifications = pgTable(
	'notifications',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/**
		 * Same keys as the mail kinds (NOTIFICATION_KINDS in notifications/templates.ts), so one
		 * template names both. No enum here: an older row with a kind that is gone gets a neutral text.
		 */
		kind: text('kind').notNull(),
		/** What the text needs (plot id and label, reason, ...): rendered in the reader's language. */
		payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
		readAt: timestamp('read_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('notifications_user_idx').on(t.userId, t.createdAt)]
);

/**
 * Which e-mails a resident wants, per topic. No row means the defaults (every topic on);
 * account mails (verification, sign-in links) are not optional and not listed here.
 */
export const notificationPreferences = pgTable('notification_preferences', {
	userId: text('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	/** Topics the resident turned OFF for e-mail (in-app notifications always arrive). */
	mutedEmailTopics: text('muted_email_topics').array().notNull().default(sql`'{}'::text[]`),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

// --- Photos and the care log ------------------------------------------------------------
// Rules in src/lib/domain/media.ts and activity.ts; services in src/lib/server/media and
// src/lib/server/activities. Migration 0012 adds the append-only trigger on
// activity_revisions and the data_versions trigger on activities (the map of care's tiles).

/**
 * A photo someone uploaded. The upload itself is never kept: only its variants (photo_variants),
 * decoded and re-encoded without any metadata. Reports use the same table.
 */
export const photos = pgTable(
	'photos',
	{
		id: serial('id').primaryKey(),
		/** Who uploaded it; null once that account is deleted. */
		ownerUserId: text('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
		status: text('status', { enum: PHOTO_STATUSES }).notNull().default('pending'),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		/** Hidden by a manager: gone from public pages and exports at once; the reason is kept. */
		hiddenAt: timestamp('hidden_at', { withTimezone: true }),
		hiddenReason: text('hidden_reason'),
		hiddenBy: text('hidden_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('photos_owner_idx').on(t.ownerUserId), index('photos_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`)]
);

/** One stored size of a photo. Its URL is its content hash, so it can be cached forever. */
export const photoVariants = pgTable(
	'photo_variants',
	{
		id: serial('id').primaryKey(),
		photoId: integer('photo_id')
			.notNull()
			.references(() => photos.id, { onDelete: 'cascade' }),
		/** A key of PHOTO_VARIANTS (large, small). */
		variant: text('variant').notNull(),
		/** SHA-256 of `bytes`, hex: the URL and the strong ETag. */
		hash: text('hash').notNull(),
		contentType: text('content_type').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		byteSize: integer('byte_size').notNull(),
		bytes: bytea('bytes').notNull()
	},
	(t) => [
		uniqueIndex('photo_variants_photo_variant_uq').on(t.photoId, t.variant),
		index('photo_variants_hash_idx').on(t.hash)
	]
);

/** One entry of the care log: work done on a plot under an adoption. */
export const activities = pgTable(
	'activities',
	{
		id: serial('id').primaryKey(),
		plotId: integer('plot_id')
			.notNull()
			.references(() => plots.id, { onDelete: 'restrict' }),
		/** The adoption it was logged under (the author's own, or their team's). */
		adoptionId: integer('adoption_id')
			.notNull()
			.references(() => adoptions.id, { onDelete: 'restrict' }),
		/** Set when logged for a team: the entry counts for the team. */
		teamId: integer('team_id').references(() => teams.id, { onDelete: 'set null' }),
		/** Null once the author's account is deleted: the entry stays as an anonymous contribution. */
		authorUserId: text('author_user_id').references(() => users.id, { onDelete: 'set null' }),
		/** The calendar day the work was done (Europe/Amsterdam). */
		doneOn: date('done_on', { mode: 'string' }).notNull(),
		tasks: text('tasks', { enum: ACTIVITY_TASKS }).array().notNull(),
		/** The word for `other`, when that task is ticked. */
		otherTask: text('other_task'),
		minutes: integer('minutes').notNull(),
		people: integer('people').notNull().default(1),
		note: text('note'),
		/** From the form, so a double tap or a resend after a lost answer makes one entry. */
		idempotencyKey: text('idempotency_key'),
		noteHiddenAt: timestamp('note_hidden_at', { withTimezone: true }),
		noteHiddenReason: text('note_hidden_reason'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		/** Deleted by its author: kept for the history, gone from every public figure. */
		deletedAt: timestamp('deleted_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('activities_idempotency_uq').on(t.idempotencyKey),
		// A plot's last care and its timeline (plot page, map of care, quiet adoptions).
		index('activities_plot_done_idx').on(t.plotId, t.doneOn.desc(), t.id.desc()).where(sql`${t.deletedAt} IS NULL`),
		// Contributions for a period.
		index('activities_done_idx').on(t.doneOn).where(sql`${t.deletedAt} IS NULL`),
		index('activities_author_idx').on(t.authorUserId),
		index('activities_team_idx').on(t.teamId),
		index('activities_adoption_idx').on(t.adoptionId)
	]
);

/** The photos of an entry, in the order they were added. A photo belongs to one entry. */
export const activityPhotos = pgTable(
	'activity_photos',
	{
		activityId: integer('activity_id')
			.notNull()
			.references(() => activities.id, { onDelete: 'cascade' }),
		photoId: integer('photo_id')
			.notNull()
			.references(() => photos.id, { onDelete: 'cascade' }),
		position: integer('position').notNull().default(0)
	},
	(t) => [
		uniqueIndex('activity_photos_photo_uq').on(t.photoId),
		index('activity_photos_activity_idx').on(t.activityId, t.position)
	]
);

/**
 * Every change to an entry, appended and never edited: who, when, and what was there before
 * (edit, delete), or what a manager hid and why. The public sees only the entry's current state.
 */
export const activityRevisions = pgTable(
	'activity_revisions',
	{
		id: serial('id').primaryKey(),
		activityId: integer('activity_id')
			.notNull()
			.references(() => activities.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: ACTIVITY_REVISION_KINDS }).notNull(),
		actorUserId: text('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
		/** The role the actor acted in: 'resident', 'manager' or 'admin'. */
		actorRole: text('actor_role').notNull(),
		/** The entry (tasks, date, minutes, people, note, photo ids) before this change. */
		before: jsonb('before'),
		/** A manager's reason for hiding, or the photo hidden. */
		reason: text('reason'),
		photoId: integer('photo_id').references(() => photos.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('activity_revisions_activity_idx').on(t.activityId, t.id)]
);

// --- Problem reports (meldingen) --------------------------------------------------------

/** The two-level category tree an admin maintains; only sub-categories are chosen by a reporter. */
export const reportCategories = pgTable(
	'report_categories',
	{
		id: serial('id').primaryKey(),
		slug: text('slug').notNull(),
		parentId: integer('parent_id').references((): AnyPgColumn => reportCategories.id, { onDelete: 'restrict' }),
		nameNl: text('name_nl').notNull(),
		nameEn: text('name_en').notNull(),
		/** Working days to respond (sub-categories); the deadline is stored on each report at its start. */
		responseDays: integer('response_days'),
		active: boolean('active').notNull().default(true),
		position: integer('position').notNull().default(0)
	},
	(t) => [uniqueIndex('report_categories_slug_uq').on(t.slug), index('report_categories_parent_idx').on(t.parentId)]
);

/**
 * Where a new report goes: the most specific rule that matches its category (or its main
 * category) and its neighbourhood (or district) wins; a null partner means the municipality's
 * own team. Without any matching rule a report stays with the municipality.
 */
export const reportRoutingRules = pgTable(
	'report_routing_rules',
	{
		id: serial('id').primaryKey(),
		categoryId: integer('category_id').references(() => reportCategories.id, { onDelete: 'cascade' }),
		neighbourhoodId: integer('neighbourhood_id').references(() => neighbourhoods.id, { onDelete: 'cascade' }),
		districtCode: text('district_code'),
		partnerOrganisationId: integer('partner_organisation_id').references(() => partnerOrganisations.id, {
			onDelete: 'cascade'
		}),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('report_routing_rules_category_idx').on(t.categoryId)]
);

/** One problem report. The public sees its category, place, date, state and public notes only. */
export const reports = pgTable(
	'reports',
	{
		id: serial('id').primaryKey(),
		categoryId: integer('category_id')
			.notNull()
			.references(() => reportCategories.id, { onDelete: 'restrict' }),
		description: text('description').notNull(),
		geom: point('geom').notNull(),
		/** The nearest plot within REPORT_PLOT_RADIUS_M, if any. */
		plotId: integer('plot_id').references(() => plots.id, { onDelete: 'set null' }),
		neighbourhoodId: integer('neighbourhood_id').references(() => neighbourhoods.id, { onDelete: 'set null' }),
		source: text('source', { enum: REPORT_SOURCES }).notNull(),
		/** Null once that account is deleted: the report stays, without them. */
		reporterUserId: text('reporter_user_id').references(() => users.id, { onDelete: 'set null' }),
		/** A reporter without an account (lower-cased); blanked when they ask to be forgotten. */
		reporterEmail: text('reporter_email'),
		/** May the municipality contact the reporter about it (beyond the status mails)? */
		contactAllowed: boolean('contact_allowed').notNull().default(false),
		/** When its address was confirmed; null = waiting for the link, not public and not routed yet. */
		confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
		state: text('state', { enum: REPORT_STATES }).notNull().default('reported'),
		/** The partner it is routed to; null = the municipality's own team. */
		partnerOrganisationId: integer('partner_organisation_id').references(() => partnerOrganisations.id, {
			onDelete: 'set null'
		}),
		deadlineAt: timestamp('deadline_at', { withTimezone: true }).notNull(),
		deadline3xAt: timestamp('deadline_3x_at', { withTimezone: true }).notNull(),
		/** Merged into another report (the parent): it follows the parent's progress. */
		parentId: integer('parent_id').references((): AnyPgColumn => reports.id, { onDelete: 'set null' }),
		supportCount: integer('support_count').notNull().default(0),
		/** From the form, so a double tap or a resend makes one report. */
		idempotencyKey: text('idempotency_key'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		/** The first move away from "gemeld" by staff or partner (time to first response). */
		firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
		/** The last time it became "afgehandeld" (time to resolve). */
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		/** The last time it was closed (done or cancelled): closed reports leave the public map after 14 days. */
		closedAt: timestamp('closed_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('reports_idempotency_uq').on(t.idempotencyKey),
		index('reports_geom_gix').using('gist', t.geom),
		index('reports_state_created_idx').on(t.state, t.createdAt.desc()),
		index('reports_category_idx').on(t.categoryId),
		index('reports_neighbourhood_idx').on(t.neighbourhoodId),
		index('reports_partner_idx').on(t.partnerOrganisationId, t.deadlineAt),
		index('reports_plot_idx').on(t.plotId),
		index('reports_reporter_idx').on(t.reporterUserId),
		index('reports_parent_idx').on(t.parentId)
	]
);

/** A report's photos: the reporter's, and the partner's answer. A photo belongs to one report. */
export const reportPhotos = pgTable(
	'report_photos',
	{
		reportId: integer('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		photoId: integer('photo_id')
			.notNull()
			.references(() => photos.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: REPORT_PHOTO_KINDS }).notNull().default('report'),
		/** The history entry an answer photo belongs to. */
		historyId: integer('history_id').references(() => reportHistory.id, { onDelete: 'set null' }),
		position: integer('position').notNull().default(0)
	},
	(t) => [uniqueIndex('report_photos_photo_uq').on(t.photoId), index('report_photos_report_idx').on(t.reportId, t.position)]
);

/**
 * Everything that happened to a report, appended and never edited (a trigger refuses UPDATE and
 * DELETE, apart from ON DELETE SET NULL of the actor): who, when, from, to, a public note and an
 * internal note. The public sees the states and public notes, never who or the internal note.
 */
export const reportHistory = pgTable(
	'report_history',
	{
		id: serial('id').primaryKey(),
		reportId: integer('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: REPORT_HISTORY_KINDS }).notNull().default('state'),
		actorUserId: text('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
		/** 'resident', 'manager', 'admin', 'partner', 'reporter' or 'system'. */
		actorRole: text('actor_role').notNull(),
		fromState: text('from_state', { enum: REPORT_STATES }),
		toState: text('to_state', { enum: REPORT_STATES }),
		publicNote: text('public_note'),
		internalNote: text('internal_note'),
		/** An assignment: the partner it went to (null with kind 'assign' = the municipality). */
		partnerOrganisationId: integer('partner_organisation_id').references(() => partnerOrganisations.id, {
			onDelete: 'set null'
		}),
		/** A merge: the other report. */
		relatedReportId: integer('related_report_id').references(() => reports.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('report_history_report_idx').on(t.reportId, t.id)]
);

/** "Ik zie dit ook": someone else supports a report and follows its progress. */
export const reportSupports = pgTable(
	'report_supports',
	{
		id: serial('id').primaryKey(),
		reportId: integer('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
		/** A supporter without an account (lower-cased); counts once confirmed. */
		email: text('email'),
		confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('report_supports_user_uq').on(t.reportId, t.userId),
		uniqueIndex('report_supports_email_uq').on(t.reportId, t.email),
		index('report_supports_user_idx').on(t.userId)
	]
);

/**
 * A link sent to an address to confirm a report or a support made without an account. Only the
 * token's hash is stored.
 */
export const reportConfirmations = pgTable(
	'report_confirmations',
	{
		id: serial('id').primaryKey(),
		tokenHash: text('token_hash').notNull(),
		reportId: integer('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		supportId: integer('support_id').references(() => reportSupports.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('report_confirmations_token_uq').on(t.tokenHash)]
);

/**
 * "Bent u tevreden over de afhandeling van uw melding?": asked each time a report becomes
 * afgehandeld, through a link (token hash only) that stays open REPORT_FEEDBACK_DAYS.
 */
export const reportFeedback = pgTable(
	'report_feedback',
	{
		id: serial('id').primaryKey(),
		reportId: integer('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		tokenHash: text('token_hash').notNull(),
		openUntil: timestamp('open_until', { withTimezone: true }).notNull(),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		satisfied: boolean('satisfied'),
		reasons: text('reasons').array(),
		text: text('text'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('report_feedback_token_uq').on(t.tokenHash), index('report_feedback_report_idx').on(t.reportId)]
);

/** Keys for Open311 clients that may post reports. Only the key's hash is stored. */
export const open311Keys = pgTable(
	'open311_keys',
	{
		id: serial('id').primaryKey(),
		name: text('name').notNull(),
		keyHash: text('key_hash').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('open311_keys_hash_uq').on(t.keyHash)]
);

import { sql } from 'drizzle-orm';
import {
	boolean,
	customType,
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

/**
 * PostGIS columns. drizzle's own `geometry()` only makes point columns (see DESIGN.md), so
 * the type is spelled out. Values go in as SQL expressions (ST_Multi(ST_GeomFromGeoJSON(...)))
 * and come out through ST_AsGeoJSON in queries; the TypeScript side never holds WKB.
 */
const multiPolygon = customType<{ data: string; driverData: string }>({
	dataType: () => 'geometry(MultiPolygon, 4326)'
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
		index('neighbourhoods_geom_gix').using('gist', t.geom)
	]
);

export const PLOT_STATUSES = ['active', 'retired'] as const;
export type PlotStatus = (typeof PLOT_STATUSES)[number];

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
		index('plots_geom_gix').using('gist', t.geom),
		index('plots_neighbourhood_idx').on(t.neighbourhoodId),
		index('plots_dataset_idx').on(t.dataset)
	]
);

/** One row per import run: what came in and what it did, for operators and audits. */
export const importRuns = pgTable('import_runs', {
	id: serial('id').primaryKey(),
	target: text('target', { enum: ['plots', 'neighbourhoods'] }).notNull(),
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

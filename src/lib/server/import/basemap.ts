import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '#server/db';
import { BASEMAP_LAYERS, type BasemapLayer } from '#lib/domain/basemap.js';
import { ImportError, keyValue, pickProperty, type Feature, type ImportDocument, kindValue, mappedFields } from './input';
import { CommonImportOptionsSchema, fieldOptions, PlausibilityOptionsSchema, recordedImport, stageOptions, summaryBase, type ImportSummaryBase } from './run';
import { dropStage, importActionCounts, stageFeatures, type Mapped, vanishedRows } from './stage';

/**
 * The basemap: the municipality's own BGT topography (buildings, roads, water, terrain,
 * walls, bridges) for the map to draw under the plots when no basemap server is configured.
 * It goes through the same staging as plots (CRS, repairs, per-feature rejections, one
 * transaction), and a re-import replaces the dataset's features.
 */

/**
 * BGT object types by the name GDAL, PDOK and 3dfier give their files (bgt_pand, …) and the
 * layer each becomes. Checked in order: "onbegroeidterreindeel" before anything shorter.
 */
const OBJECT_TYPES: readonly [string, BasemapLayer][] = [
	['onbegroeidterreindeel', 'terrain'],
	['ondersteunendwegdeel', 'road'],
	['wegdeel', 'road'],
	['ondersteunendwaterdeel', 'water'],
	['waterdeel', 'water'],
	['overbruggingsdeel', 'bridge'],
	['scheiding', 'wall'],
	['pand', 'building']
];

/** Where each layer's finer kind is (3dfier's and IMGeo's spellings); buildings have none. */
const KIND_FIELDS: Record<BasemapLayer, readonly string[]> = {
	building: [],
	road: ['function', 'functie', 'bgt_functie'],
	water: ['class', 'bgt_type', 'type'],
	terrain: ['class', 'fysiekVoorkomen', 'bgt_fysiekVoorkomen'],
	wall: ['bgt_type', 'type', 'class'],
	bridge: ['class', 'typeOverbrugging', 'hoortBijTypeOverbrugging']
};

const ID_FIELDS = ['lokaalID'] as const;
const LEVEL_FIELDS = ['relatieveHoogteligging'] as const;

/**
 * Slivers for the basemap: real BGT road and wall pieces go down to a few hundred cm²
 * (Delft: 0.04 m² bits of footpath, 0.06 m² wall stubs), so only true debris is dropped.
 */
export const BASEMAP_MIN_PART_AREA_M2 = 0.01;

export const BasemapImportOptionsSchema = CommonImportOptionsSchema.extend({
	...PlausibilityOptionsSchema.shape,
	minPartAreaM2: z.number().min(0).default(BASEMAP_MIN_PART_AREA_M2),
	/** Which layer the file is; by default inferred from the BGT object type in its name. */
	layer: z.enum(BASEMAP_LAYERS).optional(),
	/** The set a re-import replaces; default the collection's `name`, else the file name. */
	dataset: z.string().trim().min(1).optional(),
	...fieldOptions('id', 'kind')
});

export type BasemapImportOptions = z.input<typeof BasemapImportOptionsSchema>;

export interface BasemapImportSummary extends ImportSummaryBase {
	target: 'basemap';
	layer: BasemapLayer;
	dataset: string;
	/** Features per kind (null kinds as "(none)"). */
	kinds: Record<string, number>;
	/** The dataset's stored features the file no longer has: deleted (the file replaces the set). */
	removed: number;
}

/** The layer a file holds, from the option or the BGT object type in its name. */
export function basemapLayerOf(doc: Pick<ImportDocument, 'source' | 'name' | 'baseName'>, option?: BasemapLayer): BasemapLayer {
	if (option) return option;
	for (const name of [doc.name, doc.baseName]) {
		const lower = name?.toLowerCase() ?? '';
		const found = OBJECT_TYPES.find(([type]) => lower.includes(type));
		if (found) return found[1];
	}
	throw new ImportError(
		`${doc.source}: cannot tell which basemap layer this is from its name (no BGT object type such as ` +
			`${OBJECT_TYPES.map(([t]) => t).join(', ')}). Name it with --layer ${BASEMAP_LAYERS.join('|')}.`
	);
}

function basemapMapper(opts: z.output<typeof BasemapImportOptionsSchema>, layer: BasemapLayer) {
	const fields = mappedFields(opts, { id: ID_FIELDS, kind: KIND_FIELDS[layer] });
	return (feature: Feature, n: number): Mapped => {
		const properties = feature.properties ?? {};
		// A basemap feature needs no stable id (the set is replaced), but one keeps tile ids
		// steady across re-imports; the feature's position is the last resort.
		const read =
			keyValue(pickProperty(properties, fields.id)?.value, 'source id') ??
			(opts.idField ? null : (keyValue(feature.id, 'feature id') ?? { key: `#${n}` }));
		if (read && 'reason' in read) return { kind: 'reject', key: null, reason: read.reason };
		const key = read?.key;
		if (!key) {
			return { kind: 'reject', key: null, reason: `no source id (no ${fields.id.join('/')} property)` };
		}
		const kind = kindValue(pickProperty(properties, fields.kind)?.value);
		const level = Number(pickProperty(properties, LEVEL_FIELDS)?.value ?? 0);
		return { kind: 'row', key, payload: { kind, level: Number.isInteger(level) ? level : 0 } };
	};
}

/**
 * Imports one BGT file into the basemap. Unchanged features keep their ids; changed ones are
 * replaced, and the dataset's features the file no longer has are deleted. Throws
 * ImportError for a file it refuses; then nothing is written.
 */
export const importBasemap = recordedImport('basemap', BasemapImportOptionsSchema, async (tx, doc, opts, onProgress): Promise<BasemapImportSummary> => {
	const layer = basemapLayerOf(doc, opts.layer);
	const dataset = opts.dataset ?? doc.name ?? doc.baseName;
	const mapper = basemapMapper(opts, layer);

	const staged = await stageFeatures(tx, doc, mapper, stageOptions(opts, onProgress, 'source id'));
	await tx.execute(sql`
		create temporary table perkje_import_basemap on commit drop as
		select s.n, s.key as source_id, s.geom, s.payload->>'kind' as kind,
		       (s.payload->>'level')::int as level, b.id as feature_id,
		       case when b.id is null then 'new'
		            when b.layer is distinct from ${layer} or b.kind is distinct from s.payload->>'kind'
		              or b.level is distinct from (s.payload->>'level')::int
		              or b.geom is distinct from s.geom then 'updated'
		            else 'unchanged' end as action
		from pg_temp.perkje_import_stage s
		left join basemap_features b on b.dataset = ${dataset} and b.source_id = s.key
		where s.state = 'ok'
	`);
	const counts = await importActionCounts(tx, 'perkje_import_basemap');
	const kinds = await queryRows<{ kind: string; count: number }>(
		tx,
		sql`select coalesce(kind, '(none)') as kind, count(*)::int as count
		    from pg_temp.perkje_import_basemap group by 1 order by 2 desc, 1`
	);
	// The file replaces the set: what it no longer has is deleted.
	const vanishedCondition = sql`b.dataset = ${dataset}
		and not exists (select 1 from pg_temp.perkje_import_basemap i where i.source_id = b.source_id)`;
	const vanished = await vanishedRows(
		tx,
		sql`select b.source_id as key from basemap_features b where ${vanishedCondition} order by b.source_id`,
		sql`delete from basemap_features b where ${vanishedCondition} returning b.id`
	);
	// As for plots: no empty statements, which would bump the data version and so
	// invalidate every cached basemap tile.
	if (counts.updated > 0) {
		await tx.execute(sql`
			update basemap_features b set layer = ${layer}, kind = i.kind, level = i.level, geom = i.geom,
			       imported_at = now()
			from pg_temp.perkje_import_basemap i
			where b.id = i.feature_id and i.action = 'updated'
		`);
	}
	if (counts.new > 0) {
		await tx.execute(sql`
			insert into basemap_features (layer, kind, source_id, dataset, level, geom)
			select ${layer}, kind, source_id, ${dataset}, level, geom
			from pg_temp.perkje_import_basemap where action = 'new' order by n
		`);
	}
	await dropStage(tx, 'perkje_import_basemap');

	return {
		...summaryBase(doc, staged, counts, vanished.keys),
		target: 'basemap',
		kinds: Object.fromEntries(kinds.map((k) => [k.kind, k.count])),
		layer,
		dataset,
		removed: vanished.acted
	};
});

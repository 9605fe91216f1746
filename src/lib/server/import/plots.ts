import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { OTHER_OWNER_REASON_PREFIX, otherOwnerReason } from '#lib/domain/plot-owner.js';
import { bestNeighbourhoods } from './assign';
import { keyValue, kindValue, mappedFields, pickProperty, textValue, type Feature } from './input';
import { CommonImportOptionsSchema, fieldOptions, PlausibilityOptionsSchema, recordedImport, stageOptions, summaryBase, type ImportSummaryBase } from './run';
import { dropStage, importActionCounts, stageFeatures, vanishedRows, type Mapped } from './stage';

/** BGT field names (IMGeo spells them in lower case; names also match ignoring case). */
const DEFAULT_FIELDS = {
	id: ['lokaalID'],
	kind: ['fysiekVoorkomen', 'class'],
	kindDetail: ['plus_fysiekVoorkomen'],
	owner: ['bronhouder']
} as const;

/** The kind of a plot whose source names none. */
export const UNKNOWN_KIND = 'unknown';

// The reason on plots another organisation maintains; pages word it themselves (plot-owner.ts).
export { OTHER_OWNER_REASON_PREFIX };

/**
 * The largest single plot accepted, in m². BGT cuts public green into pieces along paths,
 * edges and owners: Delft's demo plots stay under 0.1 ha and the largest in the Otterlo
 * sample (forest) is 25 ha. 1 km² (100 ha, a large park in one piece) leaves rural
 * municipalities room, while what it catches (a wrong CRS or unit, a test box around the
 * world) is thousands of times larger and would break every count and map of the city.
 */
export const DEFAULT_MAX_PLOT_AREA_M2 = 1_000_000;

export const PlotImportOptionsSchema = CommonImportOptionsSchema.extend({
	...PlausibilityOptionsSchema.shape,
	/** Plots larger than this (m²) are rejected. */
	maxAreaM2: z.number().positive().default(DEFAULT_MAX_PLOT_AREA_M2),
	/** Import set the plots belong to; default the collection's `name`, else the file name. */
	dataset: z.string().trim().min(1).optional(),
	/** The municipality's BGT bronhouder code: plots of other owners are not adoptable. */
	owner: z.string().trim().min(1).optional(),
	/** With `owner`: leave other owners' plots out instead of importing them as not adoptable. */
	skipOtherOwners: z.boolean().default(false),
	/** Retire this dataset's plots that are no longer in the file (otherwise only listed). */
	retireMissing: z.boolean().default(false),
	/** Mark the plots as generated benchmark data (also set by `"synthetic": true` in the file). */
	synthetic: z.boolean().default(false),
	...fieldOptions('id', 'kind', 'kindDetail', 'owner')
});

export type PlotImportOptions = z.input<typeof PlotImportOptionsSchema>;

export interface PlotImportSummary extends ImportSummaryBase {
	target: 'plots';
	dataset: string;
	synthetic: boolean;
	/** The owner filter in force, if any. */
	owner: string | null;
	/** Features per bronhouder in the file (all features that had a source id). */
	owners: Record<string, number>;
	/** Imported plots that are not adoptable because another organisation maintains them. */
	notAdoptable: number;
	/** Other owners' plots left out (--skip-other-owners). */
	skipped: number;
	retired: number;
	/** Imported plots that overlap no neighbourhood (all of them while none are imported). */
	withoutNeighbourhood: number;
}

/** Turns a feature's properties into a plot row (or a skip/rejection). */
function plotMapper(opts: z.output<typeof PlotImportOptionsSchema>, owners: Map<string, number>) {
	const names = mappedFields(opts, DEFAULT_FIELDS);
	const ownerFilter = opts.owner?.toUpperCase();
	return (feature: Feature): Mapped => {
		const properties = feature.properties ?? {};
		const id = pickProperty(properties, names.id);
		// Without an explicit --id-field the feature's own id is a fallback (GDAL writes it).
		const read = keyValue(id?.value, 'source id') ?? (opts.idField ? null : keyValue(feature.id, 'feature id'));
		if (read && 'reason' in read) return { kind: 'reject', key: null, reason: `${read.reason}; name another field with --id-field` };
		const key = read?.key;
		if (!key) {
			return {
				kind: 'reject',
				key: null,
				reason:
					`no source id (no ${names.id.join('/')} property${opts.idField ? '' : ' and no feature id'}); ` +
					`name the field with --id-field`
			};
		}
		const kind = pickProperty(properties, names.kind);
		const kindDetail = pickProperty(properties, names.kindDetail);
		const ownerProp = pickProperty(properties, names.owner);
		const owner = textValue(ownerProp?.value);
		owners.set(owner ?? '(none)', (owners.get(owner ?? '(none)') ?? 0) + 1);
		const ownFeature = !ownerFilter || owner?.toUpperCase() === ownerFilter;
		if (!ownFeature && opts.skipOtherOwners) return { kind: 'skip', key };
		const used = new Set([id?.key, kind?.key, kindDetail?.key, ownerProp?.key]);
		const attributes = Object.fromEntries(Object.entries(properties).filter(([k]) => !used.has(k)));
		return {
			kind: 'row',
			key,
			payload: {
				kind: kindValue(kind?.value) ?? UNKNOWN_KIND,
				kindDetail: kindValue(kindDetail?.value),
				owner,
				adoptable: ownFeature,
				reason: ownFeature ? null : otherOwnerReason(owner),
				attributes
			}
		};
	};
}

/**
 * Imports a GeoJSON FeatureCollection of plots: one transaction, upsert on source id,
 * repairs reported, vanished plots listed (retired only with `retireMissing`), every plot
 * measured and placed in its neighbourhood before it is written. Throws ImportError for a
 * file it refuses; then nothing is written but the refused run.
 */
export const importPlots = recordedImport('plots', PlotImportOptionsSchema, async (tx, doc, opts, onProgress): Promise<PlotImportSummary> => {
	const dataset = opts.dataset ?? doc.name ?? doc.baseName;
	const synthetic = opts.synthetic || doc.synthetic;
	const owners = new Map<string, number>();

	const staged = await stageFeatures(tx, doc, plotMapper(opts, owners), stageOptions(opts, onProgress, 'source id'));

	// What each staged plot becomes, judged against the plot already stored (if any).
	await tx.execute(sql`
		create temporary table perkje_import_plots on commit drop as
		with incoming as (
			select s.n, s.key as source_id, s.geom, s.area_m2, s.label_point,
			       case when cardinality(s.repairs) > 0 then s.repairs end as repairs,
			       s.payload->>'kind' as kind, s.payload->>'kindDetail' as kind_detail,
			       s.payload->>'owner' as owner, coalesce(s.payload->'attributes', '{}'::jsonb) as attributes,
			       (s.payload->>'adoptable')::boolean as own, s.payload->>'reason' as owner_reason,
			       p.id as plot_id, b.neighbourhood_id
			from pg_temp.perkje_import_stage s
			left join plots p on p.source_id = s.key
			left join ${bestNeighbourhoods(
				sql`select n as key, geom from pg_temp.perkje_import_stage where state = 'ok'`
			)} b on b.key = s.n
			where s.state = 'ok'
		), decided as (
			select i.*,
			       case when not i.own then false
			            when p.id is null or p.adoptable then true
			            -- a manager's "not adoptable" survives re-imports; only the importer's is lifted
			            when p.not_adoptable_reason like ${OTHER_OWNER_REASON_PREFIX + '%'} then true
			            else false end as adoptable,
			       case when not i.own then i.owner_reason
			            when p.id is null or p.adoptable
			              or p.not_adoptable_reason like ${OTHER_OWNER_REASON_PREFIX + '%'} then null
			            else p.not_adoptable_reason end as not_adoptable_reason
			from incoming i
			left join plots p on p.id = i.plot_id
		)
		select d.*,
		       case when p.id is null then 'new'
		            when p.dataset is distinct from ${dataset}
		              or p.kind is distinct from d.kind
		              or p.kind_detail is distinct from d.kind_detail
		              or p.owner is distinct from d.owner
		              or p.adoptable is distinct from d.adoptable
		              or p.not_adoptable_reason is distinct from d.not_adoptable_reason
		              or p.status <> 'active'
		              or p.synthetic is distinct from ${synthetic}
		              or p.repairs is distinct from d.repairs
		              or p.attributes is distinct from d.attributes
		              or p.neighbourhood_id is distinct from d.neighbourhood_id
		              or p.geom is distinct from d.geom then 'updated'
		            else 'unchanged' end as action
		from decided d
		left join plots p on p.id = d.plot_id
	`);
	// Statements that would touch no row are skipped: even an empty one fires the
	// data-version trigger and so would invalidate every cached map tile.
	const counts = await importActionCounts<{ not_adoptable: number; without_neighbourhood: number }>(
		tx,
		'perkje_import_plots',
		sql`count(*) filter (where not own)::int as not_adoptable,
		    count(*) filter (where neighbourhood_id is null)::int as without_neighbourhood`
	);
	if (counts.new > 0) {
		await tx.execute(sql`
			insert into plots (source_id, dataset, kind, kind_detail, owner, adoptable, not_adoptable_reason,
			                   area_m2, neighbourhood_id, geom, label_point, synthetic, repairs, attributes)
			select source_id, ${dataset}, kind, kind_detail, owner, adoptable, not_adoptable_reason,
			       area_m2, neighbourhood_id, geom, label_point, ${synthetic}, repairs, attributes
			from pg_temp.perkje_import_plots where action = 'new' order by n
		`);
	}
	if (counts.updated > 0) {
		await tx.execute(sql`
			update plots p set
				dataset = ${dataset}, kind = i.kind, kind_detail = i.kind_detail, owner = i.owner,
				adoptable = i.adoptable, not_adoptable_reason = i.not_adoptable_reason,
				area_m2 = i.area_m2, neighbourhood_id = i.neighbourhood_id, geom = i.geom, label_point = i.label_point,
				synthetic = ${synthetic}, repairs = i.repairs, attributes = i.attributes,
				status = 'active', retired_at = null, updated_at = now()
			from pg_temp.perkje_import_plots i
			where p.id = i.plot_id and i.action = 'updated'
		`);
	}

	// Plots of this dataset the file no longer has. Adoptions hang on them, so they are
	// only listed unless the operator asks to retire them.
	const vanishedCondition = sql`p.dataset = ${dataset} and p.status = 'active'
		and not exists (select 1 from pg_temp.perkje_import_stage s where s.key = p.source_id)`;
	const vanished = await vanishedRows(
		tx,
		sql`select p.source_id as key from plots p where ${vanishedCondition} order by p.source_id`,
		opts.retireMissing
			? sql`update plots p set status = 'retired', retired_at = now(), updated_at = now()
			      where ${vanishedCondition} returning p.id`
			: undefined
	);

	await dropStage(tx, 'perkje_import_plots');

	return {
		...summaryBase(doc, staged, counts, vanished.keys),
		target: 'plots',
		dataset,
		synthetic,
		owner: opts.owner ?? null,
		owners: Object.fromEntries([...owners].sort((a, b) => b[1] - a[1])),
		notAdoptable: counts.not_adoptable,
		skipped: staged.skipped,
		retired: vanished.acted,
		withoutNeighbourhood: counts.without_neighbourhood
	};
});

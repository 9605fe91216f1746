import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '#server/db';
import { assignNeighbourhoods } from './assign';
import { keyValue, mappedFields, pickProperty, textValue, type Feature } from './input';
import { CommonImportOptionsSchema, fieldOptions, PlausibilityOptionsSchema, recordedImport, stageOptions, summaryBase, type ImportSummaryBase } from './run';
import { dropStage, importActionCounts, stageFeatures, vanishedRows, type Mapped } from './stage';

/** CBS "wijk- en buurtkaart" field names. */
const DEFAULT_FIELDS = {
	code: ['BU_CODE', 'buurtcode'],
	name: ['BU_NAAM', 'buurtnaam'],
	districtCode: ['WK_CODE', 'wijkcode'],
	districtName: ['WK_NAAM', 'wijknaam'],
	municipalityCode: ['GM_CODE', 'gemeentecode']
} as const;

export const NeighbourhoodImportOptionsSchema = CommonImportOptionsSchema.extend({
	/** Delete stored neighbourhoods the file no longer has (otherwise only listed). */
	removeMissing: z.boolean().default(false),
	...fieldOptions('code', 'name', 'districtCode', 'districtName', 'municipalityCode')
});

export type NeighbourhoodImportOptions = z.input<typeof NeighbourhoodImportOptionsSchema>;

export interface NeighbourhoodImportSummary extends ImportSummaryBase {
	target: 'neighbourhoods';
	/** Neighbourhoods deleted because the file no longer has them (removeMissing). */
	removed: number;
	/** All plots after re-assignment: with and without a neighbourhood. */
	plotsInNeighbourhood: number;
	plotsWithoutNeighbourhood: number;
}

function neighbourhoodMapper(opts: z.output<typeof NeighbourhoodImportOptionsSchema>) {
	const fields = mappedFields(opts, DEFAULT_FIELDS);
	return (feature: Feature): Mapped => {
		const p = feature.properties ?? {};
		const value = (f: readonly string[]) => textValue(pickProperty(p, f)?.value);
		const read = keyValue(pickProperty(p, fields.code)?.value, 'code');
		if (read && 'reason' in read) return { kind: 'reject', key: null, reason: `${read.reason}; name another field with --code-field` };
		const code = read?.key ?? null;
		const name = value(fields.name) ?? code;
		// CBS codes are stable across years; a file without them (Delft's) is keyed on the name.
		const key = code ?? name;
		if (!key || !name) {
			return {
				kind: 'reject',
				key: null,
				reason: `no code or name (no ${fields.code.join('/')} or ${fields.name.join('/')} property); name the fields with --code-field / --name-field`
			};
		}
		return {
			kind: 'row',
			key,
			payload: {
				code,
				name,
				districtCode: value(fields.districtCode),
				districtName: value(fields.districtName),
				municipalityCode: value(fields.municipalityCode)
			}
		};
	};
}

/**
 * Imports CBS neighbourhoods (buurten): one transaction, upsert on the CBS code (or the
 * name), then every plot is re-assigned to the neighbourhood it overlaps most.
 */
export const importNeighbourhoods = recordedImport('neighbourhoods', NeighbourhoodImportOptionsSchema, async (tx, doc, opts, onProgress): Promise<NeighbourhoodImportSummary> => {

	const staged = await stageFeatures(tx, doc, neighbourhoodMapper(opts), stageOptions(opts, onProgress, 'code (or name)'));
	await tx.execute(sql`
		create temporary table perkje_import_neighbourhoods on commit drop as
		with incoming as (
			select s.n, s.key as source_key, s.geom, s.area_m2, s.label_point,
			       s.payload->>'code' as code, s.payload->>'name' as name,
			       s.payload->>'districtCode' as district_code, s.payload->>'districtName' as district_name,
			       s.payload->>'municipalityCode' as municipality_code
			from pg_temp.perkje_import_stage s where s.state = 'ok'
		)
		select i.*, n.id as neighbourhood_id,
		       case when n.id is null then 'new'
		            when n.code is distinct from i.code or n.name is distinct from i.name
		              or n.district_code is distinct from i.district_code
		              or n.district_name is distinct from i.district_name
		              or n.municipality_code is distinct from i.municipality_code
		              or n.geom is distinct from i.geom then 'updated'
		            else 'unchanged' end as action
		from incoming i left join neighbourhoods n on n.source_key = i.source_key
	`);
	// As for plots: no empty statements, they would bump the data version.
	const counts = await importActionCounts(tx, 'perkje_import_neighbourhoods');
	if (counts.new > 0) {
		await tx.execute(sql`
			insert into neighbourhoods (source_key, code, name, district_code, district_name, municipality_code,
			                            area_m2, geom, label_point)
			select source_key, code, name, district_code, district_name, municipality_code, area_m2, geom, label_point
			from pg_temp.perkje_import_neighbourhoods where action = 'new' order by n
		`);
	}
	if (counts.updated > 0) {
		await tx.execute(sql`
			update neighbourhoods n set code = i.code, name = i.name, district_code = i.district_code,
				district_name = i.district_name, municipality_code = i.municipality_code,
				area_m2 = i.area_m2, geom = i.geom, label_point = i.label_point, imported_at = now()
			from pg_temp.perkje_import_neighbourhoods i
			where n.id = i.neighbourhood_id and i.action = 'updated'
		`);
	}
	const vanishedCondition = sql`not exists (select 1 from pg_temp.perkje_import_stage s where s.key = n.source_key)`;
	// plots.neighbourhood_id is "on delete set null"; the re-assignment below fills it again.
	const vanished = await vanishedRows(
		tx,
		sql`select n.source_key as key from neighbourhoods n where ${vanishedCondition} order by n.source_key`,
		opts.removeMissing ? sql`delete from neighbourhoods n where ${vanishedCondition} returning n.id` : undefined
	);
	const removed = vanished.acted;
	// Boundaries moved, appeared or went: every plot's neighbourhood may have changed.
	if (counts.new + counts.updated + removed > 0) await assignNeighbourhoods(tx);
	const [plots] = await queryRows<{ inside: number; outside: number }>(
		tx,
		sql`select count(*) filter (where neighbourhood_id is not null)::int as inside,
		           count(*) filter (where neighbourhood_id is null)::int as outside
		    from plots where status = 'active'`
	);
	await dropStage(tx, 'perkje_import_neighbourhoods');

	return {
		...summaryBase(doc, staged, counts, vanished.keys),
		target: 'neighbourhoods',
		removed,
		plotsInNeighbourhood: plots.inside,
		plotsWithoutNeighbourhood: plots.outside
	};
});

import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '#server/db';
import { emptyBbox, mergeBbox, parseCrs, plausibility, RD_NEW, WGS84, type Bbox, type Crs } from '#lib/geo/crs.js';
import { isPolygonalType, normalizePolygonal, REPAIR } from '#lib/geo/polygons.js';
import { cleanDeep, ImportError, readFeature, type Feature, type ImportDocument } from './input';

/**
 * The part of an import both targets share: every feature of the file is checked in
 * JavaScript (structure, CRS plausibility, field mapping), then sent in batches to a
 * temporary staging table where PostGIS repairs, reprojects and measures it. Only then
 * does the target's own code compare the staged rows with its table. A file is rejected
 * before the first write; a feature is rejected with its number, source id and reason.
 */

/** Slivers: polygon parts smaller than this are dropped. The smallest real BGT plots are
 * about 0.7 m², so 0.1 m² removes digitising debris without touching any real plot. */
export const DEFAULT_MIN_PART_AREA_M2 = 0.1;
export const DEFAULT_BATCH_SIZE = 1000;
/** Per-feature lists in a summary stop here; the counts stay exact. */
export const SUMMARY_LIST_LIMIT = 1000;

// Same constant in every Perkje process: two imports into one database take turns.
const IMPORT_LOCK_KEY = 7_315_150_002;

type Executor = Db | Tx;

export interface Rejection {
	/** 1-based position of the feature in the file. */
	feature: number;
	sourceId: string | null;
	reason: string;
}

export interface RepairNote {
	feature: number;
	sourceId: string;
	repairs: string[];
}

/** What the target's mapping makes of one feature's properties. */
export type Mapped =
	| { kind: 'row'; key: string; payload: Record<string, unknown> }
	| { kind: 'skip'; key: string }
	| { kind: 'reject'; key: string | null; reason: string };

/** Where features may lie: a box in degrees, and how messages name it. */
export interface StageBounds {
	/** [west, south, east, north], WGS84 degrees, margin already included. */
	bbox: Bbox;
	/** e.g. "the municipality's bounds (… with a 2 km margin)". */
	label: string;
	/** What the operator can do about it, appended to each rejection. */
	hint: string;
}

export interface StageOptions {
	/** Operator's CRS; wins over the file's `crs` member. */
	crs?: string;
	minPartAreaM2: number;
	/** Features reaching outside are rejected; none: no check. */
	bounds?: StageBounds;
	/** Features larger than this (m², after repair) are rejected; none: no limit. */
	maxAreaM2?: number;
	batchSize?: number;
	onProgress?: (done: number, total: number) => void;
	/** What the key is called in messages: "source id", "code (or name)". */
	describeKey: string;
}

export interface StageResult {
	crs: Crs;
	crsSource: 'option' | 'file' | 'default';
	features: number;
	skipped: number;
	/** Exact count; the list stops at SUMMARY_LIST_LIMIT. */
	rejectedCount: number;
	rejections: Rejection[];
	repairs: RepairNote[];
	repairedCount: number;
	repairKinds: Record<string, number>;
}

interface JsRow {
	n: number;
	key: string;
	/** The row as staging reads it ({n, key, payload, repairs, geometry}), serialised at once:
	 * a string is a fraction of the nested arrays it came from, for every feature of the file. */
	json: string;
	bbox: Bbox;
}

/** Resolves the CRS: operator's option, the file's member, else RFC 7946's lon/lat. */
export function resolveCrs(
	doc: ImportDocument,
	option: string | undefined
): { crs: Crs; crsSource: StageResult['crsSource'] } {
	if (option) {
		const crs = parseCrs(option);
		if (!crs) {
			throw new ImportError(
				`--crs ${option} is not a CRS Perkje can read; use e.g. EPSG:28992 (RD New) or EPSG:4326.`
			);
		}
		return { crs, crsSource: 'option' };
	}
	if (doc.crsName) {
		const crs = parseCrs(doc.crsName);
		if (!crs) {
			throw new ImportError(
				`${doc.source} declares the CRS "${doc.crsName}", which Perkje cannot read. ` +
					`Name it with --crs (e.g. --crs EPSG:28992).`
			);
		}
		return { crs, crsSource: 'file' };
	}
	return { crs: WGS84, crsSource: 'default' };
}

function crsClaim(doc: ImportDocument, crs: Crs, source: StageResult['crsSource']): string {
	if (source === 'option') return `--crs says ${crs.label}`;
	if (source === 'file') return `the file declares ${crs.label}`;
	return `the file has no "crs" member, so they are read as RFC 7946 longitude/latitude degrees`;
}

function describeFirstCorner(b: Bbox): string {
	const round = (v: number) => Math.round(v * 1000) / 1000;
	return `(${round(b[0])}, ${round(b[1])})`;
}

function assertPlausible(
	doc: ImportDocument,
	rows: JsRow[],
	crs: Crs,
	crsSource: StageResult['crsSource']
): void {
	if (rows.length === 0) return;
	const all = emptyBbox();
	for (const row of rows) mergeBbox(all, row.bbox);
	const verdict = plausibility(all, crs);
	if (verdict === 'ok') return;
	const first = rows.find((r) => plausibility(r.bbox, crs) !== 'ok') ?? rows[0];
	const where = `feature ${first.n} (${first.key}) has coordinates near ${describeFirstCorner(first.bbox)}`;
	const claim = crsClaim(doc, crs, crsSource);
	if (verdict === 'looks-like-rd-new') {
		throw new ImportError(
			`${doc.source}: the coordinates cannot be degrees, but ${claim}. ${where}, which look like ` +
				`RD New metres. Import again with --crs EPSG:28992. Nothing was imported.`
		);
	}
	if (verdict === 'looks-like-degrees') {
		throw new ImportError(
			`${doc.source}: the coordinates cannot be RD New metres, but ${claim}. ${where}, which look ` +
				`like longitude/latitude degrees. Import again with --crs EPSG:4326. Nothing was imported.`
		);
	}
	throw new ImportError(
		`${doc.source}: coordinates outside the range of ${crs.label} (${claim}); ${where}. ` +
			`Check the file's CRS and name the right one with --crs. Nothing was imported.`
	);
}

async function assertKnownSrid(db: Executor, crs: Crs): Promise<void> {
	if (crs.srid === RD_NEW.srid || crs.srid === WGS84.srid) return;
	const [row] = await queryRows<{ known: boolean }>(
		db,
		sql`select exists (select 1 from spatial_ref_sys where srid = ${crs.srid}::int) as known`
	);
	if (!row.known) {
		throw new ImportError(`PostGIS does not know ${crs.label}; use e.g. EPSG:28992 or EPSG:4326.`);
	}
}

function nothingImportable(source: string, total: number, rejections: Rejection[]): ImportError {
	const first = rejections[0];
	return new ImportError(
		`${source}: none of its ${total} features can be imported ` +
			`(first problem: feature ${first.feature}${first.sourceId ? ` (${first.sourceId})` : ''}: ${first.reason}). ` +
			`Nothing was imported.`
	);
}

/**
 * Checks and maps every feature (no database work), then either throws ImportError for a
 * file that must not be imported or returns the rows to stage.
 */
async function checkFeatures(
	doc: ImportDocument,
	map: (feature: Feature, n: number) => Mapped,
	describeKey: string
): Promise<{ rows: JsRow[]; rejections: Rejection[]; seen: { n: number; key: string; state: string }[]; skipped: number }> {
	const rows: JsRow[] = [];
	const rejections: Rejection[] = [];
	const seen: { n: number; key: string; state: string }[] = [];
	const firstByKey = new Map<string, number>();
	const otherTypes = new Map<string, number>();
	let polygonal = 0;
	let skipped = 0;

	const total = doc.features.count;
	let n = 0;
	for await (const value of doc.features.values()) {
		n++;
		checkOne(value);
	}

	function checkOne(value: unknown): void {
		const envelope = readFeature(value);
		if (!envelope.ok) {
			rejections.push({ feature: n, sourceId: null, reason: envelope.reason });
			return;
		}
		const feature = envelope.feature;
		const type = (feature.geometry as { type?: unknown } | null)?.type;
		if (isPolygonalType(type)) polygonal++;
		else {
			const name = typeof type === 'string' ? type : 'no geometry';
			otherTypes.set(name, (otherTypes.get(name) ?? 0) + 1);
		}
		const mapped = map(feature, n);
		if (mapped.kind === 'reject') {
			rejections.push({ feature: n, sourceId: mapped.key, reason: mapped.reason });
			if (mapped.key) seen.push({ n, key: mapped.key, state: 'rejected' });
			return;
		}
		const earlier = firstByKey.get(mapped.key);
		if (earlier !== undefined) {
			rejections.push({
				feature: n,
				sourceId: mapped.key,
				reason: `the same ${describeKey} as feature ${earlier}; only the first is imported`
			});
			return;
		}
		firstByKey.set(mapped.key, n);
		if (mapped.kind === 'skip') {
			skipped++;
			seen.push({ n, key: mapped.key, state: 'skipped' });
			return;
		}
		const geometry = normalizePolygonal(feature.geometry);
		if (!geometry.ok) {
			rejections.push({ feature: n, sourceId: mapped.key, reason: geometry.reason });
			seen.push({ n, key: mapped.key, state: 'rejected' });
			return;
		}
		rows.push({
			n,
			key: mapped.key,
			json: JSON.stringify({
				n,
				key: mapped.key,
				// NUL and other control characters in free text would make PostgreSQL refuse the
				// whole batch ("unsupported Unicode escape sequence"); they carry no meaning.
				payload: cleanDeep(mapped.payload),
				repairs: geometry.repairs,
				geometry: { type: 'MultiPolygon', coordinates: geometry.polygons }
			}),
			bbox: geometry.bbox
		});
	}

	if (polygonal === 0) {
		const found = [...otherTypes].map(([t, c]) => `${c} × ${t}`).join(', ');
		throw new ImportError(
			`${doc.source} has no Polygon or MultiPolygon features (found ${found}). ` +
				`Perkje imports areas only. Nothing was imported.`
		);
	}
	if (rows.length === 0 && skipped === 0) throw nothingImportable(doc.source, total, rejections);
	return { rows, rejections, seen, skipped };
}

/** The per-row geometry pipeline, one statement per batch. */
async function stageBatch(
	db: Executor,
	batch: JsRow[],
	crs: Crs,
	options: Pick<StageOptions, 'minPartAreaM2' | 'bounds' | 'maxAreaM2'>
): Promise<void> {
	const json = `[${batch.map((r) => r.json).join(',')}]`;
	// srid is a parsed integer, safe to inline; inlined it lets the planner fold the CASE.
	const srid = sql.raw(String(Math.trunc(crs.srid)));
	const min = options.minPartAreaM2;
	const [west, south, east, north] = options.bounds?.bbox ?? [-180, -90, 180, 90];
	const boundsLabel = options.bounds ? `outside ${options.bounds.label}: it spans ` : '';
	const boundsHint = options.bounds ? `; ${options.bounds.hint}` : '';
	const max = options.maxAreaM2 ?? null;
	const maxLabel = max === null ? '' : max.toLocaleString('en');
	await db.execute(sql`
		insert into pg_temp.perkje_import_stage (n, key, state, payload, repairs, geom, area_m2, label_point, reject)
		with input as (
			select r.n, r.key, r.payload, r.repairs,
			       ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), ${srid}) as g
			from json_to_recordset(${json}::json)
			     as r(n int, key text, payload jsonb, repairs text[], geometry json)
		), validated as (
			-- ST_IsValidDetail rather than ST_IsValid: same test, the reason comes along, and
			-- no NOTICE per invalid feature is sent to the client.
			select input.*, ST_IsValidDetail(g) as validity from input
		), repaired as (
			select n, key, payload, repairs,
			       case when (validity).valid then null else lower((validity).reason) end as invalid_reason,
			       case when (validity).valid then g else ST_CollectionExtract(ST_MakeValid(g), 3) end as g
			from validated
		), projected as materialized (
			-- Materialized: inlined, every later use of g would run the repair and the
			-- reprojection again.
			select n, key, payload, repairs, invalid_reason,
			       case when ST_IsEmpty(g) or ${srid} = 4326 then g else ST_Transform(g, 4326) end as g
			from repaired
		), parts as (
			select p.*, k.kept, k.area, k.dropped, k.all_area
			from projected p
			cross join lateral (
				select ST_Collect(d.geom) filter (where d.a >= ${min}::float8) as kept,
				       sum(d.a) filter (where d.a >= ${min}::float8) as area,
				       count(*) filter (where d.a < ${min}::float8)::int as dropped,
				       coalesce(sum(d.a), 0) as all_area
				from (select x.geom, ST_Area(x.geom::geography) as a from ST_Dump(p.g) x) d
			) k
		), judged as (
			select parts.*,
			       case
			         when ST_IsEmpty(g) then 'no area left after repairing the geometry ('
			              || coalesce(invalid_reason, 'degenerate') || ')'
			         when kept is null then 'smaller than ' || ${min}::float8 || ' m² (' || round(all_area::numeric, 3)
			              || ' m²): a sliver, not a plot'
			         -- Checked on what is kept, in degrees, whatever CRS the file was in.
			         when ${options.bounds !== undefined} and (
			              ST_XMin(kept) < ${west}::float8 or ST_YMin(kept) < ${south}::float8
			              or ST_XMax(kept) > ${east}::float8 or ST_YMax(kept) > ${north}::float8)
			           then ${boundsLabel}::text || round(ST_XMin(kept)::numeric, 4)::float8 || '…' || round(ST_XMax(kept)::numeric, 4)::float8
			              || ' E, ' || round(ST_YMin(kept)::numeric, 4)::float8 || '…' || round(ST_YMax(kept)::numeric, 4)::float8
			              || ' N' || ${boundsHint}::text
			         when area > ${max}::float8 then 'larger than ' || ${maxLabel}::text || ' m² ('
			              || to_char(area, 'FM999,999,999,999,999,999') || ' m²): not one plot of public green; check the CRS'
			              || ' and the shape, or raise the limit with --max-area'
			       end as reject
			from parts
		)
		select n, key,
		       case when reject is null then 'ok' else 'rejected' end,
		       payload,
		       repairs
		         || case when invalid_reason is null then '{}'::text[]
		                 else array[${REPAIR.madeValid} || ': ' || invalid_reason] end
		         || case when dropped > 0 and kept is not null then array[${REPAIR.sliversDropped}]
		                 else '{}'::text[] end,
		       case when reject is null then ST_ForcePolygonCCW(ST_Multi(kept)) end,
		       case when reject is null then area end,
		       case when reject is null then ST_PointOnSurface(kept) end,
		       reject
		from judged
	`);
}

async function stageSeen(db: Executor, seen: { n: number; key: string; state: string }[]): Promise<void> {
	if (seen.length === 0) return;
	await db.execute(sql`
		insert into pg_temp.perkje_import_stage (n, key, state)
		select r.n, r.key, r.state from json_to_recordset(${JSON.stringify(seen)}::json) as r(n int, key text, state text)
	`);
}

/**
 * Runs the shared part of an import inside the caller's transaction. Leaves the staged
 * rows in pg_temp.perkje_import_stage (state 'ok' rows carry geometry, area, label point
 * and the mapped payload; 'skipped' and 'rejected' rows only their key, so that a feature
 * in the file is never called vanished). Call dropStage() when done.
 */
export async function stageFeatures(
	db: Executor,
	doc: ImportDocument,
	/** `n` is the feature's 1-based position in the file. */
	map: (feature: Feature, n: number) => Mapped,
	options: StageOptions
): Promise<StageResult> {
	const { crs, crsSource } = resolveCrs(doc, options.crs);
	const checked = await checkFeatures(doc, map, options.describeKey);
	assertPlausible(doc, checked.rows, crs, crsSource);
	await assertKnownSrid(db, crs);

	await db.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY}::bigint)`);
	// PostGIS functions carry huge cost estimates, so PostgreSQL JIT-compiles every batch
	// statement: measured 365 ms of compiling for 150 ms of work per 1000 features.
	await db.execute(sql`set local jit = off`);
	await dropStage(db);
	await db.execute(sql`
		create temporary table perkje_import_stage (
			n int primary key,
			key text not null,
			state text not null,
			payload jsonb,
			repairs text[],
			geom geometry(MultiPolygon, 4326),
			area_m2 float8,
			label_point geometry(Point, 4326),
			reject text
		) on commit drop
	`);
	const total = doc.features.count;
	const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
	const preStaged = total - checked.rows.length;
	await stageSeen(db, checked.seen);
	options.onProgress?.(preStaged, total);
	for (let i = 0; i < checked.rows.length; i += batchSize) {
		const batch = checked.rows.slice(i, i + batchSize);
		await stageBatch(db, batch, crs, options);
		options.onProgress?.(preStaged + i + batch.length, total);
	}
	await db.execute(sql`create index on pg_temp.perkje_import_stage (key)`);
	// Lets the neighbourhood join run neighbourhood by neighbourhood, so PostGIS prepares
	// each large neighbourhood polygon once: 100,000 plots 3.7 s → 1 s on PostgreSQL.
	await db.execute(sql`create index on pg_temp.perkje_import_stage using gist (geom)`);
	await db.execute(sql`analyze pg_temp.perkje_import_stage`);

	// Geometry the database had to reject, merged with what JavaScript rejected.
	const dbRejections = await queryRows<{ n: number; key: string; reject: string }>(
		db,
		sql`select n, key, reject from pg_temp.perkje_import_stage where reject is not null order by n`
	);
	const rejections = [
		...checked.rejections,
		...dbRejections.map((r) => ({ feature: r.n, sourceId: r.key, reason: r.reject }))
	].sort((a, b) => a.feature - b.feature);
	// Also when the database rejected the rest (slivers, outside the bounds, too large):
	// a run that imports nothing is a refused file, not a success.
	if (checked.skipped === 0 && dbRejections.length === checked.rows.length) throw nothingImportable(doc.source, total, rejections);

	const repaired = await queryRows<{ n: number; key: string; repairs: string[] }>(
		db,
		sql`select n, key, repairs from pg_temp.perkje_import_stage
		    where state = 'ok' and cardinality(repairs) > 0 order by n`
	);
	const repairKinds: Record<string, number> = {};
	for (const r of repaired) {
		for (const repair of r.repairs) {
			// "invalid geometry made valid: self-intersection" counts under its kind.
			const kind = repair.split(':')[0];
			repairKinds[kind] = (repairKinds[kind] ?? 0) + 1;
		}
	}
	return {
		crs,
		crsSource,
		features: total,
		skipped: checked.skipped,
		rejections: rejections.slice(0, SUMMARY_LIST_LIMIT),
		repairs: repaired
			.slice(0, SUMMARY_LIST_LIMIT)
			.map((r) => ({ feature: r.n, sourceId: r.key, repairs: r.repairs })),
		repairedCount: repaired.length,
		repairKinds,
		rejectedCount: rejections.length
	};
}

/** Drops the staging table, and the target's own temporary table when named. */
export async function dropStage(db: Executor, targetTable?: string): Promise<void> {
	if (targetTable) await db.execute(sql`drop table if exists pg_temp.${sql.identifier(targetTable)}`);
	await db.execute(sql`drop table if exists pg_temp.perkje_import_stage`);
}

export interface ImportActionCounts {
	new: number;
	updated: number;
	unchanged: number;
}

/**
 * How many rows of an importer's temporary table (with an `action` column of 'new',
 * 'updated' or 'unchanged') fall in each group: the summary's counts, and which of the
 * insert and update statements are needed at all. `extra` adds the target's own counts
 * (select-list items) to the same scan.
 */
export async function importActionCounts<E extends object = Record<never, never>>(
	tx: Tx,
	table: string,
	extra?: SQL
): Promise<ImportActionCounts & E> {
	const [counts] = await queryRows<ImportActionCounts & E>(
		tx,
		sql`select count(*) filter (where action = 'new')::int as new,
		           count(*) filter (where action = 'updated')::int as updated,
		           count(*) filter (where action = 'unchanged')::int as unchanged
		           ${extra ? sql`, ${extra}` : sql``}
		    from ${sql.identifier(table)}`
	);
	return counts;
}

/**
 * The keys of the stored rows of this set the file no longer has (`list` selects them as
 * `key`), and, when the target acts on them (`act`: retire or delete them, returning a row
 * each), how many it touched. Without vanished rows `act` is not run: even a statement
 * that touches no row fires the data-version trigger and so invalidates every cached tile.
 */
export async function vanishedRows(tx: Tx, list: SQL, act?: SQL): Promise<{ keys: string[]; acted: number }> {
	const keys = (await queryRows<{ key: string }>(tx, list)).map((r) => r.key);
	if (!act || keys.length === 0) return { keys, acted: 0 };
	return { keys, acted: (await queryRows(tx, act)).length };
}

import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ImportTarget } from '#lib/domain/import.js';
import type { Db, Tx } from '#server/db';
import { cleanText, ImportError, readImportDocument, type ImportDocument, type ImportInput } from './input';
import {
	DEFAULT_MIN_PART_AREA_M2,
	SUMMARY_LIST_LIMIT,
	type ImportActionCounts,
	type Rejection,
	type RepairNote,
	type StageBounds,
	type StageOptions,
	type StageResult
} from './stage';

/** What every import reports, plots or neighbourhoods. Lists stop at 1000 entries; counts are exact. */
export interface ImportSummaryBase {
	file: string;
	/** e.g. "EPSG:28992 (RD New)". */
	crs: string;
	/** Where the CRS came from: the --crs option, the file's `crs` member, or RFC 7946's default. */
	crsSource: 'option' | 'file' | 'default';
	/** Features in the file. */
	features: number;
	new: number;
	updated: number;
	unchanged: number;
	/** Features imported with at least one repair; per kind in repairKinds. */
	repaired: number;
	repairKinds: Record<string, number>;
	repairs: RepairNote[];
	rejected: number;
	rejections: Rejection[];
	/** Stored rows of this set that the file no longer has. */
	vanished: number;
	vanishedIds: string[];
	seconds: number;
}

/** Options of both targets. */
export const CommonImportOptionsSchema = z.object({
	/** CRS of the coordinates when the file's `crs` member is missing or wrong; wins over it. */
	crs: z.string().trim().min(1).optional(),
	/** Polygon parts smaller than this (m²) are dropped as slivers. */
	minPartAreaM2: z.number().min(0).default(DEFAULT_MIN_PART_AREA_M2),
	/** Features per INSERT statement. */
	batchSize: z.number().int().min(1).max(20_000).optional()
});

/**
 * The `<name>Field` options of a target, one per property it maps: which property of the
 * file holds it when the source's default names do not.
 */
export function fieldOptions<K extends string>(...names: K[]): Record<`${K}Field`, z.ZodOptional<z.ZodString>> {
	return Object.fromEntries(names.map((name) => [`${name}Field`, z.string().min(1).optional()])) as Record<
		`${K}Field`,
		z.ZodOptional<z.ZodString>
	>;
}

const Longitude = z.number().min(-180).max(180);
const Latitude = z.number().min(-90).max(90);

/**
 * Plausibility limits of plots and the basemap. A plot far from the municipality, or the
 * size of a country, is a wrong CRS, a typo or a test polygon; once stored it is drawn,
 * counted and tiled like any plot, so it is rejected per feature instead.
 */
export const PlausibilityOptionsSchema = z.object({
	/**
	 * [west, south, east, north] in degrees, used as given: a feature reaching outside is
	 * rejected. The CLI and the demo seed pass the municipality's bounds with a margin
	 * (importBounds); unset, there is no bounds check.
	 */
	bounds: z
		.tuple([Longitude, Latitude, Longitude, Latitude])
		.refine(([w, s, e, n]) => w < e && s < n, 'must be [west, south, east, north] with west < east, south < north')
		.optional(),
	/** How rejections name the bounds, e.g. "Delft's bounds (2 km margin)". */
	boundsName: z.string().min(1).optional()
});

/** Turns the bounds option into what staging checks. */
export function stageBounds(opts: z.output<typeof PlausibilityOptionsSchema>): StageBounds | undefined {
	if (!opts.bounds) return undefined;
	const round = (v: number) => Math.round(v * 10_000) / 10_000;
	const [w, s, e, n] = opts.bounds.map(round);
	return {
		bbox: opts.bounds,
		label: `${opts.boundsName ?? 'the import bounds'} (${w}…${e} E, ${s}…${n} N)`,
		hint: 'if it belongs here, import with --bounds W,S,E,N or --no-bounds-check'
	};
}

/** What staging needs of a target's parsed options; targets without bounds or a size limit have none. */
export function stageOptions(
	opts: z.output<typeof CommonImportOptionsSchema> & z.output<typeof PlausibilityOptionsSchema> & { maxAreaM2?: number },
	onProgress: Progress | undefined,
	describeKey: string
): StageOptions {
	return {
		crs: opts.crs,
		minPartAreaM2: opts.minPartAreaM2,
		bounds: stageBounds(opts),
		maxAreaM2: opts.maxAreaM2,
		batchSize: opts.batchSize,
		onProgress,
		describeKey
	};
}

/** The summary fields every target fills alike: the file, its staging, the action counts and the vanished keys. */
export function summaryBase(
	doc: ImportDocument,
	staged: StageResult,
	counts: ImportActionCounts,
	vanished: string[]
): ImportSummaryBase {
	return {
		file: doc.source,
		crs: staged.crs.label,
		crsSource: staged.crsSource,
		features: staged.features,
		new: counts.new,
		updated: counts.updated,
		unchanged: counts.unchanged,
		repaired: staged.repairedCount,
		repairKinds: staged.repairKinds,
		repairs: staged.repairs,
		rejected: staged.rejectedCount,
		rejections: staged.rejections,
		vanished: vanished.length,
		vanishedIds: vanished.slice(0, SUMMARY_LIST_LIMIT),
		seconds: 0
	};
}

/** Options arrive from the CLI, a form or a test; a bad one is the operator's to fix. */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown): z.output<S> {
	const parsed = schema.safeParse(options ?? {});
	if (parsed.success) return parsed.data;
	const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
	throw new ImportError(`Invalid import options: ${problems.join('; ')}`);
}

/** Stamps the duration and records the run in import_runs, in the import's transaction. */
export async function recordRun<T extends ImportSummaryBase & { dataset?: string }>(
	tx: Db | Tx,
	target: ImportTarget,
	summary: T,
	started: Date
): Promise<T> {
	summary.seconds = Math.round((Date.now() - started.getTime()) / 100) / 10;
	await tx.execute(sql`
		insert into import_runs (target, file, dataset, summary, started_at)
		values (${target}, ${summary.file}, ${summary.dataset ?? null}, ${JSON.stringify({ outcome: 'imported', ...summary })}::jsonb,
		        ${started.toISOString()}::timestamptz)
	`);
	return summary;
}

/** What import_runs.summary holds for a run that wrote nothing. */
export interface RefusedRunSummary {
	/** refused: the file (or an option) was not acceptable; failed: the database or the process failed. */
	outcome: 'refused' | 'failed';
	file: string;
	reason: string;
}

/**
 * Records a run that wrote nothing. Called on the connection, after the import's own
 * transaction was rolled back, so the data stays all-or-nothing while the run is still on
 * record. Best effort: when the database itself failed, the error the operator sees is the
 * one that matters, not this one.
 */
export async function recordRefusedRun(
	db: Db | Tx,
	target: ImportTarget,
	file: string,
	error: unknown,
	started: Date
): Promise<void> {
	const summary: RefusedRunSummary = {
		outcome: error instanceof ImportError ? 'refused' : 'failed',
		file,
		reason: cleanText(error instanceof Error ? error.message : String(error))
	};
	try {
		await db.execute(sql`
			insert into import_runs (target, file, dataset, summary, started_at)
			values (${target}, ${file}, null, ${JSON.stringify(summary)}::jsonb, ${started.toISOString()}::timestamptz)
		`);
	} catch {
		// The database is gone or unusable; the caller reports the original error.
	}
}

type Progress = (done: number, total: number) => void;

/**
 * An import function whose every run is on record. It parses the options and reads the
 * file, runs the target's import in one transaction and records the summary in it; when
 * anything throws, the run is recorded as refused or failed (after its transaction was
 * rolled back) and the error passes on.
 */
export function recordedImport<Schema extends z.ZodType, S extends ImportSummaryBase & { dataset?: string }>(
	target: ImportTarget,
	schema: Schema,
	run: (tx: Tx, doc: ImportDocument, opts: z.output<Schema>, onProgress: Progress | undefined) => Promise<S>
): (db: Db | Tx, input: ImportInput, options: z.input<Schema>, onProgress?: Progress) => Promise<S> {
	return async (db, input, options, onProgress) => {
		const started = new Date();
		try {
			const opts = parseOptions(schema, options);
			const doc = await readImportDocument(input);
			return await db.transaction(async (tx) => recordRun(tx, target, await run(tx, doc, opts, onProgress), started));
		} catch (e) {
			await recordRefusedRun(db, target, 'file' in input ? input.file : input.name, e, started);
			throw e;
		}
	};
}

/** The tables an import of each target writes (neighbourhoods also re-assign the plots). */
const IMPORTED_TABLES: Record<ImportTarget, string[]> = {
	plots: ['plots'],
	neighbourhoods: ['neighbourhoods', 'plots'],
	basemap: ['basemap_features']
};

/**
 * After an import, outside its transaction: VACUUM (ANALYZE) the tables it wrote. ANALYZE
 * alone gives the planner the new row counts, but until a vacuum has marked the new pages
 * all-visible an index-only scan must visit the heap for every row, so a deep page of the
 * list or a count walks the table instead of the index (at 200,000 plots: 31 ms instead of
 * 2 ms for ?page=4000). Autovacuum would get there within minutes; the first visitors after
 * an import should not wait for it.
 */
export async function refreshStatistics(db: Db, target: ImportTarget): Promise<void> {
	for (const table of IMPORTED_TABLES[target]) await db.execute(sql.raw(`VACUUM (ANALYZE) ${table}`));
}

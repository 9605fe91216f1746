import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db';
import { ImportError } from './input';
import { DEFAULT_MIN_PART_AREA_M2, type Rejection, type RepairNote } from './stage';

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
	target: 'plots' | 'neighbourhoods' | 'basemap',
	summary: T,
	started: Date
): Promise<T> {
	summary.seconds = Math.round((Date.now() - started.getTime()) / 100) / 10;
	await tx.execute(sql`
		insert into import_runs (target, file, dataset, summary, started_at)
		values (${target}, ${summary.file}, ${summary.dataset ?? null}, ${JSON.stringify(summary)}::jsonb,
		        ${started.toISOString()}::timestamptz)
	`);
	return summary;
}

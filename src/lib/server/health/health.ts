import { sql } from 'drizzle-orm';
import { getConfig } from '#server/config';
import { getDatabase, queryRows, type Database, type DatabaseKind, expectedMigrations } from '#server/db';

export interface HealthReport {
	/** 'ok' only when the database answers and every migration is applied. */
	status: 'ok' | 'unavailable';
	database: {
		kind: DatabaseKind;
		reachable: boolean;
		/** Round trip of a trivial query; null when it did not answer. */
		latencyMs: number | null;
	};
	migrations: {
		/** null when the database could not say. */
		applied: number | null;
		expected: number;
		upToDate: boolean;
	};
}

/** A health check must answer even when the database hangs: a load balancer is waiting. */
export const HEALTH_TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
	});
	// The abandoned query may still fail later; that must not become an unhandled rejection.
	work.catch(() => {});
	return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Database reachability and migration state, bounded by `timeoutMs` in total. Never throws:
 * every failure is a report with status 'unavailable'.
 */
export async function checkHealth(
	database: Database,
	projectRoot: string,
	timeoutMs = HEALTH_TIMEOUT_MS
): Promise<HealthReport> {
	const expected = expectedMigrations(projectRoot);
	const report: HealthReport = {
		status: 'unavailable',
		database: { kind: database.kind, reachable: false, latencyMs: null },
		migrations: { applied: null, expected, upToDate: false }
	};
	const deadline = Date.now() + timeoutMs;
	const remaining = () => Math.max(1, deadline - Date.now());
	try {
		const started = performance.now();
		await withTimeout(queryRows(database.db, sql`select 1 as ok`), remaining());
		report.database.reachable = true;
		report.database.latencyMs = Math.round((performance.now() - started) * 10) / 10;

		const [row] = await withTimeout(
			queryRows<{ applied: number }>(
				database.db,
				sql`select count(*)::int as applied from drizzle.__drizzle_migrations`
			),
			remaining()
		);
		report.migrations.applied = row.applied;
		report.migrations.upToDate = row.applied >= expected;
	} catch {
		// Reported through the fields above; the caller logs the outcome, not each probe.
	}
	report.status = report.database.reachable && report.migrations.upToDate ? 'ok' : 'unavailable';
	return report;
}

/** The running app's health, for GET /healthz. */
export async function appHealth(): Promise<HealthReport> {
	return checkHealth(getDatabase(), getConfig().projectRoot);
}

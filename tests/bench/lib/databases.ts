import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database, runMigrations } from '#server/db';
import { importNeighbourhoods } from '#server/import';
import { adminQuery, withDatabase } from '../../integration/test-databases';

/**
 * Throwaway databases for benchmarks: a migrated embedded database in a temp folder, or a
 * migrated database created for the run on a PostgreSQL server. Both are dropped after
 * the run, also when it is interrupted (Ctrl-C).
 */

export const DELFT_NEIGHBOURHOODS = 'db/seed/buurten_delft_cbs2023.geojson';

export interface BenchDatabase {
	database: Database;
	/** "embedded (PGlite)" or "PostgreSQL <server>", for tables. */
	label: string;
	/** Where a server process can reach it: the PostgreSQL URL (undefined when embedded). */
	url?: string;
	drop(): Promise<void>;
}

/** The server to benchmark on: BENCH_DATABASE_URL, else DATABASE_URL; undefined if neither. */
export function benchPostgresUrl(): string | undefined {
	return process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

const pending = new Set<() => Promise<void>>();
let handlersInstalled = false;

function whenInterrupted(): void {
	if (handlersInstalled) return;
	handlersInstalled = true;
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, async () => {
			console.error(`\n${signal}: dropping the benchmark databases…`);
			await Promise.allSettled([...pending].map((drop) => drop()));
			process.exit(130);
		});
	}
}

function track(drop: () => Promise<void>): () => Promise<void> {
	whenInterrupted();
	let done = false;
	const once = async () => {
		if (done) return;
		done = true;
		pending.delete(once);
		await drop();
	};
	pending.add(once);
	return once;
}

export async function freshEmbeddedDatabase(name: string): Promise<BenchDatabase> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `perkje-bench-${name}-`));
	const database = openDatabase({ dataDir: path.join(dir, 'pglite'), holder: `benchmark ${name}` });
	const drop = track(async () => {
		await database.close().catch(() => {});
		fs.rmSync(dir, { recursive: true, force: true });
	});
	try {
		await runMigrations(database, process.cwd());
	} catch (e) {
		await drop();
		throw e;
	}
	return { database, label: 'embedded (PGlite)', drop };
}

export async function freshPostgresDatabase(serverUrl: string, name: string): Promise<BenchDatabase> {
	const dbName = `perkje_bench_${name.replace(/\W/g, '_')}_${process.pid}`.toLowerCase();
	await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
	await adminQuery(serverUrl, `CREATE DATABASE "${dbName}"`);
	const url = withDatabase(serverUrl, dbName);
	const database = openDatabase({ databaseUrl: url, dataDir: '', holder: 'benchmark' });
	const drop = track(async () => {
		await database.close().catch(() => {});
		await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
	});
	try {
		await runMigrations(database, process.cwd());
	} catch (e) {
		await drop();
		throw e;
	}
	return { database, label: `PostgreSQL (${new URL(serverUrl).host})`, url, drop };
}

/** Loads Delft's CBS neighbourhoods, so imported plots get theirs assigned. */
export async function importDelftNeighbourhoods(database: Database): Promise<number> {
	const summary = await importNeighbourhoods(database.db, { file: DELFT_NEIGHBOURHOODS }, {});
	return summary.new + summary.updated + summary.unchanged;
}

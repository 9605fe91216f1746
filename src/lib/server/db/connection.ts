import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';
import { acquireDataDirLock } from './lock';
import { slimPostgis } from './postgis-bundle';

/**
 * PostgreSQL's own default of 128 MB shared buffers is a server's; in PGlite they live in
 * the process's WebAssembly memory, which never shrinks. The data folder is read through
 * the operating system's file cache anyway, so 16 MB costs little speed (measured with the
 * 300,000-plot import, README "Memory") and saves over 100 MB of RSS in every process.
 */
export const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/** The drizzle database, whichever driver is behind it. Services only see this. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** What a transaction callback receives: usable wherever a Db is. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type DatabaseKind = 'embedded' | 'postgres';

export interface Database {
	db: Db;
	kind: DatabaseKind;
	/** The driver's own client, for the few things drizzle does not cover (migrations, locks). */
	driver: { kind: 'postgres'; pool: pg.Pool } | { kind: 'embedded'; client: PGlite };
	/** Where the data lives, for logs and messages (no password). */
	location: string;
	close(): Promise<void>;
}

export interface OpenOptions {
	databaseUrl?: string;
	dataDir: string;
	/** Who holds the embedded folder, shown to a second process that tries to open it. */
	holder: string;
	/** Pool size for PostgreSQL. */
	maxConnections?: number;
}

// pg returns int8/numeric as strings; counts and sums are small enough for numbers, and
// PGlite already returns numbers, so both drivers agree.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return 'postgres://(unparsable url)';
	}
}

export function openDatabase(options: OpenOptions): Database {
	if (options.databaseUrl) {
		const pool = new pg.Pool({
			connectionString: options.databaseUrl,
			max: options.maxConnections ?? 10,
			connectionTimeoutMillis: 5000
		});
		// An idle client losing its server must not crash the process; the next query reports it.
		pool.on('error', () => {});
		return {
			db: drizzlePg({ client: pool, schema }) as unknown as Db,
			kind: 'postgres',
			driver: { kind: 'postgres', pool },
			location: redactUrl(options.databaseUrl),
			close: () => pool.end()
		};
	}
	fs.mkdirSync(options.dataDir, { recursive: true });
	const release = acquireDataDirLock(options.dataDir, options.holder);
	let client: PGlite;
	try {
		// pg_trgm: the plot search's trigram indexes (migration 0011); its library is small.
		client = new PGlite(options.dataDir, { extensions: { postgis: slimPostgis, pg_trgm }, startParams: EMBEDDED_START_PARAMS });
	} catch (e) {
		release();
		throw e;
	}
	let closed = false;
	return {
		db: drizzlePglite({ client, schema }) as unknown as Db,
		kind: 'embedded',
		driver: { kind: 'embedded', client },
		location: options.dataDir,
		async close() {
			if (closed) return;
			closed = true;
			try {
				await client.close();
			} finally {
				release();
			}
		}
	};
}

/** Rows of a raw SQL query; both drivers return `{ rows }`. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown as { rows: T[] };
	return result.rows;
}

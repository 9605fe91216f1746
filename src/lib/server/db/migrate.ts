import fs from 'node:fs';
import path from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './connection';

/** A database the app cannot use, with a message meant for the person starting it. */
export class DatabaseUnusableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DatabaseUnusableError';
	}
}

const MIN_PG_VERSION = 150000;
const MIN_POSTGIS = [3, 3];
// Any constant works; it only has to be the same in every Perkje process.
const MIGRATION_LOCK_KEY = 7_315_150_001;

export function migrationsFolder(projectRoot: string): string {
	return path.join(projectRoot, 'db', 'migrations');
}

function journal(projectRoot: string): { entries: { when: number }[] } {
	return JSON.parse(fs.readFileSync(path.join(migrationsFolder(projectRoot), 'meta', '_journal.json'), 'utf8')) as {
		entries: { when: number }[];
	};
}

export function expectedMigrations(projectRoot: string): number {
	return journal(projectRoot).entries.length;
}

/**
 * Whether the embedded database has every migration of the journal, in one query. drizzle's
 * migrator reads and hashes every migration file and runs its bookkeeping in a transaction
 * on every start; it applies the migrations newer than the newest one recorded, so when that
 * one is as new as the journal's last, there is nothing it would do.
 */
async function embeddedUpToDate(database: Database, projectRoot: string): Promise<boolean> {
	const newest = Math.max(...journal(projectRoot).entries.map((e) => e.when));
	try {
		const [row] = await queryRows<{ recorded: number | null }>(
			database.db,
			sql`select max(created_at)::float8 as recorded from drizzle.__drizzle_migrations`
		);
		return row.recorded !== null && row.recorded >= newest;
	} catch {
		// A new database (no bookkeeping table yet), or anything odd: drizzle's full run decides.
		return false;
	}
}

/**
 * Before migrating a PostgreSQL server, make sure it is one Perkje can run on, so the
 * operator gets one clear sentence instead of a stack trace from the first migration.
 */
async function preflightPostgres(database: Database): Promise<void> {
	let server: { version: number; postgis: string | null; installed: string | null };
	try {
		[server] = await queryRows<typeof server>(
			database.db,
			sql`select current_setting('server_version_num')::int as version,
			       (select default_version from pg_available_extensions where name = 'postgis') as postgis,
			       (select installed_version from pg_available_extensions where name = 'postgis') as installed`
		);
	} catch (e) {
		// drizzle wraps the driver's error (with the query text); the cause says what is wrong.
		const err = ((e as Error).cause ?? e) as NodeJS.ErrnoException;
		throw new DatabaseUnusableError(
			`Cannot reach the PostgreSQL server at ${database.location}: ${err.code ?? ''} ${err.message}`.trim()
		);
	}
	if (server.version < MIN_PG_VERSION) {
		throw new DatabaseUnusableError(
			`PostgreSQL ${Math.floor(server.version / 10000)} at ${database.location} is too old: Perkje needs PostgreSQL 15 or newer.`
		);
	}
	const postgis = server.installed ?? server.postgis;
	if (!postgis) {
		throw new DatabaseUnusableError(
			`The PostgreSQL server at ${database.location} has no PostGIS extension available. ` +
				`Install PostGIS 3.3 or newer (on Debian: postgresql-${Math.floor(server.version / 10000)}-postgis-3).`
		);
	}
	const [major, minor] = postgis.split('.').map((n) => parseInt(n, 10));
	if (major < MIN_POSTGIS[0] || (major === MIN_POSTGIS[0] && minor < MIN_POSTGIS[1])) {
		throw new DatabaseUnusableError(
			`PostGIS ${postgis} at ${database.location} is too old: Perkje needs PostGIS 3.3 or newer.`
		);
	}
}

/** Applies pending migrations. Safe with several app processes starting at once. */
export async function runMigrations(database: Database, projectRoot: string): Promise<void> {
	const folder = migrationsFolder(projectRoot);
	if (database.driver.kind === 'embedded') {
		if (await embeddedUpToDate(database, projectRoot)) return;
		await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
		return;
	}
	await preflightPostgres(database);
	// Session-level advisory lock on one connection, and the migrations on that same
	// connection, so a second process waits instead of applying them twice.
	const client = await database.driver.pool.connect();
	try {
		await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
		try {
			await migratePg(drizzlePg({ client }), { migrationsFolder: folder });
		} finally {
			await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
		}
	} catch (e) {
		if (e instanceof DatabaseUnusableError) throw e;
		const err = e as Error & { cause?: Error };
		throw new DatabaseUnusableError(
			`Migrating the database at ${database.location} failed: ${err.cause?.message ?? err.message}`
		);
	} finally {
		client.release();
	}
}

export interface MigrationStatus {
	applied: number;
	expected: number;
	upToDate: boolean;
}

export async function migrationStatus(
	database: Database,
	projectRoot: string
): Promise<MigrationStatus> {
	const expected = expectedMigrations(projectRoot);
	const [row] = await queryRows<{ applied: number }>(
		database.db,
		sql`select count(*)::int as applied from drizzle.__drizzle_migrations`
	);
	return { applied: row.applied, expected, upToDate: row.applied >= expected };
}

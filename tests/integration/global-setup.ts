import fs from 'node:fs';
import { openDatabase } from '../../src/lib/server/db/connection';
import { runMigrations } from '../../src/lib/server/db/migrate';
import {
	adminQuery,
	EMBEDDED_TEMPLATE,
	PG_TEMPLATE_DB,
	serverUrl,
	TEST_ROOT,
	withDatabase
} from './test-databases';

/** Builds the migrated, empty template database that every test file copies. */
export default async function setup(): Promise<void> {
	fs.mkdirSync(TEST_ROOT, { recursive: true });
	const url = serverUrl();
	if (url) {
		await adminQuery(url, `DROP DATABASE IF EXISTS "${PG_TEMPLATE_DB}" WITH (FORCE)`);
		await adminQuery(url, `CREATE DATABASE "${PG_TEMPLATE_DB}"`);
		const database = openDatabase({
			databaseUrl: withDatabase(url, PG_TEMPLATE_DB),
			dataDir: '',
			holder: 'test setup'
		});
		await runMigrations(database, process.cwd());
		await database.close();
		console.log(`[tests] database: PostgreSQL + PostGIS (${database.location})`);
		return;
	}
	fs.rmSync(EMBEDDED_TEMPLATE, { recursive: true, force: true });
	const database = openDatabase({ dataDir: EMBEDDED_TEMPLATE, holder: 'test setup' });
	await runMigrations(database, process.cwd());
	await database.close();
	console.log('[tests] database: embedded PGlite + PostGIS');
}

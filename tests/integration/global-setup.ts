import fs from 'node:fs';
import { openDatabase, runMigrations } from '#server/db';
import {
	adminQuery,
	embeddedTemplateDir,
	serverUrl,
	TEST_ROOT,
	withDatabase
} from './test-databases';

/** Builds the migrated, empty template database that every test file copies. */
export default async function setup(): Promise<() => Promise<void>> {
	fs.mkdirSync(TEST_ROOT, { recursive: true });
	const template = `perkje_test_template_${process.pid}`;
	process.env.PERKJE_TEST_TEMPLATE = template;
	const url = serverUrl();
	if (url) {
		await adminQuery(url, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
		await adminQuery(url, `CREATE DATABASE "${template}"`);
		const database = openDatabase({
			databaseUrl: withDatabase(url, template),
			dataDir: '',
			holder: 'test setup'
		});
		await runMigrations(database, process.cwd());
		await database.close();
		console.log(`[tests] database: PostgreSQL + PostGIS (${database.location})`);
		return () => adminQuery(url, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
	}
	const dir = embeddedTemplateDir();
	fs.rmSync(dir, { recursive: true, force: true });
	const database = openDatabase({ dataDir: dir, holder: 'test setup' });
	await runMigrations(database, process.cwd());
	await database.close();
	console.log('[tests] database: embedded PGlite + PostGIS');
	return async () => fs.rmSync(dir, { recursive: true, force: true });
}

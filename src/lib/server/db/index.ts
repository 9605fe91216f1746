import { readConfig, type ServerConfig } from '../config';
import { openDatabase, type Database, type Db } from './connection';

export type { Database, Db, Tx } from './connection';
export { queryRows } from './connection';

/**
 * The app's one database. Opened on first use rather than at import, because SvelteKit's
 * build imports server modules to analyse them and must not lock the embedded folder.
 */
let current: Database | undefined;

export function getDatabase(config: ServerConfig = readConfig()): Database {
	current ??= openDatabase({
		databaseUrl: config.databaseUrl,
		dataDir: config.dataDir,
		holder: 'the Perkje app'
	});
	return current;
}

export function getDb(): Db {
	return getDatabase().db;
}

export async function closeDatabase(): Promise<void> {
	const open = current;
	current = undefined;
	await open?.close();
}

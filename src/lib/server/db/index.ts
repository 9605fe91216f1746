import { getConfig, type Config } from '#server/config';
import { openDatabase, type Database, type Db } from './connection';

export * from './connection';
export * from './migrate';
export * from './lock';
export * from './literals';
export * from './versions';

/**
 * The app's one database. Opened on first use rather than at import, because SvelteKit's
 * build imports server modules to analyse them and must not lock the embedded folder.
 * Kept on globalThis, not in a module variable: `vite dev` re-evaluates edited modules, and a
 * second PGlite on the same folder in the same process would corrupt it.
 */
const CURRENT = Symbol.for('perkje.database');
const holder = globalThis as typeof globalThis & { [CURRENT]?: Database };

export function getDatabase(config: Config = getConfig()): Database {
	holder[CURRENT] ??= openDatabase({ ...config.db, holder: 'the Perkje app' });
	return holder[CURRENT];
}

export function getDb(): Db {
	return getDatabase().db;
}

export async function closeDatabase(): Promise<void> {
	const open = holder[CURRENT];
	holder[CURRENT] = undefined;
	await open?.close();
}

import type { Database } from '../db';
import type { Municipality } from '../municipality';

/**
 * Loads the municipality's demo data (db/seed) into an empty database.
 * TODO(import helper): implement with the import service; until then it does nothing.
 */
export async function seedDemoIfEmpty(
	_database: Database,
	_municipality: Municipality,
	_projectRoot: string
): Promise<{ seeded: boolean }> {
	return { seeded: false };
}

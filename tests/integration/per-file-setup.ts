import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { closeDatabase } from '#server/db';
import { freshTestDatabase } from './test-databases';

// Every test file that touches the database gets its own copy of the migrated template.
// Files that never call getDatabase() pay only for a folder copy or a CREATE DATABASE.
const fresh = await freshTestDatabase(path.basename(expect.getState().testPath ?? 'test', '.spec.ts'));
Object.assign(process.env, fresh.env);

afterAll(async () => {
	await closeDatabase();
	await fresh.drop();
});

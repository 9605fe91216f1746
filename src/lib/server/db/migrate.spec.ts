import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDatabase, queryRows } from '.';
import { migrationStatus } from './migrate';

describe('migrations', () => {
	it('leave a database with PostGIS and every migration applied', async () => {
		const database = getDatabase();
		const status = await migrationStatus(database, process.cwd());
		expect(status.upToDate).toBe(true);
		expect(status.applied).toBe(status.expected);
		const [row] = await queryRows<{ v: string }>(database.db, sql`select postgis_lib_version() as v`);
		expect(row.v).toMatch(/^3\./);
	});
});

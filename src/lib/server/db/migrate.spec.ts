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

	it('give every geometry column a spatial (GIST) index, so map and near-me lookups stay fast', async () => {
		const database = getDatabase();
		const columns = await queryRows<{ col: string }>(
			database.db,
			sql`SELECT f_table_name || '.' || f_geometry_column AS col FROM geometry_columns
				WHERE f_table_schema = current_schema() ORDER BY 1`
		);
		const indexed = await queryRows<{ col: string }>(
			database.db,
			sql`SELECT DISTINCT t.relname || '.' || a.attname AS col
				FROM pg_index i
				JOIN pg_class ic ON ic.oid = i.indexrelid
				JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'gist'
				JOIN pg_class t ON t.oid = i.indrelid
				JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
				WHERE t.relnamespace = current_schema()::regnamespace`
		);
		expect(columns.map((c) => c.col)).toContain('plots.label_point');
		const missing = columns.map((c) => c.col).filter((c) => !indexed.some((i) => i.col === c));
		expect(missing).toEqual([]);
	});
});

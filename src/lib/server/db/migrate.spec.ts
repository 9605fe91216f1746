import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDatabase, queryRows } from '.';
import { migrationsFolder, migrationStatus, runMigrations } from './migrate';

/** A project root whose migrations are this project's plus one more, made after them. */
function rootWithOneMoreMigration(): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-migrations-'));
	const folder = migrationsFolder(root);
	fs.cpSync(migrationsFolder(process.cwd()), folder, { recursive: true });
	const journalFile = path.join(folder, 'meta', '_journal.json');
	const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { idx: number; when: number; tag: string }[] };
	const last = journal.entries.at(-1)!;
	const tag = `${String(last.idx + 1).padStart(4, '0')}_spec_new_table`;
	journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
	fs.writeFileSync(journalFile, JSON.stringify(journal));
	fs.writeFileSync(path.join(folder, `${tag}.sql`), 'CREATE TABLE "spec_new_table" ("id" integer PRIMARY KEY);');
	return root;
}

describe('migrations', () => {
	it('leave a database with PostGIS and every migration applied', async () => {
		const database = getDatabase();
		const status = await migrationStatus(database, process.cwd());
		expect(status.upToDate).toBe(true);
		expect(status.applied).toBe(status.expected);
		const [row] = await queryRows<{ v: string }>(database.db, sql`select postgis_lib_version() as v`);
		expect(row.v).toMatch(/^3\./);
	});

	it('apply a migration that appears after the database was migrated, once', async () => {
		const database = getDatabase();
		// Up to date: a second run changes nothing.
		await runMigrations(database, process.cwd());
		expect((await migrationStatus(database, process.cwd())).upToDate).toBe(true);
		const root = rootWithOneMoreMigration();
		try {
			expect(await migrationStatus(database, root)).toMatchObject({ upToDate: false });
			await runMigrations(database, root);
			await runMigrations(database, root);
			const status = await migrationStatus(database, root);
			expect(status).toMatchObject({ upToDate: true, applied: status.expected });
			const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from spec_new_table`);
			expect(row.n).toBe(0);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
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

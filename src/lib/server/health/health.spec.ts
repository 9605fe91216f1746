import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, getDatabase, openDatabase, queryRows, expectedMigrations } from '#server/db';
import { checkHealth } from './health';

const root = process.cwd();

describe('checkHealth', () => {
	// In the app start-up has already used the database; here the first query would also
	// pay for booting the embedded engine, which can take longer than the health time limit.
	beforeAll(() => queryRows(getDatabase().db, sql`select 1`));

	it('reports ok with the migration count on a migrated database', async () => {
		const report = await checkHealth(getDatabase(), root);
		expect(report.status).toBe('ok');
		expect(report.database.reachable).toBe(true);
		expect(report.database.latencyMs).toBeGreaterThanOrEqual(0);
		expect(report.migrations).toEqual({
			applied: expectedMigrations(root),
			expected: expectedMigrations(root),
			upToDate: true
		});
	});

	it('is unavailable when the app expects more migrations than the database has', async () => {
		// A newer release started against a database nobody migrated yet.
		const newer = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-health-'));
		const meta = path.join(newer, 'db', 'migrations', 'meta');
		fs.mkdirSync(meta, { recursive: true });
		const journal = JSON.parse(
			fs.readFileSync(path.join(root, 'db', 'migrations', 'meta', '_journal.json'), 'utf8')
		);
		journal.entries.push({ ...journal.entries.at(-1), idx: journal.entries.length, tag: 'next' });
		fs.writeFileSync(path.join(meta, '_journal.json'), JSON.stringify(journal));
		try {
			const report = await checkHealth(getDatabase(), newer);
			expect(report.status).toBe('unavailable');
			expect(report.database.reachable).toBe(true);
			expect(report.migrations).toEqual({
				applied: expectedMigrations(root),
				expected: expectedMigrations(root) + 1,
				upToDate: false
			});
		} finally {
			fs.rmSync(newer, { recursive: true, force: true });
		}
	});

	it('is unavailable, not an exception, once the database is closed', async () => {
		const database = getDatabase();
		await closeDatabase();
		const report = await checkHealth(database, root);
		expect(report).toMatchObject({
			status: 'unavailable',
			database: { kind: database.kind, reachable: false, latencyMs: null },
			migrations: { applied: null, upToDate: false }
		});
	});
});

describe('checkHealth against a server that accepts connections but never answers', () => {
	const sockets = new Set<net.Socket>();
	const blackhole = net.createServer((socket) => sockets.add(socket));
	afterAll(async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise((resolve) => blackhole.close(resolve));
	});

	it('answers within its time limit instead of hanging', async () => {
		await new Promise<void>((resolve) => blackhole.listen(4150, '127.0.0.1', resolve));
		const hung = openDatabase({
			databaseUrl: 'postgres://perkje@127.0.0.1:4150/perkje',
			dataDir: '',
			holder: 'health test'
		});
		const started = Date.now();
		const report = await checkHealth(hung, root, 500);
		expect(Date.now() - started).toBeLessThan(1500);
		expect(report.status).toBe('unavailable');
		expect(report.database).toEqual({ kind: 'postgres', reachable: false, latencyMs: null });
		for (const socket of sockets) socket.destroy();
		await hung.close().catch(() => {});
	});
});

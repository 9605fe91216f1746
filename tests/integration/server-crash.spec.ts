import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryRows, migrationStatus, lockFilePath } from '#server/db';
import { requireBuild, startApp } from './fixtures/app-process';

/**
 * kill -9 in the middle of writes must not cost committed data or leave the database
 * unusable. The question is the embedded engine's (its files, its lock file); on PostgreSQL
 * the same test shows that a process dying inside a transaction leaves nothing half-done.
 * The database is this file's own fresh copy (per-file-setup.ts).
 */
const embedded = !process.env.DATABASE_URL;
const dbEnv: Record<string, string> = embedded
	? { PERKJE_DATA_DIR: process.env.PERKJE_DATA_DIR! }
	: { DATABASE_URL: process.env.DATABASE_URL! };
const dataDir = process.env.PERKJE_DATA_DIR ?? '';

/** Runs the writer until it has reported `commits` commits, then SIGKILLs it. */
async function writeAndKill(round: number, commits: number): Promise<number[]> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', 'tests/integration/fixtures/crash-writer.ts', String(round)],
		{ env: { ...process.env, ...dbEnv }, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let out = '';
	let err = '';
	child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
	const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
		child.on('exit', (code, signal) => resolve(signal ?? code))
	);
	const committedLines = () => out.split('\n').filter((line) => line.startsWith('committed '));
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			if (committedLines().length >= commits) {
				child.kill('SIGKILL');
				resolve();
			}
		});
		void exited.then((code) => reject(new Error(`writer exited (${code}) early: ${err}`)));
	});
	expect(await exited).toBe('SIGKILL');
	// Only whole lines: the kill may cut the last one short, and that commit was not reported.
	const complete = out.slice(0, out.lastIndexOf('\n'));
	return complete
		.split('\n')
		.filter((line) => line.startsWith('committed '))
		.flatMap((line) => line.slice('committed '.length).split(',').map(Number));
}

describe('the database after kill -9 in the middle of writes', () => {
	it('keeps every committed row, takes over a stale lock, and the app starts on it', async () => {
		requireBuild();
		// Two crashes in a row: the second writer starts on a folder the first left behind.
		const reported = [...(await writeAndKill(1, 250)), ...(await writeAndKill(2, 250))];
		expect(reported.length).toBeGreaterThanOrEqual(500);
		// The killed writer's lock file is still there, naming a dead process.
		if (embedded) expect(fs.existsSync(lockFilePath(dataDir))).toBe(true);

		const database = openDatabase({
			databaseUrl: dbEnv.DATABASE_URL,
			dataDir,
			holder: 'crash test'
		});
		try {
			const rows = await queryRows<{ id: number }>(
				database.db,
				sql`select id from plots where dataset = 'crash-test'`
			);
			const stored = new Set(rows.map((r) => r.id));
			const lost = reported.filter((id) => !stored.has(id));
			expect(lost).toEqual([]);
			// Beyond what was reported, at most the one transaction each kill interrupted
			// between its commit and its print (a 25-row batch at most).
			expect(stored.size - reported.length).toBeLessThanOrEqual(2 * 25);
			// Usable, not just readable: a write, the geometry index, the migrations table.
			await database.db.execute(sql`delete from plots where dataset = 'crash-test'`);
			const [left] = await queryRows<{ n: number }>(
				database.db,
				sql`select count(*)::int as n from plots
				    where geom && ST_MakeEnvelope(4.3, 51.9, 4.4, 52.1, 4326)`
			);
			expect(left.n).toBe(0);
			expect((await migrationStatus(database, process.cwd())).upToDate).toBe(true);
		} finally {
			await database.close();
		}

		const app = startApp(4120, { ...dbEnv, PERKJE_DEMO: 'false' });
		try {
			await app.ready;
			const response = await fetch(`${app.url}/healthz`);
			expect(response.status).toBe(200);
		} finally {
			expect(await app.stop()).toBe(0);
		}
	});
});

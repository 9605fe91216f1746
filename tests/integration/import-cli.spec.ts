import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, getDatabase, queryRows } from '../../src/lib/server/db';
import { acquireDataDirLock } from '../../src/lib/server/db/lock';

/**
 * `npm run import` as an operator runs it: a real process against this test file's own
 * database (PERKJE_DATA_DIR or DATABASE_URL from the per-file setup). On the embedded
 * database only one process may hold the folder, so this process closes its connection
 * before each CLI run.
 */

const ROOT = process.cwd();
const CLI = path.join(ROOT, 'src/cli/import.ts');
const BUURTEN = path.join(ROOT, 'db/seed/buurten_delft_cbs2023.geojson');
const DELFT = path.join(ROOT, 'db/seed/bgt_begroeidterreindeel_delft_3dfier.geojson');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-import-cli-'));

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
			cwd: ROOT,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

async function tableState(): Promise<string> {
	const [row] = await queryRows<{ state: string }>(
		getDatabase().db,
		sql`select concat_ws(' ',
		      (select count(*) from plots), (select md5(coalesce(string_agg(p::text, '|' order by id), '')) from plots p),
		      (select count(*) from neighbourhoods), (select md5(coalesce(string_agg(n::text, '|' order by id), '')) from neighbourhoods n),
		      (select count(*) from import_runs)) as state`
	);
	return row.state;
}

/** Reads the database from this process, then lets go of it for the next CLI run. */
async function inspect<T>(read: () => Promise<T>): Promise<T> {
	try {
		return await read();
	} finally {
		await closeDatabase();
	}
}

let stateAfterImport = '';

afterEach(async () => {
	await closeDatabase();
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm run import', () => {
	it('explains itself, and refuses a wrong command line with exit code 2', async () => {
		const help = await runCli(['--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('npm run import -- plots FILE [options]');
		expect(help.stdout).toContain('--owner CODE');

		const noFile = await runCli(['plots']);
		expect(noFile.code).toBe(2);
		expect(noFile.stderr).toContain('Name the GeoJSON file to import');

		const unknown = await runCli(['plots', DELFT, '--colour', 'green']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/colour/);

		const wrongTarget = await runCli(['trees', DELFT]);
		expect(wrongTarget.code).toBe(2);
		expect(wrongTarget.stderr).toContain('Unknown import target "trees"');
	});

	it('imports neighbourhoods and plots, migrating first, and prints the summary', async () => {
		const buurten = await runCli(['neighbourhoods', BUURTEN, '--json']);
		expect(buurten.stderr).toBe('');
		expect(buurten.code).toBe(0);
		expect(JSON.parse(buurten.stdout)).toMatchObject({ target: 'neighbourhoods', new: 91, rejected: 0 });

		const plots = await runCli(['plots', DELFT, '--owner', 'G0503', '--dataset', 'bgt-delft']);
		expect(plots.code).toBe(0);
		expect(plots.stdout).toMatch(/Imported plots from .*bgt_begroeidterreindeel_delft_3dfier\.geojson into dataset "bgt-delft"/);
		expect(plots.stdout).toMatch(/new\s+126\n/);
		expect(plots.stdout).toMatch(/repaired\s+126 \(ring orientation 126\)/);
		expect(plots.stdout).toMatch(/without neighbourhood\s+0\n/);

		const [row] = await inspect(async () => {
			stateAfterImport = await tableState();
			return queryRows<{ plots: number; placed: number; runs: number }>(
				getDatabase().db,
				sql`select (select count(*) from plots)::int as plots,
				           (select count(*) from plots where neighbourhood_id is not null)::int as placed,
				           (select count(*) from import_runs)::int as runs`
			);
		});
		expect(row).toEqual({ plots: 126, placed: 126, runs: 2 });
	});

	it('rejects a file whose coordinates cannot be in its CRS with exit code 1, writing nothing', async () => {
		const lying = JSON.parse(fs.readFileSync(DELFT, 'utf8'));
		lying.crs = { type: 'name', properties: { name: 'EPSG:4326' } };
		const file = path.join(tmp, 'rd-as-degrees.geojson');
		fs.writeFileSync(file, JSON.stringify(lying));

		const run = await runCli(['plots', file]);
		expect(run.code).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderr).toMatch(/^Import failed: .*cannot be degrees.*--crs EPSG:28992/);
		expect(await inspect(tableState)).toBe(stateAfterImport);
	});

	it('imports several basemap files in one run, and none of them when one is refused', async () => {
		const pand = path.join(ROOT, 'db/seed/bgt_pand_delft_3dfier.geojson');
		const water = path.join(ROOT, 'db/seed/bgt_waterdeel_delft_3dfier.geojson');
		const basemapRows = () =>
			inspect(async () => {
				const [row] = await queryRows<{ n: number; runs: number }>(
					getDatabase().db,
					sql`select (select count(*) from basemap_features)::int as n,
					           (select count(*) from import_runs where target = 'basemap')::int as runs`
				);
				return row;
			});
		// The second file's numbers are RD metres but it claims degrees: the first must not land either.
		const lying = JSON.parse(fs.readFileSync(water, 'utf8'));
		lying.crs = { type: 'name', properties: { name: 'EPSG:4326' } };
		const bad = path.join(tmp, 'bgt_waterdeel_lying.geojson');
		fs.writeFileSync(bad, JSON.stringify(lying));
		const refused = await runCli(['basemap', pand, bad]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/^Import failed: .*bgt_waterdeel_lying.*cannot be degrees/);
		expect(await basemapRows()).toEqual({ n: 0, runs: 0 });

		const run = await runCli(['basemap', pand, water]);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/Imported basemap layer "building" from .*bgt_pand_delft_3dfier\.geojson into dataset "bgt_pand"/);
		expect(run.stdout).toMatch(/Imported basemap layer "water" from .*bgt_waterdeel/);
		expect(run.stdout).toMatch(/new\s+160\n/);
		expect(await basemapRows()).toEqual({ n: 163, runs: 2 });

		const unnamed = path.join(tmp, 'kaart.geojson');
		fs.writeFileSync(unnamed, JSON.stringify({ ...lying, name: undefined, crs: undefined }));
		const noLayer = await runCli(['basemap', unnamed]);
		expect(noLayer.code).toBe(1);
		expect(noLayer.stderr).toMatch(/--layer building\|road/);
		const wrongFlag = await runCli(['basemap', pand, '--owner', 'G0503']);
		expect(wrongFlag.code).toBe(2);
		expect(wrongFlag.stderr).toContain('--owner cannot be used when importing basemap');
		stateAfterImport = await inspect(tableState);
	});

	it('refuses, with exit code 1, while another process holds the embedded data folder, and touches nothing', async () => {
		// On the embedded database this process holds the real folder (as the running app
		// would); on PostgreSQL a stand-in folder is locked, since only folders have locks.
		const embedded = !process.env.DATABASE_URL;
		let dataDir: string;
		let release = () => {};
		let before: string;
		if (embedded) {
			dataDir = process.env.PERKJE_DATA_DIR!;
			before = await tableState(); // opens, and so locks, the folder
		} else {
			dataDir = path.join(tmp, 'held', 'pglite');
			fs.mkdirSync(dataDir, { recursive: true });
			fs.writeFileSync(path.join(dataDir, 'PG_VERSION'), '17\n');
			release = acquireDataDirLock(dataDir, 'the Perkje app');
			before = folderHash(dataDir);
		}
		try {
			const run = await runCli(['plots', DELFT], { PERKJE_DATA_DIR: dataDir, DATABASE_URL: '' });
			expect(run.code).toBe(1);
			expect(run.stderr).toMatch(/Import failed: The embedded database in .* is in use by .* \(pid \d+\)/);
			expect(run.stderr).toContain(`pid ${process.pid}`);
			expect(embedded ? await tableState() : folderHash(dataDir)).toBe(before);
		} finally {
			release();
		}
	});
});

function folderHash(dir: string): string {
	const hash = crypto.createHash('sha256');
	for (const name of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
		const file = path.join(dir, name);
		if (fs.statSync(file).isFile()) hash.update(name).update(fs.readFileSync(file));
	}
	return hash.digest('hex');
}

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, getDatabase, queryRows, acquireDataDirLock } from '#server/db';

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
		      (select count(*) from import_runs where summary->>'outcome' = 'imported')) as state`
	);
	return row.state;
}

async function lastRun(): Promise<{ target: string; file: string; summary: Record<string, unknown> }> {
	const [row] = await queryRows<{ target: string; file: string; summary: Record<string, unknown> }>(
		getDatabase().db,
		sql`select target, file, summary from import_runs order by id desc limit 1`
	);
	return row;
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
			return queryRows<{ plots: number; placed: number; runs: number; visible: boolean }>(
				getDatabase().db,
				sql`select (select count(*) from plots)::int as plots,
				           (select count(*) from plots where neighbourhood_id is not null)::int as placed,
				           (select count(*) from import_runs)::int as runs,
				           (select relallvisible > 0 from pg_class where relname = 'plots') as visible`
			);
		});
		// visible: vacuumed after the import, so the first visitors' counts and deep pages read
		// the indexes alone instead of waiting for autovacuum.
		expect(row).toEqual({ plots: 126, placed: 126, runs: 2, visible: true });
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
		// The data is as it was, but the run is on record, with the reason the operator saw.
		expect(await inspect(lastRun)).toMatchObject({
			target: 'plots',
			file,
			summary: { outcome: 'refused', reason: expect.stringMatching(/cannot be degrees/) }
		});
	});

	it('rejects, by feature number, a plot outside the municipality\'s bounds or larger than 1 km², and keeps the rest', async () => {
		const box = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
		const square = (x: number, y: number, d: number) => box(x, y, x + d, y + d);
		const feature = (id: string, coordinates: number[][][]) => ({
			type: 'Feature',
			properties: { lokaalID: id, fysiekVoorkomen: 'groenvoorziening' },
			geometry: { type: 'Polygon', coordinates }
		});
		const file = path.join(tmp, 'world.geojson');
		fs.writeFileSync(
			file,
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					feature('fine', square(4.36, 52.01, 0.0001)),
					feature('world', box(-179, -89, 179, 89)),
					// Inside Delft, but 3 × 3 km: no single plot of public green
					feature('huge', square(4.33, 51.98, 0.04))
				]
			})
		);
		const run = await runCli(['plots', file, '--json']);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const summary = JSON.parse(run.stdout);
		expect(summary).toMatchObject({ new: 1, rejected: 2 });
		expect(summary.rejections).toEqual([
			{ feature: 2, sourceId: 'world', reason: expect.stringMatching(/^outside the bounds of Delft .*: it spans -179…179 E, -89…89 N; .*--no-bounds-check/) },
			{ feature: 3, sourceId: 'huge', reason: expect.stringMatching(/^larger than 1,000,000 m² \(12,\d{3},\d{3} m²\): not one plot of public green.*--max-area/) }
		]);

		// Told there are no bounds, the world box is still far too large to be a plot.
		const unbounded = await runCli(['plots', file, '--no-bounds-check', '--json']);
		expect(unbounded.code).toBe(0);
		expect(JSON.parse(unbounded.stdout).rejections.map((r: { feature: number; reason: string }) => [r.feature, r.reason.slice(0, 12)])).toEqual([
			[2, 'larger than '],
			[3, 'larger than ']
		]);
		const badBounds = await runCli(['plots', file, '--bounds', '4.3,52']);
		expect(badBounds.code).toBe(2);
		expect(badBounds.stderr).toContain('--bounds must be four numbers');
		const worldOnly = path.join(tmp, 'world-only.geojson');
		fs.writeFileSync(worldOnly, JSON.stringify({ type: 'FeatureCollection', features: [feature('world', box(-179, -89, 179, 89))] }));
		const refused = await runCli(['plots', worldOnly]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/^Import failed: .*none of its 1 features can be imported \(first problem: feature 1 \(world\): outside the bounds of Delft/);
		expect(await inspect(lastRun)).toMatchObject({ file: worldOnly, summary: { outcome: 'refused' } });
		stateAfterImport = await inspect(tableState);
	});

	it('imports several basemap files in one run, and none of them when one is refused', async () => {
		const pand = path.join(ROOT, 'db/seed/bgt_pand_delft_3dfier.geojson');
		const water = path.join(ROOT, 'db/seed/bgt_waterdeel_delft_3dfier.geojson');
		const basemapRows = () =>
			inspect(async () => {
				const [row] = await queryRows<{ n: number; runs: number }>(
					getDatabase().db,
					sql`select (select count(*) from basemap_features)::int as n,
					           (select count(*) from import_runs where target = 'basemap' and summary->>'outcome' = 'imported')::int as runs`
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
		expect(await inspect(lastRun)).toMatchObject({
			target: 'basemap',
			file: `${pand}, ${bad}`,
			summary: { outcome: 'refused', reason: expect.stringMatching(/bgt_waterdeel_lying.*cannot be degrees/) }
		});

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

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDatabase, getDatabase, queryRows } from '#server/db';
import { importNeighbourhoods } from '#server/import';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-generate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `npm run generate -- ...args` as an operator runs it, against this file's test database. */
function generate(...args: string[]) {
	const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/generate.ts', ...args], {
		env: { ...process.env, INIT_CWD: tmp },
		encoding: 'utf8',
		timeout: 120_000
	});
	return { status: run.status, out: run.stdout, err: run.stderr };
}

describe('npm run generate', () => {
	it('explains itself and refuses bad options with a clear message', () => {
		const help = generate('--help');
		expect(help.status).toBe(0);
		expect(help.out).toContain('--plots N');
		const bad = generate('--plots', 'many');
		expect(bad.status).toBe(1);
		expect(bad.err).toContain('--plots must be a number');
		const unknown = generate('--plot', '10');
		expect(unknown.status).toBe(1);
		expect(unknown.err).toMatch(/Unknown option '--plot'/);
	});

	it('writes the file and imports it as synthetic plots, each in its neighbourhood', async () => {
		// Neighbourhoods first, as the help says; then the command needs the database to itself.
		const database = getDatabase();
		await importNeighbourhoods(database.db, { file: 'db/seed/buurten_delft_cbs2023.geojson' }, {});
		await closeDatabase();

		const run = generate('--plots', '1500', '--seed', '9', '--out', 'plots.geojson', '--import');
		expect(run.err).toBe('');
		expect(run.status).toBe(0);
		expect(run.out).toContain('Generated 1,500 synthetic plots');
		const file = JSON.parse(fs.readFileSync(path.join(tmp, 'plots.geojson'), 'utf8'));
		expect(file).toMatchObject({ name: 'synthetic', synthetic: true, generator: { plots: 1500, seed: 9 } });

		const [row] = await queryRows<{ plots: number; synthetic: number; placed: number; datasets: string[] }>(
			getDatabase().db,
			sql`select count(*)::int as plots, count(*) filter (where synthetic)::int as synthetic,
			           count(neighbourhood_id)::int as placed, array_agg(distinct dataset) as datasets
			    from plots`
		);
		expect(row).toEqual({ plots: 1500, synthetic: 1500, placed: 1500, datasets: ['synthetic'] });
	});
});

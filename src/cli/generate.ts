/**
 * `npm run generate`: synthetic plots for benchmarks, inside real neighbourhoods.
 * Never loaded by default; written to data/synthetic/ (git-ignored) unless told otherwise.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultOutFile, writeSyntheticFile } from '#lib/geo/synthetic-file.js';
import { getConfig, type Config } from '#server/config';
import { loadMunicipality } from '#server/municipality';

const HELP = `Usage: npm run generate -- [options]

Generates realistic synthetic green plots (tree pits, beds, verges, lawns, shrub beds,
parks; sizes and shapes like BGT begroeidterreindelen) inside real neighbourhood
boundaries, as a GeoJSON FeatureCollection in lon/lat marked "synthetic": true.
The same options and seed always give the same file.

Options:
  --plots N              how many plots (default 200000)
  --seed N               random seed (default 1)
  --out FILE             where to write (default data/synthetic/plots-<N>.geojson)
  --neighbourhoods FILE  neighbourhood boundaries, CRS84 or RD New
                         (default db/seed/buurten_delft_cbs2023.geojson)
  --owner CODE           BGT bronhouder on every plot (default: the municipality's, e.g. G0503)
  --import               import the file into the configured database afterwards
                         (DATABASE_URL, or the embedded database in PERKJE_DATA_DIR),
                         as npm run import -- plots FILE --owner CODE would; import the
                         same neighbourhoods first, so plots get their neighbourhood
  -h, --help             show this help

Plots stay inside their neighbourhood and do not overlap. When the neighbourhoods are
too small for the requested count at full size, lawns, verges and parks are scaled down
together (tree pits keep their size); the summary says by how much.

Examples:
  npm run generate -- --plots 200000
  npm run generate -- --plots 20000 --seed 7 --import`;

const Args = z.object({
	plots: z.coerce.number({ error: '--plots must be a number' }).int('--plots must be a whole number').min(1, '--plots must be at least 1').max(5_000_000, '--plots can be at most 5,000,000').default(200_000),
	seed: z.coerce.number({ error: '--seed must be a number' }).int('--seed must be a whole number').min(0).max(2 ** 31 - 1).default(1),
	out: z.string().min(1).optional(),
	neighbourhoods: z.string().min(1).default('db/seed/buurten_delft_cbs2023.geojson'),
	owner: z.string().regex(/^[GPWL]\d{4}$/, '--owner must be a BGT bronhouder code such as G0503').optional(),
	import: z.boolean().default(false)
});

function fail(message: string): never {
	console.error(`generate: ${message}`);
	process.exit(1);
}

async function main(): Promise<number> {
	let values;
	try {
		({ values } = parseArgs({
			options: {
				plots: { type: 'string' },
				seed: { type: 'string' },
				out: { type: 'string' },
				neighbourhoods: { type: 'string' },
				owner: { type: 'string' },
				import: { type: 'boolean' },
				help: { type: 'boolean', short: 'h' }
			},
			strict: true,
			allowPositionals: false
		}));
	} catch (e) {
		fail(`${(e as Error).message}\nRun "npm run generate -- --help" for the options.`);
	}
	if (values.help) {
		console.log(HELP);
		return 0;
	}
	const parsed = Args.safeParse(values);
	if (!parsed.success) fail(parsed.error.issues.map((i) => i.message).join('\n'));
	const args = parsed.data;

	// Paths the operator types are relative to where they ran `npm run`; defaults, config
	// and seed files to the project root (like `npm run import`).
	const startedIn = process.cwd();
	const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
	process.chdir(root);
	let config: Config;
	try {
		config = getConfig();
	} catch (e) {
		fail((e as Error).message);
	}
	const here = config.cli.invokedFrom ?? startedIn;
	const given = (file: string | undefined) => (file === undefined ? undefined : path.resolve(here, file));
	const neighbourhoodsFile = given(values.neighbourhoods) ?? path.resolve(root, args.neighbourhoods);
	const out = given(args.out) ?? path.resolve(root, defaultOutFile(args.plots, args.seed));

	let owner = args.owner;
	try {
		owner ??= loadMunicipality(config.municipalityFile).bgtOwner;
	} catch (e) {
		fail(`${(e as Error).message}\nOr name the owner with --owner CODE.`);
	}

	const started = performance.now();
	let lastShown = 0;
	const summary = await writeSyntheticFile(
		{ plots: args.plots, seed: args.seed, owner, neighbourhoodsFile, out },
		(done, total) => {
			if (!process.stderr.isTTY || performance.now() - lastShown < 200) return;
			lastShown = performance.now();
			process.stderr.write(`\rgenerating… ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
		}
	).catch((e: Error) => fail(e.message));
	if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');

	const seconds = (performance.now() - started) / 1000;
	console.log(
		`Generated ${summary.plots.toLocaleString('en')} synthetic plots in ${seconds.toFixed(1)} s → ${path.relative(here, out) || out}`
	);
	if (summary.sizeScale < 1) {
		console.log(
			`  sizes of lawns, verges, beds and parks scaled by ${summary.sizeScale.toFixed(2)} to fit ${args.plots.toLocaleString('en')} plots in these neighbourhoods`
		);
	}
	if (summary.shrunk > 0) console.log(`  ${summary.shrunk} plots made smaller to fit a full neighbourhood`);
	if (summary.overlapping > 0) console.log(`  ${summary.overlapping} plots overlap another (no room left)`);

	if (args.import) {
		// The import command itself, so locks, migrations, progress, the summary and exit
		// codes are exactly those of `npm run import -- plots FILE`.
		console.log(`\nImporting into the configured database (npm run import -- plots ${path.relative(here, out)} --owner ${owner})`);
		const run = spawnSync(
			process.execPath,
			[...process.execArgv, path.join(root, 'src/cli/import.ts'), 'plots', out, '--owner', owner],
			{ stdio: 'inherit' }
		);
		return run.status ?? 1;
	}
	return 0;
}

process.exitCode = await main();

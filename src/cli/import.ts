/**
 * `npm run import -- plots FILE [options]`, `npm run import -- neighbourhoods FILE [options]` and
 * `npm run import -- basemap FILE… [options]`:
 * GeoJSON into the configured database (DATABASE_URL, or the embedded one in PERKJE_DATA_DIR).
 *
 * Exit codes: 0 imported; 1 the file was rejected, the database is busy or failed
 * (nothing was written); 2 the command line is wrong.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { z } from 'zod';
import { getConfig, type Config } from '#server/config';
import { openDatabase, type Database, DataDirLockedError, DatabaseUnusableError, runMigrations } from '#server/db';
import { DEFAULT_MIN_PART_AREA_M2, BasemapImportOptionsSchema, ImportError, importBasemap, importNeighbourhoods, importPlots, NeighbourhoodImportOptionsSchema, PlotImportOptionsSchema, type BasemapImportSummary, type NeighbourhoodImportSummary, type PlotImportSummary, formatSummary, DEFAULT_MAX_PLOT_AREA_M2, recordRefusedRun, refreshStatistics } from '#server/import';
import { IMPORT_BOUNDS_MARGIN_M, importBounds, loadMunicipality } from '#server/municipality';

const HELP = `Usage:
  npm run import -- plots FILE [options]
  npm run import -- neighbourhoods FILE [options]
  npm run import -- basemap FILE... [options]

Imports a GeoJSON FeatureCollection of Polygons/MultiPolygons into the configured
database (DATABASE_URL, or the embedded database in PERKJE_DATA_DIR). One run is one
transaction: a rejected file or an error leaves the database as it was (the run is
still recorded in import_runs, as refused or failed). Importing the
same file again updates plots in place (matched on their source id), never duplicates.

Coordinates: the file's "crs" member (EPSG:28992 RD New, EPSG:4326, CRS84) or --crs;
without either they are RFC 7946 longitude/latitude. Files whose numbers cannot be in
that CRS (RD metres read as degrees, or the reverse) are refused with a hint.

Plot options (BGT begroeidterreindeel exports work without any):
  --dataset NAME          import set, for "vanished" plots (default: the collection's
                          "name", else the file name)
  --owner CODE            the municipality's BGT bronhouder (e.g. G0503); plots of other
                          owners are imported as not adoptable
  --skip-other-owners     with --owner: leave other owners' plots out altogether
  --retire-missing        retire plots of this dataset that the file no longer has
                          (without it they are only listed; adoptions hang on them)
  --synthetic             mark the plots as generated benchmark data
  --id-field NAME         source id (default lokaalID / lokaalid, then the feature id)
  --kind-field NAME       kind (default fysiekVoorkomen, class)
  --kind-detail-field NAME  finer kind (default plus_fysiekVoorkomen)
  --owner-field NAME      owner (default bronhouder)
  --max-area M2           reject plots larger than this (default ${DEFAULT_MAX_PLOT_AREA_M2.toLocaleString('en')} m², 1 km²)

Neighbourhood options (CBS wijk- en buurtkaart works without any):
  --code-field NAME       default BU_CODE (neighbourhoods without a code are keyed on name)
  --name-field NAME       default BU_NAAM
  --district-code-field NAME, --district-name-field NAME, --municipality-code-field NAME
                          default WK_CODE, WK_NAAM, GM_CODE
  --remove-missing        delete stored neighbourhoods the file no longer has

Basemap options (BGT pand, wegdeel, waterdeel, onbegroeidterreindeel, scheiding,
overbruggingsdeel: the map's own basemap when no basemap server is configured):
  --layer LAYER           building, road, water, terrain, wall or bridge (default: from
                          the BGT object type in the file's name, e.g. bgt_pand -> building)
  --dataset NAME          the set a re-import replaces (default: the collection's "name",
                          else the file name); one --dataset needs one FILE
  --id-field NAME         source id (default lokaalID / lokaalid, then the feature id)
  --kind-field NAME       finer kind (default: road function, wall type, water/bridge class)
  Several files are one transaction: all are imported or none. Parts under 0.01 m² are
  dropped (BGT has real road and wall pieces under 0.1 m²).

Plots and basemap:
  --bounds W,S,E,N        reject features reaching outside this box (degrees); default the
                          municipality settings' "bounds" with a ${IMPORT_BOUNDS_MARGIN_M / 1000} km margin
  --no-bounds-check       no bounds check (e.g. a sample of another municipality)

All:
  --crs CRS               EPSG:28992, EPSG:4326, CRS84 or another EPSG code; wins over
                          the file's "crs" member
  --min-part-area M2      drop polygon parts smaller than this as slivers
                          (default ${DEFAULT_MIN_PART_AREA_M2} m²)
  --json                  print the summary as JSON instead of text
  -h, --help              show this help

Exit codes: 0 imported, 1 file rejected or database error (nothing written), 2 usage error.

Examples:
  npm run import -- neighbourhoods buurten.geojson
  npm run import -- plots bgt_begroeidterreindeel.geojson --owner G0503
  npm run import -- plots plots.geojson --crs EPSG:28992 --id-field ID --kind-field TYPE
  npm run import -- basemap bgt_pand.geojson bgt_wegdeel.geojson bgt_waterdeel.geojson
  npm run import -- basemap gebouwen.geojson --layer building`;

class UsageError extends Error {}

const PLOT_FLAGS = ['dataset', 'owner', 'skip-other-owners', 'retire-missing', 'synthetic', 'id-field', 'kind-field', 'kind-detail-field', 'owner-field', 'max-area', 'bounds', 'no-bounds-check'];
const NEIGHBOURHOOD_FLAGS = ['code-field', 'name-field', 'district-code-field', 'district-name-field', 'municipality-code-field', 'remove-missing'];
const BASEMAP_FLAGS = ['layer', 'bounds', 'no-bounds-check'];
/** Flags each target takes besides the common ones (--crs, --min-part-area, --json). */
const TARGET_FLAGS = {
	plots: PLOT_FLAGS,
	neighbourhoods: NEIGHBOURHOOD_FLAGS,
	basemap: [...BASEMAP_FLAGS, 'dataset', 'id-field', 'kind-field']
} as const;

function parseCommandLine(argv: string[]): ImportCommand {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				help: { type: 'boolean', short: 'h' },
				json: { type: 'boolean' },
				crs: { type: 'string' },
				'min-part-area': { type: 'string' },
				dataset: { type: 'string' },
				owner: { type: 'string' },
				'skip-other-owners': { type: 'boolean' },
				'retire-missing': { type: 'boolean' },
				synthetic: { type: 'boolean' },
				'id-field': { type: 'string' },
				'kind-field': { type: 'string' },
				'kind-detail-field': { type: 'string' },
				'owner-field': { type: 'string' },
				'code-field': { type: 'string' },
				'name-field': { type: 'string' },
				'district-code-field': { type: 'string' },
				'district-name-field': { type: 'string' },
				'municipality-code-field': { type: 'string' },
				'remove-missing': { type: 'boolean' },
				layer: { type: 'string' },
				'max-area': { type: 'string' },
				bounds: { type: 'string' },
				'no-bounds-check': { type: 'boolean' }
			}
		});
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
	const { values, positionals } = parsed;
	if (values.help) return { help: true };
	const [target, file, ...extra] = positionals;
	if (target !== 'plots' && target !== 'neighbourhoods' && target !== 'basemap') {
		throw new UsageError(
			target
				? `Unknown import target "${target}": use plots, neighbourhoods or basemap.`
				: 'Say what to import: plots, neighbourhoods or basemap.'
		);
	}
	if (!file) throw new UsageError(`Name the GeoJSON file to import: npm run import -- ${target} FILE`);
	if (extra.length && target !== 'basemap') {
		throw new UsageError(`Unexpected argument(s): ${extra.join(' ')} (one file per run).`);
	}
	if (extra.length && values.dataset !== undefined) {
		throw new UsageError('--dataset names one file\'s set: import one file per run with it.');
	}
	const allowed = new Set<string>(TARGET_FLAGS[target]);
	const wrongFlags = [...PLOT_FLAGS, ...NEIGHBOURHOOD_FLAGS, ...BASEMAP_FLAGS].filter(
		(f) => !allowed.has(f) && values[f as keyof typeof values] !== undefined
	);
	if (wrongFlags.length) {
		throw new UsageError(`--${wrongFlags.join(', --')} cannot be used when importing ${target}.`);
	}
	let minPartAreaM2: number | undefined;
	if (values['min-part-area'] !== undefined) {
		minPartAreaM2 = Number(values['min-part-area']);
		if (!Number.isFinite(minPartAreaM2) || minPartAreaM2 < 0) {
			throw new UsageError('--min-part-area must be a number of square metres, 0 or more.');
		}
	}
	let maxAreaM2: number | undefined;
	if (values['max-area'] !== undefined) {
		maxAreaM2 = Number(values['max-area']);
		if (!Number.isFinite(maxAreaM2) || maxAreaM2 <= 0) {
			throw new UsageError('--max-area must be a number of square metres, more than 0.');
		}
	}
	if (values.bounds !== undefined && values['no-bounds-check']) {
		throw new UsageError('--bounds and --no-bounds-check contradict each other: use one.');
	}
	let bounds: number[] | undefined;
	if (values.bounds !== undefined) {
		bounds = values.bounds.split(',').map((v) => Number(v.trim()));
		if (bounds.length !== 4 || bounds.some((v) => !Number.isFinite(v))) {
			throw new UsageError('--bounds must be four numbers in degrees: WEST,SOUTH,EAST,NORTH (e.g. 4.29,51.94,4.44,52.05).');
		}
	}
	const boundsOptions = bounds ? { bounds, boundsName: 'the --bounds box' } : {};
	const common = { crs: values.crs, minPartAreaM2 };
	const chosen: TargetOptions =
		target === 'basemap'
			? {
					target,
					options: parseOptionsOrUsage(BasemapImportOptionsSchema, {
						...common,
						...boundsOptions,
						layer: values.layer,
						dataset: values.dataset,
						idField: values['id-field'],
						kindField: values['kind-field']
					})
				}
			: target === 'plots'
			? {
					target,
					options: parseOptionsOrUsage(PlotImportOptionsSchema, {
						...common,
						...boundsOptions,
						maxAreaM2,
						dataset: values.dataset,
						owner: values.owner,
						skipOtherOwners: values['skip-other-owners'],
						retireMissing: values['retire-missing'],
						synthetic: values.synthetic,
						idField: values['id-field'],
						kindField: values['kind-field'],
						kindDetailField: values['kind-detail-field'],
						ownerField: values['owner-field']
					})
				}
			: {
					target,
					options: parseOptionsOrUsage(NeighbourhoodImportOptionsSchema, {
						...common,
						codeField: values['code-field'],
						nameField: values['name-field'],
						districtCodeField: values['district-code-field'],
						districtNameField: values['district-name-field'],
						municipalityCodeField: values['municipality-code-field'],
						removeMissing: values['remove-missing']
					})
				};
	if (target === 'plots' && values['skip-other-owners'] && !values.owner) {
		throw new UsageError('--skip-other-owners needs --owner CODE (whose plots to keep).');
	}
	return {
		help: false,
		...chosen,
		files: [file, ...extra],
		json: values.json ?? false,
		// Plots and the basemap are checked against the municipality's bounds unless told otherwise.
		defaultBounds: target !== 'neighbourhoods' && bounds === undefined && !values['no-bounds-check']
	};
}

/** A target with its options, parsed by that target's own schema. */
type TargetOptions =
	| { target: 'plots'; options: z.output<typeof PlotImportOptionsSchema> }
	| { target: 'neighbourhoods'; options: z.output<typeof NeighbourhoodImportOptionsSchema> }
	| { target: 'basemap'; options: z.output<typeof BasemapImportOptionsSchema> };

/** What the command line asks for. */
type ImportCommand = { help: true } | (TargetOptions & { help: false; files: string[]; json: boolean; defaultBounds: boolean });

function parseOptionsOrUsage<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const options = schema.safeParse(input);
	if (!options.success) {
		throw new UsageError(options.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
	}
	return options.data;
}

/** A progress bar on stderr, only for an operator watching a large file. */
function progressReporter(): { onProgress: (done: number, total: number) => void; stop: () => void } {
	if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
	let bar: cliProgress.SingleBar | undefined;
	return {
		onProgress(done, total) {
			if (total < 2000) return;
			if (!bar) {
				bar = new cliProgress.SingleBar(
					{ stream: process.stderr, format: 'importing {bar} {value}/{total} features | {eta_formatted} left', hideCursor: true },
					cliProgress.Presets.shades_classic
				);
				bar.start(total, 0);
			}
			bar.update(done);
		},
		stop: () => bar?.stop()
	};
}

async function main(): Promise<number> {
	let command: ImportCommand;
	try {
		command = parseCommandLine(process.argv.slice(2));
	} catch (e) {
		if (!(e instanceof UsageError)) throw e;
		console.error(`${e.message}\nRun "npm run import -- --help" for the options.`);
		return 2;
	}
	if (command.help) {
		console.log(HELP);
		return 0;
	}
	// Configuration, migrations and seed paths are relative to the project root.
	const startedIn = process.cwd();
	process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
	let config: Config;
	try {
		config = getConfig();
	} catch (e) {
		console.error(`Import failed: ${(e as Error).message}`);
		return 1;
	}
	// `npm run` starts us in the project root; a relative FILE means the operator's directory.
	const files = command.files.map((f) => path.resolve(config.cli.invokedFrom ?? startedIn, f));
	const [file] = files;

	let database: Database | undefined;
	const progress = progressReporter();
	try {
		database = openDatabase({ ...config.db, holder: 'npm run import' });
		await runMigrations(database, config.projectRoot);
		const bounds = command.defaultBounds ? importBounds(loadMunicipality(config.municipalityFile)) : {};
		let summaries: (PlotImportSummary | NeighbourhoodImportSummary | BasemapImportSummary)[];
		if (command.target === 'basemap') {
			const options = { ...command.options, ...bounds };
			const started = new Date();
			const db = database.db;
			// Several files, one transaction: a basemap half of whose layers changed is worse than none.
			summaries = await db
				.transaction(async (tx) => {
					const done: BasemapImportSummary[] = [];
					for (const f of files) done.push(await importBasemap(tx, { file: f }, options, progress.onProgress));
					return done;
				})
				.catch(async (e: unknown) => {
					// Each file's own record went down with the transaction; this one stays.
					await recordRefusedRun(db, 'basemap', files.join(', '), e, started);
					throw e;
				});
		} else if (command.target === 'plots') {
			summaries = [await importPlots(database.db, { file }, { ...command.options, ...bounds }, progress.onProgress)];
		} else {
			summaries = [await importNeighbourhoods(database.db, { file }, command.options, progress.onProgress)];
		}
		progress.stop();
		await refreshStatistics(database.db, command.target);
		console.log(
			command.json
				? JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2)
				: summaries.map(formatSummary).join('\n\n')
		);
		return 0;
	} catch (e) {
		progress.stop();
		if (e instanceof ImportError || e instanceof DataDirLockedError || e instanceof DatabaseUnusableError) {
			console.error(`Import failed: ${e.message}`);
		} else {
			const err = e as Error & { cause?: Error };
			console.error(`Import failed, nothing was written: ${err.cause?.message ?? err.message}`);
			if (config.log.level === 'debug') console.error(err.stack);
		}
		return 1;
	} finally {
		await database?.close();
	}
}

process.exitCode = await main();

import { readConfig, type ServerConfig } from './config';
import { closeDatabase, getDatabase } from './db';
import { DataDirLockedError } from './db/lock';
import { DatabaseUnusableError, migrationStatus, runMigrations } from './db/migrate';
import { seedDemoIfEmpty } from './import/seed';
import { logger, oneLine } from './logging/logger';
import {
	loadMunicipality,
	publicMunicipality,
	type Municipality,
	type PublicMunicipality
} from './municipality';

/**
 * What start-up established, kept on globalThis rather than in module variables: in
 * `vite dev` a module can be re-evaluated after an edit, and the app must not prepare
 * (open the database, migrate, seed) a second time in the same process.
 */
interface AppState {
	ready: Promise<void>;
	municipality?: Municipality;
	config?: ServerConfig;
}

const STATE = Symbol.for('perkje.app');
const SHUTDOWN = Symbol.for('perkje.shutdown');
type Globals = typeof globalThis & { [STATE]?: AppState; [SHUTDOWN]?: () => Promise<void> };
const globals = globalThis as Globals;

/** Errors whose message already tells the operator what to do. */
function isExplained(e: unknown): e is Error {
	return (
		e instanceof DataDirLockedError ||
		e instanceof DatabaseUnusableError ||
		(e instanceof Error && /configuration|municipality settings/i.test(e.message))
	);
}

/** The one line that says why the app cannot start. */
export function startupFailureMessage(e: unknown): string {
	const message = e instanceof Error ? e.message : String(e);
	return `Perkje cannot start: ${oneLine(message)}`;
}

async function prepare(state: AppState, exitOnFailure: boolean): Promise<void> {
	const started = performance.now();
	try {
		const config = readConfig();
		const municipality = loadMunicipality(config.municipalityFile);
		const database = getDatabase(config);
		await runMigrations(database, config.projectRoot);
		const migrations = await migrationStatus(database, config.projectRoot);
		const seed = config.demo
			? await seedDemoIfEmpty(database, municipality, config.projectRoot)
			: { seeded: false };
		state.config = config;
		state.municipality = municipality;
		logger.info(
			{
				municipality: municipality.name,
				database: { kind: database.kind, location: database.location },
				migrations,
				demo: config.demo,
				seed,
				durationMs: Math.round(performance.now() - started)
			},
			'app ready'
		);
	} catch (e) {
		logger.fatal(startupFailureMessage(e));
		if (!isExplained(e)) logger.debug({ err: e }, 'start-up failure detail');
		await closeDatabase().catch(() => {});
		if (exitOnFailure) process.exit(1);
		throw e;
	}
}

/**
 * Runs once per process before the first request (SvelteKit's `init` hook): configuration,
 * municipality settings, database, migrations, and on a fresh demo database the demo data.
 * On failure it logs one line and ends the process with exit code 1; under `vite dev`
 * (exitOnFailure: false) the dev server stays up and shows the error on every request.
 */
export function prepareApp(options: { exitOnFailure?: boolean } = {}): Promise<void> {
	const existing = globals[STATE];
	if (existing) return existing.ready;
	const exitOnFailure = options.exitOnFailure ?? true;
	const state = { ready: Promise.resolve() } as AppState;
	globals[STATE] = state;
	state.ready = prepare(state, exitOnFailure);
	globals[SHUTDOWN] = shutdownApp;
	// adapter-node's own server (`node build`) emits this once its requests are done.
	process.once('sveltekit:shutdown' as 'exit', () => void shutdownApp());
	return state.ready;
}

function prepared(): AppState & { municipality: Municipality } {
	const state = globals[STATE];
	if (!state?.municipality) {
		throw new Error('The app is not prepared yet: prepareApp() runs in the init hook');
	}
	return state as AppState & { municipality: Municipality };
}

/** The municipality this instance serves, with the seed settings (server code only). */
export function getMunicipality(): Municipality {
	return prepared().municipality;
}

/** The municipality as pages may see it (no seed file paths). */
export function getPublicMunicipality(): PublicMunicipality {
	return publicMunicipality(getMunicipality());
}

/**
 * Closes the database; the embedded engine flushes and releases its folder. Called after
 * the HTTP server has finished its open requests: by `npm start` (src/cli/start.ts, which
 * finds it on globalThis because the built app is a separate module graph) and, for a
 * plain `node build`, on adapter-node's `sveltekit:shutdown` event.
 */
export async function shutdownApp(): Promise<void> {
	await closeDatabase();
	logger.info('database closed');
}

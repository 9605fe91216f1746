import { seedDemoCare } from '#server/activities';
import { startQuietSweep } from '#server/adoptions';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from '#server/auth';
import { ConfigError, getConfig } from '#server/config';
import {
	closeDatabase,
	DatabaseUnusableError,
	DataDirLockedError,
	getDatabase,
	migrationStatus,
	runMigrations,
	type DatabaseKind
} from '#server/db';
import { contentSecurityPolicy } from '#server/http';
import { seedDemoIfEmpty } from '#server/import';
import type { RepeatingJob } from '#server/jobs';
import { logger, startupFailureMessage } from '#server/logging';
import { loadMunicipality, publicMunicipality, type Municipality, type PublicMunicipality } from '#server/municipality';
import { startPendingPhotoSweep } from '#server/media';
import { startOutboxWorker, type OutboxWorker } from '#server/notifications';
import { startRetentionSweep } from '#server/privacy';
import { seedDemoReports, startUnansweredQuestionSweep } from '#server/reports';
import { answerTile, type FastPath } from './fast-path';

/**
 * What start-up established, kept on globalThis rather than in module variables: in
 * `vite dev` a module can be re-evaluated after an edit, and the app must not prepare
 * (open the database, migrate, seed) a second time in the same process. `npm start`
 * (src/cli/start.ts) reads it there too, because the built app is a module graph of its own.
 */
export interface AppHandle {
	ready: Promise<void>;
	municipality?: Municipality;
	database?: { kind: DatabaseKind; location: string };
	/**
	 * The pages' Content-Security-Policy, for `npm start` to put on the static files: taken
	 * from here, because importing it into the CLI loads the whole message catalogue (a
	 * second of a warm start) that the built app has loaded anyway.
	 */
	contentSecurityPolicy?: string;
	/** In demo mode: the account `npm start` tells a newcomer to sign in with. */
	demoSignIn?: { email: string; password: string };
	/** The mail outbox worker (notifications/outbox.ts), one per process. */
	outboxWorker?: OutboxWorker;
	/** The hourly nudge of quiet adoptions (adoptions/quiet.ts). */
	quietSweep?: RepeatingJob;
	/** The hourly deletion of expired personal data (privacy/retention.ts). */
	retentionSweep?: RepeatingJob;
	/** The hourly deletion of photos uploaded but never attached (media/photos.ts). */
	pendingPhotoSweep?: RepeatingJob;
	reportQuestionSweep?: RepeatingJob;
	/**
	 * Tiles answered before the framework (./fast-path.ts), for `npm start`'s server; set
	 * once the app is ready. `node build` does not use it.
	 */
	answerTile?: FastPath;
	/** Closes the database; see shutdownApp(). */
	shutdown(): Promise<void>;
}

export const APP_HANDLE = Symbol.for('perkje.app');
/** The account `npm start` names, and the one the demo gives a plot with some care. */
const DEMO_RESIDENT = DEMO_ACCOUNTS.find((a) => a.role === 'resident')!;
const globals = globalThis as typeof globalThis & { [APP_HANDLE]?: AppHandle };

async function prepare(state: AppHandle, exitOnFailure: boolean): Promise<void> {
	const started = performance.now();
	// Where a start's time goes, in the 'app ready' line: a slow start is then one look away.
	const steps: Record<string, number> = {};
	let mark = started;
	const step = <T>(name: string, value: T): T => {
		const now = performance.now();
		steps[name] = Math.round(now - mark);
		mark = now;
		return value;
	};
	try {
		// All of it checked first, also what is used only later (mail, sign-in), so a typo
		// stops the start, before the database is opened, not a sign-in an hour later.
		const config = getConfig();
		const municipality = loadMunicipality(config.municipalityFile);
		const database = step('config', getDatabase(config));
		if (database.driver.kind === 'embedded') step('open', await database.driver.client.waitReady);
		step('migrations', await runMigrations(database, config.projectRoot));
		const migrations = step('migrationStatus', await migrationStatus(database, config.projectRoot));
		const seed = config.demo
			? step('demoSeed', await seedDemoIfEmpty(database, municipality, config.projectRoot))
			: { seeded: false };
		if (config.demo) step('demoAccounts', await seedDemoAccounts(database));
		// After the accounts: the demo resident's own plot with some care, once.
		const demoCare = config.demo ? step('demoCare', await seedDemoCare(database, DEMO_RESIDENT.email)) : { seeded: false };
		// After the accounts and plots: reports in several states, routed to the demo partner, once.
		const demoReports = config.demo ? step('demoReports', await seedDemoReports(database, DEMO_RESIDENT.email)) : { seeded: false };
		// Sends what changes wrote to the mail outbox; stopped by shutdownApp().
		state.outboxWorker ??= startOutboxWorker(database.db);
		// Nudges adopters of quiet adoptions (hourly); never ends one. Stopped by shutdownApp().
		state.quietSweep ??= startQuietSweep(database.db);
		// Deletes ended sessions, used tokens and old mails (hourly). Stopped by shutdownApp().
		state.retentionSweep ??= startRetentionSweep(database.db);
		// Deletes photos never attached to an entry or report (hourly). Stopped by shutdownApp().
		state.pendingPhotoSweep ??= startPendingPhotoSweep(database.db);
		// Moves on reports whose question to the reporter went unanswered (hourly). Stopped by shutdownApp().
		state.reportQuestionSweep ??= startUnansweredQuestionSweep(database.db);
		state.municipality = municipality;
		state.database = { kind: database.kind, location: database.location };
		state.contentSecurityPolicy = contentSecurityPolicy(config.map);
		if (config.demo) state.demoSignIn = { email: DEMO_RESIDENT.email, password: DEMO_PASSWORD };
		state.answerTile = answerTile;
		logger.info(
			{
				municipality: municipality.name,
				database: { kind: database.kind, location: database.location },
				migrations,
				demo: config.demo,
				seed,
				demoCare,
				demoReports,
				stepsMs: step('workers', steps),
				durationMs: Math.round(performance.now() - started)
			},
			'app ready'
		);
	} catch (e) {
		logger.fatal(startupFailureMessage(e));
		// The stack only for whoever asks (LOG_LEVEL=debug) and only where it can help.
		if (!(e instanceof ConfigError || e instanceof DataDirLockedError || e instanceof DatabaseUnusableError)) {
			logger.debug({ err: e }, 'start-up failure detail');
		}
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
	const existing = globals[APP_HANDLE];
	if (existing) return existing.ready;
	const state: AppHandle = { ready: Promise.resolve(), shutdown: shutdownApp };
	globals[APP_HANDLE] = state;
	state.ready = prepare(state, options.exitOnFailure ?? true);
	// adapter-node's own server (`node build`) emits this once its requests are done.
	process.once('sveltekit:shutdown' as 'exit', () => void shutdownApp());
	return state.ready;
}

/** The municipality this instance serves, with the seed settings (server code only). */
export function getMunicipality(): Municipality {
	const municipality = globals[APP_HANDLE]?.municipality;
	if (!municipality) {
		throw new Error('The app is not prepared yet: prepareApp() runs in the init hook');
	}
	return municipality;
}

/** The municipality as pages may see it (no seed file paths). */
export function getPublicMunicipality(): PublicMunicipality {
	return publicMunicipality(getMunicipality());
}

/**
 * Closes the database; the embedded engine flushes and releases its folder. Called after
 * the HTTP server has finished its open requests: by `npm start` (through the AppHandle)
 * and, for a plain `node build`, on adapter-node's `sveltekit:shutdown` event.
 */
export async function shutdownApp(): Promise<void> {
	const state = globals[APP_HANDLE];
	await Promise.all([
		state?.outboxWorker?.stop(),
		state?.quietSweep?.stop(),
		state?.retentionSweep?.stop(),
		state?.pendingPhotoSweep?.stop(),
		state?.reportQuestionSweep?.stop()
	]);
	if (state) {
		state.outboxWorker = undefined;
		state.quietSweep = undefined;
		state.retentionSweep = undefined;
		state.pendingPhotoSweep = undefined;
		state.reportQuestionSweep = undefined;
	}
	await closeDatabase();
	logger.info('database closed');
}

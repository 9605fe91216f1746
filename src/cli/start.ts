/**
 * `npm start`: builds the app when the build is missing or older than the sources, then
 * serves it. The first start on a fresh clone therefore needs nothing but `npm install`.
 *
 *   npm start                 build if needed, then serve
 *   npm start -- --no-build   serve ./build as it is (tests, deployments that build in CI)
 *
 * Human lines (building, ready, stopping) are plain text; everything the app logs is JSON.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { readAuthConfig } from '../lib/server/auth/config';
import { readConfig } from '../lib/server/config';
import { logger, startupFailureMessage } from '../lib/server/logging/logger';
import { readMailConfig } from '../lib/server/mail/config';
import { loadMunicipality } from '../lib/server/municipality';
// Types only: the app itself runs from ./build, so this process loads no database code.
import type { AppHandle } from '../lib/server/startup';

const started = performance.now();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Configuration paths, migrations and seed files are relative to the project root.
process.chdir(root);

const ServeEnv = z.object({
	HOST: z.string().min(1).default('127.0.0.1'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	SHUTDOWN_TIMEOUT: z.coerce.number().min(0).default(10)
});

function fail(e: unknown): never {
	logger.fatal(startupFailureMessage(e));
	process.exit(1);
}

/** Relative to the project when inside it (data/pglite), absolute otherwise. */
function shortPath(file: string): string {
	const relative = path.relative(root, file);
	return relative && !relative.startsWith('..') ? relative : file;
}

function seconds(since: number): string {
	return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

// Configuration first: a typo should not cost a half-minute build before it is reported.
let serve: z.infer<typeof ServeEnv>;
try {
	const config = readConfig();
	readAuthConfig();
	readMailConfig();
	loadMunicipality(config.municipalityFile);
	const parsed = ServeEnv.safeParse(process.env);
	if (!parsed.success) {
		const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid configuration:\n${issues.join('\n')}`);
	}
	serve = parsed.data;
} catch (e) {
	fail(e);
}

const buildDir = path.join(root, 'build');
const handlerFile = path.join(buildDir, 'handler.js');

/**
 * What the build is made from. Not: code the build generates (src/lib/paraglide), tests, and
 * the CLI commands, which run from source through tsx.
 */
const SOURCES = [
	'src',
	'static',
	'project.inlang/settings.json',
	'svelte.config.js',
	'vite.config.ts',
	'package.json'
];
const NOT_BUILT = [path.join(root, 'src', 'lib', 'paraglide'), path.join(root, 'src', 'cli')];
const TEST_FILE = /\.(spec|test)\.ts$/;

function newestSource(): { file: string; mtimeMs: number } {
	let newest = { file: '', mtimeMs: 0 };
	const visit = (file: string) => {
		if (NOT_BUILT.includes(file) || TEST_FILE.test(file)) return;
		let stat: fs.Stats;
		try {
			stat = fs.statSync(file);
		} catch {
			return;
		}
		if (stat.isDirectory()) {
			for (const name of fs.readdirSync(file)) visit(path.join(file, name));
		} else if (stat.mtimeMs > newest.mtimeMs) {
			newest = { file, mtimeMs: stat.mtimeMs };
		}
	};
	for (const source of SOURCES) visit(path.join(root, source));
	return newest;
}

function buildReason(): string | undefined {
	if (!fs.existsSync(handlerFile)) return 'er is nog geen build';
	const built = fs.statSync(handlerFile).mtimeMs;
	const newest = newestSource();
	if (newest.mtimeMs > built) return `${path.relative(root, newest.file)} is nieuwer dan de build`;
	return undefined;
}

if (!process.argv.includes('--no-build')) {
	const reason = buildReason();
	if (reason) {
		const buildStarted = performance.now();
		console.log(`Perkje bouwen met vite build (${reason}); dit duurt even…`);
		const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
		const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
			stdio: 'inherit'
		});
		if (result.status !== 0) fail(new Error(`vite build failed (exit code ${result.status})`));
		console.log(`Gebouwd in ${seconds(buildStarted)}.`);
	}
} else if (!fs.existsSync(handlerFile)) {
	fail(new Error(`There is no build in ${buildDir}: run npm run build, or drop --no-build`));
}

// Importing the handler runs SvelteKit's init hook (adapter-node awaits server.init), so the
// database is open, migrated and seeded before the port opens. A failure there has already
// logged its one line and ended the process.
const { handler } = (await import(pathToFileURL(handlerFile).href)) as {
	handler: http.RequestListener;
};

let stopping = false;
const server = http.createServer((req, res) => {
	// Keep-alive would keep a client's connection, and with it the shutdown, open.
	if (stopping) res.setHeader('connection', 'close');
	handler(req, res);
});

server.on('error', (e: NodeJS.ErrnoException) => {
	const message =
		e.code === 'EADDRINUSE'
			? `port ${serve.PORT} on ${serve.HOST} is already in use; set PORT to another port`
			: e.message;
	logger.fatal(startupFailureMessage(message));
	void closeApp().finally(() => process.exit(1));
});

server.listen(serve.PORT, serve.HOST, () => {
	const address = server.address() as { port: number };
	const loopback = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(serve.HOST);
	const host = loopback ? 'localhost' : serve.HOST;
	logger.info(
		{ host: serve.HOST, port: address.port, startupMs: Math.round(performance.now() - started) },
		'listening'
	);
	console.log(`Perkje draait op http://${host}:${address.port} (database: ${describeDatabase()})`);
});

/** What the built app's start-up left on globalThis (see AppHandle in startup.ts). */
function appHandle(): AppHandle | undefined {
	return (globalThis as Record<symbol, AppHandle | undefined>)[Symbol.for('perkje.app')];
}

/** The built app's own shutdown: closes the database it opened. */
async function closeApp(): Promise<void> {
	await appHandle()?.shutdown();
}

function describeDatabase(): string {
	const database = appHandle()?.database;
	if (!database) return 'onbekend';
	return database.kind === 'postgres'
		? `PostgreSQL ${database.location}`
		: `ingebouwde database (PGlite) in ${shortPath(database.location)}`;
}

async function stop(signal: NodeJS.Signals): Promise<void> {
	if (stopping) {
		// A second Ctrl-C: the person wants out now. The embedded database survives it.
		console.log('Perkje stopt direct.');
		process.exit(1);
	}
	stopping = true;
	console.log(`Perkje stopt (${signal}): lopende verzoeken afmaken…`);
	let cutOff = false;
	const deadline = setTimeout(() => {
		cutOff = true;
		logger.warn(
			{ timeoutS: serve.SHUTDOWN_TIMEOUT },
			'open requests did not finish in time; closing them'
		);
		server.closeAllConnections();
	}, serve.SHUTDOWN_TIMEOUT * 1000);
	const drained = new Promise<void>((resolve) => server.close(() => resolve()));
	server.closeIdleConnections();
	// Connections that finish a request later become idle too; close those as they appear.
	const sweeper = setInterval(() => server.closeIdleConnections(), 100);
	await drained;
	clearInterval(sweeper);
	clearTimeout(deadline);
	try {
		await closeApp();
	} catch (e) {
		logger.error({ err: e }, 'closing the database failed');
		process.exit(1);
	}
	console.log('Perkje gestopt.');
	// Non-zero when requests had to be cut off, so a supervisor can tell.
	process.exit(cutOff ? 1 : 0);
}

process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

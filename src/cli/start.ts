/**
 * `npm start`: builds the app when the build is missing or older than the sources, then
 * serves it. The first start on a fresh clone therefore needs nothing but `npm install`.
 *
 *   npm start                 build if needed, then serve
 *   npm start -- --no-build   serve ./build as it is (tests, deployments that build in CI)
 *   npm start -- --verbose    show the build's own output instead of keeping it in data/build.log
 *
 * Human lines (building, preparing, ready, stopping) are plain text in the person's language;
 * everything the app logs is JSON. In a terminal the app logs only warnings and errors unless
 * LOG_LEVEL says otherwise: a newcomer wants the address, not a line per request.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '#server/config';
import { compressResponses } from '#server/compression';
import { logger, startupFailureMessage } from '#server/logging';
import { loadMunicipality } from '#server/municipality';
// Types only: the app itself runs from ./build, so this process loads no database code.
import type { AppHandle } from '#lib/server/startup.js';
import type { FastAnswer } from '#lib/server/fast-path.js';

const started = performance.now();
const verbose = process.argv.includes('--verbose');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Configuration paths, migrations and seed files are relative to the project root.
process.chdir(root);

// Configuration first, all of it: a typo should not cost a half-minute build before it is
// reported. The environment is read here once; the built app reads it again when it loads.
let config: Config;
try {
	// In a terminal the app logs only warnings and errors unless LOG_LEVEL says otherwise.
	config = loadConfig(process.env, { projectRoot: root, defaultLogLevel: process.stdout.isTTY ? 'warn' : 'info' });
	loadMunicipality(config.municipalityFile);
} catch (e) {
	fail(e);
}
// For this process's own logger, and for the built app, which runs in this process but is a
// module graph of its own and takes LOG_LEVEL from the environment.
logger.level = config.log.level;
process.env.LOG_LEVEL = config.log.level;
const serve = config.serve;

/**
 * The few lines a person reads, in Dutch or English after the terminal's language (Dutch
 * unless it says English). Not the message catalogue: that is compiled by the very build
 * these lines announce.
 */
const english = config.cli.language === 'en';
const say = {
	building: (reason: string) =>
		english
			? `Building Perkje (${reason}); the first time takes about a minute…`
			: `Perkje bouwen (${reason}); de eerste keer duurt dat ongeveer een minuut…`,
	built: (time: string, log: string) =>
		english ? `Built in ${time} (output in ${log}).` : `Gebouwd in ${time} (uitvoer in ${log}).`,
	builtShown: (time: string) => (english ? `Built in ${time}.` : `Gebouwd in ${time}.`),
	buildFailed: (log: string) =>
		english ? `The build failed; the last lines of ${log}:` : `Het bouwen is mislukt; de laatste regels van ${log}:`,
	noBuild: english ? 'there is no build yet' : 'er is nog geen build',
	newer: (file: string) => (english ? `${file} is newer than the build` : `${file} is nieuwer dan de build`),
	preparing: english
		? 'Preparing the database (the first time also loading the demo data)…'
		: 'Database voorbereiden (de eerste keer ook de demogegevens laden)…',
	running: (url: string, database: string) =>
		english ? `Perkje is running at ${url} (database: ${database})` : `Perkje draait op ${url} (database: ${database})`,
	demo: (url: string, email: string, password: string) =>
		english
			? `Demo: sign in as ${email} with password ${password}; the mails Perkje sends are in the demo mailbox, ${url}/demo/post`
			: `Demo: meld u aan als ${email} met wachtwoord ${password}; de mails die Perkje verstuurt staan in het demo-postvak, ${url}/demo/post`,
	stopHint: english ? 'Stop with Ctrl+C.' : 'Stoppen met Ctrl+C.',
	embedded: (where: string) =>
		english ? `embedded database (PGlite) in ${where}` : `ingebouwde database (PGlite) in ${where}`,
	unknown: english ? 'unknown' : 'onbekend',
	stopping: (signal: string) =>
		english ? `Perkje is stopping (${signal}): finishing open requests…` : `Perkje stopt (${signal}): lopende verzoeken afmaken…`,
	stopNow: english ? 'Perkje stops at once.' : 'Perkje stopt direct.',
	stopped: english ? 'Perkje stopped.' : 'Perkje gestopt.'
};

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
	if (!fs.existsSync(handlerFile)) return say.noBuild;
	const built = fs.statSync(handlerFile).mtimeMs;
	const newest = newestSource();
	if (newest.mtimeMs > built) return say.newer(path.relative(root, newest.file));
	return undefined;
}

/**
 * vite build, its output (dozens of circular-import warnings from dependencies, Svelte's
 * accessibility hints) in a log file unless --verbose: shown only when the build fails.
 */
function build(reason: string): void {
	const buildStarted = performance.now();
	const logFile = path.join(root, 'data', 'build.log');
	console.log(say.building(reason));
	const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	let output: number | 'inherit' = 'inherit';
	if (!verbose) {
		fs.mkdirSync(path.dirname(logFile), { recursive: true });
		output = fs.openSync(logFile, 'w');
	}
	const result = spawnSync(process.execPath, [vite, 'build'], { stdio: ['ignore', output, output] });
	if (typeof output === 'number') fs.closeSync(output);
	if (result.status !== 0) {
		if (!verbose) {
			console.error(say.buildFailed(shortPath(logFile)));
			console.error(fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'));
		}
		fail(new Error(`vite build failed (exit code ${result.status})`));
	}
	console.log(verbose ? say.builtShown(seconds(buildStarted)) : say.built(seconds(buildStarted), shortPath(logFile)));
}

if (!process.argv.includes('--no-build')) {
	const reason = buildReason();
	if (reason) build(reason);
} else if (!fs.existsSync(handlerFile)) {
	fail(new Error(`There is no build in ${buildDir}: run npm run build, or drop --no-build`));
}

/**
 * adapter-node takes the origin from ORIGIN, else from PROTOCOL_HEADER and the Host header,
 * else assumes https: on this plain-http server that made every form post from the browser
 * fail the origin check. This server is plain http, so unless the operator said otherwise
 * (ORIGIN or PROTOCOL_HEADER, for a TLS proxy in front), the origin is http:// plus the Host
 * the browser used: localhost and 127.0.0.1 both work. The header is set on every request
 * here, so a client cannot choose it.
 */
const SERVED_PROTOCOL_HEADER = 'x-perkje-served-protocol';
const originFromRequest = !serve.origin && !serve.protocolHeader;
if (originFromRequest) process.env.PROTOCOL_HEADER = SERVED_PROTOCOL_HEADER;
// adapter-node's own default (512K) would cut off every photo upload; the configuration's
// default (16M) is the upload's size, and smaller forms are refused by the app (FORM_BODY_LIMIT).
process.env.BODY_SIZE_LIMIT = serve.bodySizeLimit;

// Importing the handler runs SvelteKit's init hook (adapter-node awaits server.init), so the
// database is open, migrated and seeded before the port opens. A failure there has already
// logged its one line and ended the process.
console.log(say.preparing);
// Through start.mjs's plain import when npm start runs this (see there); a direct import when
// something runs this file with `node --import tsx`.
const importBuilt =
	(globalThis as { [key: symbol]: ((url: string) => Promise<unknown>) | undefined })[Symbol.for('perkje.importBuilt')] ??
	((url: string) => import(url));
const { handler } = (await importBuilt(pathToFileURL(handlerFile).href)) as {
	handler: http.RequestListener;
};
// PERKJE_TILE_FAST_PATH=false sends tiles through SvelteKit too, to compare the two.
const answerTile = serve.tileFastPath ? appHandle()?.answerTile : undefined;

const BASELINE_HEADERS = [
	['x-content-type-options', 'nosniff'],
	['x-frame-options', 'DENY'],
	['referrer-policy', 'strict-origin-when-cross-origin'],
	// The pages' own policy: a worker script (MapLibre's) runs under the policy of the file it
	// was loaded from, and must still reach the tiles; an SVG opened by itself runs nothing else.
	// The built app made it (AppHandle), so this process need not load the message catalogue.
	['content-security-policy', appHandle()?.contentSecurityPolicy ?? "default-src 'none'"]
] as const;

const compress = compressResponses();

let stopping = false;
const server = http.createServer((req, res) => {
	// Keep-alive would keep a client's connection, and with it the shutdown, open.
	if (stopping) res.setHeader('connection', 'close');
	if (originFromRequest) req.headers[SERVED_PROTOCOL_HEADER] = 'http';
	if (!answeredBeforeFramework(req, res)) toFramework(req, res);
});

function toFramework(req: http.IncomingMessage, res: http.ServerResponse): void {
	// Static files (/_app/immutable/*, /favicon.svg) are served before the app's hooks run, so
	// their security headers are set here. Pages and endpoints set their own, replacing these.
	for (const [name, value] of BASELINE_HEADERS) res.setHeader(name, value);
	compress(req, res, () => handler(req, res));
}

/**
 * A tile, answered by the built app's fast path (src/lib/server/fast-path.ts) with the
 * status, headers and body SvelteKit would send, and its request log line; false for
 * anything else, which the framework answers. A tile that is rendered first is answered
 * when it is ready, or handed to the framework after all when the fast path declines or its
 * rendering fails (the framework then renders it and answers as it answers errors). Before
 * compression, which leaves every tile answer as it is (already gzipped, a type it does not
 * compress, or no body).
 */
function answeredBeforeFramework(req: http.IncomingMessage, res: http.ServerResponse): boolean {
	const url = req.url;
	if (!answerTile || req.method !== 'GET' || !url?.startsWith('/tiles/')) return false;
	const query = url.indexOf('?');
	const answer = answerTile(query < 0 ? url : url.slice(0, query), query < 0 ? '' : url.slice(query + 1), req.headers);
	if (!answer) return false;
	const send = (ready: FastAnswer | undefined) => {
		if (!ready) return toFramework(req, res);
		// Its headers include the baseline ones (security headers), so those are not set first.
		res.writeHead(ready.status, ready.headers.flat());
		res.end(ready.body ?? undefined);
	};
	if (answer instanceof Promise) answer.then(send, () => toFramework(req, res));
	else send(answer);
	return true;
}

server.on('error', (e: NodeJS.ErrnoException) => {
	const message =
		e.code === 'EADDRINUSE'
			? `port ${serve.port} on ${serve.host} is already in use; set PORT to another port`
			: e.message;
	logger.fatal(startupFailureMessage(message));
	void closeApp().finally(() => process.exit(1));
});

server.listen(serve.port, serve.host, () => {
	const address = server.address() as { port: number };
	const loopback = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(serve.host);
	const host = loopback ? 'localhost' : serve.host;
	logger.info(
		{ host: serve.host, port: address.port, startupMs: Math.round(performance.now() - started) },
		'listening'
	);
	const url = `http://${host}:${address.port}`;
	console.log(say.running(url, describeDatabase()));
	const demo = appHandle()?.demoSignIn;
	if (demo) console.log(say.demo(url, demo.email, demo.password));
	console.log(say.stopHint);
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
	if (!database) return say.unknown;
	return database.kind === 'postgres'
		? `PostgreSQL ${database.location}`
		: say.embedded(shortPath(database.location));
}

let stoppingSince = 0;

async function stop(signal: NodeJS.Signals): Promise<void> {
	if (stopping) {
		// One Ctrl-C can arrive twice (from the terminal and relayed by npm): that is not a
		// person insisting. The embedded database survives an immediate exit, and the lock
		// file goes with the process (db/lock.ts).
		if (performance.now() - stoppingSince < 1000) return;
		// A second Ctrl-C: the person wants out now.
		console.log(say.stopNow);
		process.exit(1);
	}
	stopping = true;
	stoppingSince = performance.now();
	console.log(say.stopping(signal));
	let cutOff = false;
	const deadline = setTimeout(() => {
		cutOff = true;
		logger.warn(
			{ timeoutS: serve.shutdownTimeoutS },
			'open requests did not finish in time; closing them'
		);
		server.closeAllConnections();
	}, serve.shutdownTimeoutS * 1000);
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
	console.log(say.stopped);
	// Non-zero when requests had to be cut off, so a supervisor can tell.
	process.exit(cutOff ? 1 : 0);
}

process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * All configuration comes from the environment, read once and checked here as a whole, so a
 * typo in any variable stops the start with one line naming it, instead of surfacing deep in
 * a request or, worse, being quietly replaced by a default. Plain `process.env` (not
 * `$env/dynamic/private`) because the CLI commands share this module.
 *
 * `loadConfig(env)` is pure over the env object it is given (tests pass their own);
 * `getConfig()` is the app's: process.env, read on first use and kept.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What an HTTP header name may consist of (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** One Content-Security-Policy host source: no spaces, quotes or separators that would open a new directive. */
const CSP_SOURCE = /^https?:\/\/[^\s;,'"]+$/;

/**
 * An unset or blank variable is "not configured" (`FOO=` in a compose file means the default).
 * Values are trimmed, except a secret, which is taken as given.
 */
function setting<T extends z.ZodType>(schema: T, options: { trim?: boolean } = {}) {
	const trim = options.trim ?? true;
	return z.preprocess(
		(value) => (typeof value === 'string' && value.trim() !== '' ? (trim ? value.trim() : value) : undefined),
		schema.optional()
	);
}

/**
 * A variable adapter-node reads itself, from the same environment, as it is: there a blank one
 * is not unset (ORIGIN= is refused, BODY_SIZE_LIMIT= means no body at all), so here it is
 * refused too, like a value with spaces around it.
 */
function adapterNodeSetting<T extends z.ZodType>(schema: T) {
	return schema.optional();
}

function wholeNumber(min: number, max: number, message: string) {
	return z
		.string()
		.regex(/^\d+$/, message)
		.transform(Number)
		.pipe(z.number().min(min, message).max(max, message));
}

function webUrl(message: string) {
	return z.url({ protocol: /^https?$/, error: message });
}

function headerName(name: string) {
	return z.string().regex(HEADER_NAME, `must be an HTTP header name such as x-forwarded-${name}`);
}

/** Every variable Perkje reads; README.md's "Configuration" lists the same ones. */
const Env = z.object({
	DATABASE_URL: setting(
		z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must start with postgres:// or postgresql://')
	),
	PERKJE_DATA_DIR: setting(z.string()),
	PERKJE_MUNICIPALITY_FILE: setting(z.string()),
	PERKJE_DEMO: setting(z.enum(['true', 'false'], 'must be true or false')),
	LOG_LEVEL: setting(z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`)),

	// adapter-node reads these itself (HOST, PORT and SHUTDOWN_TIMEOUT under `node build`);
	// checked here so a typo is reported like any other.
	HOST: adapterNodeSetting(
		z
			.string()
			.refine(
				(host) => /^[A-Za-z0-9.-]+$/.test(host) || isIP(host) === 6,
				'must be a host name or IP address without a port, such as 127.0.0.1 or 0.0.0.0'
			)
	),
	PORT: adapterNodeSetting(wholeNumber(1, 65535, 'must be a port number from 1 to 65535')),
	SHUTDOWN_TIMEOUT: adapterNodeSetting(
		z
			.string()
			.regex(/^\d+(\.\d+)?$/, 'must be a number of seconds, 0 or more')
			.transform(Number)
	),
	ORIGIN: adapterNodeSetting(webUrl('must be an http:// or https:// address, such as https://perkje.example.nl')),
	PROTOCOL_HEADER: adapterNodeSetting(headerName('proto')),
	HOST_HEADER: adapterNodeSetting(headerName('host')),
	PORT_HEADER: adapterNodeSetting(headerName('port')),
	ADDRESS_HEADER: adapterNodeSetting(headerName('for')),
	XFF_DEPTH: adapterNodeSetting(wholeNumber(1, 100, 'must be a whole number of proxies from 1 to 100')),
	BODY_SIZE_LIMIT: adapterNodeSetting(
		z
			.string()
			.regex(/^(\d+(\.\d+)?[KMG]?|Infinity)$/i, 'must be a number of bytes, optionally with K, M or G (512K), or Infinity')
	),

	PERKJE_TILE_FAST_PATH: setting(z.enum(['true', 'false'], 'must be true or false')),
	PERKJE_PUBLIC_URL: setting(webUrl('must be an http:// or https:// address, such as https://perkje.example.nl')),
	BETTER_AUTH_SECRET: setting(z.string().min(32, 'must be at least 32 characters'), { trim: false }),

	PERKJE_BASEMAP_STYLE_URL: setting(webUrl('must be the http:// or https:// address of a MapLibre style')),
	PERKJE_CSP_ORIGINS: setting(
		z
			.string()
			.transform((list) => list.split(/[\s,]+/).filter(Boolean))
			.pipe(
				z.array(
					z.string().regex(CSP_SOURCE, 'must be http:// or https:// origins separated by spaces, such as https://tiles.example.nl')
				)
			)
	),

	SMTP_URL: setting(
		z.string().regex(/^smtps?:\/\/\S+$/, 'must look like smtp://user:pass@host:587 or smtps://user:pass@host:465')
	),
	MAIL_FROM: setting(
		z.string().regex(/[^\s@<>]+@[^\s@<>]+/, 'must be a sender address, such as Perkje <noreply@perkje.example.nl>')
	),

	PERKJE_STALE_WEEKS: setting(wholeNumber(1, 104, 'must be a whole number of weeks from 1 to 104')),

	// The language of `npm start`'s own few lines: whatever the terminal says.
	LC_ALL: setting(z.string()),
	LC_MESSAGES: setting(z.string()),
	LANG: setting(z.string()),
	// Set by `npm run` to the folder it was typed in; the CLI resolves file names against it.
	INIT_CWD: setting(z.string())
});

/** The names of all variables read, for the check that README.md documents each one. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Env.shape);

/** Never repeated in an error: they hold passwords. */
const HIDDEN: ReadonlySet<string> = new Set(['DATABASE_URL', 'SMTP_URL', 'BETTER_AUTH_SECRET']);

export interface Config {
	/** Folder with migrations and seed data; the app runs from the project root. */
	projectRoot: string;
	/** Ready for openDatabase(): a URL means PostgreSQL + PostGIS, none the embedded PGlite. */
	db: { databaseUrl: string | undefined; dataDir: string };
	municipalityFile: string;
	/** Load the demo data into an empty database on start-up. */
	demo: boolean;
	log: { level: LogLevel };
	/** How `npm start` serves; the proxy settings are adapter-node's, which reads them itself. */
	serve: {
		host: string;
		port: number;
		shutdownTimeoutS: number;
		origin: string | undefined;
		protocolHeader: string | undefined;
		hostHeader: string | undefined;
		portHeader: string | undefined;
		addressHeader: string | undefined;
		xffDepth: number;
		bodySizeLimit: string;
		/** Cached tiles answered before the framework (src/lib/server/fast-path.ts). */
		tileFastPath: boolean;
	};
	auth: {
		/** Signs session cookies. Unset: a random one is made once and kept in the database. */
		secret: string | undefined;
		/**
		 * The origin people use (https://perkje.example.nl), for links in mails: PERKJE_PUBLIC_URL,
		 * else ORIGIN. Without either, links follow the request's own origin, which is fine behind
		 * adapter-node's ORIGIN but spoofable through the Host header otherwise.
		 */
		publicOrigin: string | undefined;
	};
	mail: MailConfig;
	map: {
		/** A MapLibre style (src/lib/server/http/basemap-origin.ts), or none: plots on a plain background. */
		basemapStyleUrl: string | null;
		/** More origins the basemap loads from, for the Content-Security-Policy. */
		cspOrigins: string[];
	};
	adoptions: {
		/** Weeks without a sign of life before an adoption counts as quiet. */
		staleWeeks: number;
	};
	cli: {
		/** The language of `npm start`'s own lines: English when the terminal's is, else Dutch. */
		language: 'nl' | 'en';
		/** Where `npm run` was typed (INIT_CWD); unset when not started through npm. */
		invokedFrom: string | undefined;
	};
}

export interface MailConfig {
	/** Unset: no mail leaves the machine; it stays in the outbox table (the log says only that). */
	smtpUrl: string | undefined;
	from: string;
}

/** A configuration that cannot start: one line per bad variable, naming it and what it accepts. */
export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

export interface LoadOptions {
	/** Relative paths are taken from here (default: the working directory). */
	projectRoot?: string;
	/** LOG_LEVEL when unset: `npm start` in a terminal asks for warn. */
	defaultLogLevel?: LogLevel;
}

export function loadConfig(env: NodeJS.ProcessEnv, options: LoadOptions = {}): Config {
	const parsed = Env.safeParse(env);
	if (!parsed.success) throw new ConfigError(problemsOf(parsed.error, env));
	const e = parsed.data;
	const projectRoot = options.projectRoot ?? process.cwd();
	const publicUrl = e.PERKJE_PUBLIC_URL ?? e.ORIGIN;
	const language = e.LC_ALL ?? e.LC_MESSAGES ?? e.LANG ?? '';
	return {
		projectRoot,
		db: {
			databaseUrl: e.DATABASE_URL,
			dataDir: path.resolve(projectRoot, e.PERKJE_DATA_DIR ?? 'data/pglite')
		},
		municipalityFile: path.resolve(projectRoot, e.PERKJE_MUNICIPALITY_FILE ?? 'db/seed/municipality.json'),
		// Demo data by default only on the embedded database: a production server starts empty.
		demo: e.PERKJE_DEMO ? e.PERKJE_DEMO === 'true' : !e.DATABASE_URL,
		log: { level: e.LOG_LEVEL ?? options.defaultLogLevel ?? 'info' },
		serve: {
			host: e.HOST ?? '127.0.0.1',
			port: e.PORT ?? 3000,
			shutdownTimeoutS: e.SHUTDOWN_TIMEOUT ?? 10,
			origin: e.ORIGIN ? new URL(e.ORIGIN).origin : undefined,
			protocolHeader: e.PROTOCOL_HEADER,
			hostHeader: e.HOST_HEADER,
			portHeader: e.PORT_HEADER,
			addressHeader: e.ADDRESS_HEADER,
			xffDepth: e.XFF_DEPTH ?? 1,
			// A photo upload (15 MB and its multipart framing); other bodies: FORM_BODY_LIMIT (http/input.ts).
			bodySizeLimit: e.BODY_SIZE_LIMIT ?? '16M',
			tileFastPath: e.PERKJE_TILE_FAST_PATH !== 'false'
		},
		auth: {
			secret: e.BETTER_AUTH_SECRET,
			publicOrigin: publicUrl ? new URL(publicUrl).origin : undefined
		},
		mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM ?? 'Perkje <noreply@perkje.invalid>' },
		map: { basemapStyleUrl: e.PERKJE_BASEMAP_STYLE_URL ?? null, cspOrigins: e.PERKJE_CSP_ORIGINS ?? [] },
		adoptions: { staleWeeks: e.PERKJE_STALE_WEEKS ?? 8 },
		cli: { language: /^en/i.test(language) ? 'en' : 'nl', invokedFrom: e.INIT_CWD }
	};
}

/** The first problem of each variable, with the value it had unless that is a secret. */
function problemsOf(error: z.ZodError, env: NodeJS.ProcessEnv): string[] {
	const byName = new Map<string, string>();
	for (const issue of error.issues) {
		const name = String(issue.path[0]);
		if (byName.has(name)) continue;
		const got = HIDDEN.has(name) ? '' : ` (got ${JSON.stringify(env[name])})`;
		byName.set(name, `${name}: ${issue.message}${got}`);
	}
	return [...byName.values()];
}

let cached: Config | undefined;

/**
 * The app's configuration, from process.env on first use. Not at import: SvelteKit's build
 * imports server modules to analyse them, and the tests set the environment after importing.
 * A bad configuration throws ConfigError each time it is asked for; start-up asks first.
 */
export function getConfig(): Config {
	cached ??= loadConfig(process.env);
	return cached;
}

/**
 * LOG_LEVEL for the logger, which exists before the configuration is checked because it is
 * what reports a bad one: here an unknown value means info; loadConfig() refuses it.
 */
export function earlyLogLevel(): LogLevel {
	const level = process.env.LOG_LEVEL?.trim();
	return (LOG_LEVELS as readonly string[]).includes(level ?? '') ? (level as LogLevel) : 'info';
}

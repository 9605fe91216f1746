import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type Config } from '#server/config';

const root = '/srv/perkje';
const load = (env: NodeJS.ProcessEnv) => loadConfig(env, { projectRoot: root });

/** How this environment is refused. */
function refusal(env: NodeJS.ProcessEnv): ConfigError {
	try {
		load(env);
	} catch (e) {
		if (e instanceof ConfigError) return e;
		throw e;
	}
	throw new Error(`accepted ${JSON.stringify(env)}`);
}

/** The lines a start-up refusal would print for this environment. */
const problems = (env: NodeJS.ProcessEnv) => refusal(env).problems;

interface Variable {
	name: string;
	/** A value that is taken, and where it ends up. */
	good: string;
	taken: (config: Config) => unknown;
	expected: unknown;
	/** A value that stops the start; none for variables any text is fine for. */
	bad?: string;
	/** What the refusal says it accepts. */
	accepts?: string;
	/** Holds passwords: the refusal never repeats the value. */
	hidden?: boolean;
}

/** Read by adapter-node too, which takes a blank value literally. */
const ADAPTER_NODE = ['HOST', 'PORT', 'SHUTDOWN_TIMEOUT', 'ORIGIN', 'PROTOCOL_HEADER', 'HOST_HEADER', 'PORT_HEADER', 'ADDRESS_HEADER', 'XFF_DEPTH', 'BODY_SIZE_LIMIT'];

const VARIABLES: Variable[] = [
	{
		name: 'DATABASE_URL',
		good: 'postgres://perkje:secret@db:5432/perkje',
		taken: (c) => c.db.databaseUrl,
		expected: 'postgres://perkje:secret@db:5432/perkje',
		bad: 'mysql://perkje:secret@db/perkje',
		accepts: 'must start with postgres:// or postgresql://',
		hidden: true
	},
	{
		name: 'PERKJE_DATA_DIR',
		good: 'var/db',
		taken: (c) => c.db.dataDir,
		expected: path.join(root, 'var/db')
	},
	{
		name: 'PERKJE_MUNICIPALITY_FILE',
		good: '/etc/perkje/gemeente.json',
		taken: (c) => c.municipalityFile,
		expected: '/etc/perkje/gemeente.json'
	},
	{
		name: 'PERKJE_DEMO',
		good: 'false',
		taken: (c) => c.demo,
		expected: false,
		bad: 'yes',
		accepts: 'must be true or false'
	},
	{
		name: 'PERKJE_TILE_FAST_PATH',
		good: 'false',
		taken: (c) => c.serve.tileFastPath,
		expected: false,
		bad: 'off',
		accepts: 'must be true or false'
	},
	{
		name: 'LOG_LEVEL',
		good: 'debug',
		taken: (c) => c.log.level,
		expected: 'debug',
		bad: 'chatty',
		accepts: 'must be one of fatal, error, warn, info, debug, trace, silent'
	},
	{
		name: 'HOST',
		good: '0.0.0.0',
		taken: (c) => c.serve.host,
		expected: '0.0.0.0',
		bad: 'localhost:3000',
		accepts: 'must be a host name or IP address without a port, such as 127.0.0.1 or 0.0.0.0'
	},
	{
		name: 'PORT',
		good: '8080',
		taken: (c) => c.serve.port,
		expected: 8080,
		bad: '70000',
		accepts: 'must be a port number from 1 to 65535'
	},
	{
		name: 'SHUTDOWN_TIMEOUT',
		good: '2.5',
		taken: (c) => c.serve.shutdownTimeoutS,
		expected: 2.5,
		bad: 'ten',
		accepts: 'must be a number of seconds, 0 or more'
	},
	{
		name: 'ORIGIN',
		good: 'https://perkje.example.nl/',
		taken: (c) => [c.serve.origin, c.auth.publicOrigin],
		expected: ['https://perkje.example.nl', 'https://perkje.example.nl'],
		bad: 'perkje.example.nl',
		accepts: 'must be an http:// or https:// address, such as https://perkje.example.nl'
	},
	{
		name: 'PROTOCOL_HEADER',
		good: 'x-forwarded-proto',
		taken: (c) => c.serve.protocolHeader,
		expected: 'x-forwarded-proto',
		bad: 'x forwarded proto',
		accepts: 'must be an HTTP header name such as x-forwarded-proto'
	},
	{
		name: 'HOST_HEADER',
		good: 'x-forwarded-host',
		taken: (c) => c.serve.hostHeader,
		expected: 'x-forwarded-host',
		bad: 'x-forwarded-host:',
		accepts: 'must be an HTTP header name such as x-forwarded-host'
	},
	{
		name: 'PORT_HEADER',
		good: 'x-forwarded-port',
		taken: (c) => c.serve.portHeader,
		expected: 'x-forwarded-port',
		bad: 'x-forwarded-port;',
		accepts: 'must be an HTTP header name such as x-forwarded-port'
	},
	{
		name: 'ADDRESS_HEADER',
		good: 'x-forwarded-for',
		taken: (c) => c.serve.addressHeader,
		expected: 'x-forwarded-for',
		bad: 'x-forwarded-for, x-real-ip',
		accepts: 'must be an HTTP header name such as x-forwarded-for'
	},
	{
		name: 'XFF_DEPTH',
		good: '2',
		taken: (c) => c.serve.xffDepth,
		expected: 2,
		bad: '0',
		accepts: 'must be a whole number of proxies from 1 to 100'
	},
	{
		name: 'BODY_SIZE_LIMIT',
		good: '10M',
		taken: (c) => c.serve.bodySizeLimit,
		expected: '10M',
		bad: '10 MB',
		accepts: 'must be a number of bytes, optionally with K, M or G (512K), or Infinity'
	},
	{
		name: 'PERKJE_PUBLIC_URL',
		good: 'https://groen.example.nl/perkje',
		taken: (c) => c.auth.publicOrigin,
		expected: 'https://groen.example.nl',
		bad: 'groen.example.nl',
		accepts: 'must be an http:// or https:// address, such as https://perkje.example.nl'
	},
	{
		name: 'BETTER_AUTH_SECRET',
		good: 'x'.repeat(32),
		taken: (c) => c.auth.secret,
		expected: 'x'.repeat(32),
		bad: 'too-short',
		accepts: 'must be at least 32 characters',
		hidden: true
	},
	{
		name: 'PERKJE_BASEMAP_STYLE_URL',
		good: 'https://api.pdok.nl/kadaster/brt-achtergrondkaart/ogc/v1/styles/standaard__webmercatorquad?f=mapbox',
		taken: (c) => c.map.basemapStyleUrl,
		expected: 'https://api.pdok.nl/kadaster/brt-achtergrondkaart/ogc/v1/styles/standaard__webmercatorquad?f=mapbox',
		bad: 'javascript:alert(1)',
		accepts: 'must be the http:// or https:// address of a MapLibre style'
	},
	{
		name: 'PERKJE_CSP_ORIGINS',
		good: 'https://tiles.example.nl https://glyphs.example.nl',
		taken: (c) => c.map.cspOrigins,
		expected: ['https://tiles.example.nl', 'https://glyphs.example.nl'],
		bad: "https://tiles.example.nl 'unsafe-eval'",
		accepts: 'must be http:// or https:// origins separated by spaces, such as https://tiles.example.nl'
	},
	{
		name: 'SMTP_URL',
		good: 'smtps://perkje:secret@mail.example.nl:465',
		taken: (c) => c.mail.smtpUrl,
		expected: 'smtps://perkje:secret@mail.example.nl:465',
		bad: 'mail.example.nl:587',
		accepts: 'must look like smtp://user:pass@host:587 or smtps://user:pass@host:465',
		hidden: true
	},
	{
		name: 'MAIL_FROM',
		good: 'Gemeente Delft <groen@delft.example.nl>',
		taken: (c) => c.mail.from,
		expected: 'Gemeente Delft <groen@delft.example.nl>',
		bad: 'Perkje',
		accepts: 'must be a sender address, such as Perkje <noreply@perkje.example.nl>'
	},
	{
		name: 'PERKJE_STALE_WEEKS',
		good: '12',
		taken: (c) => c.adoptions.staleWeeks,
		expected: 12,
		bad: 'abc',
		accepts: 'must be a whole number of weeks from 1 to 104'
	},
	{ name: 'LC_ALL', good: 'en_GB.UTF-8', taken: (c) => c.cli.language, expected: 'en' },
	{ name: 'LC_MESSAGES', good: 'en_US.UTF-8', taken: (c) => c.cli.language, expected: 'en' },
	{ name: 'LANG', good: 'en_IE.UTF-8', taken: (c) => c.cli.language, expected: 'en' },
	{ name: 'INIT_CWD', good: '/home/beheer/kaarten', taken: (c) => c.cli.invokedFrom, expected: '/home/beheer/kaarten' }
];

describe('configuration', () => {
	for (const v of VARIABLES) {
		it(`${v.name}: takes a good value${v.bad ? ' and refuses a bad one in one line naming it' : ''}`, () => {
			expect(v.taken(load({ [v.name]: v.good }))).toEqual(v.expected);
			if (v.bad === undefined) return;
			const got = v.hidden ? '' : ` (got ${JSON.stringify(v.bad)})`;
			expect(problems({ [v.name]: v.bad })).toEqual([`${v.name}: ${v.accepts}${got}`]);
		});
	}

	it('reads exactly the variables README.md documents, and this file tests each', () => {
		const readme = fs.readFileSync('README.md', 'utf8');
		const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
		const documented = section
			.split('\n')
			.filter((line) => line.startsWith('| `'))
			.flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
		expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
		expect(VARIABLES.map((v) => v.name).sort()).toEqual([...CONFIG_VARIABLES].sort());
	});

	it('refuses a bad number of stale weeks instead of quietly taking the default', () => {
		expect(problems({ PERKJE_STALE_WEEKS: 'abc' })).toEqual([
			'PERKJE_STALE_WEEKS: must be a whole number of weeks from 1 to 104 (got "abc")'
		]);
		expect(problems({ PERKJE_STALE_WEEKS: '0' })).toHaveLength(1);
		expect(problems({ PERKJE_STALE_WEEKS: '105' })).toHaveLength(1);
		expect(problems({ PERKJE_STALE_WEEKS: '2.5' })).toHaveLength(1);
	});

	it('has a default for everything, and a blank value means unset', () => {
		const defaults = load({});
		expect(defaults).toEqual({
			projectRoot: root,
			db: { databaseUrl: undefined, dataDir: path.join(root, 'data/pglite') },
			municipalityFile: path.join(root, 'db/seed/municipality.json'),
			demo: true,
			log: { level: 'info' },
			serve: {
				host: '127.0.0.1',
				port: 3000,
				shutdownTimeoutS: 10,
				origin: undefined,
				protocolHeader: undefined,
				hostHeader: undefined,
				portHeader: undefined,
				addressHeader: undefined,
				xffDepth: 1,
				bodySizeLimit: '16M',
				tileFastPath: true
			},
			auth: { secret: undefined, publicOrigin: undefined },
			mail: { smtpUrl: undefined, from: 'Perkje <noreply@perkje.invalid>' },
			map: { basemapStyleUrl: null, cspOrigins: [] },
			adoptions: { staleWeeks: 8 },
			cli: { language: 'nl', invokedFrom: undefined }
		} satisfies Config);
		const blank = Object.fromEntries(
			VARIABLES.filter((v) => !ADAPTER_NODE.includes(v.name)).map((v) => [v.name, '  '])
		);
		expect(load(blank)).toEqual(defaults);
	});

	it('refuses a blank value where adapter-node, which reads it too, would take it literally', () => {
		for (const name of ADAPTER_NODE) {
			expect(problems({ [name]: '' })).toEqual([expect.stringMatching(new RegExp(`^${name}: must .* \\(got ""\\)$`))]);
		}
		expect(problems({ PORT: ' 3000' })).toEqual(['PORT: must be a port number from 1 to 65535 (got " 3000")']);
	});

	it('starts with demo data only on the embedded database, unless PERKJE_DEMO says', () => {
		expect(load({ DATABASE_URL: 'postgres://db/perkje' }).demo).toBe(false);
		expect(load({ DATABASE_URL: 'postgres://db/perkje', PERKJE_DEMO: 'true' }).demo).toBe(true);
	});

	it('prefers PERKJE_PUBLIC_URL over ORIGIN for links in mails', () => {
		const config = load({ ORIGIN: 'http://10.0.0.5:3000', PERKJE_PUBLIC_URL: 'https://perkje.example.nl' });
		expect(config.auth.publicOrigin).toBe('https://perkje.example.nl');
		expect(config.serve.origin).toBe('http://10.0.0.5:3000');
	});

	it('takes the terminal language from LC_ALL, then LC_MESSAGES, then LANG; Dutch unless English', () => {
		expect(load({ LC_ALL: 'nl_NL.UTF-8', LANG: 'en_GB.UTF-8' }).cli.language).toBe('nl');
		expect(load({ LC_MESSAGES: 'en_GB.UTF-8', LANG: 'nl_NL.UTF-8' }).cli.language).toBe('en');
		expect(load({ LANG: 'C.UTF-8' }).cli.language).toBe('nl');
	});

	it('lets npm start in a terminal ask for fewer log lines, unless LOG_LEVEL is set', () => {
		expect(loadConfig({}, { defaultLogLevel: 'warn' }).log.level).toBe('warn');
		expect(loadConfig({ LOG_LEVEL: 'info' }, { defaultLogLevel: 'warn' }).log.level).toBe('info');
	});

	it('reports every bad variable, one line each, in one error', () => {
		const env = { PORT: 'http', LOG_LEVEL: 'loud', BETTER_AUTH_SECRET: 'hunter2' };
		expect(refusal(env).message).toBe(
			'Invalid configuration:\n' +
				'  LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")\n' +
				'  PORT: must be a port number from 1 to 65535 (got "http")\n' +
				'  BETTER_AUTH_SECRET: must be at least 32 characters'
		);
		expect(refusal(env).message).not.toContain('hunter2');
	});
});

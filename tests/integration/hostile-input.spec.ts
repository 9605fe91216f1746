import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevApp, type DevApp } from '../support/dev-app';
import { MATRIX, type Who } from './authorization-matrix.rows';
import { routeIdsOnDisk } from './route-ids';

/**
 * Hostile input on every route, form action and endpoint: the authorization matrix's routes
 * plus the public ones below (a test fails when a route is in neither list, so a new route
 * cannot be forgotten), each sent a corpus of values an attacker or a careless client sends.
 * Every query parameter and every field of every form the page really shows gets each
 * value, as the person the route is for (demo accounts on the demo data).
 *
 * What must hold: never a 5xx; no payload comes back unescaped in a page; no control
 * character ends up stored in any text column.
 */
const PUBLIC: Array<{ route: string; method: 'GET' | 'POST'; path: string }> = [
	{ route: '/', method: 'GET', path: '/' },
	{ route: '/plots', method: 'GET', path: '/plots' },
	{ route: '/plots/[id=id]', method: 'GET', path: '/plots/1' },
	{ route: '/plots/find.json', method: 'GET', path: '/plots/find.json?q=x' },
	{ route: '/plots.geojson', method: 'GET', path: '/plots.geojson' },
	{ route: '/neighbourhoods.geojson', method: 'GET', path: '/neighbourhoods.geojson' },
	{ route: '/tiles/plots/[z]/[x]/[y].mvt', method: 'GET', path: '/tiles/plots/15/16781/10776.mvt' },
	{ route: '/tiles/plots/[z]/[x]/[y].mvt', method: 'GET', path: '/tiles/plots/12/2097/1347.mvt' },
	{ route: '/tiles/neighbourhoods/[z]/[x]/[y].mvt', method: 'GET', path: '/tiles/neighbourhoods/14/8390/5388.mvt' },
	{ route: '/tiles/basemap/[z]/[x]/[y].mvt', method: 'GET', path: '/tiles/basemap/16/33562/21553.mvt' },
	{ route: '/healthz', method: 'GET', path: '/healthz' },
	{ route: '/favicon.ico', method: 'GET', path: '/favicon.ico' },
	{ route: '/demo/post', method: 'GET', path: '/demo/post?aan=bewoner@demo.perkje.invalid' },
	{ route: '/(auth)/aanmelden', method: 'GET', path: '/aanmelden?redirectTo=/account' },
	{ route: '/(auth)/registreren', method: 'GET', path: '/registreren' },
	{ route: '/(auth)/wachtwoord-vergeten', method: 'GET', path: '/wachtwoord-vergeten' },
	{ route: '/(auth)/wachtwoord-herstellen', method: 'GET', path: '/wachtwoord-herstellen?token=x' },
	{ route: '/(auth)/verifieren', method: 'GET', path: '/verifieren?token=x' },
	{ route: '/(auth)/aanmeldlink', method: 'GET', path: '/aanmeldlink?token=x' },
	{ route: '/(auth)/afmelden', method: 'GET', path: '/afmelden' },
	{ route: '/(auth)/tot-ziens', method: 'GET', path: '/tot-ziens' },
	// Reporting: every step of the form (where, what, the form itself with the duplicate hint).
	{ route: '/meldingen/nieuw', method: 'GET', path: '/meldingen/nieuw' },
	{ route: '/meldingen/nieuw', method: 'GET', path: '/meldingen/nieuw?plot=1' },
	{ route: '/meldingen/nieuw', method: 'GET', path: '/meldingen/nieuw?plot=1&categorie=7' },
	{ route: '/meldingen/[id=id]', method: 'GET', path: '/meldingen/1' },
	{ route: '/meldingen/bevestigen/[token]', method: 'GET', path: '/meldingen/bevestigen/xxxxxxxxxxxxxxxxxxxxxxxx' },
	// The public side of reports: the list with its filters, the feedback link, the map layer.
	{ route: '/meldingen', method: 'GET', path: '/meldingen?categorie=1&buurt=1' },
	{ route: '/meldingen/tevreden/[token]', method: 'GET', path: '/meldingen/tevreden/xxxxxxxxxxxxxxxxxxxxxxxx?antwoord=nee' },
	{ route: '/tiles/reports/[z]/[x]/[y].mvt', method: 'GET', path: '/tiles/reports/15/16781/10776.mvt' }
];

const PAYLOAD = '<script>alert("perkje")</script>';

/** Values as they go on the wire (percent-encoded), so broken encodings can be sent too. */
const CORPUS: Record<string, string> = {
	nul: encodeURIComponent('a\u0000b'),
	controls: encodeURIComponent('\u0001\u0008\u000b\u001b[31m\u007f\u009b'),
	'lone surrogate': '%ED%A0%80x',
	'broken percent': 'a%zz%',
	'zero-width and right-to-left': encodeURIComponent('\u202Eevil\u200B\u200D\uFEFF'),
	html: encodeURIComponent(PAYLOAD),
	'quotes and SQL': encodeURIComponent(`' OR 1=1 -- "; drop table plots;`),
	'number too large': '99999999999999999999999',
	'number infinite': '1e309',
	'negative number': '-2147483649',
	'not a number': 'NaN',
	long: encodeURIComponent('x'.repeat(100_000))
};
/** Query strings travel in a header line: long values there are cut to what a URL may hold. */
const inQuery = (value: string) => (value.length > 6000 ? value.slice(0, 6000) : value);

/** Query parameters any page might read, besides those the row's own path has. */
const PARAMS = ['q', 'page', 'size', 'sort', 'order', 'state', 'kind', 'neighbourhood', 'min_m2', 'max_m2',
	'weken', 'aan', 'redirectTo', 'action', 'actor', 'subject', 'from', 'to', 'token', 'aangevraagd', 'herstel'];

const DEMO = 'perkje-demo-2024';
const ACCOUNTS: Partial<Record<Who, string>> = {
	resident: 'bewoner@demo.perkje.invalid',
	manager: 'beheerder@demo.perkje.invalid',
	admin: 'admin@demo.perkje.invalid'
};

let app: DevApp;
const cookies: Partial<Record<Who, string>> = {};
const failures: string[] = [];
let requests = 0;

async function send(who: Who, method: 'GET' | 'POST', target: string, body?: string): Promise<Response> {
	requests++;
	const headers: Record<string, string> = { accept: 'text/html' };
	if (cookies[who]) headers.cookie = cookies[who]!;
	if (body !== undefined) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		headers.origin = app.url;
	}
	const request = () => fetch(new URL(target, app.url), { method, headers, body, redirect: 'manual' });
	try {
		return await request();
	} catch {
		// A body over the size limit is refused (413) before it is read, and the server then drops
		// that kept-alive connection: the request after it may find it reset. Once more, afresh.
		return request();
	}
}

async function check(label: string, response: Response) {
	const type = response.headers.get('content-type') ?? '';
	const text = type.includes('html') || type.includes('json') ? await response.text() : (await response.arrayBuffer(), '');
	if (response.status >= 500) failures.push(`${response.status} ${label}`);
	if (type.includes('html') && text.includes(PAYLOAD)) failures.push(`unescaped payload in ${label}`);
}

/** The forms a page really shows: where each posts to, and the names of its fields. */
function formsIn(html: string, pagePath: string): Array<{ action: string; fields: string[] }> {
	const forms: Array<{ action: string; fields: string[] }> = [];
	for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
		const attrs = match[1];
		if (/method="get"/i.test(attrs) || !/method="post"/i.test(attrs)) continue;
		const action = /action="([^"]*)"/.exec(attrs)?.[1]?.replace(/&amp;/g, '&') ?? '';
		const base = pagePath.split('?')[0];
		const target = action.startsWith('?') ? base + action : action || base;
		const fields = [...new Set([...match[2].matchAll(/\bname="([^"]+)"/g)].map((m) => m[1]))];
		forms.push({ action: target, fields });
	}
	return forms;
}

function withParams(target: string, value: string): string {
	const [base, query = ''] = target.split('?');
	// An action URL ("?/approve") keeps its action, with the hostile parameters after it.
	const action = query.startsWith('/') ? query.split('&')[0] : '';
	const names = new Set(PARAMS);
	for (const part of query.split('&')) if (part && !part.startsWith('/')) names.add(part.split('=')[0]);
	const params = [...names].map((name) => `${name}=${inQuery(value)}`).join('&');
	return `${base}?${action ? `${action}&` : ''}${params}`;
}

/** Who walks a row: someone it is for, so the request reaches the route's own code. */
function walker(expect: Record<Who, unknown>): Who {
	for (const who of ['manager', 'admin', 'resident'] as const) {
		if (expect[who] !== 'sign-in' && expect[who] !== 403) return who;
	}
	return 'anonymous';
}

beforeAll(async () => {
	app = await startDevApp({ PERKJE_DEMO: 'true' }, [4140, 4159]);
	for (const [who, email] of Object.entries(ACCOUNTS) as Array<[Who, string]>) {
		const response = await send('anonymous', 'POST', '/aanmelden?/password', new URLSearchParams({ email, password: DEMO }).toString());
		expect(response.status, `sign-in of ${who}`).toBe(303);
		cookies[who] = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	}
});

afterAll(async () => {
	await app?.close();
});

describe('hostile input', () => {
	it('knows every route: each is in the authorization matrix or in the public list here', () => {
		const known = new Set([...MATRIX.map((r) => r.route), ...PUBLIC.map((r) => r.route)]);
		expect(routeIdsOnDisk().filter((id) => !known.has(id))).toEqual([]);
	});

	const rows = [
		...MATRIX.map((r) => ({ ...r, path: typeof r.path === 'string' ? r.path : r.route, who: walker(r.expect) })),
		...PUBLIC.map((r) => ({ ...r, form: undefined, who: 'anonymous' as Who }))
	];
	// The matrix's rows name plots and groups that do not exist; here they name real ones.
	const real = (p: string) => p.replace('999999', '1');
	const inPath = (p: string, value: string) =>
		p.replace(/999999|bestaat-niet-bestaat-niet|(?<=\/plots\/)1(?=$|[/?])|(?<=^\/tiles\/\w+\/)\d+/, value);

	it('never answers 5xx, never echoes markup unescaped, whatever a query string holds', { timeout: 600_000 }, async () => {
		failures.length = 0;
		for (const row of rows.filter((r) => r.method === 'GET')) {
			for (const [name, value] of Object.entries(CORPUS)) {
				const target = withParams(real(row.path), value);
				await check(`GET ${row.path} as ${row.who} with ${name}`, await send(row.who, 'GET', target));
			}
			// A value where the path names something: an id, a token, a tile's zoom.
			if (/\[(id|token|z)\]/.test(row.route)) {
				for (const [name, value] of Object.entries(CORPUS)) {
					const target = inPath(row.path, inQuery(value));
					await check(`GET ${row.route} as ${row.who} with ${name} in the path`, await send(row.who, 'GET', target));
				}
			}
		}
		expect(failures).toEqual([]);
	});

	it('never answers 5xx, never echoes markup unescaped, whatever a form holds, also as lists', { timeout: 600_000 }, async () => {
		failures.length = 0;
		const posts = new Map<string, { who: Who; fields: Set<string> }>();
		const add = (who: Who, target: string, fields: string[]) => {
			const key = `${who} ${target}`;
			const entry = posts.get(key) ?? { who, fields: new Set<string>() };
			for (const f of fields) entry.fields.add(f);
			posts.set(key, entry);
		};
		for (const row of rows) {
			if (row.method === 'POST') add(row.who, real(row.path), Object.keys(row.form ?? {}));
			else {
				// Every form this page shows, as the person it is for.
				const page = await send(row.who, 'GET', real(row.path));
				const type = page.headers.get('content-type') ?? '';
				const html = type.includes('html') ? await page.text() : (await page.arrayBuffer(), '');
				for (const form of formsIn(html, real(row.path))) add(row.who, form.action, form.fields);
			}
		}
		for (const [key, { who, fields }] of posts) {
			const target = key.slice(who.length + 1);
			// Signing out would end the walker's session for the rest of the walk.
			if (target.startsWith('/afmelden')) continue;
			const names = fields.size ? [...fields] : ['value'];
			for (const [name, value] of Object.entries(CORPUS)) {
				const single = names.map((f) => `${encodeURIComponent(f)}=${value}`).join('&');
				await check(`POST ${target} as ${who} with ${name}`, await send(who, 'POST', target, single));
				if (name === 'html' || name === 'nul') {
					const twice = names.map((f) => `${encodeURIComponent(f)}=${value}&${encodeURIComponent(f)}=${value}`).join('&');
					await check(`POST ${target} as ${who} with ${name}, every field twice`, await send(who, 'POST', target, twice));
				}
			}
		}
		expect(failures).toEqual([]);
		console.log(`[hostile] ${rows.length} routes × ${Object.keys(CORPUS).length} values, ${posts.size} forms: ${requests} requests`);
	});

	it('after signing in, goes only to a page of this site, however the return address is dressed up', async () => {
		for (const redirectTo of ['/\t/evil.example/', '/\n/evil.example/', '//evil.example/', '/\\evil.example', 'https://evil.example/']) {
			const body = new URLSearchParams({ email: ACCOUNTS.resident!, password: DEMO, redirectTo }).toString();
			const response = await send('anonymous', 'POST', '/aanmelden?/password', body);
			expect(response.status, JSON.stringify(redirectTo)).toBe(303);
			expect(response.headers.get('location'), JSON.stringify(redirectTo)).toBe('/account');
		}
		const kept = new URLSearchParams({ email: ACCOUNTS.resident!, password: DEMO, redirectTo: '/mijn-perken?x=1' });
		expect((await send('anonymous', 'POST', '/aanmelden?/password', kept.toString())).headers.get('location')).toBe('/mijn-perken?x=1');
	});

	it('stored no control character in any text column', async () => {
		const { getDb } = await app.load<{ getDb(): { execute(q: unknown): Promise<{ rows: Array<Record<string, unknown>> }> } }>(
			'/src/lib/server/db/index.ts'
		);
		const { sql } = await app.load<typeof import('drizzle-orm')>('drizzle-orm');
		const db = getDb();
		const columns = (
			await db.execute(
				sql`select table_name as t, column_name as c from information_schema.columns
				    where table_schema = 'public' and data_type in ('text', 'character varying')`
			)
		).rows as Array<{ t: string; c: string }>;
		const dirty: string[] = [];
		for (const { t, c } of columns) {
			const result = await db.execute(
				sql.raw(`select count(*)::int as n from "${t}" where "${c}" ~ '[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]'`)
			);
			if (Number(result.rows[0].n) > 0) dirty.push(`${t}.${c}`);
		}
		expect(dirty).toEqual([]);
	});
});

describe('reports: abuse gets a clear refusal, never a 500', () => {
	// The report form at the demo's plot 1 (zwerfafval): its hidden fields as the page has them.
	async function reportFields(): Promise<Record<string, string>> {
		const html = await (await send('anonymous', 'GET', '/meldingen/nieuw?plot=1&categorie=7')).text();
		const form = /<form[^>]*action="\?\/report[^"]*"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
		const fields: Record<string, string> = {};
		for (const m of form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)) fields[m[1]] = m[2];
		expect(Object.keys(fields).sort()).toEqual(['categoryId', 'idempotencyKey', 'lat', 'lon', 'plotId']);
		return fields;
	}
	const post = (fields: Record<string, string>) =>
		send('anonymous', 'POST', '/meldingen/nieuw?/report&plot=1&categorie=7', new URLSearchParams(fields).toString());

	it('ten kilobytes of emoji, or markup in the description or in every field, are refused with a sentence', async () => {
		const base = { ...(await reportFields()), email: `emoji-${Date.now()}@voorbeeld.nl` };
		const emoji = await post({ ...base, description: '🌷'.repeat(2500) });
		expect(emoji.status).toBe(400);
		expect(await emoji.text()).toContain('Beschrijf het probleem in 5 tot 2000 tekens.');

		const markup = await post({ ...base, description: `Kapot hek ${PAYLOAD}` });
		expect(markup.status).toBe(400);
		const markupPage = await markup.text();
		expect(markupPage).toContain('Gebruik geen HTML of code in uw tekst');
		expect(markupPage).not.toContain(PAYLOAD);

		const everywhere = await post(Object.fromEntries([...Object.keys(base), 'description', 'contactAllowed'].map((k) => [k, PAYLOAD])));
		expect(everywhere.status).toBe(400);
		const everywherePage = await everywhere.text();
		expect(everywherePage).toContain('Gebruik geen HTML of code in uw tekst');
		expect(everywherePage).not.toContain(PAYLOAD);
	});

	it('a hundred reports in a minute from one address: a few are made, the rest are refused with a sentence', { timeout: 300_000 }, async () => {
		const base = { ...(await reportFields()), email: `veel-${Date.now()}@voorbeeld.nl`, description: 'Weer een zak afval bij het perk.' };
		const statuses: number[] = [];
		let refusal = '';
		for (let i = 0; i < 100; i++) {
			const response = await post({ ...base, idempotencyKey: `veel-${Date.now()}-${i}` });
			statuses.push(response.status);
			const text = await response.text();
			if (response.status === 429) refusal = text;
		}
		const made = statuses.filter((s) => s === 200).length;
		expect(made).toBeGreaterThan(0);
		expect(made).toBeLessThanOrEqual(10);
		expect(statuses.filter((s) => s === 429).length).toBe(100 - made);
		expect(refusal).toContain('U heeft de laatste tijd veel gemeld. Probeer het over');
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevApp, Visitor, type DevApp } from '../support/dev-app';

/**
 * The feedback page (/meldingen/tevreden/<token>) and the managers' reopen list over real
 * HTTP, as a browser without JavaScript uses them: the mail's link preselects the answer,
 * "Nee" with a reason asks to reopen, the link then says it was used, and a manager reopens.
 * The browser tests cannot make a token (the done mail's link is another part's), so the
 * pages are walked here, with the report made through the fixtures in the app's own database.
 */

interface Fixtures {
	addDoneReportWithFeedback(db: unknown, f: Record<string, unknown>): Promise<{ reportId: number; token: string }>;
	reportAccount(db: unknown, role: string): Promise<string>;
}
interface Db {
	execute(q: unknown): Promise<{ rows: Array<Record<string, unknown>> }>;
}

let app: DevApp;
let fixtures: Fixtures;
let db: Db;
let sql: typeof import('drizzle-orm').sql;
const DAY = 86_400_000;
const LON = 6.4;
const LAT = 52.8;

const stateOf = async (id: number) => (await db.execute(sql`SELECT state FROM reports WHERE id = ${id}`)).rows[0].state;
const text = (html: string) =>
	html.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

beforeAll(async () => {
	app = await startDevApp({}, [4251, 4259]);
	fixtures = await app.load<Fixtures>('/tests/integration/report-fixtures.ts');
	db = (await app.load<{ getDb(): Db }>('/src/lib/server/db/index.ts')).getDb();
	({ sql } = await app.load<typeof import('drizzle-orm')>('drizzle-orm'));
	await db.execute(
		sql`INSERT INTO neighbourhoods (source_key, code, name, district_code, area_m2, geom, label_point)
		VALUES ('BU-fb-page', 'BU-fb-page', 'Antwoordbuurt', 'WK-fb', 1000,
			ST_Multi(ST_MakeEnvelope(${LON - 0.02}, ${LAT - 0.02}, ${LON + 0.02}, ${LAT + 0.02}, 4326)), ST_SetSRID(ST_MakePoint(${LON}, ${LAT}), 4326))`
	);
}, 120_000);

afterAll(async () => {
	await app?.close();
});

describe('the feedback page', () => {
	it('preselects the answer from the link, records "Nee" with its reasons, and then says the link was used', async () => {
		const { reportId, token } = await fixtures.addDoneReportWithFeedback(db, { lon: LON + 0.001, lat: LAT + 0.001 });
		const visitor = new Visitor(app.url);
		const page = await visitor.get(`/meldingen/tevreden/${token}?antwoord=nee`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(text(html)).toContain('Bent u tevreden over de afhandeling van uw melding?');
		expect(html).toMatch(/<input[^>]*value="nee"[^>]*checked/);
		expect(html).not.toMatch(/<input[^>]*value="ja"[^>]*checked/);

		// A reason of the other group (ticked before switching) is dropped, not refused.
		const answered = await visitor.post(`/meldingen/tevreden/${token}`, {
			answer: 'nee',
			reason: ['nothing_done', 'quick'],
			text: 'Het afval ligt er nog steeds.'
		});
		expect(answered.status).toBe(200);
		expect(text(await answered.text())).toContain('U vraagt de gemeente de melding te heropenen');
		expect(await stateOf(reportId)).toBe('reopen_requested');
		const [row] = (await db.execute(sql`SELECT satisfied, reasons, text FROM report_feedback WHERE report_id = ${reportId}`)).rows;
		expect(row).toEqual({ satisfied: false, reasons: ['nothing_done'], text: 'Het afval ligt er nog steeds.' });

		const again = await visitor.get(`/meldingen/tevreden/${token}?antwoord=ja`);
		expect(text(await again.text())).toContain('U heeft deze vraag al beantwoord');
		const twice = await visitor.post(`/meldingen/tevreden/${token}`, { answer: 'ja', text: '' });
		expect(twice.status).toBe(409);
		expect(text(await twice.text())).toContain('U heeft deze vraag al beantwoord');
	});

	it('asks for a choice without losing the text, and says so when the 14 days have passed or the link is unknown', async () => {
		const { reportId, token } = await fixtures.addDoneReportWithFeedback(db, { lon: LON + 0.002, lat: LAT + 0.002 });
		const visitor = new Visitor(app.url);
		const none = await visitor.post(`/meldingen/tevreden/${token}`, { text: 'Mijn toelichting' });
		expect(none.status).toBe(400);
		const html = await none.text();
		expect(text(html)).toContain('Kies Ja of Nee.');
		expect(html).toContain('Mijn toelichting');
		const long = await visitor.post(`/meldingen/tevreden/${token}`, { answer: 'ja', text: '🌷'.repeat(1001) });
		expect(long.status).toBe(400);
		expect(await stateOf(reportId)).toBe('done');

		const doneAt = new Date(Date.now() - 15 * DAY);
		const old = await fixtures.addDoneReportWithFeedback(db, { lon: LON + 0.003, lat: LAT + 0.003, doneAt, createdAt: new Date(doneAt.getTime() - DAY) });
		expect(text(await (await visitor.get(`/meldingen/tevreden/${old.token}`)).text())).toContain('Deze vraag kon tot');
		const late = await visitor.post(`/meldingen/tevreden/${old.token}`, { answer: 'nee', text: '' });
		expect(late.status).toBe(409);
		expect(await stateOf(old.reportId)).toBe('done');

		const unknown = await visitor.get(`/meldingen/tevreden/${'x'.repeat(32)}`);
		expect(text(await unknown.text())).toContain('Deze link is niet geldig');
		expect((await visitor.post(`/meldingen/tevreden/${'x'.repeat(32)}`, { answer: 'ja', text: '' })).status).toBe(404);
	});
});

describe('the reopen requests', () => {
	it('shows the request to a manager, who reopens the report with a note', async () => {
		const { reportId, token } = await fixtures.addDoneReportWithFeedback(db, { lon: LON + 0.004, lat: LAT + 0.004 });
		await new Visitor(app.url).post(`/meldingen/tevreden/${token}`, { answer: 'nee', reason: 'too_slow', text: 'Duurde weken.' });

		const upsert = await app.load<{ upsertAccount(db: unknown, i: Record<string, unknown>): Promise<{ id: string }> }>('/src/lib/server/auth/users.ts');
		const email = `heropenen-${process.pid}@voorbeeld.nl`;
		await upsert.upsertAccount(db, { email, password: 'heropenen wachtwoord 2024', emailVerified: true, role: 'manager' });
		const manager = new Visitor(app.url);
		expect((await manager.post('/aanmelden?/password', { email, password: 'heropenen wachtwoord 2024' })).status).toBe(303);

		const list = text(await (await manager.get('/beheer/meldingen/heropenen')).text());
		expect(list).toContain(`#${reportId} · Zwerfafval`);
		expect(list).toContain('De behandeling duurde te lang');
		expect(list).toContain('Duurde weken.');

		const noNote = await manager.post('/beheer/meldingen/heropenen?/decide', { reportId: String(reportId), decision: 'reopen', note: '' });
		expect(noNote.status).toBe(400);
		expect(await stateOf(reportId)).toBe('reopen_requested');
		const decided = await manager.post('/beheer/meldingen/heropenen?/decide', { reportId: String(reportId), decision: 'reopen', note: 'We gaan opnieuw kijken.' });
		expect(decided.status).toBe(200);
		expect(await stateOf(reportId)).toBe('reopened');
		expect(text(await (await manager.get('/beheer/meldingen/heropenen')).text())).not.toContain(`#${reportId} · Zwerfafval`);

		// The figures count it: reported, resolved once, one answer of which none satisfied.
		const figures = text(await (await manager.get('/beheer/meldingen/cijfers')).text());
		expect(figures).toContain('Per categorie');
		expect(figures).toMatch(/Afval \d+/);
		expect(figures).toContain('Eigen team van de gemeente');
	});
});

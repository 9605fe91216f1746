import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { getDb, queryRows } from '#server/db';
import { addNeighbourhood, addPlot, square } from '#tests/integration/plots-fixtures.js';
import { categoryId, reportAccount } from '#tests/integration/report-fixtures.js';
import { moveReport, type ReportActor } from './core';
import { myReports, publicReport } from './public';
import { answerQuestion, confirmByToken, isSubmitError, submitReport, supportReport } from './submit';

/**
 * The reporter's side on the real database: a report signed in is public at once, one by
 * address only after its mailed link; a double tap makes one report; "ik zie dit ook" counts
 * once per person; the public page shows no one's address; the reporter answers a question.
 */

const LON = 6.2;
const LAT = 52.7;
let plotId: number;
let litter: number;
const origin = 'http://perkje.test';

const actorOf = (id: string, emailVerified = true): Actor => ({
	id,
	role: 'resident',
	emailVerified,
	neighbourhoodIds: [],
	districtCodes: [],
	partnerOrganisationId: null
});

async function tokenIn(recipient: string): Promise<string> {
	const [mail] = await queryRows<{ text: string }>(
		getDb(),
		sql`SELECT text_body AS text FROM mail_outbox WHERE recipient = ${recipient} ORDER BY id DESC LIMIT 1`
	);
	const match = /\/meldingen\/bevestigen\/([\w-]+)/.exec(mail?.text ?? '');
	if (!match) throw new Error(`no confirmation link for ${recipient}`);
	return match[1];
}

beforeAll(async () => {
	const db = getDb();
	const hood = await addNeighbourhood(db, 'BU-submit-reports', 'Indienbuurt', square(LON, LAT, 0.02));
	plotId = await addPlot(db, 'submit-report-plot', square(LON + 0.001, LAT + 0.001, 0.0001), { neighbourhoodId: hood });
	litter = await categoryId(db, 'zwerfafval');
});

const base = (over: Partial<Parameters<typeof submitReport>[1]> = {}) => ({
	actor: null,
	email: null,
	categoryId: litter,
	description: 'Een kapotte vuilniszak in het perk.',
	lon: LON + 0.001,
	lat: LAT + 0.001,
	plotId: null,
	contactAllowed: false,
	photoIds: [],
	idempotencyKey: `key-${Math.random().toString(36).slice(2)}`,
	origin,
	locale: 'nl' as const,
	...over
});

describe('making a report', () => {
	it('signed in: public at once, at its plot, once however often it is sent, and in Mijn meldingen', async () => {
		const db = getDb();
		const userId = await reportAccount(db);
		const input = base({ actor: actorOf(userId), plotId, contactAllowed: true });
		const first = await submitReport(db, input);
		const again = await submitReport(db, input);
		expect(first).toMatchObject({ created: true, confirmed: true });
		expect(again).toEqual({ id: first.id, created: false, confirmed: true });
		const seen = await publicReport(db, first.id);
		expect(seen).toMatchObject({ id: first.id, state: 'reported', plotId, neighbourhoodName: 'Indienbuurt', supportCount: 0, own: null });
		expect(seen!.category.nl).toBe('Zwerfafval');
		// The public never gets the description's author or any address; the reporter sees their own.
		expect(JSON.stringify(seen)).not.toContain(userId);
		const own = await publicReport(db, first.id, userId);
		expect(own!.own).toEqual({ description: input.description, contactAllowed: true, questionOpen: false });
		expect((await myReports(db, userId)).map((r) => [r.id, r.relation])).toEqual([[first.id, 'reported']]);
	});

	it('refuses an account whose e-mail is not verified', async () => {
		const db = getDb();
		const userId = await reportAccount(db);
		await expect(submitReport(db, base({ actor: actorOf(userId, false) }))).rejects.toSatisfy(isSubmitError);
	});

	it('by address: hidden until the mailed link is followed; the link works once, then says so', async () => {
		const db = getDb();
		const email = `Melder-${Date.now()}@Voorbeeld.nl`;
		const made = await submitReport(db, base({ email }));
		expect(made.confirmed).toBe(false);
		expect(await publicReport(db, made.id)).toBeNull();
		const token = await tokenIn(email.toLowerCase());
		const [stored] = await queryRows<{ token_hash: string }>(db, sql`SELECT token_hash FROM report_confirmations WHERE report_id = ${made.id}`);
		expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(stored!.token_hash).not.toContain(token);
		expect(await confirmByToken(db, token)).toEqual({ reportId: made.id, support: false, already: false });
		expect((await publicReport(db, made.id))!.state).toBe('reported');
		expect(await confirmByToken(db, token)).toMatchObject({ already: true });
		await expect(confirmByToken(db, 'x'.repeat(32))).rejects.toSatisfy(isSubmitError);
	});

	it('a link older than its hours does not work', async () => {
		const db = getDb();
		const email = `laat-${Date.now()}@voorbeeld.nl`;
		await submitReport(db, base({ email, now: new Date(Date.now() - 49 * 3600_000) }));
		await expect(confirmByToken(db, await tokenIn(email))).rejects.toSatisfy(isSubmitError);
	});
});

describe('ik zie dit ook', () => {
	it('counts once per person, and for an address once its link is followed', async () => {
		const db = getDb();
		const reporter = await reportAccount(db);
		const report = await submitReport(db, base({ actor: actorOf(reporter) }));
		const other = actorOf(await reportAccount(db));
		expect(await supportReport(db, { reportId: report.id, actor: other, email: null, origin, locale: 'nl' })).toEqual({ counted: true, created: true });
		expect(await supportReport(db, { reportId: report.id, actor: other, email: null, origin, locale: 'nl' })).toEqual({ counted: true, created: false });
		// The reporter is no second voice on their own report.
		await supportReport(db, { reportId: report.id, actor: actorOf(reporter), email: null, origin, locale: 'nl' });
		expect((await publicReport(db, report.id))!.supportCount).toBe(1);
		const email = `steun-${Date.now()}@voorbeeld.nl`;
		expect(await supportReport(db, { reportId: report.id, actor: null, email, origin, locale: 'en' })).toEqual({ counted: false, created: true });
		expect((await publicReport(db, report.id))!.supportCount).toBe(1);
		expect(await confirmByToken(db, await tokenIn(email))).toMatchObject({ reportId: report.id, support: true });
		expect((await publicReport(db, report.id))!.supportCount).toBe(2);
		expect((await publicReport(db, report.id, other.id))!.supported).toBe(true);
		expect((await myReports(db, other.id)).map((r) => [r.id, r.relation])).toEqual([[report.id, 'supported']]);
	});
});

describe('answering a question', () => {
	it('the reporter answers, the report goes on with the answer as a public note; nobody else can', async () => {
		const db = getDb();
		const reporter = await reportAccount(db);
		const report = await submitReport(db, base({ actor: actorOf(reporter) }));
		const manager: ReportActor = { userId: null, role: 'manager', kind: 'manager' };
		await db.transaction((tx) => moveReport(tx, { reportId: report.id, to: 'info_requested', actor: manager, publicNote: 'Waar precies?', now: new Date() }));
		expect((await publicReport(db, report.id, reporter))!.own!.questionOpen).toBe(true);
		const stranger = await reportAccount(db);
		await expect(answerQuestion(db, { reportId: report.id, userId: stranger, text: 'Hier' })).rejects.toSatisfy(isSubmitError);
		await answerQuestion(db, { reportId: report.id, userId: reporter, text: 'Bij de bank.' });
		const seen = await publicReport(db, report.id);
		expect(seen!.state).toBe('in_progress');
		expect(seen!.timeline.map((s) => [s.toState, s.publicNote, s.by])).toEqual([
			['reported', null, 'reporter'],
			['info_requested', 'Waar precies?', 'manager'],
			['in_progress', 'Bij de bank.', 'reporter']
		]);
		await expect(answerQuestion(db, { reportId: report.id, userId: reporter, text: 'Nog iets' })).rejects.toSatisfy(isSubmitError);
	});
});

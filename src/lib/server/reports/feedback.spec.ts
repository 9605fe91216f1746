import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { getDb, queryRows } from '#server/db';
import { addNeighbourhood, square } from '#tests/integration/plots-fixtures.js';
import { addDoneReportWithFeedback, addReport, reportAccount } from '#tests/integration/report-fixtures.js';
import { isReportError } from './core';
import { answerFeedback, decideReopen, listReopenRequests, readFeedback } from './feedback';

/**
 * Closing the loop on the real database: the reporter answers the question once, within its
 * days; "Nee" becomes a request to reopen that a manager sees and decides on.
 */

// A neighbourhood of its own, far from other tests' data.
const LON = 6.3;
const LAT = 52.7;
const DAY = 86_400_000;
let manager: Actor;

const stateOf = async (id: number) =>
	(await queryRows<{ state: string }>(getDb(), sql`SELECT state FROM reports WHERE id = ${id}`))[0].state;

beforeAll(async () => {
	const db = getDb();
	await addNeighbourhood(db, 'BU-feedback', 'Tevredenbuurt', square(LON, LAT, 0.02));
	const id = await reportAccount(db, 'manager');
	manager = { id, role: 'manager', emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
});

describe('the feedback question', () => {
	it('records "Ja" once, with its reasons, and leaves the report done', async () => {
		const db = getDb();
		const { reportId, token } = await addDoneReportWithFeedback(db, { lon: LON + 0.001, lat: LAT + 0.001 });
		const now = new Date();
		expect(await readFeedback(db, token, now)).toMatchObject({ status: 'open', reportId, categoryNl: 'Zwerfafval' });
		expect(await answerFeedback(db, token, { satisfied: true, reasons: ['quick', 'solved'], text: 'Dank u!' }, now)).toEqual({ ok: true, reopenRequested: false });
		expect(await stateOf(reportId)).toBe('done');
		const [row] = await queryRows<{ satisfied: boolean; reasons: string[]; text: string }>(db, sql`SELECT satisfied, reasons, text FROM report_feedback WHERE report_id = ${reportId}`);
		expect(row).toEqual({ satisfied: true, reasons: ['quick', 'solved'], text: 'Dank u!' });
		// A second answer (the link followed again, or "Nee" after "Ja") changes nothing.
		expect(await answerFeedback(db, token, { satisfied: false, reasons: [], text: null }, now)).toEqual({ ok: false, reason: 'answered' });
		expect(await readFeedback(db, token, now)).toMatchObject({ status: 'answered', satisfied: true });
		expect(await stateOf(reportId)).toBe('done');
	});

	it('refuses reasons of the other answer, an unknown token, and an answer after the 14 days', async () => {
		const db = getDb();
		const doneAt = new Date(Date.now() - 20 * DAY);
		const { reportId, token } = await addDoneReportWithFeedback(db, { lon: LON + 0.002, lat: LAT + 0.002, doneAt, createdAt: new Date(doneAt.getTime() - DAY) });
		const now = new Date();
		expect(await answerFeedback(db, token, { satisfied: true, reasons: ['too_slow'], text: null }, now)).toEqual({ ok: false, reason: 'bad-reasons' });
		expect(await readFeedback(db, token, now)).toMatchObject({ status: 'expired' });
		expect(await answerFeedback(db, token, { satisfied: false, reasons: ['too_slow'], text: null }, now)).toEqual({ ok: false, reason: 'expired' });
		expect(await stateOf(reportId)).toBe('done');
		// On day 13 the same link still worked.
		expect(await readFeedback(db, token, new Date(doneAt.getTime() + 13 * DAY))).toMatchObject({ status: 'open' });
		expect(await readFeedback(db, 'not-a-token', now)).toBeNull();
		expect(await answerFeedback(db, 'not-a-token', { satisfied: true, reasons: [], text: null }, now)).toEqual({ ok: false, reason: 'unknown' });
	});

	it('answers two taps on "Nee" at once with one request to reopen', async () => {
		const db = getDb();
		const { reportId, token } = await addDoneReportWithFeedback(db, { lon: LON + 0.003, lat: LAT + 0.003 });
		const now = new Date();
		const answer = { satisfied: false, reasons: ['nothing_done'] as const, text: 'Het ligt er nog.' };
		const outcomes = await Promise.all([answerFeedback(db, token, answer, now), answerFeedback(db, token, answer, now)]);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
		expect(await stateOf(reportId)).toBe('reopen_requested');
		const history = await queryRows<{ kind: string; to_state: string | null; actor_role: string }>(
			db,
			sql`SELECT kind, to_state, actor_role FROM report_history WHERE report_id = ${reportId} AND kind IN ('feedback', 'state') AND to_state IS DISTINCT FROM 'done' AND to_state IS DISTINCT FROM 'in_progress' AND to_state IS DISTINCT FROM 'reported' ORDER BY id`
		);
		expect(history).toEqual([
			{ kind: 'feedback', to_state: null, actor_role: 'reporter' },
			{ kind: 'state', to_state: 'reopen_requested', actor_role: 'reporter' }
		]);
	});
});

describe("the manager's decision on a request to reopen", () => {
	it('lists the request with its reasons and reopens the report', async () => {
		const db = getDb();
		const { reportId, token } = await addDoneReportWithFeedback(db, { lon: LON + 0.004, lat: LAT + 0.004, doneNote: 'Opgeruimd op dinsdag.' });
		await answerFeedback(db, token, { satisfied: false, reasons: ['not_solved', 'too_slow'], text: 'Er ligt nog steeds afval.' }, new Date());
		const list = await listReopenRequests(db, { page: 1 });
		const item = list.items.find((i) => i.reportId === reportId);
		expect(item).toMatchObject({ reasons: ['not_solved', 'too_slow'], text: 'Er ligt nog steeds afval.', doneNote: 'Opgeruimd op dinsdag.', neighbourhood: 'Tevredenbuurt' });
		expect(await decideReopen(db, manager, { reportId, reopen: true, note: 'We kijken er opnieuw naar.', now: new Date() })).toEqual({ to: 'reopened' });
		expect(await stateOf(reportId)).toBe('reopened');
		expect((await listReopenRequests(db)).items.some((i) => i.reportId === reportId)).toBe(false);
		const [audit] = await queryRows<{ action: string; subject_id: string }>(db, sql`SELECT action, subject_id FROM audit_log WHERE action = 'report.reopen_decision' AND subject_id = ${String(reportId)}`);
		expect(audit).toBeTruthy();
		// A second manager deciding from the same, older list is told someone was first.
		const again = await decideReopen(db, manager, { reportId, reopen: false, note: 'Toch niet.', now: new Date() }).catch((e) => e);
		expect(isReportError(again) && again.code).toBe('stale');
	});

	it('keeps a report done with a public note, and refuses a decision without one', async () => {
		const db = getDb();
		const { reportId, token } = await addDoneReportWithFeedback(db, { lon: LON + 0.005, lat: LAT + 0.005 });
		await answerFeedback(db, token, { satisfied: false, reasons: ['not_taken_seriously'], text: null }, new Date());
		const empty = await decideReopen(db, manager, { reportId, reopen: false, note: '  ', now: new Date() }).catch((e) => e);
		expect(isReportError(empty)).toBe(true);
		expect(await stateOf(reportId)).toBe('reopen_requested');
		await decideReopen(db, manager, { reportId, reopen: false, note: 'Het perk is volgens planning onderhouden.', now: new Date() });
		expect(await stateOf(reportId)).toBe('done');
		const [last] = await queryRows<{ to_state: string; public_note: string }>(db, sql`SELECT to_state, public_note FROM report_history WHERE report_id = ${reportId} ORDER BY id DESC LIMIT 1`);
		expect(last).toEqual({ to_state: 'done', public_note: 'Het perk is volgens planning onderhouden.' });
	});

	it('leaves a report a manager reopened meanwhile as it is when "Nee" comes in', async () => {
		const db = getDb();
		const { reportId, token } = await addDoneReportWithFeedback(db, { lon: LON + 0.006, lat: LAT + 0.006 });
		await db.execute(sql`UPDATE reports SET state = 'reopened' WHERE id = ${reportId}`);
		expect(await answerFeedback(db, token, { satisfied: false, reasons: [], text: null }, new Date())).toEqual({ ok: true, reopenRequested: false });
		expect(await stateOf(reportId)).toBe('reopened');
		// An open report without feedback does not show on the list.
		const open = await addReport(db, { lon: LON + 0.007, lat: LAT + 0.007 });
		expect((await listReopenRequests(db)).items.some((i) => i.reportId === open)).toBe(false);
	});
});

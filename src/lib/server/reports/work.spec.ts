import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { REPORT_FEEDBACK_DAYS } from '#lib/domain/report.js';
import { getDb, queryRows } from '#server/db';
import { addNeighbourhood, square } from '#tests/integration/plots-fixtures.js';
import { addReport, categoryId, partnerOrganisation, reportAccount, routeTo } from '#tests/integration/report-fixtures.js';
import {
	bulkMoveReports,
	hashReportToken,
	isReportError,
	isReportWorkError,
	mergeReports,
	moveOnUnansweredQuestions,
	reassignReport,
	workOnReport
} from './index';

/**
 * Working on reports on the real database: the partner it is routed to (and nobody else's
 * partner) moves it on and answers with photos; each public change mails the reporter and the
 * confirmed supporters; 'done' asks for feedback through a token kept only as its hash;
 * managers reassign (audited), move many at once and merge duplicates (at most ten children).
 */

const LON = 6.3;
const LAT = 52.7;
let seq = 0;
let partnerA: number;
let partnerB: number;
let partnerActor: Actor;
let otherPartner: Actor;
let manager: Actor;
let catId: number;

const actor = (id: string, role: Actor['role'], partnerOrganisationId: number | null = null): Actor => ({
	id,
	role,
	emailVerified: true,
	neighbourhoodIds: [],
	districtCodes: [],
	partnerOrganisationId
});

/** A point of its own in this spec's neighbourhood, so duplicates of other tests stay away. */
const spot = () => ({ lon: LON + 0.0005 * (++seq % 30), lat: LAT + 0.0005 * Math.floor(seq / 30) });

async function pendingPhoto(ownerId: string): Promise<{ id: number; hash: string }> {
	const [p] = await queryRows<{ id: number }>(
		getDb(),
		sql`INSERT INTO photos (owner_user_id, status, width, height) VALUES (${ownerId}, 'pending', 1600, 1200) RETURNING id`
	);
	let large = '';
	for (const [variant, w] of [['large', 1600], ['small', 400]] as const) {
		const bytes = Buffer.from(`${p.id}-${variant}-${randomUUID()}`);
		const hash = createHash('sha256').update(bytes).digest('hex');
		if (variant === 'large') large = hash;
		await getDb().execute(
			sql`INSERT INTO photo_variants (photo_id, variant, hash, content_type, width, height, byte_size, bytes)
				VALUES (${p.id}, ${variant}, ${hash}, 'image/webp', ${w}, ${(w * 3) / 4}, ${bytes.length}, ${bytes})`
		);
	}
	return { id: p.id, hash: large };
}

async function mailsTo(email: string) {
	return queryRows<{ subject: string; text_body: string; kind: string }>(
		getDb(),
		sql`SELECT subject, text_body, kind FROM mail_outbox WHERE recipient = ${email} ORDER BY id`
	);
}

beforeAll(async () => {
	const db = getDb();
	await addNeighbourhood(db, 'BU-work-reports', 'Werkbuurt', square(LON, LAT, 0.05));
	[partnerA, partnerB] = [await partnerOrganisation(db), await partnerOrganisation(db)];
	catId = await categoryId(db, 'onkruid');
	await routeTo(db, partnerA, { categoryId: catId });
	partnerActor = actor(await reportAccount(db, 'partner', partnerA), 'partner', partnerA);
	otherPartner = actor(await reportAccount(db, 'partner', partnerB), 'partner', partnerB);
	manager = actor(await reportAccount(db, 'manager'), 'manager');
});

describe('working on a report', () => {
	it('lets the partner it is routed to answer with a photo and mark it done; the reporter is mailed the note, the photo and the feedback question', async () => {
		const db = getDb();
		const email = `melder-${randomUUID()}@voorbeeld.nl`;
		const id = await addReport(db, { ...spot(), category: 'onkruid', reporterEmail: email });
		const photo = await pendingPhoto(partnerActor.id);
		const now = new Date('2026-03-04T10:00:00Z');
		const done = await workOnReport(db, {
			reportId: id,
			actor: partnerActor,
			to: 'done',
			publicNote: 'Het onkruid is weggehaald.',
			internalNote: 'Twee uur werk.',
			photoIds: [photo.id],
			expectedState: 'reported',
			now
		});
		expect(done.state).toBe('done');
		expect(done.mails).toBe(1);

		const [history] = await queryRows<{ actor_role: string; to_state: string; public_note: string; internal_note: string }>(
			db,
			sql`SELECT actor_role, to_state, public_note, internal_note FROM report_history WHERE id = ${done.historyId}`
		);
		expect(history).toEqual({ actor_role: 'partner', to_state: 'done', public_note: 'Het onkruid is weggehaald.', internal_note: 'Twee uur werk.' });
		const photos = await queryRows<{ kind: string; history_id: number }>(db, sql`SELECT kind, history_id FROM report_photos WHERE report_id = ${id}`);
		expect(photos).toEqual([{ kind: 'answer', history_id: done.historyId }]);

		const [mail] = await mailsTo(email);
		expect(mail.kind).toBe('report_update');
		expect(mail.subject).toBe(`Uw melding ${id} is afgehandeld`);
		expect(mail.text_body).toContain('Toelichting: Het onkruid is weggehaald.');
		expect(mail.text_body).not.toContain('Twee uur werk');
		expect(mail.text_body).toContain(`/media/${photo.hash}`);
		expect(mail.text_body).toContain('Bent u tevreden over de afhandeling van uw melding?');
		const yes = /\/meldingen\/tevreden\/([\w-]+)\?antwoord=ja/.exec(mail.text_body);
		expect(yes).not.toBeNull();
		expect(mail.text_body).toContain(`/meldingen/tevreden/${yes![1]}?antwoord=nee`);

		const feedback = await queryRows<{ token_hash: string; open_until: Date }>(
			db,
			sql`SELECT token_hash, open_until FROM report_feedback WHERE report_id = ${id}`
		);
		expect(feedback).toHaveLength(1);
		expect(feedback[0].token_hash).toBe(hashReportToken(yes![1]));
		expect(new Date(feedback[0].open_until).getTime()).toBe(now.getTime() + REPORT_FEEDBACK_DAYS * 86_400_000);
	});

	it('writes in the reporter’s language and tells confirmed supporters too, unconfirmed ones not', async () => {
		const db = getDb();
		const reporter = await reportAccount(db, 'resident');
		await db.execute(sql`UPDATE users SET locale = 'en' WHERE id = ${reporter}`);
		const [{ email: reporterEmail }] = await queryRows<{ email: string }>(db, sql`SELECT email FROM users WHERE id = ${reporter}`);
		const id = await addReport(db, { ...spot(), category: 'onkruid', reporterUserId: reporter });
		const [confirmed, unconfirmed] = [`steun-${randomUUID()}@voorbeeld.nl`, `steun-${randomUUID()}@voorbeeld.nl`];
		await db.execute(
			sql`INSERT INTO report_supports (report_id, email, confirmed_at) VALUES (${id}, ${confirmed}, now()), (${id}, ${unconfirmed}, NULL)`
		);
		await workOnReport(db, { reportId: id, actor: partnerActor, to: 'scheduled', publicNote: 'We komen dinsdag.', now: new Date() });
		const [toReporter] = await mailsTo(reporterEmail);
		expect(toReporter.subject).toBe(`Your report ${id}: Scheduled`);
		expect(toReporter.text_body).toContain('/en/meldingen/');
		const [toSupporter] = await mailsTo(confirmed);
		expect(toSupporter.text_body).toContain('omdat u aangaf dit ook te zien');
		expect(toSupporter.text_body).toContain('We komen dinsdag.');
		expect(await mailsTo(unconfirmed)).toEqual([]);
		// Only the reporter is asked for feedback.
		await workOnReport(db, { reportId: id, actor: partnerActor, to: 'done', now: new Date() });
		const supporterMails = await mailsTo(confirmed);
		expect(supporterMails.at(-1)!.text_body).not.toContain('tevreden');
	});

	it('keeps an internal note internal: no mail', async () => {
		const db = getDb();
		const email = `melder-${randomUUID()}@voorbeeld.nl`;
		const id = await addReport(db, { ...spot(), category: 'onkruid', reporterEmail: email });
		await workOnReport(db, { reportId: id, actor: manager, internalNote: 'Bellen met de aannemer.', now: new Date() });
		expect(await mailsTo(email)).toEqual([]);
		const [h] = await queryRows<{ kind: string; internal_note: string }>(
			db,
			sql`SELECT kind, internal_note FROM report_history WHERE report_id = ${id} ORDER BY id DESC LIMIT 1`
		);
		expect(h).toEqual({ kind: 'note', internal_note: 'Bellen met de aannemer.' });
	});

	it('refuses another organisation’s partner, moves a partner may not make, a stale form and photos not one’s own', async () => {
		const db = getDb();
		const id = await addReport(db, { ...spot(), category: 'onkruid' });
		const refused = async (p: Promise<unknown>) => p.then(() => 'ok', (e) => (isReportWorkError(e) || isReportError(e) ? e.code : String(e)));
		expect(await refused(workOnReport(db, { reportId: id, actor: otherPartner, to: 'in_progress', now: new Date() }))).toBe('forbidden');
		expect(await refused(workOnReport(db, { reportId: id, actor: partnerActor, to: 'cancelled', now: new Date() }))).toBe('bad-move');
		expect(await refused(workOnReport(db, { reportId: id, actor: partnerActor, to: 'done', expectedState: 'scheduled', now: new Date() }))).toBe('stale');
		const theirs = await pendingPhoto(otherPartner.id);
		expect(await refused(workOnReport(db, { reportId: id, actor: partnerActor, publicNote: 'Foto', photoIds: [theirs.id], now: new Date() }))).toBe('photos');
		expect(await refused(workOnReport(db, { reportId: id, actor: partnerActor, now: new Date() }))).toBe('empty');
		const [r] = await queryRows<{ state: string }>(db, sql`SELECT state FROM reports WHERE id = ${id}`);
		expect(r.state).toBe('reported');
	});

	it('lets a manager reassign by hand, audited; the partner it left can no longer work on it', async () => {
		const db = getDb();
		const id = await addReport(db, { ...spot(), category: 'onkruid' });
		await reassignReport(db, { reportId: id, actor: manager, partnerOrganisationId: partnerB, internalNote: 'Hoort bij B.', now: new Date() });
		const [r] = await queryRows<{ partner_organisation_id: number }>(db, sql`SELECT partner_organisation_id FROM reports WHERE id = ${id}`);
		expect(r.partner_organisation_id).toBe(partnerB);
		const audit = await queryRows<{ action: string; before: unknown; after: unknown }>(
			db,
			sql`SELECT action, before, after FROM audit_log WHERE subject_type = 'report' AND subject_id = ${String(id)}`
		);
		expect(audit).toEqual([{ action: 'report.assign', before: { partnerOrganisationId: partnerA }, after: { partnerOrganisationId: partnerB } }]);
		await expect(workOnReport(db, { reportId: id, actor: partnerActor, to: 'in_progress', now: new Date() })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(reassignReport(db, { reportId: id, actor: otherPartner, partnerOrganisationId: null, now: new Date() })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('moves many at once and names the ones that cannot make the move', async () => {
		const db = getDb();
		const open = [await addReport(db, { ...spot() }), await addReport(db, { ...spot() })];
		const closed = await addReport(db, { ...spot(), state: 'cancelled' });
		const result = await bulkMoveReports(db, { reportIds: [...open, closed], actor: manager, to: 'scheduled', now: new Date() });
		expect(result).toEqual({ moved: open, refused: [closed] });
	});

	it('merges duplicates: children closed with a reference to the parent, at most ten', async () => {
		const db = getDb();
		const parent = await addReport(db, { ...spot() });
		const kids = [await addReport(db, { ...spot() }), await addReport(db, { ...spot() })];
		await mergeReports(db, { parentId: parent, childIds: kids, actor: manager, publicNote: `Samengevoegd met melding ${parent}.`, now: new Date() });
		const rows = await queryRows<{ id: number; state: string; parent_id: number | null; support_count: number }>(
			db,
			sql`SELECT id, state, parent_id, support_count FROM reports WHERE id IN (${parent}, ${kids[0]}, ${kids[1]}) ORDER BY id`
		);
		expect(rows).toEqual([
			{ id: parent, state: 'reported', parent_id: null, support_count: 2 },
			{ id: kids[0], state: 'cancelled', parent_id: parent, support_count: 0 },
			{ id: kids[1], state: 'cancelled', parent_id: parent, support_count: 0 }
		]);
		const merges = await queryRows<{ related_report_id: number }>(
			db,
			sql`SELECT related_report_id FROM report_history WHERE report_id = ${parent} AND kind = 'merge' ORDER BY id`
		);
		expect(merges.map((h) => h.related_report_id)).toEqual(kids);

		expect(await mergeReports(db, { parentId: kids[0], childIds: [await addReport(db, { ...spot() })], actor: manager, publicNote: 'x', now: new Date() }).catch((e) => e.code)).toBe('merge-closed');
		expect(await mergeReports(db, { parentId: parent, childIds: [parent], actor: manager, publicNote: 'x', now: new Date() }).catch((e) => e.code)).toBe('merge-self');
		const nine: number[] = [];
		for (let i = 0; i < 9; i++) nine.push(await addReport(db, { ...spot() }));
		expect(await mergeReports(db, { parentId: parent, childIds: nine, actor: manager, publicNote: 'x', now: new Date() }).catch((e) => e.code)).toBe('merge-too-many');
		await mergeReports(db, { parentId: parent, childIds: nine.slice(0, 8), actor: manager, publicNote: 'x', now: new Date() });
		const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM reports WHERE parent_id = ${parent}`);
		expect(n).toBe(10);
		await expect(mergeReports(db, { parentId: parent, childIds: kids, actor: partnerActor, publicNote: 'x', now: new Date() })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('moves a question nobody answered in five days on by itself, and tells the reporter; a fresher one waits', async () => {
		const db = getDb();
		const now = new Date('2026-05-20T09:00:00Z');
		const day = 86_400_000;
		const [oldEmail, freshEmail] = [`melder-${randomUUID()}@voorbeeld.nl`, `melder-${randomUUID()}@voorbeeld.nl`];
		const old = await addReport(db, { ...spot(), reporterEmail: oldEmail, createdAt: new Date(now.getTime() - 7 * day) });
		const fresh = await addReport(db, { ...spot(), reporterEmail: freshEmail, createdAt: new Date(now.getTime() - 7 * day) });
		await workOnReport(db, { reportId: old, actor: manager, to: 'info_requested', publicNote: 'Waar precies?', now: new Date(now.getTime() - 5 * day - 60_000) });
		await workOnReport(db, { reportId: fresh, actor: manager, to: 'info_requested', publicNote: 'Waar precies?', now: new Date(now.getTime() - 4 * day) });
		expect(await moveOnUnansweredQuestions(db, now)).toEqual({ moved: 1 });
		const rows = await queryRows<{ id: number; state: string }>(db, sql`SELECT id, state FROM reports WHERE id IN (${old}, ${fresh}) ORDER BY id`);
		expect(rows).toEqual([{ id: old, state: 'in_progress' }, { id: fresh, state: 'info_requested' }]);
		const [last] = await queryRows<{ actor_role: string }>(db, sql`SELECT actor_role FROM report_history WHERE report_id = ${old} ORDER BY id DESC LIMIT 1`);
		expect(last.actor_role).toBe('system');
		expect((await mailsTo(oldEmail)).at(-1)!.subject).toBe(`Uw melding ${old}: In behandeling`);
		expect(await moveOnUnansweredQuestions(db, now)).toEqual({ moved: 0 });
	});
});

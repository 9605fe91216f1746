import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInboxFilter } from '#lib/domain/report-inbox.js';
import { getDb, queryRows } from '#server/db';
import { addNeighbourhood, square } from '#tests/integration/plots-fixtures.js';
import { addReport, categoryId, partnerOrganisation, routeTo } from '#tests/integration/report-fixtures.js';
import { listInbox, staffReport } from './index';

/**
 * The managers' inbox and the partner's work list: a partner sees only what is routed to its
 * organisation, overdue reports come first and say so, and the filters narrow the list.
 */
const LON = 6.5;
const LAT = 52.8;
let partnerA: number;
let partnerB: number;
let hood: number;
const day = 86_400_000;
const now = new Date('2026-06-10T10:00:00Z'); // a Wednesday
const filter = (q = '') => parseInboxFilter(new URLSearchParams(q));
let n = 0;
const spot = () => ({ lon: LON + 0.0004 * ++n, lat: LAT });

beforeAll(async () => {
	const db = getDb();
	hood = await addNeighbourhood(db, 'BU-inbox-reports', 'Inboxbuurt', square(LON, LAT, 0.05));
	[partnerA, partnerB] = [await partnerOrganisation(db), await partnerOrganisation(db)];
	await routeTo(db, partnerA, { categoryId: await categoryId(db, 'onkruid'), neighbourhoodId: hood });
	await routeTo(db, partnerB, { categoryId: await categoryId(db, 'snoeien'), neighbourhoodId: hood });
});

describe('the report inbox', () => {
	it('shows a partner only its own reports, overdue first; managers see all', async () => {
		const db = getDb();
		const fresh = await addReport(db, { ...spot(), category: 'onkruid', createdAt: new Date(now.getTime() - day) });
		const late = await addReport(db, { ...spot(), category: 'onkruid', createdAt: new Date(now.getTime() - 10 * day) });
		const done = await addReport(db, { ...spot(), category: 'onkruid', createdAt: new Date(now.getTime() - 20 * day), state: 'done' });
		const theirs = await addReport(db, { ...spot(), category: 'snoeien', createdAt: new Date(now.getTime() - 10 * day) });
		const unconfirmed = await addReport(db, { ...spot(), category: 'onkruid', confirmed: false });

		const a = await listInbox(db, { kind: 'partner', partnerOrganisationId: partnerA }, filter(), now);
		expect(a.items.map((i) => [i.id, i.overdue])).toEqual([[late, 'overdue'], [fresh, 'no']]);
		expect(a.overdueCount).toBe(1);
		const all = await listInbox(db, { kind: 'partner', partnerOrganisationId: partnerA }, filter('status=alle'), now);
		expect(all.items.map((i) => i.id).sort()).toEqual([fresh, late, done].sort());
		const b = await listInbox(db, { kind: 'partner', partnerOrganisationId: partnerB }, filter(), now);
		expect(b.items.map((i) => i.id)).toEqual([theirs]);

		const manager = await listInbox(db, { kind: 'all' }, filter(`buurt=${hood}`), now);
		expect(manager.items.map((i) => i.id)).toEqual(expect.arrayContaining([late, theirs, fresh]));
		expect(manager.items.map((i) => i.id)).not.toContain(unconfirmed);
		expect(manager.items.slice(0, 2).every((i) => i.overdue === 'overdue')).toBe(true);
	});

	it('filters by state, category (main or sub), age and overdue', async () => {
		const db = getDb();
		const q = (s: string) => listInbox(db, { kind: 'all' }, filter(`buurt=${hood}&${s}`), now).then((l) => l.items.map((i) => i.id));
		const litter = await addReport(db, { ...spot(), category: 'zwerfafval', createdAt: new Date(now.getTime() - 2 * day), state: 'scheduled' });
		const [afval] = await queryRows<{ id: number }>(db, sql`SELECT id FROM report_categories WHERE slug = 'afval'`);
		expect(await q(`categorie=${afval.id}`)).toEqual([litter]);
		expect(await q('status=scheduled')).toEqual([litter]);
		expect(await q(`categorie=${afval.id}&ouder=3`)).toEqual([]);
		expect(await q(`categorie=${afval.id}&termijn=over`)).toEqual([]);
		const overdueOnly = await listInbox(db, { kind: 'all' }, filter(`buurt=${hood}&termijn=over`), now);
		expect(overdueOnly.items.every((i) => i.overdue !== 'no')).toBe(true);
		expect(overdueOnly.total).toBeGreaterThan(0);
	});

	it('gives staff the whole report, and nothing for an unconfirmed one', async () => {
		const db = getDb();
		const id = await addReport(db, { ...spot(), category: 'onkruid', description: 'Onkruid bij de bank.' });
		const r = await staffReport(db, id, now);
		expect(r).toMatchObject({ id, state: 'reported', description: 'Onkruid bij de bank.', partnerOrganisationId: partnerA, contact: null });
		expect(r!.history.map((h) => h.kind)).toEqual(['state', 'assign']);
		expect(await staffReport(db, await addReport(db, { ...spot(), confirmed: false }), now)).toBeNull();
	});
});

import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CATEGORY_SEED } from '#lib/domain/report.js';
import { getDb, queryRows } from '#server/db';
import { addNeighbourhood, addPlot, square } from '#tests/integration/plots-fixtures.js';
import { addReport, categoryId, partnerOrganisation, routeTo } from '#tests/integration/report-fixtures.js';
import { isReportError, listCategories, moveReport, nearbyOpenReports, placeOfPoint, routeFor, type ReportActor } from './core';

/**
 * The core of reporting on the real database: a point finds its plot (within 25 m) and its
 * neighbourhood, the most specific routing rule wins, moves follow the domain's rules and are
 * appended to a history nobody can edit, and the duplicate lookup finds what is near.
 */

// A neighbourhood of its own, far from other tests' data (lon 6.1, lat 52.6).
const LON = 6.1;
const LAT = 52.6;
let hood: number;
let plotId: number;
const manager: ReportActor = { userId: null, role: 'manager', kind: 'manager' };

beforeAll(async () => {
	const db = getDb();
	hood = await addNeighbourhood(db, 'BU-core-reports', 'Meldbuurt', square(LON, LAT, 0.02));
	await db.execute(sql`UPDATE neighbourhoods SET district_code = 'WK-core' WHERE id = ${hood}`);
	plotId = await addPlot(db, 'core-report-plot', square(LON + 0.01, LAT + 0.01, 0.0001), { neighbourhoodId: hood });
});

describe('the report core', () => {
	it('starts with the seeded category tree, main categories each followed by their own', async () => {
		const cats = await listCategories(getDb());
		const mains = cats.filter((c) => c.parentId === null).map((c) => c.slug);
		expect(mains).toEqual(REPORT_CATEGORY_SEED.map((c) => c.slug));
		for (const main of REPORT_CATEGORY_SEED) {
			const parent = cats.find((c) => c.slug === main.slug)!;
			expect(cats.filter((c) => c.parentId === parent.id).map((c) => [c.slug, c.nameNl, c.responseDays])).toEqual(
				(main.children ?? []).map((c) => [c.slug, c.nl, c.responseDays])
			);
		}
	});

	it('attaches a point to the nearest plot within 25 metres, and always to its neighbourhood', async () => {
		const db = getDb();
		// The plot's corner is at (LON+0.01, LAT+0.01); 0.0002° of latitude is about 22 m.
		const near = await placeOfPoint(db, LON + 0.01, LAT + 0.01 - 0.0002);
		expect(near).toEqual({ plotId, neighbourhoodId: hood, districtCode: 'WK-core' });
		const far = await placeOfPoint(db, LON + 0.01, LAT + 0.01 - 0.0004);
		expect(far.plotId).toBeNull();
		expect(far.neighbourhoodId).toBe(hood);
		const outside = await placeOfPoint(db, LON - 1, LAT);
		expect(outside.neighbourhoodId).toBeNull();
	});

	it('routes by the most specific rule: sub-category and neighbourhood beat main category and district', async () => {
		const db = getDb();
		const [district, hoodPartner, subPartner] = [await partnerOrganisation(db), await partnerOrganisation(db), await partnerOrganisation(db)];
		const boom = await categoryId(db, 'boom');
		const [groen] = await queryRows<{ id: number }>(db, sql`SELECT id FROM report_categories WHERE slug = 'groen'`);
		await routeTo(db, district, { categoryId: groen.id, districtCode: 'WK-core' });
		expect(await routeFor(db, boom, { neighbourhoodId: hood, districtCode: 'WK-core' })).toBe(district);
		await routeTo(db, hoodPartner, { categoryId: groen.id, neighbourhoodId: hood });
		expect(await routeFor(db, boom, { neighbourhoodId: hood, districtCode: 'WK-core' })).toBe(hoodPartner);
		await routeTo(db, subPartner, { categoryId: boom, districtCode: 'WK-core' });
		expect(await routeFor(db, boom, { neighbourhoodId: hood, districtCode: 'WK-core' })).toBe(subPartner);
		// Another category here has no rule: the municipality keeps it.
		expect(await routeFor(db, await categoryId(db, 'vandalisme'), { neighbourhoodId: hood, districtCode: 'WK-core' })).toBeNull();
		const id = await addReport(db, { lon: LON + 0.005, lat: LAT + 0.005, category: 'boom' });
		const [r] = await queryRows<{ partner_organisation_id: number }>(db, sql`SELECT partner_organisation_id FROM reports WHERE id = ${id}`);
		expect(r.partner_organisation_id).toBe(subPartner);
	});

	it('moves by the rules, records first response and resolution, and refuses a stale or wrong move', async () => {
		const db = getDb();
		const id = await addReport(db, { lon: LON + 0.002, lat: LAT + 0.002, createdAt: new Date('2026-12-01T09:00:00Z') });
		await db.transaction((tx) => moveReport(tx, { reportId: id, to: 'in_progress', actor: manager, now: new Date('2026-12-02T09:00:00Z') }));
		const stale = await db
			.transaction((tx) => moveReport(tx, { reportId: id, to: 'done', actor: manager, expectedState: 'reported', now: new Date() }))
			.catch((e) => e);
		expect(isReportError(stale) && stale.code).toBe('stale');
		const partner: ReportActor = { userId: null, role: 'partner', kind: 'partner' };
		const wrong = await db.transaction((tx) => moveReport(tx, { reportId: id, to: 'cancelled', actor: partner, now: new Date() })).catch((e) => e);
		expect(isReportError(wrong) && wrong.code).toBe('bad-move');
		await db.transaction((tx) =>
			moveReport(tx, { reportId: id, to: 'done', actor: manager, publicNote: 'Opgeruimd.', now: new Date('2026-12-03T09:00:00Z') })
		);
		const [r] = await queryRows<{ state: string; first_response_at: Date; resolved_at: Date; closed_at: Date }>(
			db,
			sql`SELECT state, first_response_at, resolved_at, closed_at FROM reports WHERE id = ${id}`
		);
		expect(r.state).toBe('done');
		expect(new Date(r.first_response_at).toISOString()).toBe('2026-12-02T09:00:00.000Z');
		expect(new Date(r.resolved_at).toISOString()).toBe('2026-12-03T09:00:00.000Z');
		const history = await queryRows<{ from_state: string | null; to_state: string; public_note: string | null }>(
			db,
			sql`SELECT from_state, to_state, public_note FROM report_history WHERE report_id = ${id} AND kind = 'state' ORDER BY id`
		);
		expect(history).toEqual([
			{ from_state: null, to_state: 'reported', public_note: null },
			{ from_state: 'reported', to_state: 'in_progress', public_note: null },
			{ from_state: 'in_progress', to_state: 'done', public_note: 'Opgeruimd.' }
		]);
	});

	it('keeps the history append-only', async () => {
		const db = getDb();
		const id = await addReport(db, { lon: LON + 0.003, lat: LAT + 0.003 });
		await expect(db.execute(sql`UPDATE report_history SET public_note = 'x' WHERE report_id = ${id}`)).rejects.toThrow();
		await expect(db.execute(sql`DELETE FROM report_history WHERE report_id = ${id}`)).rejects.toThrow();
	});

	it('finds open reports of the same category within 50 metres, nearest first', async () => {
		const db = getDb();
		const at = [LON + 0.015, LAT + 0.015] as const;
		const near = await addReport(db, { lon: at[0], lat: at[1] + 0.0002, category: 'onkruid' });
		const nearer = await addReport(db, { lon: at[0], lat: at[1] + 0.0001, category: 'onkruid' });
		await addReport(db, { lon: at[0], lat: at[1] + 0.0006, category: 'onkruid' }); // ~67 m
		await addReport(db, { lon: at[0], lat: at[1], category: 'snoeien' });
		await addReport(db, { lon: at[0], lat: at[1], category: 'onkruid', state: 'done' });
		await addReport(db, { lon: at[0], lat: at[1], category: 'onkruid', confirmed: false });
		const found = await nearbyOpenReports(db, await categoryId(db, 'onkruid'), at[0], at[1]);
		expect(found.map((r) => r.id)).toEqual([nearer, near]);
		expect(found[0].distanceM).toBeGreaterThan(5);
		expect(found[0].distanceM).toBeLessThan(15);
	});
});

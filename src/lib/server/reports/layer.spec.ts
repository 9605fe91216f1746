import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tileForPoint } from '#lib/geo/tiles.js';
import { getDb, queryRows } from '#server/db';
import { createTileService, tileResponse } from '#server/tiles';
import { decodeTile } from '#tests/integration/tiles-fixtures.js';
import { addNeighbourhood, square } from '#tests/integration/plots-fixtures.js';
import { addReport, categoryId } from '#tests/integration/report-fixtures.js';
import { listPublicReports } from './layer';

/**
 * The public reports, on the map and in the list: open ones and those closed in the last 14
 * days, confirmed and not merged; category, state and day only, in the tile as in the list.
 */

const LON = 6.5;
const LAT = 52.9;
const DAY = 86_400_000;
const NOW = new Date('2026-12-02T12:00:00Z');
const TODAY = '2026-12-02';
let hood: number;
const ids = {} as Record<'open' | 'doneRecently' | 'doneLongAgo' | 'unconfirmed' | 'child' | 'boom', number>;

beforeAll(async () => {
	const db = getDb();
	hood = await addNeighbourhood(db, 'BU-public-reports', 'Openbuurt', square(LON, LAT, 0.01));
	const at = (dx: number) => ({ lon: LON + 0.0001 * dx, lat: LAT + 0.0001 });
	ids.open = await addReport(db, { ...at(1), createdAt: new Date(NOW.getTime() - 3 * DAY), description: 'Mijn naam is Jan, Dorpsstraat 1' });
	ids.doneRecently = await addReport(db, { ...at(2), createdAt: new Date(NOW.getTime() - 20 * DAY), state: 'done' });
	ids.doneLongAgo = await addReport(db, { ...at(3), createdAt: new Date(NOW.getTime() - 40 * DAY), state: 'done' });
	ids.unconfirmed = await addReport(db, { ...at(4), confirmed: false });
	ids.child = await addReport(db, { ...at(5) });
	ids.boom = await addReport(db, { ...at(6), category: 'boom', createdAt: new Date(NOW.getTime() - DAY) });
	// Closed 13 and 15 days before today (the fixture closes them when it makes them).
	await db.execute(sql`UPDATE reports SET closed_at = ${new Date(NOW.getTime() - 13 * DAY)} WHERE id = ${ids.doneRecently}`);
	await db.execute(sql`UPDATE reports SET closed_at = ${new Date(NOW.getTime() - 15 * DAY)} WHERE id = ${ids.doneLongAgo}`);
	await db.execute(sql`UPDATE reports SET parent_id = ${ids.open} WHERE id = ${ids.child}`);
});

describe('the public reports list', () => {
	it('holds open reports and those closed in the last 14 days, newest first, without merged or unconfirmed ones', async () => {
		const list = await listPublicReports(getDb(), { neighbourhoodId: hood }, TODAY);
		expect(list.items.map((r) => r.id)).toEqual([ids.boom, ids.open, ids.doneRecently]);
		expect(list.items[1]).toMatchObject({ state: 'reported', categoryNl: 'Zwerfafval', mainCategoryNl: 'Afval', neighbourhood: 'Openbuurt' });
		// Nothing a reporter wrote or who they are.
		expect(JSON.stringify(list)).not.toMatch(/Jan|Dorpsstraat|@/);
		// Two days later it was closed 15 days before: it leaves (on day 14 it still shows).
		const later = await listPublicReports(getDb(), { neighbourhoodId: hood }, '2026-12-04');
		expect(later.items.map((r) => r.id)).toEqual([ids.boom, ids.open]);
	});

	it('filters by main category (with its sub-categories) or by sub-category', async () => {
		const db = getDb();
		const [groen] = await queryRows<{ id: number }>(db, sql`SELECT id FROM report_categories WHERE slug = 'groen'`);
		expect((await listPublicReports(db, { neighbourhoodId: hood, categoryId: groen.id }, TODAY)).items.map((r) => r.id)).toEqual([ids.boom]);
		const zwerf = await categoryId(db, 'zwerfafval');
		expect((await listPublicReports(db, { neighbourhoodId: hood, categoryId: zwerf }, TODAY)).total).toBe(2);
	});
});

describe('GET /tiles/reports/{z}/{x}/{y}.mvt', () => {
	it('carries the same reports as the list, with state, category and day only, public and keyed on the day', async () => {
		const service = createTileService({ versionTtlMs: 0, now: () => NOW });
		const tile = tileForPoint(LON + 0.0003, LAT + 0.0001, 16);
		const params = { z: String(tile.z), x: String(tile.x), y: String(tile.y) };
		const res = await tileResponse(new Request(`http://localhost/tiles/reports/${tile.z}/${tile.x}/${tile.y}.mvt`), 'reports', params, service);
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).not.toContain('private');
		const features = decodeTile(new Uint8Array(await res.arrayBuffer()), tile).reports.features;
		expect(features.map((f) => f.id).sort((a, b) => a! - b!)).toEqual([ids.open, ids.doneRecently, ids.boom].sort((a, b) => a - b));
		expect(features.find((f) => f.id === ids.boom)?.properties).toEqual({
			state: 'reported',
			category: 'boom',
			main_category: 'groen',
			created: '2026-12-01'
		});
		// Below the layer's zoom the tile set draws nothing (the list carries them).
		const far = tileForPoint(LON, LAT, 10);
		const empty = await tileResponse(new Request('http://localhost/'), 'reports', { z: '10', x: String(far.x), y: String(far.y) }, service);
		expect(empty.status).toBe(204);
	});
});

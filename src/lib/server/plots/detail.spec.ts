import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlotFilters } from '#lib/domain/plot-filters.js';
import { getDb } from '#server/db';
import { addNeighbourhood, addPlot, square } from '#tests/integration/plots-fixtures.js';
import { plotDetail } from './detail';
import { findPlaces } from './find';
import { searchPlots } from './list';

describe('a plot page', () => {
	let wippolder = 0;
	let plot = 0;
	let closed = 0;
	let retired = 0;
	let outside = 0;

	beforeAll(async () => {
		const db = getDb();
		wippolder = await addNeighbourhood(db, 'BU1', 'Wippolder', square(4.37, 52.0, 0.01), { districtName: 'Delft-Oost' });
		plot = await addPlot(db, 'G0503.aa11', square(4.371, 52.001, 0.0002), {
			neighbourhoodId: wippolder,
			kindDetail: 'heesters',
			attributes: { beheerder: 'Jan Jansen' }
		});
		closed = await addPlot(db, 'G0503.bb22', square(4.372, 52.002, 0.0001), {
			neighbourhoodId: wippolder,
			adoptable: false,
			notAdoptableReason: 'Verkeersveiligheid'
		});
		retired = await addPlot(db, 'G0503.cc33', square(4.373, 52.003, 0.0001), { status: 'retired' });
		outside = await addPlot(db, 'G0503.dd44', square(4.5, 52.1, 0.0001));
		// A resident with personal data, to check none of it reaches public output.
		await db.execute(sql`
			INSERT INTO users (id, name, email, display_name)
			VALUES ('u1', 'Marieke de Vries', 'marieke@voorbeeld.nl', 'Marieke')`);
	});

	it('tells kind, area, neighbourhood, state and where the plot is', async () => {
		const detail = await plotDetail(getDb(), plot);
		expect(detail).toMatchObject({
			id: plot,
			sourceId: 'G0503.aa11',
			kind: 'groenvoorziening',
			kindDetail: 'heesters',
			state: 'available',
			retired: false,
			retiredOn: null,
			notAdoptableReason: null,
			neighbourhood: { id: wippolder, name: 'Wippolder', districtName: 'Delft-Oost' }
		});
		// 0.0002° × 0.0002° at 52° N: about 13.7 m × 22.3 m.
		expect(detail!.areaM2).toBeGreaterThan(290);
		expect(detail!.areaM2).toBeLessThan(320);
		const [west, south, east, north] = detail!.bounds;
		expect(west).toBeCloseTo(4.371, 6);
		expect(south).toBeCloseTo(52.001, 6);
		expect(east).toBeCloseTo(4.3712, 6);
		expect(north).toBeCloseTo(52.0012, 6);
		expect(detail!.center[0]).toBeGreaterThan(west);
		expect(detail!.center[0]).toBeLessThan(east);
	});

	it('draws the outline in metres, north up, framed with a margin', async () => {
		const { outline } = (await plotDetail(getDb(), plot))!;
		expect(outline.path).toMatch(/^M [\d.-]+ [\d.-]+ L( [\d.-]+ [\d.-]+)+ Z$/);
		const [x, y, w, h] = outline.viewBox.split(' ').map(Number);
		expect(x).toBeLessThan(0);
		expect(y).toBeLessThan(0);
		// Taller than wide, as the plot is on the ground.
		expect(h).toBeGreaterThan(w);
		expect(w).toBeGreaterThan(13.7);
		expect(outline.widthM).toBeCloseTo(13.7, 0);
		expect(outline.heightM).toBeCloseTo(22.3, 0);
		// The same plot in words: a patch about as big as its box, measured in metres.
		const { size, areaM2 } = (await plotDetail(getDb(), plot))!;
		expect(size.strip).toBe(false);
		expect(size.lengthM * size.widthM).toBeCloseTo(areaM2, -1);
		const coords = outline.path.match(/-?\d+(\.\d+)?/g)!.map(Number);
		for (const c of coords) {
			expect(c).toBeGreaterThanOrEqual(-0.1);
			expect(c).toBeLessThanOrEqual(Math.max(w, h));
		}
	});

	it('counts its adopters, and claims no care log there is none of', async () => {
		const detail = (await plotDetail(getDb(), plot))!;
		expect(detail.adopters).toBe(0);
		expect(detail).not.toHaveProperty('care');
	});

	it('gives the reason a plot cannot be adopted', async () => {
		expect(await plotDetail(getDb(), closed)).toMatchObject({
			state: 'not_adoptable',
			notAdoptableReason: 'Verkeersveiligheid'
		});
	});

	it('says when another organisation maintains a plot, in place of the importer\'s note', async () => {
		const other = await addPlot(getDb(), 'P0123.ee55', square(4.374, 52.004, 0.0001), {
			adoptable: false,
			notAdoptableReason: 'Not maintained by the municipality (bronhouder P0123)'
		});
		expect(await plotDetail(getDb(), other)).toMatchObject({
			state: 'not_adoptable',
			notAdoptableReason: null,
			maintainedElsewhere: true
		});
		expect((await plotDetail(getDb(), closed))!.maintainedElsewhere).toBe(false);
	});

	it('still shows a retired plot, and says since when', async () => {
		expect(await plotDetail(getDb(), retired)).toMatchObject({
			retired: true,
			retiredOn: '2024-03-01',
			state: 'not_adoptable',
			neighbourhood: null
		});
		expect((await plotDetail(getDb(), outside))!.neighbourhood).toBeNull();
	});

	it('is null for ids that are no plot', async () => {
		for (const id of [999_999, 0, -1, 1.5, Number.NaN, 2 ** 31, Number.MAX_SAFE_INTEGER + 2]) {
			expect(await plotDetail(getDb(), id), String(id)).toBeNull();
		}
	});

	it('carries only public fields and no personal data', async () => {
		const detail = (await plotDetail(getDb(), plot))!;
		expect(Object.keys(detail).sort()).toEqual(
			[
				'adopters',
				'areaM2',
				'bounds',
				'center',
				'id',
				'kind',
				'kindDetail',
				'maintainedElsewhere',
				'neighbourhood',
				'notAdoptableReason',
				'outline',
				'retired',
				'retiredOn',
				'size',
				'sourceId',
				'state'
			].sort()
		);
		const outputs = JSON.stringify([
			detail,
			await searchPlots(getDb(), parsePlotFilters(new URLSearchParams())),
			await findPlaces(getDb(), 'Wippolder')
		]);
		for (const personal of ['marieke', 'Marieke', 'Jan Jansen', 'u1"', 'beheerder']) {
			expect(outputs).not.toContain(personal);
		}
	});
});

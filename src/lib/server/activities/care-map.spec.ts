import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { careAgeClass, localDay } from '#lib/domain/activity.js';
import { parseCareMapFilter } from '#lib/domain/care-manage.js';
import { getDb, queryRows } from '#server/db';
import { tileForPoint } from '#lib/geo/tiles.js';
import { createTileService, tileResponse } from '#server/tiles';
import { decodeTile } from '#tests/integration/tiles-fixtures.js';
import { adoptedPlot, careAdopter, careTeam, daysBefore, logCare } from '#tests/integration/care-fixtures.js';
import { addNeighbourhood, addPlot, square } from '#tests/integration/plots-fixtures.js';
import { careMapChoices, listCareMap } from './care-map';

/**
 * The map of care on the real database (both kinds): the class of each adopted plot at the
 * edges of each class, the list's filters and order, and the care tiles (class as a tile
 * property, ETag and 304, a new ETag the next day, private answers).
 */
const NOW = new Date('2026-06-15T10:00:00Z');
const TODAY = localDay(NOW);

const filter = (query = '') => parseCareMapFilter(new URLSearchParams(query));

let plots: Record<string, number> = {};
let teamId: number;
let neighbourhoodId: number;

beforeAll(async () => {
	const db = getDb();
	neighbourhoodId = await addNeighbourhood(db, 'BU-zorg', 'Zorgbuurt', square(4.3, 51.95, 0.2));
	const userId = await careAdopter(db, { displayName: 'Anna' });
	teamId = await careTeam(db, 'Groene Vingers', userId);
	// Days since the last care at each class edge: 6 | 7, 29 | 30, 90 | 91, and never.
	const ages: Record<string, number | null> = { d0: 0, d6: 6, d7: 7, d29: 29, d30: 30, d90: 90, d91: 91, never: null };
	for (const [name, age] of Object.entries(ages)) {
		const { plotId, adoptionId } = await adoptedPlot(db, {
			userId,
			teamId: name === 'd6' ? teamId : undefined,
			neighbourhoodId: name === 'd0' || name === 'd6' ? neighbourhoodId : undefined,
			kind: name === 'd7' ? 'grasland' : 'groenvoorziening'
		});
		plots[name] = plotId;
		if (age !== null) {
			await logCare(db, { plotId, adoptionId, authorUserId: userId, doneOn: daysBefore(TODAY, age + 40) });
			await logCare(db, { plotId, adoptionId, authorUserId: userId, doneOn: daysBefore(TODAY, age) });
		}
	}
	// A deleted entry is no care: the plot stays "never".
	const deleted = await adoptedPlot(db, { userId });
	plots.deletedOnly = deleted.plotId;
	await logCare(db, { ...deleted, authorUserId: userId, doneOn: TODAY, deleted: true });
	// Not adopted: not on the map of care at all, however recently cared for.
	plots.notAdopted = await addPlot(db, 'zorg-niet-geadopteerd', square(4.351, 52.001, 0.0002));
});

describe('the map of care list', () => {
	it('puts each plot in the class careAgeClass gives it, at every edge', async () => {
		const list = await listCareMap(getDb(), filter('per=100'), NOW);
		const byPlot = new Map(list.items.map((r) => [r.plotId, r.ageClass]));
		expect(Object.fromEntries(Object.entries(plots).map(([name, id]) => [name, byPlot.get(id)]))).toEqual({
			d0: 'week',
			d6: 'week',
			d7: 'month',
			d29: 'month',
			d30: 'quarter',
			d90: 'quarter',
			d91: 'older',
			never: 'never',
			deletedOnly: 'never',
			notAdopted: undefined
		});
		for (const row of list.items) expect(row.ageClass).toBe(careAgeClass(row.lastDoneOn, NOW));
		expect(list.classCounts).toEqual({ week: 2, month: 2, quarter: 2, older: 1, never: 2 });
		expect(list.total).toBe(9);
	});

	it('moves a plot to the next class as the calendar moves, without any write', async () => {
		const tomorrow = new Date(NOW.getTime() + 24 * 3600 * 1000);
		const list = await listCareMap(getDb(), filter('per=100'), tomorrow);
		expect(list.items.find((r) => r.plotId === plots.d6)?.ageClass).toBe('month');
	});

	it('filters by period, neighbourhood, kind and team, and sorts longest without care first', async () => {
		const db = getDb();
		const ids = async (query: string) => (await listCareMap(db, filter(query), NOW)).items.map((r) => r.plotId);
		expect(await ids('periode=week&volgorde=perk')).toEqual([plots.d0, plots.d6].sort((a, b) => a - b));
		expect(await ids(`buurt=${neighbourhoodId}&volgorde=perk`)).toEqual([plots.d0, plots.d6].sort((a, b) => a - b));
		expect(await ids('soort=grasland')).toEqual([plots.d7]);
		expect(await ids(`groep=${teamId}`)).toEqual([plots.d6]);
		const oldest = await ids('per=100');
		expect(oldest.slice(0, 2).sort()).toEqual([plots.never, plots.deletedOnly].sort());
		expect(oldest[2]).toBe(plots.d91);
		expect((await ids('volgorde=recentst&per=100'))[0]).toBe(plots.d0);
		// Pages: the second page of two-per-page starts where the first ended.
		const [first, second] = [await ids('per=2'), await ids('per=2&pagina=2')];
		expect([...first, ...second]).toEqual(oldest.slice(0, 4));
		// A page past the end shows the last one; a filter that matches nothing counts nothing.
		const past = await listCareMap(db, filter('per=2&pagina=99'), NOW);
		expect([past.page, past.pageCount, past.items.map((r) => r.plotId)]).toEqual([5, 5, oldest.slice(8, 9)]);
		const none = await listCareMap(db, filter('soort=bestaat-niet'), NOW);
		expect([none.total, none.items, Object.values(none.classCounts)]).toEqual([0, [], [0, 0, 0, 0, 0]]);
		const choices = await careMapChoices(db);
		expect(choices.teams).toEqual([{ id: teamId, name: 'Groene Vingers' }]);
		expect(choices.neighbourhoods).toEqual([{ id: neighbourhoodId, name: 'Zorgbuurt' }]);
	});
});

describe('GET /tiles/care/{z}/{x}/{y}.mvt', () => {
	it('carries each plot class as a property, keyed on the day, answered privately with ETag and 304', async () => {
		const db = getDb();
		const [p] = await queryRows<{ lng: number; lat: number }>(
			db,
			sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM plots WHERE id = ${plots.d0}`
		);
		let now = NOW;
		const service = createTileService({ versionTtlMs: 0, now: () => now });
		const tile = tileForPoint(p.lng, p.lat, 16);
		const url = `http://localhost/tiles/care/${tile.z}/${tile.x}/${tile.y}.mvt`;
		const res = await tileResponse(new Request(url), 'care', { z: String(tile.z), x: String(tile.x), y: String(tile.y) }, service);
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('private, max-age=5, must-revalidate');
		expect(res.headers.get('access-control-allow-origin')).toBeNull();
		const layers = decodeTile(new Uint8Array(await res.arrayBuffer()), tile);
		const feature = layers.care.features.find((f) => f.id === plots.d0);
		expect(feature?.properties).toMatchObject({ care: 'week', last: TODAY, kind: 'groenvoorziening', neighbourhood_id: neighbourhoodId });
		expect(layers.care.features.map((f) => f.id)).not.toContain(plots.notAdopted);
		const etag = res.headers.get('etag')!;

		const again = await tileResponse(new Request(url, { headers: { 'if-none-match': etag } }), 'care', { z: String(tile.z), x: String(tile.x), y: String(tile.y) }, service);
		expect(again.status).toBe(304);

		// The next day the same data is another tile (the classes moved).
		now = new Date(NOW.getTime() + 24 * 3600 * 1000);
		const nextDay = await tileResponse(new Request(url, { headers: { 'if-none-match': etag } }), 'care', { z: String(tile.z), x: String(tile.x), y: String(tile.y) }, service);
		expect(nextDay.status).toBe(200);
		expect(nextDay.headers.get('etag')).not.toBe(etag);

		// A new entry is a new version too.
		const etag2 = nextDay.headers.get('etag')!;
		await logCare(db, { plotId: plots.never, adoptionId: (await queryRows<{ id: number }>(db, sql`SELECT id FROM adoptions WHERE plot_id = ${plots.never}`))[0].id, authorUserId: null, doneOn: localDay(now) });
		const afterWrite = await tileResponse(new Request(url, { headers: { 'if-none-match': etag2 } }), 'care', { z: String(tile.z), x: String(tile.x), y: String(tile.y) }, service);
		expect(afterWrite.status).toBe(200);
	});

	it('is for staff only: visitors go to sign in, residents are refused', async () => {
		const { GET } = await import('../../../routes/(manager)/tiles/care/[z]/[x]/[y].mvt/+server');
		const event = (actor: unknown) =>
			({ request: new Request('http://localhost/tiles/care/16/1/1.mvt'), url: new URL('http://localhost/tiles/care/16/1/1.mvt'), params: { z: '16', x: '1', y: '1' }, locals: { actor } }) as never;
		// The guard throws SvelteKit's redirect or error, as in any route.
		const answer = (actor: unknown) => Promise.resolve().then(() => GET(event(actor)));
		await expect(answer(null)).rejects.toMatchObject({ status: 303 });
		const resident = { id: 'r', role: 'resident', emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
		await expect(answer(resident)).rejects.toMatchObject({ status: 403 });
		const manager = { ...resident, role: 'manager' };
		expect((await answer(manager)).status).toBeLessThan(300);
	});
});

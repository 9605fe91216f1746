import { beforeAll, describe, expect, it } from 'vitest';
import { getDb, type Db } from '#server/db';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { parsePlotFilters } from '#lib/domain/plot-filters.js';
import { TO_ADOPT_STATE } from '#lib/domain/plot-state.js';
import { upsertAccount } from '#server/auth';
import { plotFilterOptions, searchPlots } from './list';
import { withOneVersionRead } from './read-models';
import { neighbourhoodSummaries, plotTotals } from './overview';
import {
	addNeighbourhood as addN,
	addPlot as addP,
	square,
	type PlotFixture
} from '#tests/integration/plots-fixtures.js';

const addNeighbourhood = (key: string, name: string, wkt: string) => addN(getDb(), key, name, wkt);
const addPlot = (sourceId: string, wkt: string, opts: PlotFixture) => addP(getDb(), sourceId, wkt, opts);

describe('the public overview on an empty database', () => {
	it('counts nothing and has no bounds, so the page can show its empty state', async () => {
		const totals = await plotTotals(getDb());
		expect(totals).toEqual({
			plots: 0,
			adoptablePlots: 0,
			neighbourhoods: 0,
			neighbourhoodsWithPlots: 0,
			areaM2: 0,
			bounds: null
		});
	});
});

describe('the public overview with plots', () => {
	let noord = 0;
	beforeAll(async () => {
		noord = await addNeighbourhood('BU01', 'Noord', square(4.35, 52.01, 0.01));
		await addNeighbourhood('BU02', 'Zuid', square(4.35, 52.0, 0.01));
		await addPlot('a', square(4.351, 52.011, 0.0001), { neighbourhoodId: noord });
		await addPlot('b', square(4.352, 52.012, 0.0002), { neighbourhoodId: noord, adoptable: false });
		await addPlot('c', square(4.353, 52.013, 0.0001), { neighbourhoodId: noord, status: 'retired' });
		await addPlot('d', square(4.36, 52.0199, 0.0001), {});
	});

	it('counts only active plots and knows where they are', async () => {
		const totals = await plotTotals(getDb());
		expect(totals.plots).toBe(3);
		expect(totals.adoptablePlots).toBe(2);
		expect(totals.neighbourhoods).toBe(2);
		expect(totals.neighbourhoodsWithPlots).toBe(1);
		// 0.0001° squares near 52°N are about 7 m × 11 m.
		expect(totals.areaM2).toBeGreaterThan(100);
		expect(totals.bounds).not.toBeNull();
		const [west, south, east, north] = totals.bounds!;
		expect(west).toBeCloseTo(4.351, 6);
		expect(south).toBeCloseTo(52.011, 6);
		expect(east).toBeCloseTo(4.3601, 6);
		expect(north).toBeCloseTo(52.02, 6);
	});

	it('counts as "to adopt" exactly what the list finds with its state filter', async () => {
		// An adoptable plot that someone asked for is no longer to adopt, on the home page nor in the list.
		const asked = await addPlot('e', square(4.354, 52.014, 0.0001), { neighbourhoodId: noord });
		const { id: who } = await upsertAccount(getDb(), { email: 'telt@voorbeeld.nl', emailVerified: true, role: 'resident' });
		await getDb().execute(sql`INSERT INTO adoptions (plot_id, user_id, status) VALUES (${asked}, ${who}, 'requested')`);
		const totals = await plotTotals(getDb());
		const list = await searchPlots(getDb(), parsePlotFilters(new URLSearchParams(`state=${TO_ADOPT_STATE}`)));
		expect(totals.adoptablePlots).toBe(list.total);
		expect(totals.adoptablePlots).toBe(2);
		await getDb().execute(sql`DELETE FROM adoptions WHERE plot_id = ${asked}`);
		await getDb().execute(sql`DELETE FROM plots WHERE id = ${asked}`);
	});

	it('shows the new figures as soon as plots or adoptions change', async () => {
		const db = getDb();
		const before = await plotTotals(db);
		const noordCount = async () => (await neighbourhoodSummaries(db)).find((n) => n.id === noord)?.plotCount;
		const noordBefore = await noordCount();
		// Asked again without a change: the same figures.
		expect(await plotTotals(db)).toEqual(before);
		const added = await addPlot('f', square(4.355, 52.015, 0.0001), { neighbourhoodId: noord });
		const withPlot = await plotTotals(db);
		expect(withPlot).toMatchObject({ plots: before.plots + 1, adoptablePlots: before.adoptablePlots + 1 });
		expect(await noordCount()).toBe(noordBefore! + 1);
		const { id: who } = await upsertAccount(db, { email: 'thuis@voorbeeld.nl', emailVerified: true, role: 'resident' });
		await db.execute(sql`INSERT INTO adoptions (plot_id, user_id, status) VALUES (${added}, ${who}, 'active')`);
		expect((await plotTotals(db)).adoptablePlots).toBe(before.adoptablePlots);
		await db.execute(sql`DELETE FROM adoptions WHERE plot_id = ${added}`);
		await db.execute(sql`DELETE FROM plots WHERE id = ${added}`);
		expect(await plotTotals(db)).toEqual(before);
		expect(await noordCount()).toBe(noordBefore);
	});

	it('lists neighbourhoods busiest first, with plot counts', async () => {
		const rows = await neighbourhoodSummaries(getDb());
		expect(rows.map((r) => [r.name, r.plotCount])).toEqual([
			['Noord', 2],
			['Zuid', 0]
		]);
	});
});

describe("the home page's figures in one load", () => {
	/** The app's database, counting the statements that read data_versions. */
	function countingVersionReads() {
		const db = getDb();
		const dialect = new PgDialect();
		const counter = { reads: 0 };
		const counting = new Proxy(db, {
			get(target, name, receiver) {
				const value = Reflect.get(target, name, receiver);
				if (name !== 'execute') return value;
				return (query: SQL) => {
					if (dialect.sqlToQuery(query).sql.includes('data_versions')) counter.reads++;
					return value.call(target, query);
				};
			}
		});
		return { db: counting, counter };
	}
	const load = (db: Db) =>
		Promise.all([plotTotals(db), neighbourhoodSummaries(db), searchPlots(db, parsePlotFilters(new URLSearchParams())), plotFilterOptions(db)]);

	it('read data_versions once inside withOneVersionRead, and still see a change made before the next load', async () => {
		const { db, counter } = countingVersionReads();
		await load(db);
		expect(counter.reads).toBeGreaterThanOrEqual(4);
		counter.reads = 0;
		const [totals] = await withOneVersionRead(() => load(db));
		expect(counter.reads).toBe(1);
		const added = await addPlot('once', square(4.356, 52.016, 0.0001), {});
		const [after] = await withOneVersionRead(() => load(db));
		expect(after.plots).toBe(totals.plots + 1);
		await getDb().execute(sql`DELETE FROM plots WHERE id = ${added}`);
	});
});

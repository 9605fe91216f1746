import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlotFilters, findExample } from '#lib/domain/plot-filters.js';
import { upsertAccount } from '#server/auth';
import { getDb, queryRows } from '#server/db';
import { addNeighbourhood, addPlot, square } from '#tests/integration/plots-fixtures.js';
import { findPlaces } from './find';
import { neighbourhoodsWithoutPlots, plotFilterOptions, searchPlots } from './list';
import { plotFilterSql } from './filters-sql';

/** The list as a resident drives it: through the URL's query string. */
const list = (query = '', pageSize?: number) =>
	searchPlots(getDb(), parsePlotFilters(new URLSearchParams(query)), { pageSize });
const ids = async (query = '') => (await list(query, 200)).items.map((p) => p.id);

describe('the plot list on an empty database', () => {
	it('finds nothing, on one page', async () => {
		expect(await list('page=3')).toEqual({ items: [], total: 0, page: 1, pageSize: 25, pageCount: 1 });
		expect(await plotFilterOptions(getDb())).toEqual({ neighbourhoods: [], kinds: [], examplePlotId: null });
		expect(await findPlaces(getDb(), 'Wippolder')).toEqual({ neighbourhoods: [], plots: [] });
	});
});

describe('the plot list', () => {
	const p: Record<string, number> = {};
	let wippolder = 0;
	let hof = 0;

	beforeAll(async () => {
		const db = getDb();
		wippolder = await addNeighbourhood(db, 'BU1', 'Wippolder', square(4.37, 52.0, 0.01), { districtName: 'Delft-Oost' });
		hof = await addNeighbourhood(db, 'BU2', 'Hof van Delft', square(4.35, 52.01, 0.01));
		await addNeighbourhood(db, 'BU3', 'Tanthof-Oost', square(4.35, 51.99, 0.01));
		p.small = await addPlot(db, 'G0503.aa11', square(4.371, 52.001, 0.0001), {
			neighbourhoodId: wippolder,
			areaM2: 12
		});
		p.closed = await addPlot(db, 'G0503.bb22', square(4.372, 52.002, 0.0001), {
			neighbourhoodId: wippolder,
			adoptable: false,
			notAdoptableReason: 'Verkeersveiligheid',
			areaM2: 480
		});
		p.heath = await addPlot(db, 'G0503.cc33', square(4.351, 52.011, 0.0001), {
			neighbourhoodId: hof,
			kind: 'heide',
			areaM2: 150,
			attributes: { straatnaam: 'Papsouwselaan' }
		});
		p.retired = await addPlot(db, 'G0503.dd44', square(4.352, 52.012, 0.0001), {
			neighbourhoodId: hof,
			status: 'retired',
			areaM2: 90
		});
		p.outside = await addPlot(db, 'X-100%_special', square(4.4, 52.05, 0.0001), { areaM2: 150 });
	});

	it("gives the search field an example that finds plots, and names a buurt without plots", async () => {
		const options = await plotFilterOptions(getDb());
		const example = findExample(options.neighbourhoods, options.examplePlotId)!;
		// Wippolder has the most active plots here; the example must find some.
		expect(example.neighbourhood).toBe('Wippolder');
		expect((await list(`q=${example.neighbourhood}`)).total).toBeGreaterThan(0);
		expect((await list(`q=Perk ${example.plotId}`)).total).toBe(1);
		// Tanthof-Oost exists but has no plots: the list can say so instead of only "none found".
		expect((await list('q=Tanthof')).total).toBe(0);
		expect(await neighbourhoodsWithoutPlots(getDb(), 'Tanthof')).toEqual(['Tanthof-Oost']);
		expect(await neighbourhoodsWithoutPlots(getDb(), 'Wippolder')).toEqual([]);
		expect(await neighbourhoodsWithoutPlots(getDb(), '  ')).toEqual([]);
	});

	it('shows every active plot, not retired ones, with public fields and state', async () => {
		const page = await list();
		expect(page.total).toBe(4);
		expect(page.items.map((i) => i.id)).not.toContain(p.retired);
		expect(page.items.find((i) => i.id === p.closed)).toEqual({
			id: p.closed,
			kind: 'groenvoorziening',
			kindDetail: null,
			areaM2: 480,
			state: 'not_adoptable',
			neighbourhoodName: 'Wippolder'
		});
		expect(page.items.find((i) => i.id === p.small)?.state).toBe('available');
	});

	it('filters by neighbourhood', async () => {
		expect(await ids(`neighbourhood=${wippolder}`)).toEqual([p.small, p.closed]);
		expect(await ids(`neighbourhood=${hof}`)).toEqual([p.heath]);
		expect(await ids('neighbourhood=999999')).toEqual([]);
	});

	it('filters by state', async () => {
		expect(await ids('state=not_adoptable')).toEqual([p.closed]);
		expect((await ids('state=available')).sort()).toEqual([p.small, p.heath, p.outside].sort());
		expect(await ids('state=adopted')).toEqual([]);
	});

	it('filters by kind', async () => {
		expect(await ids('kind=heide')).toEqual([p.heath]);
		expect(await ids('kind=naaldbos')).toEqual([]);
	});

	it('filters by size, both ends included', async () => {
		expect((await ids('min_m2=150&sort=number'))).toEqual([p.closed, p.heath, p.outside]);
		expect(await ids('max_m2=150&sort=number')).toEqual([p.small, p.heath, p.outside]);
		expect(await ids('min_m2=100&max_m2=200&sort=number')).toEqual([p.heath, p.outside]);
		expect(await ids('min_m2=200&max_m2=100&sort=number')).toEqual([p.heath, p.outside]);
	});

	it('combines filters', async () => {
		expect(await ids(`neighbourhood=${wippolder}&state=available`)).toEqual([p.small]);
		expect(await ids(`neighbourhood=${wippolder}&kind=heide`)).toEqual([]);
	});

	it('sorts by neighbourhood (plots outside any last), number, and size both ways', async () => {
		expect(await ids()).toEqual([p.heath, p.small, p.closed, p.outside]);
		expect(await ids('sort=number')).toEqual([p.small, p.closed, p.heath, p.outside]);
		// Equal sizes fall back to the number, so the order is stable.
		expect(await ids('sort=area_desc')).toEqual([p.closed, p.heath, p.outside, p.small]);
		expect(await ids('sort=area_asc')).toEqual([p.small, p.heath, p.outside, p.closed]);
	});

	it('pages with a total count, clamping a page past the end to the last', async () => {
		const first = await list('sort=number', 3);
		expect(first).toMatchObject({ total: 4, page: 1, pageSize: 3, pageCount: 2 });
		expect(first.items.map((i) => i.id)).toEqual([p.small, p.closed, p.heath]);
		const last = await list('sort=number&page=99', 3);
		expect(last).toMatchObject({ total: 4, page: 2, pageCount: 2 });
		expect(last.items.map((i) => i.id)).toEqual([p.outside]);
		const filtered = await list(`neighbourhood=${wippolder}&page=2`, 1);
		expect(filtered).toMatchObject({ total: 2, page: 2, pageCount: 2 });
		expect(filtered.items.map((i) => i.id)).toEqual([p.closed]);
	});

	it('searches neighbourhood and district names, in any case and in part', async () => {
		expect(await ids('q=wippol')).toEqual([p.small, p.closed]);
		expect(await ids('q=HOF VAN')).toEqual([p.heath]);
		expect(await ids('q=Delft-Oost')).toEqual([p.small, p.closed]);
		expect(await ids('q=Tanthof')).toEqual([]);
	});

	it('searches plot numbers as people write them', async () => {
		for (const q of [`${p.heath}`, `Perk ${p.heath}`, `perk${p.heath}`, `#${p.heath}`, `Plot ${p.heath}`]) {
			expect(await ids(`q=${encodeURIComponent(q)}`), q).toEqual([p.heath]);
		}
		// A retired plot is not in the list, even by its number.
		expect(await ids(`q=${p.retired}`)).toEqual([]);
	});

	it('searches source ids, whole or in part, and place names in the source data', async () => {
		expect(await ids('q=G0503.bb22')).toEqual([p.closed]);
		expect(await ids('q=g0503.BB')).toEqual([p.closed]);
		expect(await ids('q=papsouwse')).toEqual([p.heath]);
		// % and _ are characters here, not wildcards.
		expect(await ids(`q=${encodeURIComponent('100%_')}`)).toEqual([p.outside]);
		expect(await ids(`q=${encodeURIComponent('%')}`)).toEqual([p.outside]);
		expect(await ids('q=nergens')).toEqual([]);
	});

	it('searches through indexes, not by testing every plot', async () => {
		// In a transaction that is rolled back: a city's worth of plots, so the planner prefers
		// indexes; a plan that still scans the plots means the SQL and the indexes (migration
		// 0011) do not match.
		let plan = '';
		await getDb()
			.transaction(async (tx) => {
				await tx.execute(sql`
					INSERT INTO plots (source_id, dataset, kind, area_m2, geom, label_point)
					SELECT 'spec-' || i, 'spec', 'gras', 10, ST_Multi(ST_GeomFromText(${square(4.3, 52, 0.0001)}, 4326)),
						ST_SetSRID(ST_MakePoint(4.3, 52), 4326)
					FROM generate_series(1, 5000) i`);
				await tx.execute(sql`ANALYZE plots`);
				const where = plotFilterSql(parsePlotFilters(new URLSearchParams('q=papsouwse')));
				const rows = await queryRows<Record<string, string>>(tx, sql`EXPLAIN SELECT count(*) FROM plots p WHERE ${where}`);
				plan = rows.map((row) => Object.values(row)[0]).join('\n');
				tx.rollback();
			})
			.catch(() => {});
		expect(plan).toContain('plots_place_names_trgm_idx');
		expect(plan).toContain('plots_source_id_trgm_idx');
		expect(plan).not.toMatch(/Seq Scan on plots/);
	});

	it('offers only filter choices that find something', async () => {
		const options = await plotFilterOptions(getDb());
		expect(options.neighbourhoods).toEqual([
			{ id: hof, name: 'Hof van Delft', plotCount: 1 },
			{ id: wippolder, name: 'Wippolder', plotCount: 2 }
		]);
		expect(options.kinds).toEqual([
			{ kind: 'groenvoorziening', plotCount: 3 },
			{ kind: 'heide', plotCount: 1 }
		]);
	});

	it('pages in neighbourhood order across neighbourhoods; plots of same-named neighbourhoods interleave by number', async () => {
		const db = getDb();
		// A second "Hof van Delft" (another district's buurt of the same name) holds the plots
		// numbered just before and after a plot of the first one.
		const other = await addNeighbourhood(db, 'BU9', 'Hof van Delft', square(4.36, 52.01, 0.01));
		const before = await addPlot(db, 'G0503.ee55', square(4.361, 52.011, 0.0001), { neighbourhoodId: other });
		const middle = await addPlot(db, 'G0503.ff66', square(4.351, 52.013, 0.0001), { neighbourhoodId: hof });
		const after = await addPlot(db, 'G0503.gg77', square(4.362, 52.012, 0.0001), { neighbourhoodId: other });
		try {
			const all = [p.heath, before, middle, after, p.small, p.closed, p.outside];
			expect(await ids()).toEqual(all);
			// Every page of one plot is that plot, at every depth, also where a page starts inside a neighbourhood.
			for (const [i, id] of all.entries()) expect((await list(`page=${i + 1}`, 1)).items.map((x) => x.id)).toEqual([id]);
			expect((await list('page=3', 3)).items.map((x) => x.id)).toEqual([p.outside]);
			expect((await list('page=2', 3)).items.map((x) => x.id)).toEqual([after, p.small, p.closed]);
			expect((await list('q=hof&state=available', 2)).items.map((x) => x.id)).toEqual([p.heath, before]);
		} finally {
			await db.execute(sql`DELETE FROM plots WHERE id IN (${before}, ${middle}, ${after})`);
			await db.execute(sql`DELETE FROM neighbourhoods WHERE id = ${other}`);
		}
		expect(await ids()).toEqual([p.heath, p.small, p.closed, p.outside]);
	});

	it('counts and offers what is there now: a new plot or adoption shows at once', async () => {
		const db = getDb();
		const available = (await list('state=available')).total;
		const plot = await addPlot(db, 'G0503.hh88', square(4.373, 52.003, 0.0001), { neighbourhoodId: wippolder, kind: 'naaldbos' });
		try {
			expect((await list('state=available')).total).toBe(available + 1);
			expect((await list('kind=naaldbos')).total).toBe(1);
			expect((await plotFilterOptions(db)).kinds).toContainEqual({ kind: 'naaldbos', plotCount: 1 });
			const { id: who } = await upsertAccount(db, { email: 'lijst@voorbeeld.nl', emailVerified: true, role: 'resident' });
			await db.execute(sql`INSERT INTO adoptions (plot_id, user_id, status) VALUES (${plot}, ${who}, 'active')`);
			expect((await list('state=available')).total).toBe(available);
			expect(await ids('state=adopted')).toEqual([plot]);
			await db.execute(sql`DELETE FROM adoptions WHERE plot_id = ${plot}`);
		} finally {
			await db.execute(sql`DELETE FROM plots WHERE id = ${plot}`);
		}
		expect((await plotFilterOptions(db)).kinds.map((k) => k.kind)).not.toContain('naaldbos');
	});

	it('finds neighbourhoods to fly to and plots to open', async () => {
		const byName = await findPlaces(getDb(), 'delft');
		expect(byName.neighbourhoods.map((n) => [n.name, n.plotCount])).toEqual([
			['Hof van Delft', 1],
			['Wippolder', 2]
		]);
		const [west, south, east, north] = byName.neighbourhoods[0].bounds;
		expect([west, south, east, north].map((v) => Number(v.toFixed(4)))).toEqual([4.35, 52.01, 4.36, 52.02]);
		expect(byName.plots.map((pl) => pl.id)).toEqual([p.small, p.closed, p.heath]);

		const byNumber = await findPlaces(getDb(), `Perk ${p.heath}`);
		expect(byNumber.neighbourhoods).toEqual([]);
		expect(byNumber.plots).toHaveLength(1);
		expect(byNumber.plots[0]).toMatchObject({ id: p.heath, kind: 'heide', neighbourhoodName: 'Hof van Delft' });
		expect(byNumber.plots[0].center[0]).toBeCloseTo(4.35105, 4);
		expect(await findPlaces(getDb(), '   ')).toEqual({ neighbourhoods: [], plots: [] });
	});
});

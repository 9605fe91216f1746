import { describe, expect, it } from 'vitest';
import {
	DEFAULT_PLOT_FILTERS,
	findExample,
	hasPlotFilters,
	parsePlotFilters,
	plotFiltersQuery,
	plotNumberFromQuery
} from './plot-filters';

const parse = (query: string) => parsePlotFilters(new URLSearchParams(query));

describe('plot filters in the URL', () => {
	it('mean "all plots, first page, by neighbourhood" when the URL has none', () => {
		expect(parse('')).toEqual({
			neighbourhood: undefined,
			state: undefined,
			kind: undefined,
			min_m2: undefined,
			max_m2: undefined,
			sort: 'neighbourhood',
			page: 1,
			q: undefined
		});
		expect(hasPlotFilters(parse(''))).toBe(false);
	});

	it('read every filter', () => {
		const f = parse('q=+Wippolder++Noord+&neighbourhood=7&state=available&kind=groenvoorziening&min_m2=10&max_m2=250.5&sort=area_desc&page=3');
		expect(f).toEqual({
			q: 'Wippolder Noord',
			neighbourhood: 7,
			state: 'available',
			kind: 'groenvoorziening',
			min_m2: 10,
			max_m2: 250.5,
			sort: 'area_desc',
			page: 3
		});
		expect(hasPlotFilters(f)).toBe(true);
	});

	it('treat the blank fields a GET form sends as "no filter"', () => {
		expect(parse('q=&neighbourhood=&state=&kind=&min_m2=&max_m2=&sort=&page=')).toEqual(DEFAULT_PLOT_FILTERS);
	});

	it('drop values that make no sense instead of failing the page', () => {
		const f = parse('neighbourhood=abc&state=gone&min_m2=-5&max_m2=lots&sort=random&page=0&kind=' + 'x'.repeat(101));
		expect(f).toEqual(DEFAULT_PLOT_FILTERS);
		expect(parse('page=1.5').page).toBe(1);
		expect(parse('neighbourhood=99999999999').neighbourhood).toBeUndefined();
	});

	it('swap a size range given the wrong way round', () => {
		expect(parse('min_m2=50&max_m2=10')).toMatchObject({ min_m2: 10, max_m2: 50 });
	});

	it('cut a very long search to a length any place name fits in', () => {
		expect(parse(`q=${'a'.repeat(500)}`).q).toHaveLength(100);
	});

	it('write links without defaults, and start again at page 1 when a filter changes', () => {
		const f = parse('state=adopted&page=4&sort=neighbourhood');
		expect(plotFiltersQuery(f)).toBe('state=adopted&page=4');
		expect(plotFiltersQuery(f, { page: 5 })).toBe('state=adopted&page=5');
		expect(plotFiltersQuery(f, { sort: 'area_asc' })).toBe('state=adopted&sort=area_asc');
		expect(plotFiltersQuery(DEFAULT_PLOT_FILTERS)).toBe('');
		// A link read back gives the same filters.
		const all = parse('q=Perk 12&neighbourhood=2&kind=heide&min_m2=1&max_m2=2&sort=number&page=2');
		expect(parse(plotFiltersQuery(all))).toEqual(all);
	});
});

describe('plot references in a search', () => {
	it('recognise a plot number in the ways people write it', () => {
		for (const q of ['12', ' 12 ', '#12', 'Perk 12', 'perk12', 'Plot 12']) {
			expect(plotNumberFromQuery(q), q).toBe(12);
		}
	});

	it('leave names and source ids alone', () => {
		for (const q of ['Wippolder', 'G0503.032e68ef', 'Perk', '12a', '1234567890']) {
			expect(plotNumberFromQuery(q), q).toBeNull();
		}
	});
});

describe('findExample', () => {
	it('takes the buurt with the most plots, so the example finds something', () => {
		const buurten = [
			{ name: 'In de Veste', plotCount: 40 },
			{ name: 'Centrum-Zuidoost', plotCount: 86 },
			{ name: 'Abtswoude', plotCount: 86 }
		];
		expect(findExample(buurten, 3)).toEqual({ neighbourhood: 'Abtswoude', plotId: 3 });
		expect(findExample([], 3)).toBeNull();
		expect(findExample(buurten, null)).toBeNull();
	});
});

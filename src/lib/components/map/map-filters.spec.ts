import { describe, expect, it } from 'vitest';
import { mapPlotFilters, mapPlotFiltersQuery, NO_MAP_FILTERS, parsePlotFilters } from '#lib/domain/plot-filters.js';
import { countExpression, matchingCount, plotCountFilter, plotStateFilter, plotTilesPath } from './map-filters';

const filters = (query: string) => mapPlotFilters(parsePlotFilters(new URLSearchParams(query)));

describe('map filters from the list URL', () => {
	it('shows everything without filters, from the plain tile URL', () => {
		expect(plotTilesPath(NO_MAP_FILTERS)).toBe('/tiles/plots/{z}/{x}/{y}.mvt');
		expect(plotStateFilter(NO_MAP_FILTERS)).toBe(true);
		expect(plotCountFilter(NO_MAP_FILTERS)).toEqual(['>', ['get', 'plots'], 0]);
	});

	it('asks the tiles for neighbourhood, kind and size, and filters the state itself', () => {
		const f = filters('state=available&neighbourhood=7&kind=grasland&min_m2=10&max_m2=50');
		expect(plotTilesPath(f)).toBe('/tiles/plots/{z}/{x}/{y}.mvt?neighbourhood=7&kind=grasland&min_m2=10&max_m2=50');
		expect(plotStateFilter(f)).toEqual(['==', ['get', 'state'], 'available']);
		expect(countExpression(f)).toEqual(['get', 'available']);
		expect(plotCountFilter(f)).toEqual(['>', ['get', 'available'], 0]);
	});

	it('keeps the plain tiles (and their cache) when only the state is chosen', () => {
		expect(plotTilesPath(filters('state=adopted'))).toBe('/tiles/plots/{z}/{x}/{y}.mvt');
	});

	it('gives equal filters one tile URL, however the list URL spelled them', () => {
		const a = plotTilesPath(filters('max_m2=10&min_m2=50.0&kind=+gras+&sort=area_desc&page=2'));
		const b = plotTilesPath(filters('min_m2=10&kind=gras&max_m2=50'));
		expect(a).toBe(b);
		expect(b).toBe('/tiles/plots/{z}/{x}/{y}.mvt?kind=gras&min_m2=10&max_m2=50');
		// A kind with spaces or an ampersand stays one parameter.
		expect(plotTilesPath(filters('kind=gras%20%26%20kruid'))).toBe('/tiles/plots/{z}/{x}/{y}.mvt?kind=gras+%26+kruid');
	});

	it('drops what makes no sense, as the list does', () => {
		expect(plotTilesPath(filters('neighbourhood=abc&min_m2=-5&max_m2=lots'))).toBe('/tiles/plots/{z}/{x}/{y}.mvt');
		expect(mapPlotFiltersQuery(filters('state=eaten'))).toBe('');
	});

	it('counts the plots in a neighbourhood that match the state', () => {
		const props = { plots: 10, available: 6, requested: 1, adopted: 2, not_adoptable: 1 };
		expect(matchingCount(props, NO_MAP_FILTERS)).toBe(10);
		expect(matchingCount(props, filters('state=adopted'))).toBe(2);
	});

	it('ignores what the map cannot show (search text, sort, page)', () => {
		expect(filters('q=Hof&sort=area_desc&page=3')).toEqual(NO_MAP_FILTERS);
		expect(mapPlotFiltersQuery(parsePlotFilters(new URLSearchParams('q=Hof&kind=gras')))).toBe('kind=gras');
	});
});

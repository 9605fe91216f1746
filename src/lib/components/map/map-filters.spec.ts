import { describe, expect, it } from 'vitest';
import { parsePlotFilters } from '$lib/domain/plot-filters';
import { PLOT_DETAIL_MIN_ZOOM, PLOT_POINT_MIN_ZOOM } from '$lib/server/tiles/layers';
import * as mapTypes from './types';
import {
	countExpression,
	mapFilters,
	matchingCount,
	NO_FILTERS,
	plotCountFilter,
	plotPointFilter,
	plotPolygonFilter
} from './map-filters';

const filters = (query: string) => mapFilters(parsePlotFilters(new URLSearchParams(query)));

describe('map filters from the list URL', () => {
	it('shows everything without filters', () => {
		expect(plotPolygonFilter(NO_FILTERS)).toBe(true);
		expect(plotPointFilter(NO_FILTERS)).toBe(true);
		expect(plotCountFilter(NO_FILTERS)).toEqual(['>', ['get', 'plots'], 0]);
	});

	it('applies every filter to the polygons', () => {
		expect(plotPolygonFilter(filters('state=available&neighbourhood=7&kind=grasland&min_m2=10&max_m2=50'))).toEqual([
			'all',
			['==', ['get', 'state'], 'available'],
			['==', ['get', 'neighbourhood_id'], 7],
			['==', ['get', 'kind'], 'grasland'],
			['>=', ['get', 'area_m2'], 10],
			['<=', ['get', 'area_m2'], 50]
		]);
	});

	it('filters the points by state only, and the counts by state and neighbourhood', () => {
		const f = filters('state=adopted&neighbourhood=7&kind=grasland');
		expect(plotPointFilter(f)).toEqual(['==', ['get', 'state'], 'adopted']);
		expect(countExpression(f)).toEqual(['get', 'adopted']);
		expect(plotCountFilter(f)).toEqual(['all', ['>', ['get', 'adopted'], 0], ['==', ['id'], 7]]);
	});

	it('counts the plots in a neighbourhood that match the state', () => {
		const props = { plots: 10, available: 6, requested: 1, adopted: 2, not_adoptable: 1 };
		expect(matchingCount(props, NO_FILTERS)).toBe(10);
		expect(matchingCount(props, filters('state=adopted'))).toBe(2);
	});

	it('ignores what the map cannot show (search text, sort, page)', () => {
		expect(filters('q=Hof&sort=area_desc&page=3')).toEqual(NO_FILTERS);
	});

	it('switches layers at the zoom levels where the tiles change content', () => {
		expect(mapTypes.PLOT_DETAIL_MIN_ZOOM).toBe(PLOT_DETAIL_MIN_ZOOM);
		expect(mapTypes.PLOT_POINT_MIN_ZOOM).toBe(PLOT_POINT_MIN_ZOOM);
	});
});

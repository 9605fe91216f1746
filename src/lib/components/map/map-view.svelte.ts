import type { Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';
import { PLOT_STATES, type PlotState } from '#lib/domain/plot-state.js';
import { PLOT_DETAIL_MIN_ZOOM, PLOT_FILL_LAYER, PLOT_POINT_LAYER } from './layers';

/** [longitude, latitude] */
export type LngLat = [number, number];

export interface NearbyPlot {
	id: number;
	state: PlotState;
	/** Only the polygons (zoom ≥ 15) carry kind and area. */
	kind: string | null;
	areaM2: number | null;
	distanceM: number;
}

/**
 * The map as the page sees it. The page renders before MapLibre is even downloaded; this
 * class is how the page's own controls (near me, the plot panel) reach the map once it is
 * there, without the page importing MapLibre. Only type imports from maplibre-gl here.
 */
export class PlotMapView {
	map = $state.raw<MapLibreMap | null>(null);
	/** Where "near me" found the reader; the canvas shows a marker there. */
	here = $state.raw<LngLat | null>(null);

	attach(map: MapLibreMap) {
		this.map = map;
	}

	detach(map: MapLibreMap) {
		if (this.map === map) this.map = null;
	}

	/** Back to the map after a panel closes, so keyboard users continue where they were. */
	focus() {
		this.map?.getCanvas().focus();
	}

	/** Moves to a place at a zoom where plots are drawn, and resolves once they are. */
	async showPlace(place: LngLat, zoom = PLOT_DETAIL_MIN_ZOOM + 1.5): Promise<void> {
		const map = this.map;
		if (!map) return;
		const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
		const arrived = new Promise<void>((resolve) => map.once('idle', () => resolve()));
		if (reduceMotion) map.jumpTo({ center: place, zoom });
		else map.flyTo({ center: place, zoom, duration: 1200, essential: false });
		await arrived;
	}

	/** The plots drawn within `radiusM` of a place, nearest first. */
	nearbyPlots(place: LngLat, radiusM = 400, limit = 5): NearbyPlot[] {
		const map = this.map;
		if (!map) return [];
		const layers = [PLOT_FILL_LAYER, PLOT_POINT_LAYER].filter((id) => map.getLayer(id));
		const byId = new Map<number, NearbyPlot>();
		for (const feature of map.queryRenderedFeatures({ layers })) {
			const plot = toNearbyPlot(feature, place);
			if (!plot || plot.distanceM > radiusM) continue;
			const seen = byId.get(plot.id);
			// A polygon cut by tile edges comes back in pieces: keep its nearest piece.
			if (!seen || plot.distanceM < seen.distanceM) byId.set(plot.id, plot);
		}
		return [...byId.values()].sort((a, b) => a.distanceM - b.distanceM).slice(0, limit);
	}
}

function toNearbyPlot(feature: MapGeoJSONFeature, place: LngLat): NearbyPlot | null {
	if (typeof feature.id !== 'number') return null;
	const props = feature.properties;
	const state = PLOT_STATES.find((s) => s === props.state);
	if (!state) return null;
	const points = coordinates(feature.geometry);
	if (points.length === 0) return null;
	return {
		id: feature.id,
		state,
		kind: typeof props.kind === 'string' ? props.kind : null,
		areaM2: typeof props.area_m2 === 'number' ? props.area_m2 : null,
		distanceM: Math.min(...points.map((p) => distanceM(place, p)))
	};
}

function coordinates(geometry: GeoJSON.Geometry): LngLat[] {
	switch (geometry.type) {
		case 'Point':
			return [geometry.coordinates as LngLat];
		case 'Polygon':
			return geometry.coordinates.flat() as LngLat[];
		case 'MultiPolygon':
			return geometry.coordinates.flat(2) as LngLat[];
		default:
			return [];
	}
}

/**
 * Metres between two nearby points (equirectangular: within a city the error is far below a
 * metre, and it spares the page a geodesy library). To a polygon, the distance to its nearest
 * vertex: good enough to order plots around a person.
 */
export function distanceM(a: LngLat, b: LngLat): number {
	const R = 6_371_008.8;
	const rad = Math.PI / 180;
	const x = (b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad);
	const y = (b[1] - a[1]) * rad;
	return Math.sqrt(x * x + y * y) * R;
}

/** True when a place is inside [west, south, east, north]. */
export function insideBounds(place: LngLat, bounds: readonly [number, number, number, number]): boolean {
	const [w, s, e, n] = bounds;
	return place[0] >= w && place[0] <= e && place[1] >= s && place[1] <= n;
}

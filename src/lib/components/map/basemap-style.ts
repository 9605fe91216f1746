import type { ExpressionSpecification, FillLayerSpecification, LineLayerSpecification } from 'maplibre-gl';

/**
 * How the map draws the municipality's own BGT (/tiles/basemap) when no basemap server is
 * configured: calm, warm greys and a pale blue, so the plot states stay the only saturated
 * colours on the map. No greens (available plots are green), no yellows or strong blues
 * (requested and adopted plots); every plot state's outline keeps at least 3:1 against every
 * basemap fill (WCAG 1.4.11), which basemap-style.spec.ts checks.
 *
 * Colours are theme tokens (theme.css: --perkje-map-basemap-*); the values here are the
 * fallbacks the canvas uses when a token is missing.
 */

export const BASEMAP_COLOURS = {
	terrain: '#f0ede8',
	water: '#d4e4ee',
	waterLine: '#b7cfdd',
	road: '#e6e2dc',
	roadLine: '#d2ccc4',
	footpath: '#f3f1ed',
	/** Dutch cycle paths are red asphalt: a hint of it, no more. */
	cyclePath: '#eee2de',
	parking: '#ebe8e3',
	bridge: '#e2ded8',
	bridgeLine: '#a8a199',
	building: '#d9d6d2',
	buildingLine: '#bdb7b0',
	wall: '#9d968e'
} as const;

export type BasemapColour = keyof typeof BASEMAP_COLOURS;

/** The fills a plot may lie on: its outline must stand out against each. */
export const BASEMAP_FILLS: readonly BasemapColour[] = ['terrain', 'water', 'road', 'footpath', 'cyclePath', 'parking', 'bridge', 'building'];

/** The CSS custom property that overrides one basemap colour. */
export function basemapToken(name: BasemapColour): string {
	return `--perkje-map-basemap-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-color`;
}

/** The basemap colours with the theme's token values applied (browser only). */
export function themedBasemapColours(read: (token: string, fallback: string) => string): Record<BasemapColour, string> {
	return Object.fromEntries(
		(Object.keys(BASEMAP_COLOURS) as BasemapColour[]).map((name) => [name, read(basemapToken(name), BASEMAP_COLOURS[name])])
	) as Record<BasemapColour, string>;
}

/** Tile URL template (src/routes/tiles/basemap/**); it has data from BASEMAP_MIN_ZOOM (geo/tiles.ts) on. */
export const BASEMAP_TILES_PATH = '/tiles/basemap/{z}/{x}/{y}.mvt';

/** BGT road functions (wegdeel `function`/`functie`) drawn as footpaths or cycle paths. */
const FOOTPATHS = ['voetpad', 'voetpad op trap', 'voetgangersgebied', 'woonerf', 'ruiterpad'];
const CYCLE_PATHS = ['fietspad', 'fietspad op trap'];
const PARKING = ['parkeervlak', 'parkeerplaats'];

/** `sourceLayer` is the tile layer (src/lib/server/tiles/layers.ts): building, road, water, terrain, wall, bridge. */
export type BasemapLayerSpec =
	| { id: string; type: 'fill'; sourceLayer: string; paint: NonNullable<FillLayerSpecification['paint']> }
	| { id: string; type: 'line'; sourceLayer: string; paint: NonNullable<LineLayerSpecification['paint']> };

/** Layer ids other code (tests) may query. */
export const BASEMAP_LAYER_IDS = {
	terrain: 'perkje-basemap-terrain',
	water: 'perkje-basemap-water',
	road: 'perkje-basemap-road',
	bridge: 'perkje-basemap-bridge',
	building: 'perkje-basemap-building',
	wall: 'perkje-basemap-wall'
} as const;

/** The basemap's layers, bottom first: terrain, water, roads, bridges over the water, buildings, walls. */
export function basemapLayerSpecs(c: Record<BasemapColour, string>): BasemapLayerSpec[] {
	const roadFill = [
		'match',
		['coalesce', ['get', 'kind'], ''],
		FOOTPATHS,
		c.footpath,
		CYCLE_PATHS,
		c.cyclePath,
		PARKING,
		c.parking,
		c.road
	] as unknown as ExpressionSpecification;
	const thin = (from: number, to: number) =>
		['interpolate', ['linear'], ['zoom'], 15, from, 19, to] as unknown as ExpressionSpecification;
	return [
		{ id: BASEMAP_LAYER_IDS.terrain, type: 'fill', sourceLayer: 'terrain', paint: { 'fill-color': c.terrain } },
		{
			id: BASEMAP_LAYER_IDS.water,
			type: 'fill',
			sourceLayer: 'water',
			paint: { 'fill-color': c.water, 'fill-outline-color': c.waterLine }
		},
		{
			id: BASEMAP_LAYER_IDS.road,
			type: 'fill',
			sourceLayer: 'road',
			paint: { 'fill-color': roadFill, 'fill-outline-color': c.roadLine }
		},
		{ id: BASEMAP_LAYER_IDS.bridge, type: 'fill', sourceLayer: 'bridge', paint: { 'fill-color': c.bridge } },
		{
			id: `${BASEMAP_LAYER_IDS.bridge}-line`,
			type: 'line',
			sourceLayer: 'bridge',
			paint: { 'line-color': c.bridgeLine, 'line-width': thin(0.5, 1.5) }
		},
		{ id: BASEMAP_LAYER_IDS.building, type: 'fill', sourceLayer: 'building', paint: { 'fill-color': c.building } },
		{
			id: `${BASEMAP_LAYER_IDS.building}-line`,
			type: 'line',
			sourceLayer: 'building',
			paint: { 'line-color': c.buildingLine, 'line-width': thin(0.5, 1) }
		},
		// Walls are narrow areas in BGT: their outline draws them as a thin line at any zoom.
		{
			id: BASEMAP_LAYER_IDS.wall,
			type: 'line',
			sourceLayer: 'wall',
			paint: { 'line-color': c.wall, 'line-width': thin(0.5, 1.25) }
		}
	];
}

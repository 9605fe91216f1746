import { sql, type SQL } from 'drizzle-orm';
import { DEFAULT_PLOT_FILTERS, type MapPlotFilters } from '#lib/domain/plot-filters.js';
import { BASEMAP_MIN_ZOOM, PLOT_DETAIL_MIN_ZOOM, PLOT_POINT_MIN_ZOOM, tileBounds4326, tilePixelDegrees, type TileCoord } from '#lib/geo/tiles.js';
import { BASEMAP_LAYERS, type BasemapLayer } from '#lib/domain/basemap.js';
import { plotFilterSql, plotAdoptionsJoinSql, plotStateFromJoinSql, plotStateSql } from '#server/plots';
import { careTileFeaturesSql } from '#server/activities';
import { reportTileFeaturesSql } from '#server/reports';

/**
 * What each tile set holds. A layer is one SQL query for the features that touch a tile:
 * rows of `id` (integer feature id), the layer's properties, and `geom` (EPSG:4326). Both
 * renderers (ST_AsMVT on PostGIS, geojson-vt in JavaScript) wrap this same query, which is
 * what keeps their layers, ids and properties identical.
 *
 * Plot tiles can be filtered with the list's filters (src/lib/domain/plot-filters.ts): the
 * plot layers then hold, and the counts count, only the plots the list would show, through
 * the list's own SQL condition (plotFilterSql), so map and list cannot disagree.
 */

/** Tile extent and buffer (in tile units) used by both renderers. */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;
/** Bump when the content of tiles changes shape, so no cache serves old tiles after a deploy. */
export const TILE_FORMAT = 1;


export { BASEMAP_MIN_ZOOM, PLOT_DETAIL_MIN_ZOOM, PLOT_POINT_MIN_ZOOM };

export const TILESET_NAMES = ['plots', 'neighbourhoods', 'basemap', 'care', 'reports'] as const;
export type TilesetName = (typeof TILESET_NAMES)[number];

export interface TileLayer {
	name: string;
	/** Property columns of the feature query, in order (besides `id` and `geom`). */
	properties: readonly string[];
	/** Polygons are clipped (and, when large, simplified) in SQL before JavaScript sees them. */
	geometry: 'polygon' | 'point';
	/** Large polygons with many vertices (neighbourhoods): simplify to a pixel in SQL first. */
	simplify?: boolean;

	/**
	 * False at zooms where PostgreSQL's JIT compiles this layer's query for longer than the
	 * compiled query saves; the PostGIS renderer then turns JIT off for that one query (README,
	 * "A municipality's PostgreSQL settings"). PostgreSQL JITs by the planner's cost estimate,
	 * which for a tile over thousands of plots passes its thresholds while the query itself
	 * takes tens of milliseconds.
	 */
	jit?: (z: number) => boolean;

	/**
	 * `plotFilter`: a condition on `plots p` that plot layers apply (neighbourhood layers ignore it).
	 * `today`: the calendar day (YYYY-MM-DD) the tile is rendered for, for layers whose content
	 * moves with the calendar (the map of care); the tile set is then `daily`.
	 */
	features(tile: TileCoord, envelope: SQL, plotFilter: SQL, today: string): SQL;
}

export interface Tileset {
	name: TilesetName;
	/** Rows of data_versions whose change makes these tiles stale. */
	dataSets: readonly string[];
	/** Tiles change at midnight too (Europe/Amsterdam): the day is part of their cache key and ETag. */
	daily?: boolean;
	/** Staff only: answered as private, never from the public fast path or a shared cache. */
	staff?: boolean;
	layers(z: number): TileLayer[];
}

/** The list's condition for these filters (search excepted); with none, every active plot. */
export function tilePlotFilterSql(filters: MapPlotFilters): SQL {
	return plotFilterSql({ ...DEFAULT_PLOT_FILTERS, ...filters, q: undefined });
}

/** The tile's bounds in 4326 widened by the buffer, for index lookups and SQL clipping. */
export function bufferedEnvelope(tile: TileCoord): SQL {
	const [w, s, e, n] = tileBounds4326(tile, TILE_BUFFER / TILE_EXTENT);
	return sql`ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`;
}

const plotState = plotStateSql('p');

// JIT measured on 200,000 plots (PostgreSQL 15 defaults, ST_AsMVT, p50 per tile): z14 points
// 229 ms with it, 76 without (178 ms of inlining, optimising and emitting in a 295 ms query);
// z15 polygons 89 / 77 ms (14 ms compiling); z16 and z17 are below the cost at which JIT starts,
// and the counts at z12-13 are too (z12 166 ms with JIT on, 163 off). Off where it costs.
const plotPolygons: TileLayer = {
	name: 'plots',
	properties: ['state', 'kind', 'area_m2', 'neighbourhood_id'],
	geometry: 'polygon',
	jit: (z) => z > PLOT_DETAIL_MIN_ZOOM,
	features: (_tile, envelope, plotFilter) => sql`
		-- Clamped: one implausible row (a polygon the size of a country) must not make the
		-- int cast fail, and with it every tile that row touches.
		SELECT p.id, ${plotState} AS state, p.kind,
			least(greatest(round(p.area_m2), 0), 2147483647)::int AS area_m2,
			p.neighbourhood_id, p.geom
		FROM plots p
		WHERE p.geom && ${envelope} AND ${plotFilter}
		ORDER BY p.id`
};

const plotPoints: TileLayer = {
	name: 'plot_points',
	properties: ['state'],
	geometry: 'point',
	jit: () => false,
	features: (_tile, envelope, plotFilter) => sql`
		SELECT p.id, ${plotState} AS state, p.label_point AS geom
		FROM plots p
		WHERE p.geom && ${envelope} AND ${plotFilter}
		ORDER BY p.id`
	// The filter is on geom (it has the spatial index); a label point that falls outside the
	// buffered tile is then dropped by both renderers alike.
};

/**
 * The tile itself in 4326, without the buffer, for what must be in one tile only. A point
 * exactly on the shared edge of two tiles is in both (`&&` includes the edge); only that test
 * keeps the row estimate right (a half-open test on ST_X/ST_Y made the planner expect one row
 * and sort 100,000 plots on disk).
 */
function tileEnvelope4326(tile: TileCoord): SQL {
	const [w, s, e, n] = tileBounds4326(tile);
	return sql`ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`;
}

/**
 * Feature ids of the counts that are not a whole neighbourhood's circle (see plotCounts): the
 * neighbourhood's id (or 0) plus a multiple of 2^32 that differs between tiles up to three
 * apart, so the parts a reader sees side by side never share an id (the map sums the counts
 * in view per id). A neighbourhood spans far fewer tiles than that at zoom 13 (3 km) and below.
 */
function partIdOffset(tile: TileCoord): number {
	return (1 + (tile.x % 4) + 4 * (tile.y % 4)) * 2 ** 32;
}

// Counts per state of the plots whose label point is in the tile, one circle per
// neighbourhood, so every plot is counted in one tile and a tile that holds plots always has
// circles over them. Picking neighbourhoods by their label point instead left
// tiles over thousands of plots empty (204) when the label point fell in the next tile; and
// the neighbourhood's whole count in every tile it touches would draw it twice. So a
// neighbourhood whose label point is in the tile has its circle there, with its id; the part
// of one whose label point lies elsewhere gets a circle of its own, on the middle of its plots
// in this tile, and an id of its own (partIdOffset). Plots without a neighbourhood are
// counted the same way, as a part without a name. Measured on 200,000 plots (PostgreSQL,
// same run, interleaved): z12 p50 196 ms against 164 for counting by label point, z13 35 / 36.
// The adoptions are joined once, in one grouped pass: measured on 200,000 plots with 20,000
// adoptions (PostgreSQL, z12 tiles over Delft), 768 ms per tile with a LATERAL count per
// neighbourhood and two adoption probes per plot, 146 ms so.
const plotCounts: TileLayer = {
	name: 'plot_counts',
	properties: ['name', 'plots', 'available', 'requested', 'adopted', 'not_adoptable'],
	geometry: 'point',
	features: (tile, _envelope, plotFilter) => {
		const inTile = tileEnvelope4326(tile);
		const whole = sql`(n.id IS NOT NULL AND n.label_point && ${inTile})`;
		return sql`
		SELECT CASE WHEN ${whole} THEN n.id ELSE ${partIdOffset(tile)}::bigint + coalesce(c.neighbourhood_id, 0) END AS id,
			n.name, c.plots, c.available, c.requested, c.adopted, c.not_adoptable,
			CASE WHEN ${whole} THEN n.label_point ELSE ST_SetSRID(ST_MakePoint(c.x, c.y), 4326) END AS geom
		FROM (
			SELECT s.neighbourhood_id, count(*)::int AS plots,
				count(*) FILTER (WHERE s.state = 'available')::int AS available,
				count(*) FILTER (WHERE s.state = 'requested')::int AS requested,
				count(*) FILTER (WHERE s.state = 'adopted')::int AS adopted,
				count(*) FILTER (WHERE s.state = 'not_adoptable')::int AS not_adoptable,
				-- The middle of a part's plots; only parts pay for reading the points.
				avg(ST_X(s.label_point)) FILTER (WHERE NOT s.whole) AS x,
				avg(ST_Y(s.label_point)) FILTER (WHERE NOT s.whole) AS y
			FROM (
				SELECT p.neighbourhood_id, p.label_point, ${plotStateFromJoinSql('p', 'oa')} AS state,
					coalesce(p.neighbourhood_id IN (SELECT tn.id FROM neighbourhoods tn WHERE tn.label_point && ${inTile}), false) AS whole
				FROM plots p ${plotAdoptionsJoinSql('p', 'oa')}
				WHERE p.label_point && ${inTile} AND ${plotFilter}
			) s
			GROUP BY s.neighbourhood_id
		) c
		LEFT JOIN neighbourhoods n ON n.id = c.neighbourhood_id
		ORDER BY id`;
	}
};

const neighbourhoodPolygons: TileLayer = {
	name: 'neighbourhoods',
	properties: ['name', 'code'],
	geometry: 'polygon',
	simplify: true,
	features: (_tile, envelope) => sql`
		SELECT n.id, n.name, n.code, n.geom
		FROM neighbourhoods n
		WHERE n.geom && ${envelope}
		ORDER BY n.id`
};

const neighbourhoodLabels: TileLayer = {
	name: 'neighbourhood_labels',
	properties: ['name', 'code'],
	geometry: 'point',
	features: (_tile, envelope) => sql`
		SELECT n.id, n.name, n.code, n.label_point AS geom
		FROM neighbourhoods n
		WHERE n.label_point && ${envelope}
		ORDER BY n.id`
};

/** One tile layer per basemap layer, named as the layer (building, road, …), so a style picks them by source-layer. */
function basemapLayer(layer: BasemapLayer): TileLayer {
	return {
		name: layer,
		properties: ['kind', 'level'],
		geometry: 'polygon',
		features: (tile, envelope) => {
			// BGT has bits of pavement under 0.2 m² and walls 20 cm wide, far below a pixel at
			// zoom 14-15 (a tile unit is 0.6 m at zoom 14, and a 512 px tile has 4096 units).
			// ST_AsMVTGeom simplifies by half a unit and drops what collapses; geojson-vt keeps
			// everything. So both renderers get them dropped here: simplified without keeping
			// collapsed parts, nothing under 2 square units, and nothing narrower than a unit
			// on average (2 × area / perimeter). Degrees: a unit of latitude is about 0.62 of one
			// of longitude at Dutch latitudes (cos 52°), so the width test errs on dropping.
			const unit = tilePixelDegrees(tile.z, TILE_EXTENT);
			return sql`
				SELECT b.id, b.kind, b.level, s.geom
				FROM basemap_features b
				CROSS JOIN LATERAL (SELECT ST_Simplify(b.geom, ${0.5 * unit}::float8, false) AS geom) s
				WHERE b.layer = ${layer} AND b.geom && ${envelope}
					AND ST_Area(b.geom) >= ${2 * 0.62 * unit * unit}::float8
					AND 2 * ST_Area(b.geom) >= ${unit}::float8 * ST_Perimeter(b.geom)
					AND s.geom IS NOT NULL AND NOT ST_IsEmpty(s.geom)
				ORDER BY b.id`;
		}
	};
}
const basemapLayers = BASEMAP_LAYERS.map(basemapLayer);

/**
 * Below this zoom the map of care draws nothing. Its cost is one probe per adopted plot in the
 * tile; measured on 200,000 plots with 20,000 adopted and 1,000,000 entries (bench:care), a z12
 * tile took 2.7× and a z13 tile 3.3× the plot tile of the same place (which has counts there),
 * from z14 on at most 1.15×. A count per class per neighbourhood would need the same probes.
 */
export const CARE_MIN_ZOOM = PLOT_POINT_MIN_ZOOM;

// The map of care (manager only): adopted plots by how long ago they were last cared for,
// from src/lib/server/activities (careTileFeaturesSql, one index probe per plot for its last
// entry). The map's filters (period, neighbourhood, kind, team) are MapLibre filters on the
// tile's properties rather than query parameters: every combination would otherwise be a tile
// of its own to render and cache, while a city has at most tens of thousands of adopted plots,
// few enough that one tile per place and day carries them all, and a manager flicking through
// filters then waits for no server. The list beside the map filters in SQL (it pages).
// JIT off throughout: the per-plot probes make the planner's cost pass JIT's thresholds on tiles
// whose query takes milliseconds (as with the plot layers).
const carePolygons: TileLayer = {
	name: 'care',
	properties: ['care', 'kind', 'neighbourhood_id', 'teams', 'last'],
	geometry: 'polygon',
	jit: () => false,
	features: (_tile, envelope, _plotFilter, today) => careTileFeaturesSql(envelope, 'polygon', today)
};

const carePoints: TileLayer = {
	name: 'care_points',
	properties: carePolygons.properties,
	geometry: 'point',
	jit: () => false,
	features: (_tile, envelope, _plotFilter, today) => careTileFeaturesSql(envelope, 'point', today)
};

/**
 * Below this zoom the public reports layer draws nothing: a city's open reports as dots at
 * zoom 12 are noise, and the list beside the map carries them at any zoom.
 */
export const REPORTS_MIN_ZOOM = PLOT_POINT_MIN_ZOOM;

// Problem reports for everyone (src/lib/server/reports/layer.ts): open ones and those closed in
// the last 14 days, category, state and day only. One point per report; the reports'
// geometry index finds them.
const reportPoints: TileLayer = {
	name: 'reports',
	properties: ['state', 'category', 'main_category', 'created'],
	geometry: 'point',
	jit: () => false,
	features: (_tile, envelope, _plotFilter, today) => reportTileFeaturesSql(envelope, today)
};

export const TILESETS: Record<TilesetName, Tileset> = {
	plots: {
		name: 'plots',
		// A plot's state comes from its adoptions too (plotStateSql).
		dataSets: ['plots', 'neighbourhoods', 'adoptions'],
		layers: (z) =>
			z >= PLOT_DETAIL_MIN_ZOOM ? [plotPolygons] : z >= PLOT_POINT_MIN_ZOOM ? [plotPoints] : [plotCounts]
	},
	neighbourhoods: {
		name: 'neighbourhoods',
		dataSets: ['neighbourhoods'],
		layers: () => [neighbourhoodPolygons, neighbourhoodLabels]
	},
	basemap: {
		name: 'basemap',
		dataSets: ['basemap'],
		layers: (z) => (z >= BASEMAP_MIN_ZOOM ? basemapLayers : [])
	},
	care: {
		name: 'care',
		// The class comes from the plots' running adoptions and their last entry, and the day.
		dataSets: ['plots', 'adoptions', 'activities'],
		daily: true,
		staff: true,
		layers: (z) => (z >= PLOT_DETAIL_MIN_ZOOM ? [carePolygons] : z >= CARE_MIN_ZOOM ? [carePoints] : [])
	},
	reports: {
		name: 'reports',
		// Bumped by a trigger on reports; daily, as closed reports leave after 14 days without a write.
		dataSets: ['reports'],
		daily: true,
		layers: (z) => (z >= REPORTS_MIN_ZOOM ? [reportPoints] : [])
	}
};

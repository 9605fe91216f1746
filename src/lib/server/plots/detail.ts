import { sql } from 'drizzle-orm';
import type { PlotDetail } from '#lib/domain/plot-detail.js';
import { ADOPTED_STATUSES, type PlotState, type PlotStatus } from '#lib/domain/plot-state.js';
import { plotSize, type PlotSize } from '#lib/domain/plot-size.js';
import { ownerOfImportReason } from '#lib/domain/plot-owner.js';
import { queryRows, sqlList, type Db } from '#server/db';
import { plotStateSql } from './state-sql';

/** A centimetre: finer than any screen draws a plot at, also for the smallest tree pits. */
const OUTLINE_DECIMALS = 2;

/**
 * One plot as the public sees it, or null when there is no plot with this id. Retired plots
 * are returned (their links live on in chats and bookmarks) and say that they are retired.
 */
export async function plotDetail(db: Db, id: number): Promise<PlotDetail | null> {
	if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
	// The outline is drawn in RD New metres, so its proportions are true; moved to the origin
	// and with y flipped by ST_AsSVG, so the SVG's viewBox starts at 0 0.
	const rows = await queryRows<{
		id: number;
		source_id: string;
		kind: string;
		kind_detail: string | null;
		area_m2: number;
		state: PlotState;
		status: PlotStatus;
		retired_on: string | null;
		not_adoptable_reason: string | null;
		neighbourhood_id: number | null;
		neighbourhood_name: string | null;
		district_name: string | null;
		lng: number;
		lat: number;
		west: number;
		south: number;
		east: number;
		north: number;
		outline_path: string;
		outline_width: number;
		outline_height: number;
		perimeter_m: number;
		adopters: number;
	}>(
		db,
		sql`
			WITH rd AS (SELECT ST_Transform(geom, 28992) AS g FROM plots WHERE id = ${id})
			SELECT p.id, p.source_id, p.kind, p.kind_detail, p.area_m2::float8 AS area_m2,
				${plotStateSql('p')} AS state, p.status,
				to_char(p.retired_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS retired_on,
				p.not_adoptable_reason,
				n.id AS neighbourhood_id, n.name AS neighbourhood_name, n.district_name,
				ST_X(p.label_point)::float8 AS lng, ST_Y(p.label_point)::float8 AS lat,
				ST_XMin(p.geom)::float8 AS west, ST_YMin(p.geom)::float8 AS south,
				ST_XMax(p.geom)::float8 AS east, ST_YMax(p.geom)::float8 AS north,
				ST_AsSVG(ST_Translate(rd.g, -ST_XMin(rd.g), -ST_YMax(rd.g)), 0, ${OUTLINE_DECIMALS}) AS outline_path,
				(ST_XMax(rd.g) - ST_XMin(rd.g))::float8 AS outline_width,
				(ST_YMax(rd.g) - ST_YMin(rd.g))::float8 AS outline_height,
				ST_Perimeter(rd.g)::float8 AS perimeter_m,
				(SELECT count(*)::int FROM adoptions a WHERE a.plot_id = p.id AND a.status IN ${sqlList(ADOPTED_STATUSES)}) AS adopters
			FROM plots p
			CROSS JOIN rd
			LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			WHERE p.id = ${id}`
	);
	const row = rows[0];
	if (!row) return null;
	const maintainedElsewhere = ownerOfImportReason(row.not_adoptable_reason) !== undefined;
	return {
		id: row.id,
		sourceId: row.source_id,
		kind: row.kind,
		kindDetail: row.kind_detail,
		areaM2: row.area_m2,
		state: row.state,
		retired: row.status === 'retired',
		retiredOn: row.retired_on,
		// The importer's reason is a note for managers ("Not maintained by the municipality
		// (bronhouder …)"); the public gets it as a fact in their own language instead.
		notAdoptableReason: maintainedElsewhere ? null : row.not_adoptable_reason,
		maintainedElsewhere,
		neighbourhood:
			row.neighbourhood_id === null || row.neighbourhood_name === null
				? null
				: { id: row.neighbourhood_id, name: row.neighbourhood_name, districtName: row.district_name },
		center: [row.lng, row.lat],
		bounds: [row.west, row.south, row.east, row.north],
		outline: outline(row.outline_path, row.outline_width, row.outline_height),
		size: roundedSize(plotSize(row.area_m2, row.perimeter_m)),
		adopters: row.adopters
	};
}

/** A margin around the shape, so the outline's stroke is not cut off at the edges. */
function outline(path: string, width: number, height: number): PlotDetail['outline'] {
	const margin = Math.max(width, height, 1) * 0.05;
	const r = (n: number) => Math.round(n * 10 ** OUTLINE_DECIMALS) / 10 ** OUTLINE_DECIMALS;
	return {
		path,
		viewBox: `${r(-margin)} ${r(-margin)} ${r(width + 2 * margin)} ${r(height + 2 * margin)}`,
		widthM: r(width),
		heightM: r(height)
	};
}

/** Tenths of a metre: more would be false precision for a plot drawn from a map. */
function roundedSize(size: PlotSize): PlotSize {
	const r = (n: number) => Math.round(n * 10) / 10;
	return { ...size, lengthM: r(size.lengthM), widthM: r(size.widthM) };
}

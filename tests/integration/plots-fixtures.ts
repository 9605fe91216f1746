import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '#server/db';

/** Small hand-made plots and neighbourhoods for the read-model tests, in plain SQL. */

/** A square with its south-west corner at (lng, lat), `d` degrees wide, as WKT. */
export function square(lng: number, lat: number, d: number): string {
	return `POLYGON((${lng} ${lat}, ${lng + d} ${lat}, ${lng + d} ${lat + d}, ${lng} ${lat + d}, ${lng} ${lat}))`;
}

export async function addNeighbourhood(
	db: Db,
	key: string,
	name: string,
	wkt: string,
	opts: { districtName?: string } = {}
): Promise<number> {
	const [row] = await queryRows<{ id: number }>(
		db,
		sql`
			INSERT INTO neighbourhoods (source_key, code, name, district_name, area_m2, geom, label_point)
			VALUES (${key}, ${key}, ${name}, ${opts.districtName ?? null}, 1,
				ST_Multi(ST_GeomFromText(${wkt}, 4326)), ST_PointOnSurface(ST_GeomFromText(${wkt}, 4326)))
			RETURNING id`
	);
	return row.id;
}

export interface PlotFixture {
	neighbourhoodId?: number;
	status?: 'active' | 'retired';
	adoptable?: boolean;
	notAdoptableReason?: string;
	kind?: string;
	kindDetail?: string;
	/** Defaults to the geometry's true area. */
	areaM2?: number;
	attributes?: Record<string, unknown>;
}

/** Adds a plot and returns its id. */
export async function addPlot(db: Db, sourceId: string, wkt: string, opts: PlotFixture = {}): Promise<number> {
	const [row] = await queryRows<{ id: number }>(
		db,
		sql`
			INSERT INTO plots (source_id, dataset, kind, kind_detail, status, adoptable, not_adoptable_reason,
				area_m2, neighbourhood_id, geom, label_point, attributes, retired_at)
			VALUES (${sourceId}, 'test', ${opts.kind ?? 'groenvoorziening'}, ${opts.kindDetail ?? null},
				${opts.status ?? 'active'}, ${opts.adoptable ?? true}, ${opts.notAdoptableReason ?? null},
				coalesce(${opts.areaM2 ?? null}::float8, ST_Area(ST_Transform(ST_GeomFromText(${wkt}, 4326), 28992))),
				${opts.neighbourhoodId ?? null}, ST_Multi(ST_GeomFromText(${wkt}, 4326)),
				ST_PointOnSurface(ST_GeomFromText(${wkt}, 4326)), ${JSON.stringify(opts.attributes ?? {})}::jsonb,
				${opts.status === 'retired' ? sql`'2024-03-01T10:00:00Z'::timestamptz` : null})
			RETURNING id`
	);
	return row.id;
}

import { sql, type SQL } from 'drizzle-orm';
import { CARE_AGE_CLASSES, CARE_AGE_DAYS, localDay, type CareAgeClass } from '#lib/domain/activity.js';
import type { CareMapFilter, CareMapSort } from '#lib/domain/care-manage.js';
import { pageOf, pageWindow, type Paged } from '#lib/domain/paging.js';
import { ADOPTED_STATUSES } from '#lib/domain/plot-state.js';
import { queryRows, sqlList, sqlLiteral, type Db } from '#server/db';

/**
 * The map of care: every plot with a running adoption, by how long ago it was last cared for
 * (CARE_AGE_CLASSES). The same rows feed the manager's tiles (careTileFeaturesSql, a layer of
 * the 'care' tile set) and the list beside the map (listCareMap), so both show the same class.
 *
 * A plot's last care is one probe of activities_plot_done_idx per plot (a LATERAL ... LIMIT 1
 * over plot_id, done_on DESC), never an aggregate over the whole log: a tile costs what its
 * plots cost, however many years of entries the city has.
 */

/** The class of a day of last care, as of `today`, in SQL; the thresholds are the domain's (CARE_AGE_DAYS). */
export function careAgeClassSql(lastDoneOn: SQL, today: string): SQL {
	const days = sql`(${today}::date - ${lastDoneOn})`;
	const cls = (c: CareAgeClass) => sqlLiteral(c);
	return sql`(CASE WHEN ${lastDoneOn} IS NULL THEN ${cls('never')}
		WHEN ${days} < ${sql.raw(String(CARE_AGE_DAYS.week))} THEN ${cls('week')}
		WHEN ${days} < ${sql.raw(String(CARE_AGE_DAYS.month))} THEN ${cls('month')}
		WHEN ${days} < ${sql.raw(String(CARE_AGE_DAYS.quarter))} THEN ${cls('quarter')}
		ELSE ${cls('older')} END)`;
}

/** The last entry's day of plot `p` (not deleted): one index probe. */
const LAST_CARE_JOIN = sql`LEFT JOIN LATERAL (
		SELECT ac.done_on FROM activities ac
		WHERE ac.plot_id = p.id AND ac.deleted_at IS NULL
		ORDER BY ac.done_on DESC, ac.id DESC LIMIT 1
	) last ON true`;

/**
 * Adopted and still on the map: the plots the map of care shows. A semi-join, so a tile or the
 * list reads the other plots no further than this test (one probe of adoptions_plot_status_idx,
 * or a hash join over the running adoptions for the whole city).
 */
const ADOPTED_PLOT = sql`p.status = 'active' AND EXISTS (SELECT 1 FROM adoptions a WHERE a.plot_id = p.id AND a.status IN ${sqlList(ADOPTED_STATUSES)})`;

/**
 * The adopting teams' ids of plot `p` as ",3,7," (a vector tile property holds no list; the
 * map's team filter looks for ",<id>," in it), or null.
 */
const TEAMS_JOIN = sql`LEFT JOIN LATERAL (
		SELECT ',' || string_agg(a.team_id::text, ',' ORDER BY a.team_id) || ',' AS teams
		FROM adoptions a WHERE a.plot_id = p.id AND a.status IN ${sqlList(ADOPTED_STATUSES)} AND a.team_id IS NOT NULL
	) ad ON true`;

/**
 * The features of the care layer in a tile: `id`, `care` (the class), `kind`,
 * `neighbourhood_id`, `teams`, `last` (YYYY-MM-DD or none) and `geom` (the polygon or the label
 * point). Unfiltered on purpose: the map filters on these properties in the browser (see
 * the 'care' tile set in src/lib/server/tiles/layers.ts for why).
 */
export function careTileFeaturesSql(envelope: SQL, geometry: 'polygon' | 'point', today: string): SQL {
	const geom = geometry === 'polygon' ? sql`p.geom` : sql`p.label_point`;
	return sql`
		SELECT p.id, ${careAgeClassSql(sql`last.done_on`, today)} AS care, p.kind, p.neighbourhood_id,
			ad.teams, to_char(last.done_on, 'YYYY-MM-DD') AS last, ${geom} AS geom
		FROM plots p ${TEAMS_JOIN} ${LAST_CARE_JOIN}
		WHERE p.geom && ${envelope} AND ${ADOPTED_PLOT}
		ORDER BY p.id`;
}

export interface CareMapRow {
	plotId: number;
	neighbourhoodName: string | null;
	kind: string;
	kindDetail: string | null;
	areaM2: number;
	/** Who holds it: team names and adopters' names, as the manager's plot page shows them. */
	adopters: string[];
	lastDoneOn: string | null;
	ageClass: CareAgeClass;
}

export interface CareMapList extends Paged<CareMapRow> {
	/** How many plots of the filtered set (without the period filter) fall in each class: the legend's counts. */
	classCounts: Record<CareAgeClass, number>;
	/** The day the classes were counted from. */
	today: string;
}

/** Fixed SQL per order (no input in it): `f.`/`page.` are the list's rows before and after paging. */
const ORDER_SQL: Record<CareMapSort, string> = {
	// Never cared for counts as the longest ago.
	oldest: 'c.last_done_on ASC NULLS FIRST, c.plot_id',
	newest: 'c.last_done_on DESC NULLS LAST, c.plot_id',
	plot: 'c.plot_id',
	neighbourhood: 'c.neighbourhood_name NULLS LAST, c.plot_id'
};

function filterSql(filter: CareMapFilter): SQL {
	const parts: SQL[] = [ADOPTED_PLOT];
	if (filter.neighbourhood) parts.push(sql`p.neighbourhood_id = ${filter.neighbourhood}`);
	if (filter.kind) parts.push(sql`p.kind = ${filter.kind}`);
	if (filter.team) {
		parts.push(sql`EXISTS (SELECT 1 FROM adoptions ta WHERE ta.plot_id = p.id AND ta.team_id = ${filter.team} AND ta.status IN ${sqlList(ADOPTED_STATUSES)})`);
	}
	return sql.join(parts, sql` AND `);
}

/** The list beside the map: the filtered adopted plots, sorted and paged, with the count per class. */
export async function listCareMap(db: Db, filter: CareMapFilter, now = new Date()): Promise<CareMapList> {
	const today = localDay(now);
	const base = sql`
		SELECT p.id AS plot_id, n.name AS neighbourhood_name, p.kind, p.kind_detail, p.area_m2,
			last.done_on AS last_done_on, ${careAgeClassSql(sql`last.done_on`, today)} AS age_class
		FROM plots p ${LAST_CARE_JOIN}
		LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
		WHERE ${filterSql(filter)}`;
	// One statement: the last care of each plot is looked up once for the counts, the total and
	// the page (a page past the end shows the last page, as pageWindow does).
	const size = filter.pageSize;
	const rows = await queryRows<
		Partial<Omit<CareMapRow, 'adopters'>> & { adopters: string[] | null; counts: Partial<Record<CareAgeClass, number>> | null; total: number }
	>(
		db,
		sql`WITH c AS MATERIALIZED (${base}),
			f AS (SELECT * FROM c ${filter.ageClass ? sql`WHERE c.age_class = ${filter.ageClass}` : sql``}),
			t AS (SELECT count(*)::int AS total FROM f),
			page AS (
				SELECT f.* FROM f ORDER BY ${sql.raw(ORDER_SQL[filter.sort].replaceAll('c.', 'f.'))}
				LIMIT ${size}
				OFFSET (SELECT greatest(0, least(${(Math.max(1, filter.page) - 1) * size}::bigint, ((t.total + ${size} - 1) / ${size} - 1)::bigint * ${size})) FROM t)
			)
			SELECT (SELECT json_object_agg(x.age_class, x.n) FROM (SELECT age_class, count(*)::int AS n FROM c GROUP BY 1) x) AS counts,
				(SELECT total FROM t) AS total,
				page.plot_id AS "plotId", page.neighbourhood_name AS "neighbourhoodName", page.kind, page.kind_detail AS "kindDetail",
				round(page.area_m2)::int AS "areaM2", to_char(page.last_done_on, 'YYYY-MM-DD') AS "lastDoneOn", page.age_class AS "ageClass",
				(SELECT array_agg(coalesce(tm.name, nullif(trim(u.display_name), ''), u.email, '—') ORDER BY coalesce(a.started_at, a.created_at), a.id)
					FROM adoptions a LEFT JOIN teams tm ON tm.id = a.team_id LEFT JOIN users u ON u.id = a.user_id
					WHERE a.plot_id = page.plot_id AND a.status IN ${sqlList(ADOPTED_STATUSES)}) AS adopters
			FROM (SELECT 1) one LEFT JOIN page ON true
			ORDER BY ${sql.raw(ORDER_SQL[filter.sort].replaceAll('c.', 'page.'))}`
	);
	const classCounts = Object.fromEntries(CARE_AGE_CLASSES.map((c) => [c, rows[0]?.counts?.[c] ?? 0])) as Record<CareAgeClass, number>;
	const total = rows[0]?.total ?? 0;
	const window = pageWindow(filter.page, total, size);
	return {
		items: rows
			.filter((r) => r.plotId != null)
			.map((r) => ({ ...(r as Omit<CareMapRow, 'adopters'>), adopters: r.adopters ?? [] })),
		total,
		...pageOf(window),
		classCounts,
		today
	};
}

export interface CareMapChoices {
	neighbourhoods: Array<{ id: number; name: string }>;
	kinds: string[];
	teams: Array<{ id: number; name: string }>;
}

/** What the filters offer: only neighbourhoods, kinds and teams that have an adopted plot. */
export async function careMapChoices(db: Db): Promise<CareMapChoices> {
	const adopted = sql`SELECT a.plot_id, a.team_id FROM adoptions a WHERE a.status IN ${sqlList(ADOPTED_STATUSES)}`;
	const [neighbourhoods, kinds, teams] = await Promise.all([
		queryRows<{ id: number; name: string }>(
			db,
			sql`SELECT DISTINCT n.id, n.name FROM (${adopted}) a JOIN plots p ON p.id = a.plot_id JOIN neighbourhoods n ON n.id = p.neighbourhood_id
				WHERE p.status = 'active' ORDER BY n.name, n.id`
		),
		queryRows<{ kind: string }>(
			db,
			sql`SELECT DISTINCT p.kind FROM (${adopted}) a JOIN plots p ON p.id = a.plot_id WHERE p.status = 'active' ORDER BY p.kind`
		),
		queryRows<{ id: number; name: string }>(
			db,
			sql`SELECT DISTINCT t.id, t.name FROM (${adopted}) a JOIN teams t ON t.id = a.team_id ORDER BY t.name, t.id`
		)
	]);
	return { neighbourhoods, kinds: kinds.map((k) => k.kind), teams };
}

/** The view that holds the filtered adopted plots ([west, south, east, north]), or null when there are none. */
export async function careMapBounds(db: Db, filter: CareMapFilter): Promise<[number, number, number, number] | null> {
	const [row] = await queryRows<{ w: number | null; s: number; e: number; n: number }>(
		db,
		sql`SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n
			FROM (SELECT ST_Extent(p.label_point)::geometry AS b FROM plots p WHERE ${filterSql(filter)}) x`
	);
	return row && row.w !== null ? [Number(row.w), Number(row.s), Number(row.e), Number(row.n)] : null;
}

import { sql, type SQL } from 'drizzle-orm';
import { REPORT_PUBLIC_CLOSED_DAYS, type ReportState } from '#lib/domain/report.js';
import { pageOf, pageWindow, type Paged } from '#lib/domain/paging.js';
import { queryRows, type Db, type Tx } from '#server/db';

/**
 * Reports as the public sees them on the map and in the list: open ones, and closed ones for
 * REPORT_PUBLIC_CLOSED_DAYS after closing; confirmed, and not merged into another (the parent
 * shows). Category, date and state only: no description, no name, no address (a description
 * is free text a reporter may fill with anything). The tile layer and the list share one
 * condition, so the map and its list cannot disagree.
 */

/** Visible to the public on `today` (YYYY-MM-DD, the Dutch day), as a condition on `reports r`. */
export function publicReportSql(today: string): SQL {
	return sql`(r.confirmed_at IS NOT NULL AND r.parent_id IS NULL
		AND (r.state NOT IN ('done', 'cancelled')
			OR r.closed_at >= (${today}::date - ${REPORT_PUBLIC_CLOSED_DAYS}::int)::timestamp AT TIME ZONE 'Europe/Amsterdam'))`;
}

/**
 * The public reports tile layer's rows: the report's id, its state, its sub-category and main
 * category (slugs; the map labels them from the list's categories), and the day it was made.
 * The tiles room wraps this in its renderers (a point layer); the set is daily, as the closed
 * ones leave it on the 15th day without a write.
 */
export function reportTileFeaturesSql(envelope: SQL, today: string): SQL {
	return sql`
		SELECT r.id, r.state, c.slug AS category, coalesce(pc.slug, c.slug) AS main_category,
			to_char(r.created_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS created, r.geom
		FROM reports r
		JOIN report_categories c ON c.id = r.category_id
		LEFT JOIN report_categories pc ON pc.id = c.parent_id
		WHERE r.geom && ${envelope} AND ${publicReportSql(today)}
		ORDER BY r.id`;
}

export interface PublicReportFilter {
	/** A main category (its sub-categories too) or a sub-category. */
	categoryId?: number | null;
	neighbourhoodId?: number | null;
	page?: number;
}

export interface PublicReportRow {
	id: number;
	state: ReportState;
	categoryNl: string;
	categoryEn: string;
	mainCategoryNl: string | null;
	mainCategoryEn: string | null;
	neighbourhood: string | null;
	createdAt: Date;
	supportCount: number;
	lon: number;
	lat: number;
}

/** The list beside the map: newest first, paged with a total. */
export async function listPublicReports(db: Db | Tx, filter: PublicReportFilter, today: string): Promise<Paged<PublicReportRow>> {
	const where = sql`${publicReportSql(today)}
		AND (${filter.categoryId ?? null}::int IS NULL OR c.id = ${filter.categoryId ?? null} OR c.parent_id = ${filter.categoryId ?? null})
		AND (${filter.neighbourhoodId ?? null}::int IS NULL OR r.neighbourhood_id = ${filter.neighbourhoodId ?? null})`;
	const [{ total }] = await queryRows<{ total: number }>(
		db,
		sql`SELECT count(*)::int AS total FROM reports r JOIN report_categories c ON c.id = r.category_id WHERE ${where}`
	);
	const win = pageWindow(filter.page ?? 1, total);
	const rows = await queryRows<{ id: number; state: ReportState; name_nl: string; name_en: string; main_nl: string | null; main_en: string | null; neighbourhood: string | null; created_at: Date; support_count: number; lon: number; lat: number }>(
		db,
		sql`SELECT r.id, r.state, c.name_nl, c.name_en, pc.name_nl AS main_nl, pc.name_en AS main_en, n.name AS neighbourhood,
			r.created_at, r.support_count, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat
		FROM reports r
		JOIN report_categories c ON c.id = r.category_id
		LEFT JOIN report_categories pc ON pc.id = c.parent_id
		LEFT JOIN neighbourhoods n ON n.id = r.neighbourhood_id
		WHERE ${where}
		ORDER BY r.created_at DESC, r.id DESC
		LIMIT ${win.pageSize} OFFSET ${win.offset}`
	);
	return {
		items: rows.map((r) => ({
			id: r.id,
			state: r.state,
			categoryNl: r.name_nl,
			categoryEn: r.name_en,
			mainCategoryNl: r.main_nl,
			mainCategoryEn: r.main_en,
			neighbourhood: r.neighbourhood,
			createdAt: new Date(r.created_at),
			supportCount: r.support_count,
			lon: Number(r.lon),
			lat: Number(r.lat)
		})),
		total,
		...pageOf(win)
	};
}

/** The neighbourhoods that have public reports now, for the list's filter (with how many). */
export async function publicReportNeighbourhoods(db: Db | Tx, today: string): Promise<Array<{ id: number; name: string; count: number }>> {
	return queryRows<{ id: number; name: string; count: number }>(
		db,
		sql`SELECT n.id, n.name, count(*)::int AS count
		FROM reports r JOIN neighbourhoods n ON n.id = r.neighbourhood_id
		WHERE ${publicReportSql(today)}
		GROUP BY n.id, n.name
		ORDER BY n.name, n.id`
	);
}

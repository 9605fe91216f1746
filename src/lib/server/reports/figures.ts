import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '#server/db';

/**
 * Figures on how reports are handled, over a period (reports made in it): how many, the time
 * to the first response by staff and to resolution (median hours), how many were answered
 * within their deadline, and the share of feedback that was satisfied; per category (main
 * category), partner (or the municipality's own team) and neighbourhood. Plain grouped SQL
 * over reports and report_feedback, so the coverage figures can reuse it per neighbourhood.
 */

export const FIGURE_GROUPS = ['category', 'partner', 'neighbourhood'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

export interface FigurePeriod {
	/** Reports made from this moment... */
	from: Date;
	/** ...until before this one. */
	to: Date;
}

export interface FigureRow {
	/** The group's id (null: the own team, or no neighbourhood); null with `total` for the whole. */
	key: number | null;
	nameNl: string | null;
	nameEn: string | null;
	reports: number;
	responded: number;
	/** Median hours from made (confirmed) to the first response by staff. */
	medianResponseHours: number | null;
	respondedInTime: number;
	resolved: number;
	medianResolveHours: number | null;
	feedback: number;
	satisfied: number;
}

const GROUP_SQL: Record<FigureGroup, { key: SQL; nl: SQL; en: SQL; join: SQL }> = {
	category: {
		key: sql`coalesce(pc.id, c.id)`,
		nl: sql`coalesce(pc.name_nl, c.name_nl)`,
		en: sql`coalesce(pc.name_en, c.name_en)`,
		join: sql`JOIN report_categories c ON c.id = r.category_id LEFT JOIN report_categories pc ON pc.id = c.parent_id`
	},
	partner: {
		key: sql`po.id`,
		nl: sql`po.name`,
		en: sql`po.name`,
		join: sql`LEFT JOIN partner_organisations po ON po.id = r.partner_organisation_id`
	},
	neighbourhood: {
		key: sql`n.id`,
		nl: sql`n.name`,
		en: sql`n.name`,
		join: sql`LEFT JOIN neighbourhoods n ON n.id = r.neighbourhood_id`
	}
};

const hours = (to: SQL, from: SQL) => sql`extract(epoch FROM (${to} - ${from})) / 3600.0`;

/** The measures, over reports `r` joined to their answered feedback `f` (one row per report). */
const MEASURES = sql`count(*)::int AS reports,
	count(r.first_response_at)::int AS responded,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours(sql`r.first_response_at`, sql`coalesce(r.confirmed_at, r.created_at)`)})
		FILTER (WHERE r.first_response_at IS NOT NULL) AS median_response_hours,
	count(*) FILTER (WHERE r.first_response_at <= r.deadline_at)::int AS responded_in_time,
	count(r.resolved_at)::int AS resolved,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours(sql`r.resolved_at`, sql`coalesce(r.confirmed_at, r.created_at)`)})
		FILTER (WHERE r.resolved_at IS NOT NULL) AS median_resolve_hours,
	coalesce(sum(f.answered), 0)::int AS feedback,
	coalesce(sum(f.satisfied), 0)::int AS satisfied`;

// The answered feedback per report, counted once each (a report reopened and done again may
// have asked twice): its answers, and how many were satisfied.
const FEEDBACK_JOIN = sql`LEFT JOIN LATERAL (
		SELECT count(*)::int AS answered, count(*) FILTER (WHERE fb.satisfied)::int AS satisfied
		FROM report_feedback fb WHERE fb.report_id = r.id AND fb.answered_at IS NOT NULL
	) f ON true`;

const inPeriod = (p: FigurePeriod) =>
	sql`r.confirmed_at IS NOT NULL AND r.parent_id IS NULL AND r.created_at >= ${p.from} AND r.created_at < ${p.to}`;

type Raw = { key: number | null; name_nl: string | null; name_en: string | null; reports: number; responded: number; median_response_hours: number | null; responded_in_time: number; resolved: number; median_resolve_hours: number | null; feedback: number; satisfied: number };

function toRow(r: Raw): FigureRow {
	const num = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
	return {
		key: r.key,
		nameNl: r.name_nl,
		nameEn: r.name_en,
		reports: r.reports,
		responded: r.responded,
		medianResponseHours: num(r.median_response_hours),
		respondedInTime: r.responded_in_time,
		resolved: r.resolved,
		medianResolveHours: num(r.median_resolve_hours),
		feedback: r.feedback,
		satisfied: r.satisfied
	};
}

/** One row per group (most reports first), and the whole period as `total`. */
export async function reportFigures(db: Db | Tx, group: FigureGroup, period: FigurePeriod): Promise<{ rows: FigureRow[]; total: FigureRow }> {
	const g = GROUP_SQL[group];
	const rows = await queryRows<Raw>(
		db,
		sql`SELECT ${g.key} AS key, ${g.nl} AS name_nl, ${g.en} AS name_en, ${MEASURES}
		FROM reports r ${g.join} ${FEEDBACK_JOIN}
		WHERE ${inPeriod(period)}
		GROUP BY 1, 2, 3
		ORDER BY reports DESC, name_nl NULLS LAST, key`
	);
	const [total] = await queryRows<Raw>(
		db,
		sql`SELECT NULL::int AS key, NULL::text AS name_nl, NULL::text AS name_en, ${MEASURES}
		FROM reports r ${FEEDBACK_JOIN}
		WHERE ${inPeriod(period)}`
	);
	return { rows: rows.map(toRow), total: toRow(total!) };
}

/** The share satisfied of the feedback given, 0..1, or null without any. */
export function shareSatisfied(row: Pick<FigureRow, 'feedback' | 'satisfied'>): number | null {
	return row.feedback === 0 ? null : row.satisfied / row.feedback;
}

import { sql, type SQL } from 'drizzle-orm';
import { contributionHours, type ContributionGrouping, type ContributionsFilter } from '#lib/domain/care-manage.js';
import { toCsv, type CsvCell } from '#lib/domain/csv.js';
import * as m from '#lib/paraglide/messages.js';
import { queryRows, type Db } from '#server/db';

/**
 * What the care log adds up to in a period, per neighbourhood or per team/adopter: entries,
 * hours (minutes × people, contributedMinutes in src/lib/domain/activity.ts), the plots cared
 * for and their m². Deleted entries count for nothing. A plot counts once per row however many
 * entries it had, so the table is grouped twice: per plot first, then per row.
 */

export interface ContributionRow {
	/** Neighbourhood id, or for adopters 'team:<id>' / 'user:<id>'; null for what has none. */
	key: string | null;
	/** Neighbourhood or team name, or the adopter's display name; null when there is none. */
	name: string | null;
	/** 'team' or 'person' (adopters only). */
	kind: 'neighbourhood' | 'team' | 'person';
	/** The adopter's e-mail address (adopters that are persons only): personal data. */
	email: string | null;
	entries: number;
	/** Minutes × people, summed. */
	minutes: number;
	plots: number;
	areaM2: number;
}

export interface Contributions {
	filter: ContributionsFilter;
	rows: ContributionRow[];
	total: Omit<ContributionRow, 'key' | 'name' | 'kind' | 'email'>;
}

/** The entries of the period that count: not deleted, done in it (index activities_done_idx). */
function periodEntries(filter: ContributionsFilter): SQL {
	return sql`a.deleted_at IS NULL AND a.done_on BETWEEN ${filter.from}::date AND ${filter.to}::date`;
}

/**
 * The period's entries added up per plot (and, per adopter, per group or author too), with the
 * plot's m² (and neighbourhood): one pass over the period's entries and one look-up per plot
 * cared for, which both the rows and the total are made from.
 */
function perPlotSql(filter: ContributionsFilter): SQL {
	// An entry logged for a team counts for the team; any other for its author (null once their
	// account is gone: those add up in one row without a name).
	return filter.by === 'adopter'
		? sql`c AS MATERIALIZED (
				SELECT a.team_id, CASE WHEN a.team_id IS NULL THEN a.author_user_id END AS author_user_id, a.plot_id,
					count(*) AS entries, sum(a.minutes * a.people) AS minutes
				FROM activities a WHERE ${periodEntries(filter)} GROUP BY 1, 2, 3
			),
			plot AS MATERIALIZED (SELECT p.id AS plot_id, p.area_m2 FROM plots p WHERE p.id IN (SELECT plot_id FROM c))`
		: sql`c AS MATERIALIZED (
				SELECT t.plot_id, t.entries, t.minutes, p.neighbourhood_id, p.area_m2
				FROM (SELECT a.plot_id, count(*) AS entries, sum(a.minutes * a.people) AS minutes
					FROM activities a WHERE ${periodEntries(filter)} GROUP BY a.plot_id) t
				JOIN plots p ON p.id = t.plot_id
			),
			plot AS (SELECT plot_id, area_m2 FROM c)`;
}

const byNeighbourhood = sql`
	SELECT c.neighbourhood_id::text AS key, n.name, 'neighbourhood' AS kind, NULL AS email,
		sum(c.entries)::int AS entries, sum(c.minutes)::bigint AS minutes, count(*)::int AS plots, round(sum(c.area_m2))::bigint AS "areaM2"
	FROM c LEFT JOIN neighbourhoods n ON n.id = c.neighbourhood_id
	GROUP BY c.neighbourhood_id, n.name
	ORDER BY n.name NULLS LAST, c.neighbourhood_id`;

// Added up per group or author before any name is joined: the few hundred rows, not one per plot.
const byAdopter = sql`
	SELECT CASE WHEN g.team_id IS NOT NULL THEN 'team:' || g.team_id WHEN g.author_user_id IS NOT NULL THEN 'user:' || g.author_user_id END AS key,
		coalesce(t.name, nullif(trim(u.display_name), '')) AS name,
		CASE WHEN g.team_id IS NOT NULL THEN 'team' ELSE 'person' END AS kind,
		CASE WHEN g.team_id IS NULL THEN u.email END AS email,
		g.entries::int AS entries, g.minutes::bigint AS minutes, g.plots::int AS plots, g.area::bigint AS "areaM2"
	FROM (
		SELECT c.team_id, c.author_user_id, sum(c.entries) AS entries, sum(c.minutes) AS minutes, count(*) AS plots, round(sum(plot.area_m2)) AS area
		FROM c JOIN plot ON plot.plot_id = c.plot_id
		GROUP BY c.team_id, c.author_user_id
	) g
	LEFT JOIN teams t ON t.id = g.team_id
	LEFT JOIN users u ON u.id = g.author_user_id
	ORDER BY g.minutes DESC, 1`;

type Figures = Contributions['total'];

export async function listContributions(db: Db, filter: ContributionsFilter): Promise<Contributions> {
	// The total counts plots over the whole period, not the rows' sum: a plot cared for by two
	// teams is one plot. One statement, so the period's entries are read once.
	const query = sql`WITH ${perPlotSql(filter)},
			total AS (
				SELECT json_build_object('entries', coalesce((SELECT sum(entries) FROM c), 0), 'minutes', coalesce((SELECT sum(minutes) FROM c), 0),
					'plots', count(*), 'areaM2', coalesce(round(sum(plot.area_m2)), 0)) AS total
				FROM plot
			)
			SELECT r.*, (SELECT total FROM total) AS total FROM (${filter.by === 'adopter' ? byAdopter : byNeighbourhood}) r`;
	const raw = await db.transaction(async (tx) => {
		// A year of a city is some 500,000 entries. With PostgreSQL's defaults the plan was sorted
		// on disk (work_mem 4 MB; hashing the groups takes about 5 MB) and JIT-compiled (its cost
		// estimate is over jit_above_cost), which took longer than the query: 433 ms per adopter
		// where reading the entries takes 91. Both last until this transaction ends.
		await tx.execute(sql`SET LOCAL jit = off`);
		await tx.execute(sql`SET LOCAL work_mem = '16MB'`);
		return queryRows<Omit<ContributionRow, 'minutes' | 'areaM2'> & { minutes: string | number; areaM2: string | number | null; total: Figures }>(tx, query);
	});
	const total = raw[0]?.total;
	return {
		filter,
		rows: raw.map(({ total: _, ...r }) => ({ ...r, minutes: Number(r.minutes), areaM2: Number(r.areaM2 ?? 0) })),
		total: {
			entries: Number(total?.entries ?? 0),
			minutes: Number(total?.minutes ?? 0),
			plots: Number(total?.plots ?? 0),
			areaM2: Number(total?.areaM2 ?? 0)
		}
	};
}

/**
 * The table as CSV, in the reader's language. Per adopter it holds personal data (names and
 * e-mail addresses): those columns say so in their name, and only the manager's download
 * (policy manage.view: managers and admins) makes it.
 */
export function contributionsCsv(result: Contributions, locale: 'nl' | 'en'): string {
	const o = { locale };
	const figures = (r: Pick<ContributionRow, 'entries' | 'minutes' | 'plots' | 'areaM2'>): CsvCell[] => [
		r.entries,
		contributionHours(r.minutes),
		r.plots,
		r.areaM2
	];
	const figureHeads = [m.contrib_col_entries({}, o), m.contrib_col_hours({}, o), m.contrib_col_plots({}, o), m.contrib_col_area({}, o)];
	const by: ContributionGrouping = result.filter.by;
	const head: CsvCell[] =
		by === 'adopter'
			? [m.contrib_col_kind({}, o), m.contrib_csv_col_name_personal({}, o), m.contrib_csv_col_email_personal({}, o), ...figureHeads]
			: [m.contrib_col_neighbourhood({}, o), ...figureHeads];
	const rows: CsvCell[][] = result.rows.map((r) =>
		by === 'adopter'
			? [r.kind === 'team' ? m.contrib_kind_team({}, o) : m.contrib_kind_person({}, o), r.name ?? '', r.email ?? '', ...figures(r)]
			: [r.name ?? m.contrib_no_neighbourhood({}, o), ...figures(r)]
	);
	const totalRow: CsvCell[] = by === 'adopter' ? [m.contrib_total({}, o), '', '', ...figures(result.total)] : [m.contrib_total({}, o), ...figures(result.total)];
	return toCsv([head, ...rows, totalRow]);
}

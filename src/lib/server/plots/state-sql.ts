import { sql, type SQL } from 'drizzle-orm';
import { ADOPTED_STATUSES, PENDING_STATUSES, type PlotState, type PlotStatus } from '#lib/domain/plot-state.js';
import { sqlList, sqlLiteral } from '#server/db';

/**
 * The database mirror of `plotState()` (src/lib/domain/plot-state.ts), as one SQL expression
 * over a `plots` row aliased `alias`, so tiles, the list's state filter and the plot page can
 * compute the state in the query that reads the plot. 'adopted' and 'requested' come from
 * the plot's adoptions (index adoptions_plot_status_idx), with the domain's ADOPTED_STATUSES
 * and PENDING_STATUSES: an 'offered' adoption (a manager's direct assignment awaiting
 * confirmation) counts as pending, like a request. The spec in src/lib/server/tiles/tiles.spec.ts
 * checks the two rules agree on every combination.
 */
export function plotStateSql(alias = 'p'): SQL {
	const p = tableAlias(alias);
	return sql`(CASE ${notAdoptableArm(p)}
		WHEN EXISTS (SELECT 1 FROM adoptions pa WHERE pa.plot_id = ${p}.id AND pa.status IN ${sqlList(ADOPTED_STATUSES)}) THEN ${state('adopted')}
		WHEN EXISTS (SELECT 1 FROM adoptions pa WHERE pa.plot_id = ${p}.id AND pa.status IN ${sqlList(PENDING_STATUSES)}) THEN ${state('requested')}
		ELSE ${state('available')} END)`;
}

/**
 * The same rule for many plots at once, for aggregates: `plotAdoptionsJoinSql` reads each
 * plot's open adoptions in one grouped pass (a hash join), and `plotStateFromJoinSql` is the
 * state from that join. Counting a city's plots this way is several times cheaper than two
 * index probes per plot (measured in src/lib/server/tiles/layers.ts); the spec checks that
 * both forms agree.
 */
export function plotAdoptionsJoinSql(alias = 'p', joined = 'oa'): SQL {
	const [p, oa] = [tableAlias(alias), tableAlias(joined)];
	return sql`LEFT JOIN (SELECT plot_id,
			bool_or(status IN ${sqlList(ADOPTED_STATUSES)}) AS adopted, bool_or(status IN ${sqlList(PENDING_STATUSES)}) AS pending
		FROM adoptions WHERE status IN ${sqlList([...ADOPTED_STATUSES, ...PENDING_STATUSES])} GROUP BY plot_id) ${oa}
		ON ${oa}.plot_id = ${p}.id`;
}

export function plotStateFromJoinSql(alias = 'p', joined = 'oa'): SQL {
	const [p, oa] = [tableAlias(alias), tableAlias(joined)];
	return sql`(CASE ${notAdoptableArm(p)}
		WHEN ${oa}.adopted THEN ${state('adopted')} WHEN ${oa}.pending THEN ${state('requested')} ELSE ${state('available')} END)`;
}

/** Both forms start alike: a retired plot, or one a manager marked not adoptable, is 'not_adoptable'. */
function notAdoptableArm(p: SQL): SQL {
	return sql`WHEN ${p}.status <> ${sqlLiteral('active' satisfies PlotStatus)} OR NOT ${p}.adoptable THEN ${state('not_adoptable')}`;
}

function state(s: PlotState): SQL {
	return sqlLiteral(s);
}

/** Aliases are spliced into the SQL: only plain identifiers. */
function tableAlias(alias: string): SQL {
	if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`not a table alias: ${alias}`);
	return sql.raw(alias);
}

import { sql, type SQL } from 'drizzle-orm';

/**
 * The database mirror of `plotState()` (src/lib/domain/plot-state.ts), as one SQL expression
 * over a `plots` row aliased `alias`, so tiles, the list's state filter and the plot page can
 * compute the state in the query that reads the plot. 'adopted' and 'requested' come from
 * the plot's adoptions (index adoptions_plot_status_idx); an 'offered' adoption (a manager's
 * direct assignment awaiting confirmation) counts as pending, like a request. The spec in
 * src/lib/server/tiles/tiles.spec.ts checks the two rules agree on every combination.
 */
export function plotStateSql(alias = 'p'): SQL {
	assertAliases(alias);
	return sql.raw(
		`(CASE WHEN ${alias}.status <> 'active' OR NOT ${alias}.adoptable THEN 'not_adoptable'` +
			` WHEN EXISTS (SELECT 1 FROM adoptions pa WHERE pa.plot_id = ${alias}.id AND pa.status = 'active') THEN 'adopted'` +
			` WHEN EXISTS (SELECT 1 FROM adoptions pa WHERE pa.plot_id = ${alias}.id AND pa.status IN ('requested', 'offered')) THEN 'requested'` +
			` ELSE 'available' END)`
	);
}

/**
 * The same rule for many plots at once, for aggregates: `plotAdoptionsJoinSql` reads each
 * plot's open adoptions in one grouped pass (a hash join), and `plotStateFromJoinSql` is the
 * state from that join. Counting a city's plots this way is several times cheaper than two
 * index probes per plot (measured in src/lib/server/tiles/layers.ts); the spec checks that
 * both forms agree.
 */
export function plotAdoptionsJoinSql(alias = 'p', joined = 'oa'): SQL {
	assertAliases(alias, joined);
	return sql.raw(
		`LEFT JOIN (SELECT plot_id, bool_or(status = 'active') AS adopted, bool_or(status <> 'active') AS pending` +
			` FROM adoptions WHERE status IN ('active', 'requested', 'offered') GROUP BY plot_id) ${joined}` +
			` ON ${joined}.plot_id = ${alias}.id`
	);
}

export function plotStateFromJoinSql(alias = 'p', joined = 'oa'): SQL {
	assertAliases(alias, joined);
	return sql.raw(
		`(CASE WHEN ${alias}.status <> 'active' OR NOT ${alias}.adoptable THEN 'not_adoptable'` +
			` WHEN ${joined}.adopted THEN 'adopted' WHEN ${joined}.pending THEN 'requested' ELSE 'available' END)`
	);
}

/** Aliases are spliced into raw SQL: only plain identifiers. */
function assertAliases(...aliases: string[]): void {
	for (const a of aliases) if (!/^[a-z_][a-z0-9_]*$/.test(a)) throw new Error(`not a table alias: ${a}`);
}

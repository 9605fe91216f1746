import { sql, type SQL } from 'drizzle-orm';

/**
 * The database mirror of `plotState()` (src/lib/domain/plot-state.ts), as one SQL expression
 * over a `plots` row aliased `alias`, so tiles, the list's state filter and the plot page can
 * compute the state in the query that reads the plot. 'adopted' and 'requested' come from
 * the plot's adoptions (index adoptions_plot_status_idx); an 'offered' adoption (a manager's
 * direct assignment awaiting confirmation) counts as pending, like a request. The spec in
 * tests/integration/tiles.spec.ts checks the two rules agree on every combination.
 */
export function plotStateSql(alias = 'p'): SQL {
	if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`not a table alias: ${alias}`);
	return sql.raw(
		`(CASE WHEN ${alias}.status <> 'active' OR NOT ${alias}.adoptable THEN 'not_adoptable'` +
			` WHEN EXISTS (SELECT 1 FROM adoptions pa WHERE pa.plot_id = ${alias}.id AND pa.status = 'active') THEN 'adopted'` +
			` WHEN EXISTS (SELECT 1 FROM adoptions pa WHERE pa.plot_id = ${alias}.id AND pa.status IN ('requested', 'offered')) THEN 'requested'` +
			` ELSE 'available' END)`
	);
}

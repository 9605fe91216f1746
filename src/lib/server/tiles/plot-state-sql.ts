import { sql, type SQL } from 'drizzle-orm';

/**
 * The database mirror of `plotState()` (src/lib/domain/plot-state.ts), as one SQL expression
 * over a `plots` row aliased `alias`, so tiles, the list's state filter and the plot page can
 * compute the state in the query that reads the plot. When adoptions land (issue 5), extend
 * both rules together, e.g. with EXISTS (...) over adoptions for 'adopted' and 'requested';
 * the spec beside this file checks they agree on every combination.
 */
export function plotStateSql(alias = 'p'): SQL {
	if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`not a table alias: ${alias}`);
	return sql.raw(
		`(CASE WHEN ${alias}.status <> 'active' OR NOT ${alias}.adoptable THEN 'not_adoptable'` +
			` ELSE 'available' END)`
	);
}

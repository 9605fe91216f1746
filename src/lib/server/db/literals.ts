import { sql, type SQL } from 'drizzle-orm';
import type { AdoptionStatus } from '#lib/domain/adoption.js';

/**
 * The domain's enumerations (src/lib/domain) spliced into SQL as literals, so a query says
 * `status IN ('offered', 'active')` from the one list instead of a copy of it. Literals rather
 * than parameters: the SQL reads the same in a log and the planner sees the values. ONLY for
 * constants written in the code, never for input: that goes in as a parameter (${value}).
 */
export function sqlLiteral(value: string): SQL {
	return sql.raw(quote(value));
}

/** `('a', 'b')`, for `IN`: a constant list, never input (see sqlLiteral). */
export function sqlList(values: readonly string[]): SQL {
	if (values.length === 0) throw new Error('sqlList: IN () is not valid SQL');
	return sql.raw(`(${values.map(quote).join(', ')})`);
}

/** One adoption status, checked against the lifecycle's list by its type. */
export function adoptionStatusSql(status: AdoptionStatus): SQL {
	return sqlLiteral(status);
}

function quote(value: string): string {
	return `'${value.replaceAll("'", "''")}'`;
}

/** LIKE treats % and _ as wildcards; a resident typing them means the characters. */
export function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

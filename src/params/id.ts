import type { ParamMatcher } from '@sveltejs/kit';

/**
 * Record ids as written in links: a positive integer that fits PostgreSQL's integer,
 * "12" but not "012", "12.0", "1e3" or "-1". Anything else is not a route, so a 404.
 */
export const match = ((param: string) => /^[1-9]\d{0,9}$/.test(param) && Number(param) <= 2_147_483_647) satisfies ParamMatcher;

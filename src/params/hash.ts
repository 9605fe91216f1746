import type { ParamMatcher } from '@sveltejs/kit';

/** A content hash as photos are addressed: SHA-256 in 64 lower-case hex digits. */
export const match = ((param: string) => /^[0-9a-f]{64}$/.test(param)) satisfies ParamMatcher;

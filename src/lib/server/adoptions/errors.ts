/**
 * What can go wrong with an adoption, as codes a route turns into a sentence in the
 * reader's language (Paraglide keys adopt_error_<code>). Never a raw database message.
 */
export const ADOPTION_ERROR_CODES = [
	'not-found',
	'not-adoptable',
	'full',
	'queue',
	'wrong-status',
	'already-open',
	'agreement-outdated',
	'not-team-member',
	'invite-invalid',
	/** A mailed invitation opened by an account with another address than the one invited. */
	'invite-other-address',
	'last-member',
	'no-question',
	'answer-empty',
	/** The request's account was deleted (or its team has nobody left): nobody to adopt. */
	'requester-gone',
	/** A manager action by someone who may not take it. */
	'forbidden',
	/** A direct assignment to an e-mail address without an account. */
	'no-account',
	/** A plot's form naming an adoption of another plot. */
	'wrong-plot'
] as const;
export type AdoptionErrorCode = (typeof ADOPTION_ERROR_CODES)[number];

export class AdoptionError extends Error {
	constructor(
		readonly code: AdoptionErrorCode,
		message = code
	) {
		super(message);
		this.name = 'AdoptionError';
	}
}

export function isAdoptionError(e: unknown, code?: AdoptionErrorCode): e is AdoptionError {
	return e instanceof AdoptionError && (code === undefined || e.code === code);
}

/** PostgreSQL error fields, as both drivers (pg and PGlite) expose them, possibly wrapped by drizzle. */
export function pgErrorOf(e: unknown): { code?: string; constraint?: string } {
	let cur: unknown = e;
	for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
		const c = cur as { code?: unknown; constraint?: unknown; cause?: unknown };
		if (typeof c.code === 'string' && /^[0-9A-Z]{5}$/.test(c.code)) {
			return { code: c.code, constraint: typeof c.constraint === 'string' ? c.constraint : undefined };
		}
		cur = c.cause;
	}
	return {};
}

import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import type { FlowError, FlowResult } from './flows';

/**
 * Input rules of the account forms, and the words for what went wrong. Messages are
 * looked up when the schema is used, so they come out in the request's language. The error
 * on z.string() itself also covers a field missing altogether (a hand-made post): without it
 * zod's own English sentence would reach the page.
 */
export const emailField = () =>
	z
		.string({ error: () => m.auth_error_email() })
		.trim()
		.toLowerCase()
		.max(254, { error: () => m.auth_error_email() })
		.pipe(z.email({ error: () => m.auth_error_email() }));

export const newPasswordField = () =>
	z
		.string({ error: () => m.auth_error_password_short() })
		.min(10, { error: () => m.auth_error_password_short() })
		.max(128, { error: () => m.auth_error_password_long() });

export const passwordField = () =>
	z
		.string({ error: () => m.auth_error_password_missing() })
		.min(1, { error: () => m.auth_error_password_missing() })
		.max(128, { error: () => m.auth_error_password_long() });

export const redirectField = () => z.string().max(500).optional().default('');

export function flowErrorMessage(error: FlowError, retryAfterSeconds = 0): string {
	switch (error) {
		case 'rate_limited':
			return m.auth_error_rate_limited({ minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) });
		case 'invalid_credentials':
			return m.auth_error_invalid_credentials();
		case 'email_not_verified':
			return m.auth_error_not_verified();
		case 'invalid_token':
			return m.auth_error_invalid_token();
		case 'weak_password':
			return m.auth_error_password_short();
	}
}

/** HTTP status for a refused flow: 429 tells clients (and tests) it was the rate limit. */
export function flowErrorStatus(error: FlowError): 400 | 429 {
	return error === 'rate_limited' ? 429 : 400;
}

/** A refused flow as a form result: the visitor's input back, and why, in their language. */
export function flowFailure<T extends Record<string, unknown>>(
	result: Extract<FlowResult, { ok: false }>,
	keep: T
) {
	return fail(flowErrorStatus(result.error), {
		...keep,
		// A new confirmation link went out: the page can point to it (the demo mailbox).
		linkResent: result.error === 'email_not_verified',
		errors: { form: flowErrorMessage(result.error, result.retryAfterSeconds) } as Record<string, string>
	});
}

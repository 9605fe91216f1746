import type { Cookies } from '@sveltejs/kit';
import { APIError } from 'better-auth/api';
import { getDb } from '#server/db';
import type { MailLocale } from '#server/mail';
import { consumeAll, RATE_LIMITS, refund, type LimitResult } from '#server/ratelimit';
import { getAuth, linkContext } from './better-auth';
import { applyAuthCookies } from './cookies';

/**
 * The account flows behind Perkje's own forms. Each one: rate limits first (per IP and
 * per account), then Better Auth through `auth.api`, cookies copied onto the response,
 * and an outcome a page can put into words. Routes stay thin: validate, call, show.
 */

/** What a flow needs from the request. Built by `flowContext(event)` in routes. */
export interface FlowContext {
	headers: Headers;
	ip: string | null;
	/** The origin people reach us on, for links in mails (overridden by PERKJE_PUBLIC_URL). */
	origin: string;
	locale: MailLocale;
	cookies: Cookies;
	secure: boolean;
}

export type FlowError =
	| 'rate_limited'
	| 'invalid_credentials'
	| 'email_not_verified'
	| 'invalid_token'
	| 'weak_password';

export type FlowResult =
	| { ok: true }
	| { ok: false; error: FlowError; retryAfterSeconds?: number };

const limited = (r: LimitResult): FlowResult => ({
	ok: false,
	error: 'rate_limited',
	retryAfterSeconds: r.retryAfterSeconds
});

/**
 * Better Auth's refusals. Checked by name: redirects thrown inside plugins come from
 * better-call's own copy of the class, so `instanceof APIError` misses some of them.
 */
function isApiError(e: unknown): e is APIError {
	return e instanceof APIError || (e instanceof Error && e.name === 'APIError');
}

function errorCode(e: unknown): string | undefined {
	if (isApiError(e)) return (e.body as { code?: string } | undefined)?.code;
	return undefined;
}

/** Counts this attempt against the limits; the refusal to return when one is used up, else null. */
async function overLimit(checks: Parameters<typeof consumeAll>[1]): Promise<FlowResult | null> {
	const limit = await consumeAll(getDb(), checks);
	return limit.allowed ? null : limited(limit);
}

function inContext<T>(ctx: FlowContext, fn: () => Promise<T>): Promise<T> {
	return linkContext.run({ origin: ctx.origin, locale: ctx.locale }, fn);
}

/**
 * Sign-up with e-mail and password. Always "check your mail": an address that already has
 * an account gets no second account and the visitor learns nothing about who is signed up.
 */
export async function signUp(ctx: FlowContext, input: { email: string; password: string }) {
	const refusal = await overLimit([[RATE_LIMITS.signUpIp, ctx.ip], [RATE_LIMITS.signUpAccount, input.email]]);
	if (refusal) return refusal;
	const auth = await getAuth();
	try {
		await inContext(ctx, () =>
			auth.api.signUpEmail({
				body: { email: input.email, password: input.password, name: '', locale: ctx.locale },
				headers: ctx.headers
			})
		);
	} catch (e) {
		const code = errorCode(e);
		if (code === 'PASSWORD_TOO_SHORT' || code === 'PASSWORD_TOO_LONG') {
			return { ok: false, error: 'weak_password' } satisfies FlowResult;
		}
		if (code !== 'USER_ALREADY_EXISTS' && code !== 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') throw e;
	}
	return { ok: true } satisfies FlowResult;
}

export async function signIn(
	ctx: FlowContext,
	input: { email: string; password: string }
): Promise<FlowResult> {
	const refusal = await overLimit([[RATE_LIMITS.signInIp, ctx.ip], [RATE_LIMITS.signInAccount, input.email]]);
	if (refusal) return refusal;
	const auth = await getAuth();
	try {
		const { headers } = await inContext(ctx, () =>
			auth.api.signInEmail({
				body: { email: input.email, password: input.password, rememberMe: true },
				headers: ctx.headers,
				returnHeaders: true
			})
		);
		applyAuthCookies(ctx.cookies, headers, ctx.secure);
		// The account limit is on wrong passwords: someone who signs in on their phone, laptop
		// and a community-centre tablet is never locked out by their own successes.
		await refund(getDb(), RATE_LIMITS.signInAccount, input.email);
		return { ok: true };
	} catch (e) {
		const code = errorCode(e);
		// Better Auth has already sent a fresh verification mail (sendOnSignIn).
		if (code === 'EMAIL_NOT_VERIFIED') return { ok: false, error: 'email_not_verified' };
		if (isApiError(e)) return { ok: false, error: 'invalid_credentials' };
		throw e;
	}
}

/** Mails a sign-in link; unknown addresses get an account when they use it. */
export async function requestMagicLink(ctx: FlowContext, email: string): Promise<FlowResult> {
	const refusal = await overLimit([[RATE_LIMITS.magicLinkIp, ctx.ip], [RATE_LIMITS.magicLinkAccount, email]]);
	if (refusal) return refusal;
	const auth = await getAuth();
	await inContext(ctx, () => auth.api.signInMagicLink({ body: { email }, headers: ctx.headers }));
	return { ok: true };
}

/**
 * A one-time token from a mail link (sign-in link, e-mail confirmation): limited per IP
 * against guessing; on success Better Auth's session cookie is set. An unknown, used or
 * expired token comes back from Better Auth as an error (or a redirect to an error page).
 */
async function useToken(
	ctx: FlowContext,
	call: (auth: Awaited<ReturnType<typeof getAuth>>) => Promise<{ headers: Headers | null }>
): Promise<FlowResult> {
	const refusal = await overLimit([[RATE_LIMITS.tokenIp, ctx.ip]]);
	if (refusal) return refusal;
	try {
		const { headers } = await call(await getAuth());
		applyAuthCookies(ctx.cookies, headers, ctx.secure);
		return { ok: true };
	} catch (e) {
		if (isApiError(e)) return { ok: false, error: 'invalid_token' };
		throw e;
	}
}

/** Signs in with the token from a sign-in link (once; it is consumed). */
export function useMagicLink(ctx: FlowContext, token: string): Promise<FlowResult> {
	return useToken(ctx, (auth) =>
		auth.api.magicLinkVerify({ query: { token }, headers: ctx.headers, returnHeaders: true })
	);
}

/** Confirms the e-mail address and signs the person in. */
export function verifyEmail(ctx: FlowContext, token: string): Promise<FlowResult> {
	return useToken(ctx, (auth) =>
		auth.api.verifyEmail({ query: { token }, headers: ctx.headers, returnHeaders: true })
	);
}

/** Mails a reset link if the address has an account; says the same either way. */
export async function requestPasswordReset(ctx: FlowContext, email: string): Promise<FlowResult> {
	const refusal = await overLimit([[RATE_LIMITS.resetIp, ctx.ip], [RATE_LIMITS.resetAccount, email]]);
	if (refusal) return refusal;
	const auth = await getAuth();
	await inContext(ctx, () =>
		auth.api.requestPasswordReset({ body: { email }, headers: ctx.headers })
	);
	return { ok: true };
}

/** Sets a new password from a reset link; every existing session of the account ends. */
export async function resetPassword(
	ctx: FlowContext,
	input: { token: string; password: string }
): Promise<FlowResult> {
	const refusal = await overLimit([[RATE_LIMITS.tokenIp, ctx.ip]]);
	if (refusal) return refusal;
	const auth = await getAuth();
	try {
		await auth.api.resetPassword({
			body: { token: input.token, newPassword: input.password },
			headers: ctx.headers
		});
		return { ok: true };
	} catch (e) {
		const code = errorCode(e);
		if (code === 'PASSWORD_TOO_SHORT' || code === 'PASSWORD_TOO_LONG') {
			return { ok: false, error: 'weak_password' };
		}
		if (isApiError(e)) return { ok: false, error: 'invalid_token' };
		throw e;
	}
}

/** Ends the session on the server (the row is deleted) and clears the cookie. */
export async function signOut(ctx: FlowContext): Promise<void> {
	const auth = await getAuth();
	try {
		const { headers } = await auth.api.signOut({ headers: ctx.headers, returnHeaders: true });
		applyAuthCookies(ctx.cookies, headers, ctx.secure);
	} catch (e) {
		if (!isApiError(e)) throw e;
	}
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { magicLink } from 'better-auth/plugins/magic-link';
import { getDatabase, type Db } from '#server/db';
import { accounts, sessions, users, verifications } from '#lib/server/db/schema.js';
import { logger } from '#server/logging';
import { authMail, sendMail, toMailLocale, type AuthMailKind, type MailLocale } from '#server/mail';
import { getConfig } from '#server/config';
import { resolveAuthSecret } from './secret';

/** Where the person who triggered a mail is, so the link in it leads back there. */
export interface LinkContext {
	origin: string;
	locale: MailLocale;
}

/**
 * Better Auth calls the mail callbacks deep inside `auth.api`, with no request to read
 * the origin or language from; the flows (flows.ts) run each call inside this context.
 */
export const linkContext = new AsyncLocalStorage<LinkContext>();

/** The paths of Perkje's own pages that the links in mails open. */
export const LINK_PATHS = {
	verify: '/verifieren',
	reset: '/wachtwoord-herstellen',
	magicLink: '/aanmeldlink'
} as const;

export const SESSION_COOKIE = 'perkje.session_token';
const SESSION_DAYS = 30;

function linkTo(path: string, token: string, fallbackOrigin: string): string {
	const context = linkContext.getStore();
	const origin = getConfig().auth.publicOrigin ?? context?.origin ?? fallbackOrigin;
	const prefix = context?.locale === 'en' ? '/en' : '';
	const url = new URL(`${prefix}${path}`, origin);
	url.searchParams.set('token', token);
	return url.toString();
}

async function mailLink(
	db: Db,
	kind: AuthMailKind,
	to: { email: string; userId: string | null; locale: string | null | undefined },
	link: string
) {
	const locale = linkContext.getStore()?.locale ?? toMailLocale(to.locale);
	await sendMail(db, { to: to.email, userId: to.userId, kind, ...authMail(kind, locale, link) });
}

/**
 * Better Auth as `sv add better-auth` sets it up (drizzle adapter, e-mail + password,
 * e-mail verification, password reset, magic links), with these Perkje choices:
 * - Its HTTP router is NOT mounted. Every flow runs through Perkje's own pages and form
 *   actions (flows.ts), so each is rate-limited by our limiter, speaks Dutch or English,
 *   and works without JavaScript. There is no /api/auth to attack around them.
 * - Cookies: HttpOnly, SameSite=Lax; `Secure` is decided per request (cookies.ts), because
 *   one deployment may be reached over TLS behind a proxy and over plain http locally.
 * - IP addresses are not stored with sessions (data minimisation); the user agent is, so
 *   people can recognise their sessions.
 * - Mail links point at our pages with only the token; see LINK_PATHS.
 */
export function createAuth(db: Db, secret: string, baseURL: string) {
	/** Mails an account's holder a link with the token, in their language. */
	const mailUserLink =
		(kind: AuthMailKind, path: string) =>
		async ({ user, token }: { user: { email: string; id: string }; token: string }) => {
			const locale = (user as { locale?: string }).locale;
			await mailLink(db, kind, { email: user.email, userId: user.id, locale }, linkTo(path, token, baseURL));
		};
	return betterAuth({
		appName: 'Perkje',
		baseURL,
		secret,
		database: drizzleAdapter(db, {
			provider: 'pg',
			usePlural: true,
			schema: { users, sessions, accounts, verifications }
		}),
		telemetry: { enabled: false },
		// Only guards the (unmounted) HTTP router; src/lib/server/ratelimit guards our flows.
		rateLimit: { enabled: false },
		logger: {
			level: 'warn',
			log: (level, message, ...args) =>
				logger[level === 'debug' ? 'debug' : level === 'info' ? 'info' : level](
					{ auth: args.length ? args : undefined },
					message
				)
		},
		user: {
			additionalFields: {
				role: { type: 'string', required: false, defaultValue: 'resident', input: false },
				displayName: { type: 'string', required: false, input: false },
				locale: { type: 'string', required: false, defaultValue: 'nl', input: true },
				partnerOrganisationId: { type: 'number', required: false, input: false },
				demo: { type: 'boolean', required: false, defaultValue: false, input: false }
			}
		},
		session: {
			expiresIn: SESSION_DAYS * 24 * 60 * 60,
			updateAge: 24 * 60 * 60
		},
		emailAndPassword: {
			enabled: true,
			requireEmailVerification: true,
			autoSignIn: false,
			minPasswordLength: 10,
			maxPasswordLength: 128,
			revokeSessionsOnPasswordReset: true,
			resetPasswordTokenExpiresIn: 60 * 60,
			sendResetPassword: mailUserLink('auth_reset', LINK_PATHS.reset)
		},
		emailVerification: {
			sendOnSignUp: true,
			sendOnSignIn: true,
			autoSignInAfterVerification: true,
			expiresIn: 60 * 60,
			sendVerificationEmail: mailUserLink('auth_verify', LINK_PATHS.verify)
		},
		advanced: {
			cookiePrefix: 'perkje',
			useSecureCookies: false,
			ipAddress: { disableIpTracking: true }
		},
		plugins: [
			magicLink({
				expiresIn: 15 * 60,
				// Only a hash in the database: a leaked backup holds no usable sign-in links.
				storeToken: 'hashed',
				sendMagicLink: async ({ email, token }) => {
					await mailLink(
						db,
						'auth_magic_link',
						{ email, userId: null, locale: null },
						linkTo(LINK_PATHS.magicLink, token, baseURL)
					);
				}
			})
		]
	});
}

export type Auth = ReturnType<typeof createAuth>;

// One Better Auth instance per open database: it holds configuration, not request state.
let current: { db: Db; auth: Promise<Auth> } | undefined;

export function getAuth(): Promise<Auth> {
	const { db } = getDatabase();
	if (current?.db !== db) {
		const config = getConfig().auth;
		const auth = resolveAuthSecret(db, config.secret).then((secret) =>
			createAuth(db, secret, config.publicOrigin ?? 'http://localhost')
		);
		current = { db, auth };
		auth.catch(() => {
			if (current?.auth === auth) current = undefined;
		});
	}
	return current.auth;
}

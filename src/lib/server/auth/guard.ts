import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { decide, rolesAllowed, type Action, type Actor, type ResourceArgs } from '#lib/domain/policy.js';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import type { SessionUser } from './session';

type GuardEvent = Pick<RequestEvent, 'url' | 'locals'>;

export const SIGN_IN_PATH = '/aanmelden';

/** Where a visitor who must sign in goes, with the way back. */
export function signInUrl(event: Pick<RequestEvent, 'url'>): string {
	const back = event.url.pathname + event.url.search;
	return `${localizeHref(SIGN_IN_PATH)}?redirectTo=${encodeURIComponent(back)}`;
}

const LOCAL = 'http://perkje.invalid';

/**
 * Only a path of this site is a safe place to return to after signing in (no open redirect).
 * Read the way a browser reads it: browsers drop tabs and line breaks from a URL, so
 * "/\t/other.host/" is "//other.host/", another site. Anything that does not resolve to this
 * origin, or carries control characters at all, gives the fallback.
 */
export function safeRedirectTarget(value: string | null | undefined, fallback = '/'): string {
	// eslint-disable-next-line no-control-regex
	if (!value || !value.startsWith('/') || /[\u0000-\u001F\u007F\\]/.test(value)) return fallback;
	let url: URL;
	try {
		url = new URL(value, LOCAL);
	} catch {
		return fallback;
	}
	if (url.origin !== LOCAL) return fallback;
	return url.pathname + url.search + url.hash;
}

function enforce<A extends Action>(
	event: GuardEvent,
	status: 403 | 404,
	action: A,
	resource: ResourceArgs<A>
): Actor {
	const actor = event.locals.actor;
	const decision = decide(actor, action, ...resource);
	if (decision === 'sign-in') redirect(303, signInUrl(event));
	if (decision === 'forbidden') {
		if (status === 404) error(404, m.error_not_found());
		// Said on the error page: "this page is for managers; you are a resident".
		error(403, { message: m.staff_forbidden_title(), forRoles: rolesAllowed(action, ...resource), role: actor!.role });
	}
	return actor as Actor;
}

/** A guard whose refusal of a signed-in person is `status`. */
function guardAnswering(status: 403 | 404) {
	return <A extends Action>(event: GuardEvent, action: A, ...resource: ResourceArgs<A>): Actor =>
		enforce(event, status, action, resource);
}

/**
 * Asks the policy and acts on the answer: visitors are sent to sign in (303), signed-in
 * people without the right get 403. Returns the actor when allowed.
 */
export const requirePermission = guardAnswering(403);

/**
 * Like requirePermission, but a signed-in person without the right gets 404: for things
 * whose mere existence is not theirs to know (another resident's adoption or team).
 */
export const requireVisible = guardAnswering(404);

/** The signed-in user (for their own account pages); visitors go to sign in. */
export function requireUser(event: GuardEvent): { user: SessionUser; actor: Actor } {
	const actor = requirePermission(event, 'account.own');
	return { user: event.locals.user as SessionUser, actor };
}

/**
 * Who may do what: the one place. Every page load, form action and endpoint asks this
 * module on the server (through src/lib/server/auth/guard.ts); no route decides on its own.
 * Pure rules, no I/O, so the whole policy is unit-tested in policy.spec.ts and walked
 * route by route in tests/integration/authorization-matrix.spec.ts.
 *
 * Later features add an action here (one line in RULES and its resource type in
 * Resources), not an `if (user.role === ...)` in a route.
 */

export const ROLES = ['resident', 'manager', 'platform', 'partner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person as the policy sees them. */
export interface Actor {
	id: string;
	role: Role;
	emailVerified: boolean;
	/** Platform accounts: the neighbourhoods (ids) and districts (codes) they cover. */
	neighbourhoodIds: readonly number[];
	districtCodes: readonly string[];
	/** Partner accounts: their organisation. */
	partnerOrganisationId: number | null;
}

/** Where something is, for area-scoped roles. */
export interface AreaRef {
	neighbourhoodId: number | null;
	districtCode: string | null;
}

/** The resource each action is judged on (`void` = none). */
interface Resources {
	/** Own profile, data export, account deletion, sign-out. */
	'account.own': void;
	/** Anything a resident makes public (activities, reports, photos): verified e-mail only. */
	'content.post': void;
	/** Ask to adopt a plot (alone or for a team): a verified e-mail, so the municipality can answer. */
	'adoption.request': void;
	/** Answer the municipality's question on an adoption request: its requester only. */
	'adoption.answer': { requesterId: string | null };
	/**
	 * Log care on a plot: its current adopters (or a member of an adopting team), with a verified
	 * e-mail. The service works out `isAdopter` from the plot's running adoptions.
	 */
	'activity.log': { isAdopter: boolean };
	/** Edit or delete a care entry: its author, within the edit window (ACTIVITY_EDIT_DAYS). */
	'activity.change': { authorId: string | null; withinEditWindow: boolean };
	/** Something that belongs to one resident (an adoption request, a team membership). */
	'resident.own': { ownerId: string | null };
	/**
	 * Join a team with an invitation. One sent to an address (invitedEmail) is for the account
	 * with that verified address only: a forwarded or leaked mail must not let anyone else in.
	 * A link invitation (invitedEmail null) is for anyone who has it, by its maker's choice.
	 */
	'team.join': { invitedEmail: string | null; accountEmail: string };
	/** The manager area: inbox, assignments, plots. */
	'manage.view': void;
	/** End someone's running adoption (manager's plot page, quiet adoptions): told to the adopter, audited. */
	'manage.end_adoption': void;
	/** Hide a note or photo someone posted (with a reason kept in its history), or show it again. */
	'manage.moderate': void;
	/** Overview of one neighbourhood or district (platforms see only their own). */
	'area.view': AreaRef;
	/** A partner organisation's work list. */
	'partner.view': { partnerOrganisationId: number };
	/** Make a problem report (or support one) as a signed-in resident: a verified e-mail. */
	'report.create': void;
	/** The managers' side of reports: the inbox, routing by hand, merging, bulk moves, reopen requests. */
	'report.triage': void;
	/**
	 * Work on one report: see its internal notes, answer, plan it, mark it done. Managers, and the
	 * partner it is routed to (never another partner's).
	 */
	'report.work': { partnerOrganisationId: number | null };
	/** Maintain the report categories, their response targets, the routing rules and Open311 keys. */
	'report.configure': void;
	/** Staff accounts: invite, change roles, see the mail outbox. */
	'admin.users': void;
}

export type Action = keyof Resources;

// Addresses are stored lower-cased; comparing them so once more keeps an old mixed-case row working.
const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

const isManagerLike = (a: Actor) => a.role === 'manager' || a.role === 'admin';

function coversArea(a: Actor, area: AreaRef): boolean {
	return (
		(area.neighbourhoodId !== null && a.neighbourhoodIds.includes(area.neighbourhoodId)) ||
		(area.districtCode !== null && a.districtCodes.includes(area.districtCode))
	);
}

const RULES: { [A in Action]: (actor: Actor, resource: Resources[A]) => boolean } = {
	'account.own': () => true,
	'content.post': (a) => a.emailVerified,
	'adoption.request': (a) => a.emailVerified,
	// Not the other members of a team that asked: the manager asked the person who wrote the request.
	'adoption.answer': (a, r) => r.requesterId !== null && a.id === r.requesterId,
	'activity.log': (a, r) => a.emailVerified && r.isAdopter,
	'activity.change': (a, r) => a.emailVerified && r.authorId !== null && a.id === r.authorId && r.withinEditWindow,
	'resident.own': (a, r) => r.ownerId !== null && a.id === r.ownerId,
	'team.join': (a, r) =>
		r.invitedEmail === null || (a.emailVerified && sameAddress(r.invitedEmail, r.accountEmail)),
	'manage.view': isManagerLike,
	'manage.end_adoption': isManagerLike,
	'manage.moderate': isManagerLike,
	'area.view': (a, area) => isManagerLike(a) || (a.role === 'platform' && coversArea(a, area)),
	'partner.view': (a, r) =>
		isManagerLike(a) || (a.role === 'partner' && a.partnerOrganisationId === r.partnerOrganisationId),
	'report.create': (a) => a.emailVerified,
	'report.triage': isManagerLike,
	'report.work': (a, r) =>
		isManagerLike(a) ||
		(a.role === 'partner' && r.partnerOrganisationId !== null && a.partnerOrganisationId === r.partnerOrganisationId),
	'report.configure': (a) => a.role === 'admin',
	'admin.users': (a) => a.role === 'admin'
};

export type ResourceArgs<A extends Action> = Resources[A] extends void ? [] : [resource: Resources[A]];

/** What a route does with the answer: go on, send to sign-in, or refuse. */
export type Decision = 'allow' | 'sign-in' | 'forbidden';

export function decide<A extends Action>(
	actor: Actor | null,
	action: A,
	...resource: ResourceArgs<A>
): Decision {
	if (!actor) return 'sign-in';
	const rule = RULES[action] as (actor: Actor, resource: unknown) => boolean;
	return rule(actor, resource[0]) ? 'allow' : 'forbidden';
}

export function can<A extends Action>(
	actor: Actor | null,
	action: A,
	...resource: ResourceArgs<A>
): boolean {
	return decide(actor, action, ...resource) === 'allow';
}

/**
 * The roles that may do `action` at all (with a verified address and no area limits): what a
 * refused visitor is told the page is for.
 */
export function rolesAllowed<A extends Action>(action: A, ...resource: ResourceArgs<A>): Role[] {
	return ROLES.filter((role) =>
		can({ id: '', role, emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null }, action, ...resource)
	);
}

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * May `actor` give `target` the role `next`? Admins only, and never in a way that leaves the
 * platform without an admin (the last admin cannot demote themselves: nobody could undo it).
 */
export function canChangeRole(
	actor: Actor | null,
	target: { id: string; role: Role },
	next: Role,
	adminCount: number
): { ok: true } | { ok: false; reason: 'forbidden' | 'last-admin' } {
	if (!can(actor, 'admin.users')) return { ok: false, reason: 'forbidden' };
	if (target.role === 'admin' && next !== 'admin' && adminCount <= 1) {
		return { ok: false, reason: 'last-admin' };
	}
	return { ok: true };
}

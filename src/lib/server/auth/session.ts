import { eq } from 'drizzle-orm';
import type { Actor, Role } from '#lib/domain/policy.js';
import { isRole } from '#lib/domain/policy.js';
import type { Db } from '#server/db';
import { staffAreas } from '#lib/server/db/schema.js';
import { getAuth } from './better-auth';

/** The signed-in person as pages see them (never shown to anyone else). */
export interface SessionUser {
	id: string;
	email: string;
	emailVerified: boolean;
	role: Role;
	displayName: string | null;
	locale: 'nl' | 'en';
	demo: boolean;
	partnerOrganisationId: number | null;
}

export interface LoadedSession {
	user: SessionUser;
	session: { id: string; expiresAt: Date };
	/** Cookies Better Auth wants refreshed (sliding expiry). */
	setCookies: Headers | null;
}

/** Reads the session from the request's cookie; null for visitors and ended sessions. */
export async function loadSession(headers: Headers): Promise<LoadedSession | null> {
	const auth = await getAuth();
	const { headers: responseHeaders, response } = await auth.api.getSession({
		headers,
		returnHeaders: true
	});
	if (!response) return null;
	const u = response.user as typeof response.user & Record<string, unknown>;
	return {
		user: {
			id: u.id,
			email: u.email,
			emailVerified: u.emailVerified,
			role: isRole(u.role) ? u.role : 'resident',
			displayName: (u.displayName as string | null | undefined) ?? null,
			locale: u.locale === 'en' ? 'en' : 'nl',
			demo: u.demo === true,
			partnerOrganisationId: (u.partnerOrganisationId as number | null | undefined) ?? null
		},
		session: { id: response.session.id, expiresAt: new Date(response.session.expiresAt) },
		setCookies: responseHeaders
	};
}

/** The policy's view of a user; platform accounts bring their areas along. */
export async function actorFor(db: Db, user: SessionUser): Promise<Actor> {
	const areas =
		user.role === 'platform'
			? await db.select().from(staffAreas).where(eq(staffAreas.userId, user.id))
			: [];
	return {
		id: user.id,
		role: user.role,
		emailVerified: user.emailVerified,
		neighbourhoodIds: areas.flatMap((a) => (a.neighbourhoodId === null ? [] : [a.neighbourhoodId])),
		districtCodes: areas.flatMap((a) => (a.districtCode === null ? [] : [a.districtCode])),
		partnerOrganisationId: user.partnerOrganisationId
	};
}

import { randomBytes } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { and, asc, desc, eq, gt, ne, sql } from 'drizzle-orm';
import { canChangeRole, type Actor, type Role } from '#lib/domain/policy.js';
import { recordAudit } from '#server/audit';
import { queryRows, type Db, type Tx } from '#server/db';
import {
	accounts,
	partnerOrganisations,
	sessions,
	staffAreas,
	users
} from '#lib/server/db/schema.js';
import { sendMail, authMail, type MailLocale } from '#server/mail';
import { getConfig } from '#server/config';

/**
 * Accounts as Perkje manages them (roles, scopes, staff). Signing up, in and out goes
 * through Better Auth (flows.ts); this is what admins and the CLI do around it.
 */

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** Better Auth's id shape: random, URL-safe, no meaning. */
function newUserId(): string {
	return randomBytes(16).toString('base64url');
}

export async function findUserByEmail(db: Db | Tx, email: string) {
	const [row] = await db.select().from(users).where(eq(users.email, normaliseEmail(email)));
	return row ?? null;
}

export interface NewAccount {
	email: string;
	role?: Role;
	/** Leave out for accounts that sign in with links only (invited staff, admins). */
	password?: string;
	/** A hash made earlier (hashPassword), instead of `password`: hashing is slow on purpose. */
	passwordHash?: string;
	emailVerified?: boolean;
	demo?: boolean;
	partnerOrganisationId?: number | null;
}

/**
 * Makes an account directly (CLI, invitations, demo accounts, tests). An existing address
 * is reused: the account keeps its id and data and gets the role and password given.
 */
export async function upsertAccount(db: Db, input: NewAccount): Promise<{ id: string; created: boolean }> {
	const email = normaliseEmail(input.email);
	const passwordHash = input.passwordHash ?? (input.password ? await hashPassword(input.password) : null);
	return db.transaction(async (tx) => {
		const existing = await findUserByEmail(tx, email);
		const id = existing?.id ?? newUserId();
		if (existing) {
			await tx
				.update(users)
				.set({
					...(input.role ? { role: input.role } : {}),
					...(input.emailVerified !== undefined ? { emailVerified: input.emailVerified } : {}),
					...(input.partnerOrganisationId !== undefined
						? { partnerOrganisationId: input.partnerOrganisationId }
						: {}),
					updatedAt: new Date()
				})
				.where(eq(users.id, id));
		} else {
			await tx.insert(users).values({
				id,
				email,
				role: input.role ?? 'resident',
				emailVerified: input.emailVerified ?? false,
				demo: input.demo ?? false,
				partnerOrganisationId: input.partnerOrganisationId ?? null
			});
		}
		if (passwordHash) {
			// Better Auth keeps the password on a 'credential' account row.
			await tx
				.delete(accounts)
				.where(and(eq(accounts.userId, id), eq(accounts.providerId, 'credential')));
			await tx.insert(accounts).values({
				id: newUserId(),
				accountId: id,
				providerId: 'credential',
				userId: id,
				password: passwordHash
			});
		}
		return { id, created: !existing };
	});
}

export interface StaffMember {
	id: string;
	email: string;
	role: Role;
	demo: boolean;
	partnerOrganisationId: number | null;
	partnerOrganisationName: string | null;
	neighbourhoodIds: number[];
	districtCodes: string[];
}

export async function listStaff(db: Db): Promise<StaffMember[]> {
	const rows = await db
		.select({
			id: users.id,
			email: users.email,
			role: users.role,
			demo: users.demo,
			partnerOrganisationId: users.partnerOrganisationId,
			partnerOrganisationName: partnerOrganisations.name
		})
		.from(users)
		.leftJoin(partnerOrganisations, eq(partnerOrganisations.id, users.partnerOrganisationId))
		.where(ne(users.role, 'resident'))
		.orderBy(asc(users.email));
	const areas = await db.select().from(staffAreas);
	return rows.map((r) => ({
		...r,
		neighbourhoodIds: areas.filter((a) => a.userId === r.id && a.neighbourhoodId !== null).map((a) => a.neighbourhoodId as number),
		districtCodes: areas.filter((a) => a.userId === r.id && a.districtCode !== null).map((a) => a.districtCode as string)
	}));
}

export async function listPartnerOrganisations(db: Db) {
	return db.select().from(partnerOrganisations).orderBy(asc(partnerOrganisations.name));
}

export async function ensurePartnerOrganisation(db: Db, name: string, kind: string | null = null) {
	await db.insert(partnerOrganisations).values({ name, kind }).onConflictDoNothing();
	const [row] = await db.select().from(partnerOrganisations).where(eq(partnerOrganisations.name, name));
	return row;
}

export interface RoleChange {
	email: string;
	role: Role;
	neighbourhoodIds?: number[];
	districtCodes?: string[];
	partnerOrganisationId?: number | null;
}

export type RoleChangeResult =
	| { ok: true; userId: string; created: boolean }
	| { ok: false; reason: 'forbidden' | 'last-admin' | 'scope-missing' };

/**
 * Gives an account a role (and, for platform and partner, its scope), creating the account
 * for a new address: that is how an admin invites staff. The policy decides whether the
 * actor may; the admin count is read inside the transaction, under a lock on the admin
 * rows, so two admins demoting each other at once cannot leave nobody in charge.
 */
export async function changeRole(db: Db, actor: Actor, change: RoleChange): Promise<RoleChangeResult> {
	const areasGiven = (change.neighbourhoodIds?.length ?? 0) + (change.districtCodes?.length ?? 0);
	if (change.role === 'platform' && areasGiven === 0) return { ok: false, reason: 'scope-missing' };
	if (change.role === 'partner' && !change.partnerOrganisationId) {
		return { ok: false, reason: 'scope-missing' };
	}
	const email = normaliseEmail(change.email);
	return db.transaction(async (tx) => {
		const admins = await queryRows<{ id: string }>(tx, sql`select id from users where role = 'admin' for update`);
		const adminCount = admins.length;
		const target = await findUserByEmail(tx, email);
		const verdict = canChangeRole(
			actor,
			{ id: target?.id ?? '', role: target?.role ?? 'resident' },
			change.role,
			adminCount
		);
		if (!verdict.ok) return verdict;
		const id = target?.id ?? newUserId();
		const partnerOrganisationId = change.role === 'partner' ? (change.partnerOrganisationId ?? null) : null;
		// Nothing to change (the demo seeder on every start, an admin saving twice): no write,
		// so the audit trail only records changes that happened.
		if (target && (await sameRole(tx, target, { ...change, partnerOrganisationId }))) {
			return { ok: true, userId: id, created: false };
		}
		if (target) {
			await tx
				.update(users)
				.set({ role: change.role, partnerOrganisationId, updatedAt: new Date() })
				.where(eq(users.id, id));
		} else {
			await tx.insert(users).values({ id, email, role: change.role, partnerOrganisationId });
		}
		await tx.delete(staffAreas).where(eq(staffAreas.userId, id));
		if (change.role === 'platform') {
			const rows = [
				...(change.neighbourhoodIds ?? []).map((n) => ({ userId: id, neighbourhoodId: n, districtCode: null })),
				...(change.districtCodes ?? []).map((d) => ({ userId: id, neighbourhoodId: null, districtCode: d }))
			];
			await tx.insert(staffAreas).values(rows);
		}
		// In the same transaction: a role change without its audit row cannot happen.
		await recordAudit(tx, actor, {
			action: target ? 'user.role_change' : 'user.invite',
			subjectType: 'user',
			subjectId: id,
			before: target ? { role: target.role, partnerOrganisationId: target.partnerOrganisationId } : null,
			after: {
				role: change.role,
				partnerOrganisationId,
				...(change.role === 'platform'
					? { neighbourhoodIds: change.neighbourhoodIds ?? [], districtCodes: change.districtCodes ?? [] }
					: {})
			}
		});
		return { ok: true, userId: id, created: !target };
	});
}

/** Whether `target` already has exactly this role, organisation and (for platforms) areas. */
async function sameRole(
	tx: Tx,
	target: { id: string; role: Role; partnerOrganisationId: number | null },
	change: RoleChange & { partnerOrganisationId: number | null }
): Promise<boolean> {
	if (target.role !== change.role || target.partnerOrganisationId !== change.partnerOrganisationId) return false;
	const areas = await tx
		.select({ neighbourhoodId: staffAreas.neighbourhoodId, districtCode: staffAreas.districtCode })
		.from(staffAreas)
		.where(eq(staffAreas.userId, target.id));
	const key = (n: number | null, d: string | null) => (n !== null ? `n:${n}` : `d:${d}`);
	const have = new Set(areas.map((a) => key(a.neighbourhoodId, a.districtCode)));
	const want = new Set(
		change.role === 'platform'
			? [
					...(change.neighbourhoodIds ?? []).map((n) => key(n, null)),
					...(change.districtCodes ?? []).map((d) => key(null, d))
				]
			: []
	);
	return have.size === want.size && [...want].every((k) => have.has(k));
}

export async function updateProfile(
	db: Db,
	userId: string,
	profile: { displayName: string | null; locale: 'nl' | 'en' }
): Promise<void> {
	await db
		.update(users)
		.set({ displayName: profile.displayName, locale: profile.locale, updatedAt: new Date() })
		.where(eq(users.id, userId));
}

/**
 * An admin's "invite staff": the role change above, plus a mail telling a new account
 * where to sign in (with a sign-in link they ask for themselves; no password is sent).
 */
export async function inviteStaff(
	db: Db,
	actor: Actor,
	change: RoleChange,
	link: { origin: string; locale: MailLocale }
): Promise<RoleChangeResult> {
	const result = await changeRole(db, actor, change);
	if (result.ok && result.created) {
		const publicOrigin = getConfig().auth.publicOrigin ?? link.origin;
		const url = new URL(`${link.locale === 'en' ? '/en' : ''}/aanmelden`, publicOrigin).toString();
		await sendMail(db, {
			to: normaliseEmail(change.email),
			userId: result.userId,
			kind: 'auth_staff_invite',
			...authMail('auth_staff_invite', link.locale, url)
		});
	}
	return result;
}

/** The account's sessions (devices), newest first, for the account page. */
export async function listSessions(db: Db, userId: string) {
	return db
		.select({
			id: sessions.id,
			createdAt: sessions.createdAt,
			lastUsedAt: sessions.updatedAt,
			userAgent: sessions.userAgent
		})
		.from(sessions)
		.where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date())))
		.orderBy(desc(sessions.updatedAt));
}

/** "Sign out everywhere else": ends every session of the account but this one. */
export async function endOtherSessions(db: Db, userId: string, keepSessionId: string): Promise<number> {
	const ended = await db
		.delete(sessions)
		.where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
		.returning({ id: sessions.id });
	return ended.length;
}

import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { OPEN_STATUSES } from '#lib/domain/adoption.js';
import { can, type Actor } from '#lib/domain/policy.js';
import type { TeamKind, TeamRole } from '#lib/domain/team.js';
import { queryRows, sqlList, type Db, type Tx } from '#server/db';
import { teamInviteMail, toMailLocale } from '#server/mail';
import { enqueueMail } from '#server/notifications';
import { AdoptionError } from '#server/adoptions';

/**
 * Teams (groepen): household, street, school, association, work-experience team. A team
 * adopts as one; every member may act for it. Invitations go by e-mail (for that address's
 * account only, used once; team_invites.email set) or as a link (anyone with it, usable by
 * several people until it expires; email null); only a hash of the token is stored.
 */
export const INVITE_DAYS = 14;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface TeamSummary {
	id: number;
	name: string;
	kind: TeamKind;
	role: TeamRole;
	members: number;
}

export async function createTeam(db: Db, actor: Actor, input: { name: string; kind: TeamKind }): Promise<number> {
	return db.transaction(async (tx) => {
		const [team] = await queryRows<{ id: number }>(
			tx,
			sql`INSERT INTO teams (kind, name, created_by) VALUES (${input.kind}, ${input.name.trim()}, ${actor.id}) RETURNING id`
		);
		await tx.execute(sql`INSERT INTO team_members (team_id, user_id, role) VALUES (${team.id}, ${actor.id}, 'owner')`);
		return team.id;
	});
}

export async function listMyTeams(db: Db | Tx, userId: string): Promise<TeamSummary[]> {
	return queryRows<TeamSummary>(
		db,
		sql`SELECT t.id, t.name, t.kind, m.role,
				(SELECT count(*)::int FROM team_members x WHERE x.team_id = t.id) AS members
			FROM team_members m JOIN teams t ON t.id = m.team_id
			WHERE m.user_id = ${userId} ORDER BY t.name, t.id`
	);
}

export interface TeamMemberView {
	/** The display name, or the e-mail address masked (a•••@voorbeeld.nl): members see who is in. */
	label: string;
	role: TeamRole;
	isMe: boolean;
}

export interface TeamDetail {
	id: number;
	name: string;
	kind: TeamKind;
	myRole: TeamRole;
	members: TeamMemberView[];
	links: { id: number; expiresAt: Date; email: string | null }[];
}

function maskEmail(email: string): string {
	const [local, domain] = email.split('@');
	return `${local.slice(0, 1)}•••@${domain ?? ''}`;
}

/** A team as its members see it; null for anyone else (the route answers 404). */
export async function teamDetail(db: Db, userId: string, teamId: number): Promise<TeamDetail | null> {
	const members = await queryRows<{ userId: string; displayName: string | null; email: string; role: TeamRole }>(
		db,
		sql`SELECT m.user_id AS "userId", u.display_name AS "displayName", u.email, m.role
			FROM team_members m JOIN users u ON u.id = m.user_id
			WHERE m.team_id = ${teamId} ORDER BY m.id`
	);
	const me = members.find((m) => m.userId === userId);
	if (!me) return null;
	const [team] = await queryRows<{ id: number; name: string; kind: TeamKind }>(
		db,
		sql`SELECT id, name, kind FROM teams WHERE id = ${teamId}`
	);
	const links = await queryRows<{ id: number; expiresAt: Date; email: string | null }>(
		db,
		sql`SELECT id, expires_at AS "expiresAt", email FROM team_invites
			WHERE team_id = ${teamId} AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() ORDER BY id`
	);
	return {
		...team,
		myRole: me.role,
		members: members.map((m) => ({
			label: m.displayName?.trim() || maskEmail(m.email),
			role: m.role,
			isMe: m.userId === userId
		})),
		links
	};
}

async function requireMember(tx: Tx | Db, teamId: number, userId: string) {
	const [row] = await queryRows<{ role: string }>(
		tx,
		sql`SELECT role FROM team_members WHERE team_id = ${teamId} AND user_id = ${userId}`
	);
	if (!row) throw new AdoptionError('not-found');
	return row;
}

async function newInvite(tx: Tx, teamId: number, actor: Actor, email: string | null): Promise<string> {
	const token = randomBytes(24).toString('base64url');
	await tx.execute(
		sql`INSERT INTO team_invites (team_id, token_hash, email, invited_by, expires_at)
			VALUES (${teamId}, ${hashToken(token)}, ${email}, ${actor.id}, now() + make_interval(days => ${INVITE_DAYS}))`
	);
	return token;
}

export function inviteUrl(origin: string, token: string): string {
	return `${origin}/groepen/uitnodiging/${token}`;
}

/** A link anyone with it can use to join, until it expires. Returns the token. */
export async function createInviteLink(db: Db, actor: Actor, teamId: number): Promise<string> {
	return db.transaction(async (tx) => {
		await requireMember(tx, teamId, actor.id);
		return newInvite(tx, teamId, actor, null);
	});
}

/** Invites one address; the mail goes through the outbox in the same transaction. */
export async function inviteByEmail(
	db: Db,
	actor: Actor,
	teamId: number,
	email: string,
	origin: string
): Promise<void> {
	const address = email.trim().toLowerCase();
	await db.transaction(async (tx) => {
		await requireMember(tx, teamId, actor.id);
		const [team] = await queryRows<{ name: string }>(tx, sql`SELECT name FROM teams WHERE id = ${teamId}`);
		const [known] = await queryRows<{ id: string; locale: string }>(
			tx,
			sql`SELECT id, locale FROM users WHERE email = ${address}`
		);
		const token = await newInvite(tx, teamId, actor, address);
		const mail = teamInviteMail(team.name, inviteUrl(origin, token), INVITE_DAYS, toMailLocale(known?.locale));
		await enqueueMail(tx, { to: address, userId: known?.id ?? null, kind: 'team_invite', ...mail });
	});
}

export interface InviteView {
	teamId: number;
	teamName: string;
	kind: TeamKind;
	/** False when the invitation was mailed to another address than the signed-in account's. */
	mayJoin: boolean;
}

interface OpenInvite {
	id: number;
	teamId: number;
	teamName: string;
	kind: TeamKind;
	email: string | null;
}

async function openInvite(tx: Db | Tx, token: string, lock: boolean): Promise<OpenInvite | null> {
	const [row] = await queryRows<OpenInvite>(
		tx,
		sql`SELECT i.id, t.id AS "teamId", t.name AS "teamName", t.kind, i.email
			FROM team_invites i JOIN teams t ON t.id = i.team_id
			WHERE i.token_hash = ${hashToken(token)} AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
			${lock ? sql`FOR UPDATE OF i` : sql``}`
	);
	return row ?? null;
}

/** Whether this account may use this invitation (policy 'team.join'), on its address as stored now. */
async function mayJoin(tx: Db | Tx, actor: Actor, invite: OpenInvite): Promise<boolean> {
	const [account] = await queryRows<{ email: string }>(tx, sql`SELECT email FROM users WHERE id = ${actor.id}`);
	return can(actor, 'team.join', { invitedEmail: invite.email, accountEmail: account?.email ?? '' });
}

/** What an invitation link shows before joining; null when it no longer works. */
export async function inviteInfo(db: Db, actor: Actor, token: string): Promise<InviteView | null> {
	const invite = await openInvite(db, token, false);
	if (!invite) return null;
	return { teamId: invite.teamId, teamName: invite.teamName, kind: invite.kind, mayJoin: await mayJoin(db, actor, invite) };
}

/**
 * Joins the team of a valid invitation. One mailed to an address is for the account with that
 * address only ('invite-other-address' for anyone else, who does not join) and works once; a
 * link invitation lets anyone with it join until it expires. Returns the team id.
 */
export async function acceptInvite(db: Db, actor: Actor, token: string): Promise<number> {
	return db.transaction(async (tx) => {
		const invite = await openInvite(tx, token, true);
		if (!invite) throw new AdoptionError('invite-invalid');
		if (!(await mayJoin(tx, actor, invite))) throw new AdoptionError('invite-other-address');
		await tx.execute(
			sql`INSERT INTO team_members (team_id, user_id) VALUES (${invite.teamId}, ${actor.id})
				ON CONFLICT (team_id, user_id) DO NOTHING`
		);
		if (invite.email !== null) await tx.execute(sql`UPDATE team_invites SET used_at = now() WHERE id = ${invite.id}`);
		return invite.teamId;
	});
}

/**
 * Leaves a team. The last member cannot leave while the team still has a plot or a request
 * open (end or withdraw it first); an owner who leaves hands over to the longest member.
 */
export async function leaveTeam(db: Db, actor: Actor, teamId: number): Promise<void> {
	await db.transaction(async (tx) => {
		// Two last members leaving at once must not both pass the check below.
		await tx.execute(sql`SELECT id FROM teams WHERE id = ${teamId} FOR UPDATE`);
		const me = await requireMember(tx, teamId, actor.id);
		const [{ n }] = await queryRows<{ n: number }>(
			tx,
			sql`SELECT count(*)::int AS n FROM team_members WHERE team_id = ${teamId}`
		);
		if (n <= 1) {
			const open = await queryRows(
				tx,
				sql`SELECT 1 FROM adoptions WHERE team_id = ${teamId} AND status IN ${sqlList(OPEN_STATUSES)}`
			);
			if (open.length > 0) throw new AdoptionError('last-member');
		}
		await tx.execute(sql`DELETE FROM team_members WHERE team_id = ${teamId} AND user_id = ${actor.id}`);
		if (me.role === 'owner' && n > 1) {
			await tx.execute(
				sql`UPDATE team_members SET role = 'owner'
					WHERE id = (SELECT id FROM team_members WHERE team_id = ${teamId} ORDER BY id LIMIT 1)
					AND NOT EXISTS (SELECT 1 FROM team_members WHERE team_id = ${teamId} AND role = 'owner')`
			);
		}
	});
}

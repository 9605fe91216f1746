import { sql } from 'drizzle-orm';
import {
	canApproveInQueue,
	canOffer,
	checkTransition,
	ANSWER_MAX_LENGTH,
	awaitsAnswer,
	OPEN_STATUSES,
	REQUEST_NOTE_KINDS,
	type AdoptionAction,
	type AdoptionActorKind,
	type AdoptionEventKind,
	type AdoptionStatus,
	type RequestNoteKind
} from '#lib/domain/adoption.js';
import { can, type Actor } from '#lib/domain/policy.js';
import { recordAudit } from '#server/audit';
import { adoptionStatusSql, queryRows, sqlList, type Db, type Tx } from '#server/db';
import { notify, type NotificationKind } from '#server/notifications';
import { holdingCount, lockPlot } from '#server/plots';
import { AdoptionError, pgErrorOf } from './errors';

/**
 * The adoption transitions. Each runs in one transaction that FIRST locks the plot row
 * (SELECT ... FOR UPDATE), so everything that changes one plot's adoptions happens one at a
 * time on PostgreSQL too (PGlite has one connection and serialises anyway). Under that lock
 * the service counts places and the queue; the capacity trigger in migration 0006 checks
 * again, so capacity holds even for a writer that forgets the lock.
 */

export interface AdoptionRow {
	id: number;
	plotId: number;
	userId: string | null;
	teamId: number | null;
	status: AdoptionStatus;
	motivation: string | null;
	agreementVersion: number | null;
	createdAt: Date;
}

const ADOPTION_COLUMNS = sql.raw(
	`id, plot_id AS "plotId", user_id AS "userId", team_id AS "teamId", status, motivation,
	 agreement_version AS "agreementVersion", created_at AS "createdAt"`
);

/** The plot's row lock (see plots/places.ts); an adoption of a plot that is gone is not found. */
async function lockedPlot(tx: Tx, plotId: number) {
	const plot = await lockPlot(tx, plotId);
	if (!plot) throw new AdoptionError('not-found');
	return plot;
}

/** 1 for the first waiting request of the plot, 2 for the next, ... (compared in SQL: microseconds) */
async function queuePosition(tx: Tx | Db, adoption: Pick<AdoptionRow, 'id' | 'plotId'>): Promise<number> {
	const [row] = await queryRows<{ n: number }>(
		tx,
		sql`SELECT count(*)::int AS n FROM adoptions
			WHERE plot_id = ${adoption.plotId} AND status = ${adoptionStatusSql('requested')}
			AND (created_at, id) < (SELECT created_at, id FROM adoptions WHERE id = ${adoption.id})`
	);
	return row.n + 1;
}

async function readAdoption(tx: Tx | Db, id: number, lock = false): Promise<AdoptionRow | null> {
	const [row] = await queryRows<AdoptionRow>(
		tx,
		sql`SELECT ${ADOPTION_COLUMNS} FROM adoptions WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`
	);
	return row ? { ...row, createdAt: new Date(row.createdAt) } : null;
}

async function isTeamMember(tx: Tx | Db, teamId: number, userId: string): Promise<boolean> {
	const rows = await queryRows(tx, sql`SELECT 1 FROM team_members WHERE team_id = ${teamId} AND user_id = ${userId}`);
	return rows.length > 0;
}

/** The adopter of an adoption: its requester, or any member of the adopting team. */
export async function isAdopter(tx: Tx | Db, adoption: Pick<AdoptionRow, 'userId' | 'teamId'>, userId: string) {
	if (adoption.teamId !== null) return isTeamMember(tx, adoption.teamId, userId);
	return adoption.userId === userId;
}

/** Everyone who should hear about an adoption: the resident, or every team member. */
async function recipients(tx: Tx, adoption: AdoptionRow): Promise<string[]> {
	if (adoption.teamId === null) return adoption.userId ? [adoption.userId] : [];
	const rows = await queryRows<{ userId: string }>(
		tx,
		sql`SELECT user_id AS "userId" FROM team_members WHERE team_id = ${adoption.teamId} ORDER BY id`
	);
	return rows.map((r) => r.userId);
}

/**
 * An adoption's plot, its buurt and the people who hear about it, for a manager's message to
 * the adopters (a question, a nudge). Locks the plot, then the adoption, as transitions do.
 */
export async function adoptionAudience(tx: Tx, adoptionId: number, status: AdoptionStatus) {
	const first = await readAdoption(tx, adoptionId);
	if (!first) throw new AdoptionError('not-found');
	const plot = await lockedPlot(tx, first.plotId);
	const adoption = await readAdoption(tx, adoptionId, true);
	if (!adoption) throw new AdoptionError('not-found');
	if (adoption.status !== status) throw new AdoptionError('wrong-status');
	return { plotId: adoption.plotId, neighbourhood: plot.neighbourhood, people: await recipients(tx, adoption) };
}

/** One new row of an adoption's history (a status change, or a question or answer on a request). */
export async function appendEvent(
	tx: Tx,
	e: {
		adoptionId: number;
		from: AdoptionStatus | null;
		to: AdoptionStatus;
		actor: Actor | null;
		actorRole: string;
		reason?: string | null;
		kind?: AdoptionEventKind;
	}
) {
	await tx.execute(
		sql`INSERT INTO adoption_events (adoption_id, from_status, to_status, actor_user_id, actor_role, reason, kind)
			VALUES (${e.adoptionId}, ${e.from}, ${e.to},
				${e.actor ? sql`(SELECT id FROM users WHERE id = ${e.actor.id})` : null}, ${e.actorRole}, ${e.reason ?? null},
				${e.kind ?? 'status'})`
	);
}

/** The latest question or answer on an adoption, or null when nobody asked anything. */
export async function latestNote(tx: Tx | Db, adoptionId: number): Promise<{ kind: RequestNoteKind; text: string | null } | null> {
	const [row] = await queryRows<{ kind: RequestNoteKind; text: string | null }>(
		tx,
		sql`SELECT kind, reason AS text FROM adoption_events
			WHERE adoption_id = ${adoptionId} AND kind IN ${sqlList(REQUEST_NOTE_KINDS)} ORDER BY id DESC LIMIT 1`
	);
	return row ?? null;
}

function cleanReason(reason: string | null | undefined): string | null {
	const r = reason?.trim();
	return r ? r.slice(0, 1000) : null;
}

async function currentAgreementVersion(tx: Tx | Db): Promise<number | null> {
	const [row] = await queryRows<{ v: number | null }>(tx, sql`SELECT max(version)::int AS v FROM adoption_agreements`);
	return row?.v ?? null;
}

async function openAdoptionOf(tx: Tx, plotId: number, userId: string, teamId: number | null) {
	const [row] = await queryRows<{ id: number }>(
		tx,
		teamId === null
			? sql`SELECT id FROM adoptions WHERE plot_id = ${plotId} AND user_id = ${userId} AND team_id IS NULL
				AND status IN ${sqlList(OPEN_STATUSES)}`
			: sql`SELECT id FROM adoptions WHERE plot_id = ${plotId} AND team_id = ${teamId}
				AND status IN ${sqlList(OPEN_STATUSES)}`
	);
	return row?.id ?? null;
}

export interface RequestInput {
	plotId: number;
	/** Adopt as this team (the actor must be a member); alone when absent. */
	teamId?: number | null;
	motivation?: string | null;
	/** The agreement version the resident saw and accepted; must be the current one. */
	agreementVersion: number;
	/** One per form render: a second submit of the same form returns the first request. */
	idempotencyKey: string;
}

/**
 * "Adopteer dit perk": a request that waits for a manager, in the plot's queue.
 * Returns the request and whether this call created it (false for a repeated submit).
 */
export async function requestAdoption(
	db: Db,
	actor: Actor,
	input: RequestInput
): Promise<{ adoption: AdoptionRow; created: boolean; queuePosition: number }> {
	const teamId = input.teamId ?? null;
	try {
		return await db.transaction(async (tx) => {
			const plot = await lockedPlot(tx, input.plotId);
			// Under the plot lock a repeated key from a parallel tap sees the first one's row.
			const [existing] = await queryRows<{ id: number; userId: string | null }>(
				tx,
				sql`SELECT id, user_id AS "userId" FROM adoptions WHERE idempotency_key = ${input.idempotencyKey}`
			);
			if (existing) {
				if (existing.userId !== actor.id) throw new AdoptionError('already-open');
				const adoption = (await readAdoption(tx, existing.id))!;
				return { adoption, created: false, queuePosition: await queuePosition(tx, adoption) };
			}
			if (plot.status !== 'active' || !plot.adoptable) throw new AdoptionError('not-adoptable');
			if (teamId !== null && !(await isTeamMember(tx, teamId, actor.id))) {
				throw new AdoptionError('not-team-member');
			}
			if (input.agreementVersion !== (await currentAgreementVersion(tx))) {
				throw new AdoptionError('agreement-outdated');
			}
			if ((await openAdoptionOf(tx, plot.id, actor.id, teamId)) !== null) throw new AdoptionError('already-open');
			const [row] = await queryRows<{ id: number }>(
				tx,
				sql`INSERT INTO adoptions (plot_id, user_id, team_id, status, motivation, agreement_version, idempotency_key)
					VALUES (${plot.id}, ${actor.id}, ${teamId}, ${adoptionStatusSql('requested')}, ${cleanReason(input.motivation)},
						${input.agreementVersion}, ${input.idempotencyKey})
					RETURNING id`
			);
			await appendEvent(tx, { adoptionId: row.id, from: null, to: 'requested', actor, actorRole: 'resident' });
			const adoption = (await readAdoption(tx, row.id))!;
			return { adoption, created: true, queuePosition: await queuePosition(tx, adoption) };
		});
	} catch (e) {
		// The unique indexes are the last word on double submits that raced past the checks.
		const pg = pgErrorOf(e);
		if (pg.code === '23505' && pg.constraint === 'adoptions_idempotency_uq') {
			const [row] = await queryRows<{ id: number; userId: string | null }>(
				db,
				sql`SELECT id, user_id AS "userId" FROM adoptions WHERE idempotency_key = ${input.idempotencyKey}`
			);
			if (row?.userId === actor.id) {
				const adoption = (await readAdoption(db, row.id))!;
				return { adoption, created: false, queuePosition: await queuePosition(db, adoption) };
			}
		}
		if (pg.code === '23505') throw new AdoptionError('already-open');
		throw e;
	}
}

const NOTIFY_ON: Partial<Record<AdoptionAction, NotificationKind>> = {
	approve: 'adoption_approved',
	reject: 'adoption_rejected'
};

interface TransitionOptions {
	reason?: string | null;
	/** Site origin for links in mails (the request's). */
	origin?: string;
}

/**
 * One step of the lifecycle by `actor`. Adopters act on their own adoptions; managers and
 * admins on any. Someone who is neither gets 'not-found' (its existence is not theirs to know).
 */
async function transition(
	db: Db,
	actor: Actor,
	adoptionId: number,
	action: AdoptionAction,
	options: TransitionOptions = {}
): Promise<AdoptionRow> {
	try {
		return await db.transaction(async (tx) => {
			const first = await readAdoption(tx, adoptionId);
			if (!first) throw new AdoptionError('not-found');
			const plot = await lockedPlot(tx, first.plotId);
			const adoption = (await readAdoption(tx, adoptionId, true))!;

			const adopter = await isAdopter(tx, adoption, actor.id);
			const manager = can(actor, 'manage.view');
			if (!adopter && !manager) throw new AdoptionError('not-found');
			// An adopter who is also staff acts as adopter where that is allowed (ending their own).
			const kinds: AdoptionActorKind[] = adopter ? ['adopter', 'manager'] : ['manager'];
			let actorKind: AdoptionActorKind | null = null;
			let wrongStatus = false;
			for (const kind of kinds) {
				if (kind === 'manager' && !manager) continue;
				const check = checkTransition(action, adoption.status, kind);
				if (check.ok) {
					actorKind = kind;
					break;
				}
				if (check.reason === 'wrong-status') wrongStatus = true;
			}
			if (!actorKind) throw new AdoptionError(wrongStatus ? 'wrong-status' : 'not-found');
			const to = checkTransition(action, adoption.status, actorKind);
			if (!to.ok) throw new AdoptionError('wrong-status');

			// An adoption needs an adopter: a request whose account is gone (or whose team has
			// nobody left) would give the plot an adopter who does not exist.
			if (to.to === 'active' && (await recipients(tx, adoption)).length === 0) {
				throw new AdoptionError('requester-gone');
			}
			if (to.takesPlace) {
				const holding = await holdingCount(tx, plot.id);
				if (!canApproveInQueue(plot.maxAdopters, holding, await queuePosition(tx, adoption))) {
					throw new AdoptionError(holding >= plot.maxAdopters ? 'full' : 'queue');
				}
			}
			const reason = cleanReason(options.reason);
			await tx.execute(
				sql`UPDATE adoptions SET status = ${to.to}, updated_at = now(),
					started_at = ${to.to === 'active' ? sql`now()` : sql`started_at`},
					ended_at = ${to.to === 'ended' ? sql`now()` : sql`ended_at`}
					WHERE id = ${adoption.id}`
			);
			const actorRole = actorKind === 'adopter' ? 'resident' : actor.role;
			await appendEvent(tx, { adoptionId: adoption.id, from: adoption.status, to: to.to, actor, actorRole, reason });

			const kind = NOTIFY_ON[action] ?? (action === 'end' && actorKind === 'manager' ? 'adoption_ended' : undefined);
			if (kind) {
				for (const userId of await recipients(tx, adoption)) {
					await notify(tx, {
						userId,
						kind,
						payload: { plotId: plot.id, neighbourhood: plot.neighbourhood, ...(reason ? { message: reason } : {}) },
						origin: options.origin
					});
				}
			}
			if (actorKind === 'manager') {
				await recordAudit(tx, actor, {
					action: `adoption.${action}`,
					subjectType: 'adoption',
					subjectId: adoption.id,
					before: { status: adoption.status },
					after: { status: to.to, ...(reason ? { reason } : {}) }
				});
			}
			return { ...adoption, status: to.to };
		});
	} catch (e) {
		if (pgErrorOf(e).constraint === 'adoptions_capacity') throw new AdoptionError('full');
		throw e;
	}
}

/** Manager: a waiting request becomes an adoption (when a place is free and it is next in line). */
export const approveAdoption = (db: Db, actor: Actor, adoptionId: number, options?: TransitionOptions) =>
	transition(db, actor, adoptionId, 'approve', options);

/** Manager: refuse a request; the reason is mailed to the resident. */
export const rejectAdoption = (db: Db, actor: Actor, adoptionId: number, options: TransitionOptions) =>
	transition(db, actor, adoptionId, 'reject', options);

/** The requester withdraws a request that is still waiting. */
export const cancelRequest = (db: Db, actor: Actor, adoptionId: number, options?: TransitionOptions) =>
	transition(db, actor, adoptionId, 'cancel', options);

/** The adopter accepts a manager's direct assignment. */
export const confirmOffer = (db: Db, actor: Actor, adoptionId: number, options?: TransitionOptions) =>
	transition(db, actor, adoptionId, 'confirm', options);

/** The adopter (or a manager) declines an offer; its place is free again. */
export const declineOffer = (db: Db, actor: Actor, adoptionId: number, options?: TransitionOptions) =>
	transition(db, actor, adoptionId, 'decline', options);

/**
 * End a running adoption, with an optional reason. When the plot's last adoption ends, it
 * shows as available again (its state is computed from adoptions); the first waiting
 * request is then first in line for the freed place.
 */
export const endAdoption = (db: Db, actor: Actor, adoptionId: number, options?: TransitionOptions) =>
	transition(db, actor, adoptionId, 'end', options);

/**
 * Manager: direct assignment. Offers the plot to a resident or a team, who confirms. An offer
 * reserves a place (so it cannot be taken while they decide) but skips the queue.
 */
export async function offerAdoption(
	db: Db,
	actor: Actor,
	input: { plotId: number; userId?: string | null; teamId?: number | null; reason?: string | null; origin?: string }
): Promise<AdoptionRow> {
	if (!can(actor, 'manage.view')) throw new AdoptionError('not-found');
	const teamId = input.teamId ?? null;
	try {
		return await db.transaction(async (tx) => {
			const plot = await lockedPlot(tx, input.plotId);
			if (plot.status !== 'active' || !plot.adoptable) throw new AdoptionError('not-adoptable');
			let contact = input.userId ?? null;
			if (teamId !== null) {
				const [owner] = await queryRows<{ userId: string }>(
					tx,
					sql`SELECT user_id AS "userId" FROM team_members WHERE team_id = ${teamId}
						ORDER BY (role = 'owner') DESC, id LIMIT 1`
				);
				if (!owner) throw new AdoptionError('not-found');
				contact = owner.userId;
			}
			if (!contact) throw new AdoptionError('not-found');
			const [user] = await queryRows(tx, sql`SELECT 1 FROM users WHERE id = ${contact}`);
			if (!user) throw new AdoptionError('not-found');
			if ((await openAdoptionOf(tx, plot.id, contact, teamId)) !== null) throw new AdoptionError('already-open');
			if (!canOffer(plot.maxAdopters, await holdingCount(tx, plot.id))) throw new AdoptionError('full');
			const [row] = await queryRows<{ id: number }>(
				tx,
				sql`INSERT INTO adoptions (plot_id, user_id, team_id, status, agreement_version)
					VALUES (${plot.id}, ${contact}, ${teamId}, ${adoptionStatusSql('offered')}, ${await currentAgreementVersion(tx)})
					RETURNING id`
			);
			const reason = cleanReason(input.reason);
			await appendEvent(tx, { adoptionId: row.id, from: null, to: 'offered', actor, actorRole: actor.role, reason });
			const adoption = (await readAdoption(tx, row.id))!;
			for (const userId of await recipients(tx, adoption)) {
				await notify(tx, {
					userId,
					kind: 'adoption_offered',
					payload: { plotId: plot.id, neighbourhood: plot.neighbourhood, ...(reason ? { message: reason } : {}) },
					origin: input.origin
				});
			}
			await recordAudit(tx, actor, {
				action: 'adoption.offer',
				subjectType: 'adoption',
				subjectId: row.id,
				after: { status: 'offered', plotId: plot.id, userId: teamId === null ? contact : null, teamId }
			});
			return adoption;
		});
	} catch (e) {
		const pg = pgErrorOf(e);
		if (pg.constraint === 'adoptions_capacity') throw new AdoptionError('full');
		if (pg.code === '23505') throw new AdoptionError('already-open');
		throw e;
	}
}

/**
 * The requester answers the municipality's question on their waiting request. The answer is
 * a new row of the request's history (kind 'answer'), so the manager inbox shows the request
 * as answered. Only the requester may (policy 'adoption.answer'); for anyone else the request
 * does not exist. A second submit of the same answer (a double tap, a reload) changes nothing.
 */
export async function answerQuestion(
	db: Db,
	actor: Actor,
	adoptionId: number,
	answer: string
): Promise<{ created: boolean }> {
	const text = answer.trim().slice(0, ANSWER_MAX_LENGTH);
	if (!text) throw new AdoptionError('answer-empty');
	return db.transaction(async (tx) => {
		const first = await readAdoption(tx, adoptionId);
		if (!first || !can(actor, 'adoption.answer', { requesterId: first.userId })) throw new AdoptionError('not-found');
		// The plot lock orders this with a manager approving or rejecting the request at the same time.
		await lockedPlot(tx, first.plotId);
		const adoption = (await readAdoption(tx, adoptionId, true))!;
		const latest = await latestNote(tx, adoption.id);
		if (latest?.kind === 'answer' && latest.text === text) return { created: false };
		if (!awaitsAnswer(adoption.status, latest?.kind ?? null)) throw new AdoptionError('no-question');
		await appendEvent(tx, {
			adoptionId: adoption.id,
			from: adoption.status,
			to: adoption.status,
			actor,
			actorRole: 'resident',
			reason: text,
			kind: 'answer'
		});
		return { created: true };
	});
}

/**
 * Account deletion (inside its transaction, before the user row goes): the person's own
 * open adoptions close, as new history rows by 'system' — requests are withdrawn, offers
 * declined, running adoptions ended, so their places are free and no manager approves a
 * request from nobody. The same for adoptions of teams this person is the last member of.
 * Plots are locked first, in id order, as every other change of a plot's places does.
 */
export async function closeAdoptionsOfDeletedAccount(tx: Tx, userId: string): Promise<number> {
	const mine = sql`status IN ${sqlList(OPEN_STATUSES)} AND (
		(team_id IS NULL AND user_id = ${userId})
		OR team_id IN (SELECT team_id FROM team_members GROUP BY team_id HAVING bool_and(user_id = ${userId})))`;
	await tx.execute(sql`SELECT id FROM plots WHERE id IN (SELECT plot_id FROM adoptions WHERE ${mine}) ORDER BY id FOR UPDATE`);
	const open = await queryRows<{ id: number; status: AdoptionStatus }>(
		tx,
		sql`SELECT id, status FROM adoptions WHERE ${mine} ORDER BY id FOR UPDATE`
	);
	const closedAs: Partial<Record<AdoptionStatus, AdoptionStatus>> = { requested: 'cancelled', offered: 'cancelled', active: 'ended' };
	for (const a of open) {
		const to = closedAs[a.status]!;
		await tx.execute(
			sql`UPDATE adoptions SET status = ${to}, updated_at = now(),
				ended_at = ${to === 'ended' ? sql`now()` : sql`ended_at`} WHERE id = ${a.id}`
		);
		await appendEvent(tx, { adoptionId: a.id, from: a.status, to, actor: null, actorRole: 'system' });
	}
	return open.length;
}

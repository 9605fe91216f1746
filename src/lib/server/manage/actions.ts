import { sql } from 'drizzle-orm';
import { can, type Actor } from '$lib/domain/policy';
import { MAX_ADOPTERS_LIMIT } from '$lib/domain/adoption';
import { AdoptionError, approveAdoption, endAdoption, isAdoptionError, offerAdoption, type AdoptionErrorCode } from '$lib/server/adoptions';
import { appendEvent, holdingCount, lockPlot, type LockedPlot } from '$lib/server/adoptions/service';
import { recordAudit } from '$lib/server/audit';
import { findUserByEmail } from '$lib/server/auth/users';
import { getConfig } from '$lib/server/config';
import { queryRows, type Db, type Tx } from '$lib/server/db';
import { logger } from '$lib/server/logging/logger';
import { notify } from '$lib/server/notifications';
import { quietAdoptionsSql } from './inbox';

/**
 * The manager's own actions around adoptions (the transitions themselves are in the
 * adoptions service). Each checks the policy here on the server and writes its audit row in
 * the same transaction as the change.
 */
export class ManageError extends Error {
	constructor(readonly code: 'forbidden' | 'not-found' | 'below-holding' | 'no-account' | 'bad-capacity') {
		super(code);
		this.name = 'ManageError';
	}
}

function requireManager(actor: Actor): void {
	if (!can(actor, 'manage.view')) throw new ManageError('forbidden');
}

async function lockedPlot(tx: Tx, plotId: number): Promise<LockedPlot> {
	try {
		return await lockPlot(tx, plotId);
	} catch (e) {
		if (isAdoptionError(e, 'not-found')) throw new ManageError('not-found');
		throw e;
	}
}

/** An adoption's plot and buurt and the people who hear about it (the resident, or every team member). */
async function audience(tx: Tx, adoptionId: number, status: 'requested' | 'active') {
	const [a] = await queryRows<{ plotId: number; userId: string | null; teamId: number | null; status: string; neighbourhood: string | null }>(
		tx,
		sql`SELECT a.plot_id AS "plotId", a.user_id AS "userId", a.team_id AS "teamId", a.status,
				n.name AS neighbourhood
			FROM adoptions a JOIN plots p ON p.id = a.plot_id LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			WHERE a.id = ${adoptionId} FOR UPDATE OF a`
	);
	if (!a) throw new ManageError('not-found');
	if (a.status !== status) throw new AdoptionError('wrong-status');
	const people =
		a.teamId !== null
			? (await queryRows<{ userId: string }>(tx, sql`SELECT user_id AS "userId" FROM team_members WHERE team_id = ${a.teamId}`)).map((r) => r.userId)
			: a.userId
				? [a.userId]
				: [];
	return { plotId: a.plotId, neighbourhood: a.neighbourhood, people };
}

/** Ask the requester a question; the request stays open. Mailed, in-app, and on Mijn perken to answer. */
export async function askQuestion(
	db: Db,
	actor: Actor,
	adoptionId: number,
	question: string,
	origin?: string
): Promise<void> {
	requireManager(actor);
	await db.transaction(async (tx) => {
		const a = await audience(tx, adoptionId, 'requested');
		// In the request's history, so the requester can answer it on Mijn perken.
		await appendEvent(tx, {
			adoptionId,
			from: 'requested',
			to: 'requested',
			actor,
			actorRole: actor.role,
			reason: question,
			kind: 'question'
		});
		for (const userId of a.people) {
			await notify(tx, { userId, kind: 'adoption_question', payload: { plotId: a.plotId, neighbourhood: a.neighbourhood, message: question }, origin });
		}
		await recordAudit(tx, actor, { action: 'adoption.question', subjectType: 'adoption', subjectId: adoptionId, after: { question } });
	});
}

/** Approve several requests; each in its own transaction, so one refusal stops no other. */
export async function bulkApprove(
	db: Db,
	actor: Actor,
	adoptionIds: number[],
	origin?: string
): Promise<{ approved: number[]; refused: Array<{ id: number; code: AdoptionErrorCode | 'forbidden' }> }> {
	requireManager(actor);
	const approved: number[] = [];
	const refused: Array<{ id: number; code: AdoptionErrorCode | 'forbidden' }> = [];
	// Oldest first, so the queue order holds within one bulk approval.
	for (const id of [...new Set(adoptionIds)].sort((a, b) => a - b)) {
		try {
			await approveAdoption(db, actor, id, { origin });
			approved.push(id);
		} catch (e) {
			if (!isAdoptionError(e)) throw e;
			refused.push({ id, code: e.code });
		}
	}
	return { approved, refused };
}

/** Direct assignment to a resident by e-mail address (they confirm), or to a team by id. */
export async function assignPlot(
	db: Db,
	actor: Actor,
	input: { plotId: number; email?: string; teamId?: number; note?: string | null; origin?: string }
) {
	requireManager(actor);
	let userId: string | null = null;
	if (input.teamId === undefined) {
		const user = input.email ? await findUserByEmail(db, input.email) : null;
		// Only existing accounts: an offer to an address without an account would mail a stranger.
		if (!user) throw new ManageError('no-account');
		userId = user.id;
	}
	return offerAdoption(db, actor, {
		plotId: input.plotId,
		userId,
		teamId: input.teamId ?? null,
		reason: input.note ?? null,
		origin: input.origin
	});
}

/** Mark a plot not adoptable (with a reason), or adoptable again. Open adoptions stay. */
export async function setAdoptable(
	db: Db,
	actor: Actor,
	plotId: number,
	input: { adoptable: boolean; reason?: string | null }
): Promise<void> {
	requireManager(actor);
	await db.transaction(async (tx) => {
		const plot = await lockedPlot(tx, plotId);
		const reason = input.adoptable ? null : input.reason?.trim() || null;
		await tx.execute(
			sql`UPDATE plots SET adoptable = ${input.adoptable}, not_adoptable_reason = ${reason}, updated_at = now() WHERE id = ${plotId}`
		);
		await recordAudit(tx, actor, {
			action: input.adoptable ? 'plot.adoptable' : 'plot.not_adoptable',
			subjectType: 'plot',
			subjectId: plotId,
			before: { adoptable: plot.adoptable, reason: plot.reason },
			after: { adoptable: input.adoptable, reason }
		});
	});
}

function checkCapacity(max: number): void {
	if (!Number.isInteger(max) || max < 1 || max > MAX_ADOPTERS_LIMIT) throw new ManageError('bad-capacity');
}

/** A plot's own capacity; never below the places already taken (the trigger agrees). */
export async function setPlotCapacity(db: Db, actor: Actor, plotId: number, maxAdopters: number): Promise<void> {
	requireManager(actor);
	checkCapacity(maxAdopters);
	await db.transaction(async (tx) => {
		const plot = await lockedPlot(tx, plotId);
		if ((await holdingCount(tx, plotId)) > maxAdopters) throw new ManageError('below-holding');
		await tx.execute(sql`UPDATE plots SET max_adopters = ${maxAdopters}, updated_at = now() WHERE id = ${plotId}`);
		await recordAudit(tx, actor, {
			action: 'plot.capacity',
			subjectType: 'plot',
			subjectId: plotId,
			before: { maxAdopters: plot.maxAdopters },
			after: { maxAdopters }
		});
	});
}

/**
 * Capacity for every plot of a kind: stored as the kind's setting and applied to its active
 * plots, except plots that already have more adopters than the new number (those keep
 * theirs, and are counted in `kept`).
 */
export async function setKindCapacity(
	db: Db,
	actor: Actor,
	kind: string,
	maxAdopters: number
): Promise<{ updated: number; kept: number }> {
	requireManager(actor);
	checkCapacity(maxAdopters);
	return db.transaction(async (tx) => {
		const [before] = await queryRows<{ max: number | null }>(
			tx,
			sql`SELECT max_adopters AS max FROM plot_kind_settings WHERE kind = ${kind}`
		);
		await tx.execute(
			sql`INSERT INTO plot_kind_settings (kind, max_adopters) VALUES (${kind}, ${maxAdopters})
				ON CONFLICT (kind) DO UPDATE SET max_adopters = excluded.max_adopters, updated_at = now()`
		);
		// Lock the kind's plots in id order (as single-plot actions lock one), then update.
		const locked = await queryRows<{ id: number; holding: number }>(
			tx,
			sql`SELECT p.id, (SELECT count(*)::int FROM adoptions a WHERE a.plot_id = p.id AND a.status IN ('offered', 'active')) AS holding
				FROM plots p WHERE p.kind = ${kind} AND p.status = 'active' ORDER BY p.id FOR UPDATE OF p`
		);
		const fits = locked.filter((p) => p.holding <= maxAdopters).map((p) => p.id);
		if (fits.length) {
			await tx.execute(
				sql`UPDATE plots SET max_adopters = ${maxAdopters}, updated_at = now()
					WHERE id IN (${sql.join(fits.map((id) => sql`${id}`), sql`, `)}) AND max_adopters <> ${maxAdopters}`
			);
		}
		const result = { updated: fits.length, kept: locked.length - fits.length };
		await recordAudit(tx, actor, {
			action: 'plot_kind.capacity',
			subjectType: 'plot_kind',
			subjectId: kind,
			before: { maxAdopters: before?.max ?? 1 },
			after: { maxAdopters, ...result }
		});
		return result;
	});
}

/**
 * End a running adoption from the manager's plot page, with a reason the adopter is told
 * (the adoptions service appends the history row, writes the audit row and the mail).
 * The adoption must belong to this plot, so a form for one plot never ends another's.
 * A second submit finds it ended already and is refused: no second mail, no second row.
 */
export async function endPlotAdoption(
	db: Db,
	actor: Actor,
	input: { plotId: number; adoptionId: number; reason: string; origin?: string }
): Promise<void> {
	if (!can(actor, 'manage.end_adoption')) throw new ManageError('forbidden');
	const [row] = await queryRows<{ plotId: number }>(db, sql`SELECT plot_id AS "plotId" FROM adoptions WHERE id = ${input.adoptionId}`);
	if (!row || row.plotId !== input.plotId) throw new ManageError('not-found');
	await endAdoption(db, actor, input.adoptionId, { reason: input.reason, origin: input.origin });
}

/** A friendly nudge to the adopters of a quiet adoption. Never ends anything by itself. */
export async function nudgeAdoption(db: Db, actor: Actor, adoptionId: number, weeks: number, origin?: string): Promise<void> {
	requireManager(actor);
	await db.transaction(async (tx) => {
		const a = await audience(tx, adoptionId, 'active');
		for (const userId of a.people) {
			await notify(tx, { userId, kind: 'adoption_nudge', payload: { plotId: a.plotId, neighbourhood: a.neighbourhood, weeks }, origin });
		}
		await recordAudit(tx, actor, { action: 'adoption.nudge', subjectType: 'adoption', subjectId: adoptionId, after: { weeks } });
	});
}

// One sweep at a time across app processes: a transaction-scoped advisory lock.
const QUIET_SWEEP_LOCK = 0x7065726b; // 'perk'

/**
 * The automatic first step for quiet adoptions: every adoption quiet for `weeks` weeks that
 * has had no nudge since its last sign of life gets one (audited as 'system'). It never ends
 * an adoption; that stays a manager's decision on /beheer/stil. Returns how many were nudged.
 */
export async function nudgeQuietAdoptions(db: Db, weeks: number): Promise<number> {
	return db.transaction(async (tx) => {
		const [{ locked }] = await queryRows<{ locked: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${QUIET_SWEEP_LOCK}) AS locked`);
		if (!locked) return 0;
		const due = await queryRows<{ id: number }>(
			tx,
			sql`SELECT s.id FROM (${quietAdoptionsSql(weeks)}) s WHERE s.nudged_at IS NULL ORDER BY s.id`
		);
		for (const { id } of due) {
			const a = await audience(tx, id, 'active');
			for (const userId of a.people) {
				await notify(tx, { userId, kind: 'adoption_nudge', payload: { plotId: a.plotId, neighbourhood: a.neighbourhood, weeks } });
			}
			await recordAudit(tx, null, { action: 'adoption.nudge', subjectType: 'adoption', subjectId: id, after: { weeks, automatic: true } });
		}
		return due.length;
	});
}

/** Runs nudgeQuietAdoptions now and then in this process (the timer never keeps it alive). */
export function startQuietSweep(db: Db, everyMs = 60 * 60_000): { stop(): Promise<void> } {
	let running: Promise<unknown> | null = null;
	const timer = setInterval(() => {
		running ??= nudgeQuietAdoptions(db, staleWeeks())
			.catch((e: unknown) => logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'quiet-adoption sweep failed'))
			.finally(() => (running = null));
	}, everyMs);
	timer.unref();
	return {
		async stop() {
			clearInterval(timer);
			await running;
		}
	};
}

/** Weeks without a sign of life before an adoption counts as quiet (PERKJE_STALE_WEEKS, default 8). */
export function staleWeeks(): number {
	return getConfig().adoptions.staleWeeks;
}

import { sql } from 'drizzle-orm';
import { can, type Actor } from '#lib/domain/policy.js';
import { recordAudit } from '#server/audit';
import { findUserByEmail } from '#server/auth';
import { queryRows, type Db } from '#server/db';
import { notify } from '#server/notifications';
import { AdoptionError, isAdoptionError, type AdoptionErrorCode } from './errors';
import { adoptionAudience, appendEvent, approveAdoption, endAdoption, offerAdoption } from './lifecycle';

/**
 * The manager's decisions around adoptions besides the transitions themselves (those are in
 * ./lifecycle.ts): a question to the requester, approving many at once, direct assignment, and
 * ending an adoption from a plot's page. Each checks the policy here on the server and writes
 * its audit row in the same transaction as the change.
 */

/** Ask the requester a question; the request stays open. Mailed, in-app, and on Mijn perken to answer. */
export async function askQuestion(
	db: Db,
	actor: Actor,
	adoptionId: number,
	question: string,
	origin?: string
): Promise<void> {
	if (!can(actor, 'manage.view')) throw new AdoptionError('forbidden');
	await db.transaction(async (tx) => {
		const a = await adoptionAudience(tx, adoptionId, 'requested');
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
): Promise<{ approved: number[]; refused: Array<{ id: number; code: AdoptionErrorCode }> }> {
	if (!can(actor, 'manage.view')) throw new AdoptionError('forbidden');
	const approved: number[] = [];
	const refused: Array<{ id: number; code: AdoptionErrorCode }> = [];
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
	if (!can(actor, 'manage.view')) throw new AdoptionError('forbidden');
	let userId: string | null = null;
	if (input.teamId === undefined) {
		const user = input.email ? await findUserByEmail(db, input.email) : null;
		// Only existing accounts: an offer to an address without an account would mail a stranger.
		if (!user) throw new AdoptionError('no-account');
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
	if (!can(actor, 'manage.end_adoption')) throw new AdoptionError('forbidden');
	const [row] = await queryRows<{ plotId: number }>(db, sql`SELECT plot_id AS "plotId" FROM adoptions WHERE id = ${input.adoptionId}`);
	if (!row || row.plotId !== input.plotId) throw new AdoptionError('wrong-plot');
	await endAdoption(db, actor, input.adoptionId, { reason: input.reason, origin: input.origin });
}


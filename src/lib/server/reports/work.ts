import { sql } from 'drizzle-orm';
import { REPORT_ANSWER_MAX_PHOTOS, REPORT_MERGE_MAX_CHILDREN, isOpenReportState, type ReportState } from '#lib/domain/report.js';
import { can, type Actor } from '#lib/domain/policy.js';
import { recordAudit } from '#server/audit';
import { queryRows, type Db } from '#server/db';
import { attachPhotos } from '#server/media';
import { ReportError, appendHistory, assignReport, isReportError, lockReport, moveReport, type ReportActor } from './core';
import { notifyFollowers } from './notify';

/**
 * The work on a report: a manager or the partner it is routed to moves it on with a public
 * and/or internal note, answers "wat is er gedaan" with photos, and (managers) reassigns it,
 * moves many at once or merges duplicates. Who may work on this report at all is asked of the
 * policy ('report.work' with the report's partner, 'report.triage' for the rest) inside the
 * transaction, after the row is locked, so a report reassigned a moment ago is judged by its
 * new owner. Which move is allowed is the domain's (mayMoveReport with the actor's kind).
 */

export const WORK_ERROR_CODES = [
	/** Not this person's report (another partner's, or not staff at all). */
	'forbidden',
	/** Photos that are not this person's fresh uploads, or too many. */
	'photos',
	/** Nothing to do: no move, no note and no photo. */
	'empty',
	'merge-self',
	'merge-too-many',
	/** A report already merged into another, or closed, cannot take part in a merge. */
	'merge-closed'
] as const;
export type WorkErrorCode = (typeof WORK_ERROR_CODES)[number];

export class ReportWorkError extends Error {
	constructor(readonly code: WorkErrorCode) {
		super(code);
		this.name = 'ReportWorkError';
	}
}

export function isReportWorkError(e: unknown): e is ReportWorkError {
	return e instanceof ReportWorkError;
}

/** How the history names a staff member: a partner acts as partner, everyone else allowed as manager. */
export function reportActorOf(actor: Actor): ReportActor {
	return { userId: actor.id, role: actor.role, kind: actor.role === 'partner' ? 'partner' : 'manager' };
}

function assertMayWork(actor: Actor, partnerOrganisationId: number | null): void {
	if (!can(actor, 'report.work', { partnerOrganisationId })) throw new ReportWorkError('forbidden');
}

export interface WorkInput {
	reportId: number;
	actor: Actor;
	/** The new state; absent for a note (or an answer) without a move. */
	to?: ReportState | null;
	publicNote?: string | null;
	internalNote?: string | null;
	/** Answer photos ("wat is er gedaan"), uploaded by the actor through POST /api/photos. */
	photoIds?: readonly number[];
	/** The state the form showed. */
	expectedState?: ReportState;
	now: Date;
	origin?: string;
}

export interface WorkResult {
	state: ReportState;
	historyId: number;
	mails: number;
}

/**
 * One step of work: a move (with its notes), or a note or answer without a move. Photos become
 * the report's 'answer' photos on this history entry. The followers get a mail when the public
 * sees something new: a move, or a public note.
 */
export async function workOnReport(db: Db, input: WorkInput): Promise<WorkResult> {
	const publicNote = input.publicNote?.trim() || null;
	const internalNote = input.internalNote?.trim() || null;
	const photoIds = [...new Set(input.photoIds ?? [])];
	if (photoIds.length > REPORT_ANSWER_MAX_PHOTOS) throw new ReportWorkError('photos');
	if (!input.to && !publicNote && !internalNote && photoIds.length === 0) throw new ReportWorkError('empty');
	return db.transaction(async (tx) => {
		const report = await lockReport(tx, input.reportId);
		assertMayWork(input.actor, report.partnerOrganisationId);
		const actor = reportActorOf(input.actor);
		let historyId: number;
		let state = report.state;
		if (input.to) {
			const moved = await moveReport(tx, {
				reportId: report.id,
				to: input.to,
				actor,
				publicNote,
				internalNote,
				expectedState: input.expectedState,
				now: input.now
			});
			historyId = moved.historyId;
			state = input.to;
		} else {
			if (input.expectedState && input.expectedState !== report.state) throw new ReportError('stale');
			historyId = await appendHistory(tx, report.id, actor, {
				kind: photoIds.length > 0 || publicNote ? 'answer' : 'note',
				publicNote,
				internalNote,
				now: input.now
			});
			await tx.execute(sql`UPDATE reports SET updated_at = ${input.now} WHERE id = ${report.id}`);
		}
		if (photoIds.length > 0) {
			const taken = await attachPhotos(tx, photoIds, input.actor.id);
			if (!taken.ok) throw new ReportWorkError('photos');
			let position = 0;
			for (const photoId of photoIds) {
				await tx.execute(
					sql`INSERT INTO report_photos (report_id, photo_id, kind, history_id, position)
					VALUES (${report.id}, ${photoId}, 'answer', ${historyId}, ${position++})`
				);
			}
		}
		if (input.to) {
			await recordAudit(tx, input.actor, {
				action: 'report.state',
				subjectType: 'report',
				subjectId: report.id,
				before: { state: report.state },
				after: { state: input.to }
			});
		}
		const publicChange = Boolean(input.to) || publicNote !== null || photoIds.length > 0;
		const notified = publicChange
			? await notifyFollowers(tx, { reportId: report.id, toState: state, publicNote, historyId, now: input.now, origin: input.origin })
			: { mails: 0 };
		return { state, historyId, mails: notified.mails };
	});
}

/**
 * A manager routes a report by hand to a partner organisation, or back to the municipality's
 * own team (null). Audited; the reporter is not told (who does the work is internal).
 */
export async function reassignReport(
	db: Db,
	input: { reportId: number; actor: Actor; partnerOrganisationId: number | null; internalNote?: string | null; now: Date }
): Promise<{ before: number | null }> {
	if (!can(input.actor, 'report.triage')) throw new ReportWorkError('forbidden');
	return db.transaction(async (tx) => {
		const result = await assignReport(
			tx,
			input.reportId,
			reportActorOf(input.actor),
			input.partnerOrganisationId,
			input.now,
			input.internalNote?.trim() || null
		);
		await recordAudit(tx, input.actor, {
			action: 'report.assign',
			subjectType: 'report',
			subjectId: input.reportId,
			before: { partnerOrganisationId: result.before },
			after: { partnerOrganisationId: input.partnerOrganisationId }
		});
		return result;
	});
}

export interface BulkResult {
	moved: number[];
	/** Reports this move is not allowed for (their state), left as they were. */
	refused: number[];
}

/**
 * A manager moves many reports at once (e.g. twenty "zwerfafval" reports of one street to
 * 'scheduled'). Each report is its own transaction: one that cannot make this move is left
 * alone and named, the others go on.
 */
export async function bulkMoveReports(
	db: Db,
	input: { reportIds: readonly number[]; actor: Actor; to: ReportState; publicNote?: string | null; now: Date; origin?: string }
): Promise<BulkResult> {
	if (!can(input.actor, 'report.triage')) throw new ReportWorkError('forbidden');
	const result: BulkResult = { moved: [], refused: [] };
	for (const reportId of [...new Set(input.reportIds)]) {
		try {
			await workOnReport(db, { reportId, actor: input.actor, to: input.to, publicNote: input.publicNote, now: input.now, origin: input.origin });
			result.moved.push(reportId);
		} catch (e) {
			if (isReportError(e) || isReportWorkError(e)) result.refused.push(reportId);
			else throw e;
		}
	}
	return result;
}

/**
 * Merges duplicates into one parent (as Signalen does: one parent, at most
 * REPORT_MERGE_MAX_CHILDREN children). Each child is closed ('cancelled') with a public note
 * naming the parent, and points to it; its followers follow the parent from then on (they get
 * the closing mail now, and the parent's supports count them).
 */
export async function mergeReports(
	db: Db,
	input: { parentId: number; childIds: readonly number[]; actor: Actor; publicNote: string; now: Date; origin?: string }
): Promise<{ children: number }> {
	if (!can(input.actor, 'report.triage')) throw new ReportWorkError('forbidden');
	const childIds = [...new Set(input.childIds)];
	if (childIds.includes(input.parentId)) throw new ReportWorkError('merge-self');
	if (childIds.length === 0) throw new ReportWorkError('empty');
	return db.transaction(async (tx) => {
		// Locked in id order, so two merges over the same reports wait instead of deadlocking.
		for (const id of [input.parentId, ...childIds].sort((a, b) => a - b)) await lockReport(tx, id);
		const parent = await lockReport(tx, input.parentId);
		if (parent.parentId !== null || !isOpenReportState(parent.state)) throw new ReportWorkError('merge-closed');
		const [{ n }] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM reports WHERE parent_id = ${parent.id}`);
		const [{ grand }] = await queryRows<{ grand: number }>(
			tx,
			sql`SELECT count(*)::int AS grand FROM reports WHERE parent_id IN (${sql.join(childIds.map((id) => sql`${id}`), sql`, `)})`
		);
		if (grand > 0) throw new ReportWorkError('merge-closed');
		if (n + childIds.length > REPORT_MERGE_MAX_CHILDREN) throw new ReportWorkError('merge-too-many');
		const actor = reportActorOf(input.actor);
		for (const childId of childIds) {
			const child = await lockReport(tx, childId);
			if (child.parentId !== null || !isOpenReportState(child.state)) throw new ReportWorkError('merge-closed');
			const { historyId } = await moveReport(tx, { reportId: childId, to: 'cancelled', actor, publicNote: input.publicNote, now: input.now });
			await tx.execute(sql`UPDATE reports SET parent_id = ${parent.id} WHERE id = ${childId}`);
			await appendHistory(tx, childId, actor, { kind: 'merge', relatedReportId: parent.id, now: input.now });
			await appendHistory(tx, parent.id, actor, { kind: 'merge', relatedReportId: childId, now: input.now });
			await notifyFollowers(tx, { reportId: childId, toState: 'cancelled', publicNote: input.publicNote, historyId, now: input.now, origin: input.origin });
		}
		await tx.execute(
			sql`UPDATE reports SET support_count = support_count + ${childIds.length}, updated_at = ${input.now} WHERE id = ${parent.id}`
		);
		await recordAudit(tx, input.actor, {
			action: 'report.merge',
			subjectType: 'report',
			subjectId: parent.id,
			after: { children: childIds }
		});
		return { children: childIds.length };
	});
}

import { sql } from 'drizzle-orm';
import {
	FEEDBACK_TEXT_MAX,
	REPORT_NOTE_MAX,
	feedbackReasonsFor,
	type FeedbackReason,
	type ReportState
} from '#lib/domain/report.js';
import { pageOf, pageWindow, type Paged } from '#lib/domain/paging.js';
import type { Actor } from '#lib/domain/policy.js';
import { recordAudit } from '#server/audit';
import { queryRows, type Db, type Tx } from '#server/db';
import { appendHistory, hashReportToken, lockReport, moveReport, ReportError, type ReportActor } from './core';
import { notifyFollowers } from './notify';

/**
 * Closing the loop: after "afgehandeld" the reporter is asked "Bent u tevreden over de
 * afhandeling van uw melding?" through a link with a token (the mail stores only its sha256).
 * The answer counts once, within the days the row allows; "Nee" asks to reopen the report,
 * and a manager decides: reopen it, or keep it done with a note to the reporter.
 */


/** What the link's page shows and whether the form is still open. */
export type FeedbackStatus = 'open' | 'answered' | 'expired';

export interface FeedbackRequest {
	status: FeedbackStatus;
	reportId: number;
	categoryNl: string;
	categoryEn: string;
	reportedAt: Date;
	openUntil: Date;
	/** Once answered: the answer given. */
	satisfied: boolean | null;
}

/** The request a link's token names, or null for a token that was never handed out. */
export async function readFeedback(db: Db | Tx, token: string, now: Date): Promise<FeedbackRequest | null> {
	const [row] = await queryRows<{ report_id: number; name_nl: string; name_en: string; created_at: Date; open_until: Date; answered_at: Date | null; satisfied: boolean | null }>(
		db,
		sql`SELECT f.report_id, c.name_nl, c.name_en, r.created_at, f.open_until, f.answered_at, f.satisfied
		FROM report_feedback f JOIN reports r ON r.id = f.report_id JOIN report_categories c ON c.id = r.category_id
		WHERE f.token_hash = ${hashReportToken(token)}`
	);
	if (!row) return null;
	const openUntil = new Date(row.open_until);
	return {
		status: row.answered_at ? 'answered' : now > openUntil ? 'expired' : 'open',
		reportId: row.report_id,
		categoryNl: row.name_nl,
		categoryEn: row.name_en,
		reportedAt: new Date(row.created_at),
		openUntil,
		satisfied: row.satisfied
	};
}

export interface FeedbackAnswer {
	satisfied: boolean;
	reasons: readonly FeedbackReason[];
	text: string | null;
}

export type FeedbackOutcome =
	| { ok: true; reopenRequested: boolean }
	| { ok: false; reason: 'unknown' | 'answered' | 'expired' | 'bad-reasons' | 'too-long' };

/**
 * Records the reporter's answer, once. "Nee" on a report that is still done moves it to
 * 'reopen_requested' as the reporter (the history shows who asked); a report a manager has
 * reopened meanwhile keeps its state, and the answer is kept all the same.
 */
export async function answerFeedback(db: Db, token: string, answer: FeedbackAnswer, now: Date): Promise<FeedbackOutcome> {
	const allowed = feedbackReasonsFor(answer.satisfied);
	if (answer.reasons.some((r) => !allowed.includes(r))) return { ok: false, reason: 'bad-reasons' };
	const text = answer.text?.trim() || null;
	if (text && text.length > FEEDBACK_TEXT_MAX) return { ok: false, reason: 'too-long' };
	const reasons = [...new Set(answer.reasons)];
	return db.transaction(async (tx) => {
		// Locked: the same link tapped twice at once records one answer.
		const [row] = await queryRows<{ id: number; report_id: number; open_until: Date; answered_at: Date | null }>(
			tx,
			sql`SELECT id, report_id, open_until, answered_at FROM report_feedback WHERE token_hash = ${hashReportToken(token)} FOR UPDATE`
		);
		if (!row) return { ok: false, reason: 'unknown' } as const;
		if (row.answered_at) return { ok: false, reason: 'answered' } as const;
		if (now > new Date(row.open_until)) return { ok: false, reason: 'expired' } as const;
		await tx.execute(
			sql`UPDATE report_feedback SET answered_at = ${now}, satisfied = ${answer.satisfied},
				reasons = ARRAY[${sql.join(reasons.map((r) => sql`${r}`), sql`, `)}]::text[], text = ${text}
			WHERE id = ${row.id}`
		);
		const report = await lockReport(tx, row.report_id);
		const reporter: ReportActor = report.reporterUserId
			? { userId: report.reporterUserId, role: 'resident', kind: 'reporter' }
			: { userId: null, role: 'reporter', kind: 'reporter' };
		// The answer stays with the managers (internal): the public timeline shows only the request to reopen.
		await appendHistory(tx, report.id, reporter, {
			kind: 'feedback',
			internalNote: feedbackSummary(answer.satisfied, reasons, text),
			now
		});
		const reopen = !answer.satisfied && report.state === 'done';
		if (reopen) await moveReport(tx, { reportId: report.id, to: 'reopen_requested', actor: reporter, expectedState: 'done', now });
		return { ok: true, reopenRequested: reopen } as const;
	});
}

// Codes, not texts: the history is read in either language; the pages label the codes.
function feedbackSummary(satisfied: boolean, reasons: readonly string[], text: string | null): string {
	return [satisfied ? 'satisfied' : 'unsatisfied', reasons.join(','), text ?? ''].join('\n').slice(0, REPORT_NOTE_MAX);
}

export interface ReopenRequest {
	reportId: number;
	categoryNl: string;
	categoryEn: string;
	neighbourhood: string | null;
	reportedAt: Date;
	requestedAt: Date;
	reasons: FeedbackReason[];
	text: string | null;
	/** What the reporter was told when it was marked done. */
	doneNote: string | null;
}

/** The managers' list: reports whose reporter asked to reopen them, oldest request first. */
export async function listReopenRequests(db: Db | Tx, { page = 1 }: { page?: number } = {}): Promise<Paged<ReopenRequest>> {
	const [{ total }] = await queryRows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM reports WHERE state = 'reopen_requested'`);
	const win = pageWindow(page, total);
	const rows = await queryRows<{ id: number; name_nl: string; name_en: string; neighbourhood: string | null; created_at: Date; requested_at: Date; reasons: string[] | null; text: string | null; done_note: string | null }>(
		db,
		sql`SELECT r.id, c.name_nl, c.name_en, n.name AS neighbourhood, r.created_at, r.updated_at AS requested_at,
			f.reasons, f.text,
			(SELECT h.public_note FROM report_history h WHERE h.report_id = r.id AND h.to_state = 'done' ORDER BY h.id DESC LIMIT 1) AS done_note
		FROM reports r
		JOIN report_categories c ON c.id = r.category_id
		LEFT JOIN neighbourhoods n ON n.id = r.neighbourhood_id
		LEFT JOIN LATERAL (SELECT reasons, text FROM report_feedback WHERE report_id = r.id AND answered_at IS NOT NULL
			ORDER BY answered_at DESC, id DESC LIMIT 1) f ON true
		WHERE r.state = 'reopen_requested'
		ORDER BY r.updated_at, r.id
		LIMIT ${win.pageSize} OFFSET ${win.offset}`
	);
	return {
		items: rows.map((r) => ({
			reportId: r.id,
			categoryNl: r.name_nl,
			categoryEn: r.name_en,
			neighbourhood: r.neighbourhood,
			reportedAt: new Date(r.created_at),
			requestedAt: new Date(r.requested_at),
			reasons: (r.reasons ?? []) as FeedbackReason[],
			text: r.text,
			doneNote: r.done_note
		})),
		total,
		...pageOf(win)
	};
}

export interface ReopenDecision {
	reportId: number;
	reopen: boolean;
	/** Shown on the report's public timeline and in the followers' mail. */
	note: string;
	now: Date;
	/** The request's origin, for the mail's links when no public address is configured. */
	origin?: string;
}

/**
 * The manager decides on a request to reopen: reopen the report (the work starts again), or
 * keep it done with a note saying why. Refused as 'stale' when another manager decided first.
 */
export async function decideReopen(db: Db, actor: Actor, d: ReopenDecision): Promise<{ to: ReportState }> {
	const to: ReportState = d.reopen ? 'reopened' : 'done';
	const note = d.note.trim();
	if (!note || note.length > REPORT_NOTE_MAX) throw new ReportError('bad-move');
	return db.transaction(async (tx) => {
		const manager: ReportActor = { userId: actor.id, role: actor.role, kind: 'manager' };
		const { historyId } = await moveReport(tx, { reportId: d.reportId, to, actor: manager, publicNote: note, expectedState: 'reopen_requested', now: d.now });
		await notifyFollowers(tx, { reportId: d.reportId, toState: to, publicNote: note, historyId, now: d.now, origin: d.origin, askFeedback: false });
		await recordAudit(tx, actor, {
			action: 'report.reopen_decision',
			subjectType: 'report',
			subjectId: d.reportId,
			before: { state: 'reopen_requested' },
			after: { state: to }
		});
		return { to };
	});
}

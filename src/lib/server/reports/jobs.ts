import { sql } from 'drizzle-orm';
import { REPORT_INFO_REQUEST_DAYS } from '#lib/domain/report.js';
import { queryRows, type Db } from '#server/db';
import { startRepeating, type RepeatingJob } from '#server/jobs';
import { SYSTEM_ACTOR, isReportError, moveReport } from './core';
import { notifyFollowers } from './notify';

/**
 * A question to the reporter ('info_requested') stays open REPORT_INFO_REQUEST_DAYS days; then
 * the work goes on without the answer ('in_progress', by the system), so no report waits
 * forever for someone who never reads their mail. Counted from the move that asked.
 */
export async function moveOnUnansweredQuestions(db: Db, now = new Date()): Promise<{ moved: number }> {
	const cutoff = new Date(now.getTime() - REPORT_INFO_REQUEST_DAYS * 86_400_000);
	const due = await queryRows<{ id: number }>(
		db,
		sql`SELECT r.id FROM reports r
		WHERE r.state = 'info_requested'
		  AND (SELECT max(h.created_at) FROM report_history h
		       WHERE h.report_id = r.id AND h.kind = 'state' AND h.to_state = 'info_requested') <= ${cutoff}
		ORDER BY r.id LIMIT 500`
	);
	let moved = 0;
	for (const { id } of due) {
		try {
			await db.transaction(async (tx) => {
				// The reporter may have answered a moment ago: the expected state makes that a no-op.
				const { historyId } = await moveReport(tx, { reportId: id, to: 'in_progress', actor: SYSTEM_ACTOR, expectedState: 'info_requested', now });
				await notifyFollowers(tx, { reportId: id, toState: 'in_progress', publicNote: null, historyId, now });
			});
			moved++;
		} catch (e) {
			if (!isReportError(e)) throw e;
		}
	}
	return { moved };
}

export function startUnansweredQuestionSweep(db: Db, everyMs = 60 * 60_000): RepeatingJob {
	return startRepeating('unanswered report questions', everyMs, () => moveOnUnansweredQuestions(db));
}

import * as m from '#lib/paraglide/messages.js';
import type { FeedbackReason, Overdue, ReportState } from '#lib/domain/report.js';

/**
 * Reports as people read them: state names and the feedback's standard answers. Complete
 * records, so a new state or answer without a label does not compile.
 */
export const REPORT_STATE_LABELS: Record<ReportState, () => string> = {
	reported: m.report_state_reported,
	in_progress: m.report_state_in_progress,
	scheduled: m.report_state_scheduled,
	forwarded: m.report_state_forwarded,
	info_requested: m.report_state_info_requested,
	done: m.report_state_done,
	cancelled: m.report_state_cancelled,
	reopened: m.report_state_reopened,
	reopen_requested: m.report_state_reopen_requested
};

export const reportStateLabel = (state: ReportState): string => REPORT_STATE_LABELS[state]();

export const FEEDBACK_REASON_LABELS: Record<FeedbackReason, () => string> = {
	quick: m.report_feedback_reason_quick,
	solved: m.report_feedback_reason_solved,
	kept_informed: m.report_feedback_reason_kept_informed,
	friendly: m.report_feedback_reason_friendly,
	nothing_done: m.report_feedback_reason_nothing_done,
	too_slow: m.report_feedback_reason_too_slow,
	not_taken_seriously: m.report_feedback_reason_not_taken_seriously,
	not_solved: m.report_feedback_reason_not_solved,
	no_information: m.report_feedback_reason_no_information
};

export const feedbackReasonLabel = (reason: FeedbackReason): string => FEEDBACK_REASON_LABELS[reason]();

export function overdueLabel(o: Overdue): string | null {
	return o === 'overdue' ? m.report_overdue() : o === 'far-overdue' ? m.report_far_overdue() : null;
}

import { describe, expect, it } from 'vitest';
import {
	REPORT_STATES,
	REPORT_TRANSITIONS,
	addWorkingDays,
	canMoveReport,
	feedbackReasonsFor,
	isOpenReportState,
	mayMoveReport,
	open311Status,
	overdue,
	responseDeadlines
} from './report';

describe('report states', () => {
	it('lets every state reach a closed state or be reopened, and nothing move to itself', () => {
		for (const s of REPORT_STATES) {
			expect(canMoveReport(s, s)).toBe(false);
			const next = REPORT_TRANSITIONS[s];
			expect(next.length).toBeGreaterThan(0);
			for (const t of next) expect(REPORT_STATES).toContain(t);
		}
		expect(canMoveReport('reported', 'done')).toBe(true);
		expect(canMoveReport('done', 'in_progress')).toBe(false);
		expect(canMoveReport('done', 'reopen_requested')).toBe(true);
		expect(canMoveReport('reopen_requested', 'reopened')).toBe(true);
		expect(canMoveReport('cancelled', 'done')).toBe(false);
	});

	it('gives partners the work and keeps forwarding, cancelling and reopening with managers', () => {
		expect(mayMoveReport('partner', 'forwarded', 'in_progress')).toBe(true);
		expect(mayMoveReport('partner', 'in_progress', 'done')).toBe(true);
		expect(mayMoveReport('partner', 'reported', 'cancelled')).toBe(false);
		expect(mayMoveReport('partner', 'done', 'reopened')).toBe(false);
		expect(mayMoveReport('manager', 'done', 'reopened')).toBe(true);
		expect(mayMoveReport('reporter', 'done', 'reopen_requested')).toBe(true);
		expect(mayMoveReport('reporter', 'reported', 'done')).toBe(false);
	});

	it('says open or closed as Open311 does', () => {
		expect(open311Status('reported')).toBe('open');
		expect(open311Status('reopen_requested')).toBe('open');
		expect(open311Status('done')).toBe('closed');
		expect(open311Status('cancelled')).toBe('closed');
		expect(isOpenReportState('info_requested')).toBe(true);
	});
});

describe('response targets', () => {
	it('counts working days, skipping the weekend', () => {
		// Thursday 3 December 2026 + 3 working days = Tuesday 8 December.
		expect(addWorkingDays(new Date('2026-12-03T10:00:00Z'), 3).toISOString()).toBe('2026-12-08T10:00:00.000Z');
		// Saturday + 1 = Monday.
		expect(addWorkingDays(new Date('2026-12-05T10:00:00Z'), 1).toISOString()).toBe('2026-12-07T10:00:00.000Z');
		expect(addWorkingDays(new Date('2026-12-05T10:00:00Z'), 0).toISOString()).toBe('2026-12-05T10:00:00.000Z');
	});

	it('stores the deadline and three times the deadline, and judges overdue against them', () => {
		const created = new Date('2026-12-01T09:00:00Z'); // a Tuesday
		const { deadlineAt, deadline3xAt } = responseDeadlines(created, 5);
		expect(deadlineAt.toISOString()).toBe('2026-12-08T09:00:00.000Z');
		expect(deadline3xAt.toISOString()).toBe('2026-12-22T09:00:00.000Z');
		expect(overdue('reported', deadlineAt, deadline3xAt, new Date('2026-12-08T08:59:00Z'))).toBe('no');
		expect(overdue('reported', deadlineAt, deadline3xAt, new Date('2026-12-08T09:01:00Z'))).toBe('overdue');
		expect(overdue('in_progress', deadlineAt, deadline3xAt, new Date('2026-12-23T00:00:00Z'))).toBe('far-overdue');
		expect(overdue('done', deadlineAt, deadline3xAt, new Date('2026-12-23T00:00:00Z'))).toBe('no');
	});
});

describe('feedback', () => {
	it('offers the satisfied answers after yes and the unsatisfied ones after no', () => {
		expect(feedbackReasonsFor(true)).toContain('solved');
		expect(feedbackReasonsFor(false)).toContain('not_taken_seriously');
		expect(feedbackReasonsFor(true)).not.toContain('too_slow');
	});
});

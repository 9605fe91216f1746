import { describe, expect, it } from 'vitest';
import { ADOPTION_ACTIONS, ADOPTION_STATUSES, availableActions, canApproveInQueue, canOffer, checkTransition, awaitsAnswer, compareQueue, requestStage } from './adoption';

describe('adoption lifecycle', () => {
	it('lets a manager approve or reject a request, and nobody else', () => {
		expect(checkTransition('approve', 'requested', 'manager')).toEqual({ ok: true, to: 'active', takesPlace: true });
		expect(checkTransition('reject', 'requested', 'manager')).toMatchObject({ ok: true, to: 'rejected' });
		expect(checkTransition('approve', 'requested', 'adopter')).toEqual({ ok: false, reason: 'not-allowed' });
		expect(checkTransition('approve', 'active', 'manager')).toEqual({ ok: false, reason: 'wrong-status' });
	});

	it('lets the adopter confirm or decline an offer and end an adoption', () => {
		expect(checkTransition('confirm', 'offered', 'adopter')).toMatchObject({ ok: true, to: 'active', takesPlace: false });
		expect(checkTransition('confirm', 'offered', 'manager').ok).toBe(false);
		expect(checkTransition('end', 'active', 'adopter')).toMatchObject({ ok: true, to: 'ended' });
		expect(checkTransition('end', 'active', 'manager')).toMatchObject({ ok: true, to: 'ended' });
	});

	it('has no way out of a closed adoption', () => {
		for (const from of ['rejected', 'ended', 'cancelled'] as const) {
			for (const action of ADOPTION_ACTIONS) {
				expect(checkTransition(action, from, 'manager').ok).toBe(false);
				expect(checkTransition(action, from, 'adopter').ok).toBe(false);
			}
		}
	});

	it('tells the resident what they can do next', () => {
		expect(availableActions('requested', 'adopter')).toEqual(['cancel']);
		expect(availableActions('offered', 'adopter')).toEqual(['confirm', 'decline']);
		expect(availableActions('active', 'adopter')).toEqual(['end']);
		expect(availableActions('ended', 'adopter')).toEqual([]);
		for (const s of ADOPTION_STATUSES) expect(availableActions(s, 'manager')).not.toContain('confirm');
	});
});

describe('questions on a waiting request', () => {
	it('follows the latest message: asked, answered, or nothing yet', () => {
		expect(requestStage('requested', null)).toBe('waiting');
		expect(requestStage('requested', 'question')).toBe('question');
		expect(requestStage('requested', 'answer')).toBe('answered');
		expect(requestStage('active', 'answer')).toBeNull();
	});

	it('has a question to answer only while asked and still requested', () => {
		expect(awaitsAnswer('requested', 'question')).toBe(true);
		expect(awaitsAnswer('requested', 'answer')).toBe(false);
		expect(awaitsAnswer('requested', null)).toBe(false);
		expect(awaitsAnswer('cancelled', 'question')).toBe(false);
	});
});

describe('capacity and queue', () => {
	it('approves only while a place is free for the request and everyone before it', () => {
		expect(canApproveInQueue(1, 0, 1)).toBe(true);
		expect(canApproveInQueue(1, 1, 1)).toBe(false);
		expect(canApproveInQueue(1, 0, 2)).toBe(false);
		expect(canApproveInQueue(2, 0, 2)).toBe(true);
		expect(canApproveInQueue(2, 1, 2)).toBe(false);
	});

	it('offers skip the queue but never capacity', () => {
		expect(canOffer(1, 0)).toBe(true);
		expect(canOffer(1, 1)).toBe(false);
		expect(canOffer(3, 5)).toBe(false);
	});

	it('orders the queue by time, then id', () => {
		const t = new Date('2026-01-01T10:00:00Z');
		const list = [
			{ id: 3, createdAt: t },
			{ id: 1, createdAt: new Date(t.getTime() + 1000) },
			{ id: 2, createdAt: t }
		].sort(compareQueue);
		expect(list.map((r) => r.id)).toEqual([2, 3, 1]);
	});
});

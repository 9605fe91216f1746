/**
 * The adoption lifecycle as pure rules: which transitions exist, who may make them, how
 * capacity and the queue work. The service (src/lib/server/adoptions) asks these before it
 * writes; the database adds the hard guarantees (capacity trigger, append-only history).
 *
 *   requested ──approve──▶ active ──end──▶ ended
 *       │ ╰──reject──▶ rejected
 *       ╰──cancel──▶ cancelled          (the requester withdraws)
 *   offered ──confirm──▶ active         (direct assignment by a manager)
 *       ╰──decline──▶ cancelled
 *
 * While requested, a manager may ask the requester a question and the requester answers it
 * (see REQUEST_STAGES): messages on the request, not transitions — the status stays.
 */
export const ADOPTION_STATUSES = [
	'requested',
	'offered',
	'active',
	'rejected',
	'ended',
	'cancelled'
] as const;
export type AdoptionStatus = (typeof ADOPTION_STATUSES)[number];

/** Statuses that are still open: they block a second request by the same adopter. */
export const OPEN_STATUSES = ['requested', 'offered', 'active'] as const satisfies AdoptionStatus[];
/** Statuses that hold (active) or reserve (offered) one of the plot's places. */
export const HOLDING_STATUSES = ['offered', 'active'] as const satisfies AdoptionStatus[];
export type HoldingStatus = (typeof HOLDING_STATUSES)[number];
/**
 * The steps of a plot's public history: asked for, adopted, let go. Offers, refusals and
 * withdrawals stay out: they say something about a person rather than about the plot.
 */
export const PUBLIC_TIMELINE_STATUSES = ['requested', 'active', 'ended'] as const satisfies AdoptionStatus[];

export const ADOPTION_ACTIONS = ['approve', 'reject', 'cancel', 'confirm', 'decline', 'end'] as const;
export type AdoptionAction = (typeof ADOPTION_ACTIONS)[number];

/** Who acts on an adoption: its adopter (the requester, or any member of the adopting team) or staff. */
export type AdoptionActorKind = 'adopter' | 'manager';

interface Transition {
	from: readonly AdoptionStatus[];
	to: AdoptionStatus;
	by: readonly AdoptionActorKind[];
	/** Whether the transition takes a place, so capacity must be checked. */
	takesPlace?: boolean;
}

const TRANSITIONS: Record<AdoptionAction, Transition> = {
	approve: { from: ['requested'], to: 'active', by: ['manager'], takesPlace: true },
	reject: { from: ['requested'], to: 'rejected', by: ['manager'] },
	cancel: { from: ['requested'], to: 'cancelled', by: ['adopter', 'manager'] },
	confirm: { from: ['offered'], to: 'active', by: ['adopter'] },
	decline: { from: ['offered'], to: 'cancelled', by: ['adopter', 'manager'] },
	end: { from: ['active'], to: 'ended', by: ['adopter', 'manager'] }
};

export type TransitionCheck =
	| { ok: true; to: AdoptionStatus; takesPlace: boolean }
	| { ok: false; reason: 'wrong-status' | 'not-allowed' };

/** May `actor` do `action` on an adoption that is now `from`? */
export function checkTransition(
	action: AdoptionAction,
	from: AdoptionStatus,
	actor: AdoptionActorKind
): TransitionCheck {
	const t = TRANSITIONS[action];
	if (!t.by.includes(actor)) return { ok: false, reason: 'not-allowed' };
	if (!t.from.includes(from)) return { ok: false, reason: 'wrong-status' };
	return { ok: true, to: t.to, takesPlace: t.takesPlace ?? false };
}

/** The actions `actor` could take now, for buttons ("what can I do next"). */
export function availableActions(from: AdoptionStatus, actor: AdoptionActorKind): AdoptionAction[] {
	return ADOPTION_ACTIONS.filter((a) => checkTransition(a, from, actor).ok);
}

/**
 * What one row of an adoption's history is: a change of status, or a message on a waiting
 * request (a manager's question, the requester's answer). History is appended, never edited.
 */
export const ADOPTION_EVENT_KINDS = ['status', 'question', 'answer'] as const;
export type AdoptionEventKind = (typeof ADOPTION_EVENT_KINDS)[number];
/** The messages on a waiting request (every kind but a change of status). */
export const REQUEST_NOTE_KINDS = ['question', 'answer'] as const satisfies AdoptionEventKind[];
export type RequestNoteKind = (typeof REQUEST_NOTE_KINDS)[number];

/**
 * Where a waiting request stands between resident and municipality:
 *   waiting  — the municipality has not asked anything
 *   question — a manager asked the requester something that is not answered yet
 *   answered — the requester answered the latest question; it is the manager's turn again
 */
export const REQUEST_STAGES = ['waiting', 'question', 'answered'] as const;
export type RequestStage = (typeof REQUEST_STAGES)[number];

/** The stage of a request from the kind of its latest message (null: no messages); null when not requested. */
export function requestStage(status: AdoptionStatus, latestNote: RequestNoteKind | null): RequestStage | null {
	if (status !== 'requested') return null;
	if (latestNote === 'question') return 'question';
	if (latestNote === 'answer') return 'answered';
	return 'waiting';
}

/** Whether the request has a question to answer now (who may answer is the policy's call). */
export function awaitsAnswer(status: AdoptionStatus, latestNote: RequestNoteKind | null): boolean {
	return requestStage(status, latestNote) === 'question';
}

/** Longest answer a requester may write; more belongs in a conversation, not a form. */
export const ANSWER_MAX_LENGTH = 1000;

/** Places still free on a plot. */
export function freePlaces(maxAdopters: number, holding: number): number {
	return Math.max(0, maxAdopters - holding);
}

/**
 * Requests queue in order: the request at `queuePosition` (1 = first waiting) may be
 * approved only when there is a free place for it and for every request before it.
 * A manager who wants to skip someone rejects (or cancels) the earlier request first.
 */
export function canApproveInQueue(maxAdopters: number, holding: number, queuePosition: number): boolean {
	return queuePosition >= 1 && queuePosition <= freePlaces(maxAdopters, holding);
}

/** Whether the plot can take one more offer (direct assignment skips the queue, not capacity). */
export function canOffer(maxAdopters: number, holding: number): boolean {
	return freePlaces(maxAdopters, holding) > 0;
}

/** Queue order: oldest first, ties by id (rows from one instant). */
export function compareQueue(
	a: { createdAt: Date; id: number },
	b: { createdAt: Date; id: number }
): number {
	return a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id;
}

/** Largest max_adopters a manager may set; more is a mistake, not a plot. */
export const MAX_ADOPTERS_LIMIT = 50;

/** One line of a plot's public history (no reasons, no names unless opted in). */
export interface PublicTimelineEntry {
	at: Date;
	from: AdoptionStatus | null;
	to: AdoptionStatus;
	displayName: string | null;
	teamKind: string | null;
}

/** The viewer's own open adoption of a plot, for the plot page's call to action. */
export interface MyPlotAdoption {
	id: number;
	status: AdoptionStatus;
	queuePosition: number | null;
	teamName: string | null;
}

/**
 * Problem reports (meldingen) as pure rules: their states and which moves between them are
 * allowed (a subset of Signalen's), who may make each move, the response targets in working
 * days, the feedback a reporter gives, and the distances and limits the service applies.
 * The reports room (src/lib/server/reports) asks these before it writes; pages ask them to
 * offer only what the server accepts.
 */

/**
 * Signalen's codes in brackets: gemeld (m), in behandeling (b), ingepland (i), doorgezet naar
 * partner (extern), reactie gevraagd (reaction requested), afgehandeld (o), geannuleerd (a),
 * heropend (reopened), verzoek tot heropenen (reopen requested).
 */
export const REPORT_STATES = [
	'reported',
	'in_progress',
	'scheduled',
	'forwarded',
	'info_requested',
	'done',
	'cancelled',
	'reopened',
	'reopen_requested'
] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** Closed: nothing more happens unless a manager reopens it. Everything else is open. */
export const CLOSED_REPORT_STATES = ['done', 'cancelled'] as const satisfies readonly ReportState[];
/**
 * Still waiting for the municipality or its partner: counts against the response target.
 * `reopen_requested` is closed work with a question to a manager; it stays on the manager's list.
 */
export const OPEN_REPORT_STATES = REPORT_STATES.filter(
	(s) => !(CLOSED_REPORT_STATES as readonly string[]).includes(s)
) as Exclude<ReportState, 'done' | 'cancelled'>[];

export function isOpenReportState(state: ReportState): boolean {
	return !(CLOSED_REPORT_STATES as readonly string[]).includes(state);
}

const WORKING: ReportState[] = ['in_progress', 'scheduled', 'forwarded', 'info_requested', 'done', 'cancelled'];

/** Which state may follow which. A move to the same state is never a transition. */
export const REPORT_TRANSITIONS: Record<ReportState, readonly ReportState[]> = {
	reported: WORKING,
	in_progress: WORKING.filter((s) => s !== 'in_progress'),
	scheduled: ['in_progress', 'forwarded', 'info_requested', 'done', 'cancelled'],
	forwarded: ['in_progress', 'scheduled', 'info_requested', 'done', 'cancelled'],
	// The reporter answered (or the five days passed): the work goes on.
	info_requested: ['in_progress', 'scheduled', 'forwarded', 'done', 'cancelled'],
	// A reporter who is not satisfied asks to reopen; a manager may also reopen at once.
	done: ['reopen_requested', 'reopened'],
	cancelled: ['reopened'],
	reopened: WORKING,
	// A manager decides: reopen, or keep it done (the request is answered either way).
	reopen_requested: ['reopened', 'done']
};

export function canMoveReport(from: ReportState, to: ReportState): boolean {
	return from !== to && REPORT_TRANSITIONS[from].includes(to);
}

/** Who acts on a report: the municipality's staff, the partner it is routed to, or the reporter. */
export type ReportActorKind = 'manager' | 'partner' | 'reporter' | 'system';

/**
 * What a partner may do with a report routed to its organisation: work on it, plan it, ask the
 * reporter something and mark it done. Forwarding elsewhere, cancelling and reopening stay
 * with the municipality's managers. The reporter only asks to reopen (through the feedback);
 * the system only ends a question nobody answered.
 */
const MOVES_BY_ACTOR: Record<ReportActorKind, readonly ReportState[]> = {
	manager: REPORT_STATES,
	partner: ['in_progress', 'scheduled', 'info_requested', 'done'],
	reporter: ['reopen_requested', 'in_progress'],
	system: ['in_progress']
};

export function mayMoveReport(actor: ReportActorKind, from: ReportState, to: ReportState): boolean {
	return canMoveReport(from, to) && MOVES_BY_ACTOR[actor].includes(to);
}

/** Open311 GeoReport v2 knows two statuses. */
export function open311Status(state: ReportState): 'open' | 'closed' {
	return isOpenReportState(state) ? 'open' : 'closed';
}

// --- Distances and limits ---------------------------------------------------------------

/** A point is attached to the nearest plot within this many metres, if any. */
export const REPORT_PLOT_RADIUS_M = 25;
/** "Is dit dezelfde melding?": open reports of the same category within this many metres. */
export const REPORT_DUPLICATE_RADIUS_M = 50;
export const REPORT_MAX_PHOTOS = 3;
/** A partner's answer ("wat is er gedaan") may carry photos too. */
export const REPORT_ANSWER_MAX_PHOTOS = 3;
export const REPORT_DESCRIPTION_MIN = 5;
export const REPORT_DESCRIPTION_MAX = 2000;
export const REPORT_NOTE_MAX = 2000;
/** A question to the reporter stays open this many days. */
export const REPORT_INFO_REQUEST_DAYS = 5;
/** The feedback question after "afgehandeld" stays open this many days. */
export const REPORT_FEEDBACK_DAYS = 14;
/** Closed reports leave the public map and list after this many days. */
export const REPORT_PUBLIC_CLOSED_DAYS = 14;
/** Merging duplicates: one parent, at most this many children (as Signalen does). */
export const REPORT_MERGE_MAX_CHILDREN = 10;
/** Open311: at most this many reports in one answer (as FixMyStreet does). */
export const OPEN311_MAX_RESULTS = 1000;
/** A link to confirm an address (a report or support without an account) works this long. */
export const REPORT_CONFIRM_HOURS = 48;
/** Response target when a category has none of its own. */
export const DEFAULT_RESPONSE_DAYS = 5;

// --- Response targets -------------------------------------------------------------------

/**
 * The day `days` working days after `from`, at the same time of day. Saturdays and Sundays do
 * not count; public holidays do (a municipality that wants them can shorten its targets).
 * Counted in UTC days, which is the Dutch day for every time between 02:00 and 23:00.
 */
export function addWorkingDays(from: Date, days: number): Date {
	const d = new Date(from.getTime());
	let left = Math.max(0, Math.floor(days));
	while (left > 0) {
		d.setUTCDate(d.getUTCDate() + 1);
		const weekday = d.getUTCDay();
		if (weekday !== 0 && weekday !== 6) left--;
	}
	return d;
}

/** What every report stores at its start: the deadline, and three times the deadline (Signalen's "3×"). */
export function responseDeadlines(createdAt: Date, responseDays: number | null): { deadlineAt: Date; deadline3xAt: Date } {
	const days = responseDays ?? DEFAULT_RESPONSE_DAYS;
	return { deadlineAt: addWorkingDays(createdAt, days), deadline3xAt: addWorkingDays(createdAt, days * 3) };
}

export type Overdue = 'no' | 'overdue' | 'far-overdue';

/** An open report past its deadline is overdue; past three times its deadline, far overdue. */
export function overdue(state: ReportState, deadlineAt: Date, deadline3xAt: Date, now: Date): Overdue {
	if (!isOpenReportState(state) || state === 'reopen_requested') return 'no';
	if (now > deadline3xAt) return 'far-overdue';
	if (now > deadlineAt) return 'overdue';
	return 'no';
}

// --- Categories -------------------------------------------------------------------------

export interface CategorySeed {
	slug: string;
	nl: string;
	en: string;
	/** Working days to respond; only on sub-categories. */
	responseDays?: number;
	children?: CategorySeed[];
}

/**
 * The categories a new municipality starts with (an admin maintains them afterwards). Two levels,
 * as Signalen has; response targets of 3–5 working days, as Signalen's green categories have.
 */
export const REPORT_CATEGORY_SEED: CategorySeed[] = [
	{
		slug: 'groen',
		nl: 'Groen',
		en: 'Green',
		children: [
			{ slug: 'onkruid', nl: 'Onkruid', en: 'Weeds', responseDays: 5 },
			{ slug: 'snoeien', nl: 'Snoeien', en: 'Pruning', responseDays: 5 },
			{ slug: 'ziek-of-dood-groen', nl: 'Ziek of dood groen', en: 'Diseased or dead plants', responseDays: 5 },
			{ slug: 'boom', nl: 'Boom', en: 'Tree', responseDays: 3 }
		]
	},
	{
		slug: 'afval',
		nl: 'Afval',
		en: 'Waste',
		children: [{ slug: 'zwerfafval', nl: 'Zwerfafval', en: 'Litter', responseDays: 3 }]
	},
	{
		slug: 'openbare-ruimte',
		nl: 'Openbare ruimte',
		en: 'Public space',
		children: [
			{ slug: 'kapot-meubilair-of-hek', nl: 'Kapot meubilair of hek', en: 'Broken furniture or fence', responseDays: 5 },
			{ slug: 'vandalisme', nl: 'Vandalisme', en: 'Vandalism', responseDays: 3 }
		]
	},
	{
		slug: 'water',
		nl: 'Water',
		en: 'Water',
		children: [{ slug: 'wateroverlast', nl: 'Wateroverlast', en: 'Flooding', responseDays: 3 }]
	},
	{
		slug: 'overig',
		nl: 'Overig',
		en: 'Other',
		children: [{ slug: 'overig-groen', nl: 'Overig', en: 'Other', responseDays: 5 }]
	}
];

// --- Closing the loop -------------------------------------------------------------------

/** Standard answers to "Bent u tevreden over de afhandeling van uw melding?" (texts in the catalogue). */
export const FEEDBACK_SATISFIED_REASONS = ['quick', 'solved', 'kept_informed', 'friendly'] as const;
export const FEEDBACK_UNSATISFIED_REASONS = ['nothing_done', 'too_slow', 'not_taken_seriously', 'not_solved', 'no_information'] as const;
export type FeedbackReason =
	| (typeof FEEDBACK_SATISFIED_REASONS)[number]
	| (typeof FEEDBACK_UNSATISFIED_REASONS)[number];
export const FEEDBACK_TEXT_MAX = 1000;

export function feedbackReasonsFor(satisfied: boolean): readonly FeedbackReason[] {
	return satisfied ? FEEDBACK_SATISFIED_REASONS : FEEDBACK_UNSATISFIED_REASONS;
}

/** Who made a report: a signed-in account, or an address confirmed through a link. */
export const REPORT_SOURCES = ['account', 'email', 'open311'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** Kinds of a report's photos: the reporter's, or the partner's answer ("wat is er gedaan"). */
export const REPORT_PHOTO_KINDS = ['report', 'answer'] as const;
export type ReportPhotoKind = (typeof REPORT_PHOTO_KINDS)[number];

/** History entries that are not a change of state: a note, an assignment, a support, a merge. */
export const REPORT_HISTORY_KINDS = ['state', 'note', 'assign', 'merge', 'feedback', 'answer'] as const;
export type ReportHistoryKind = (typeof REPORT_HISTORY_KINDS)[number];

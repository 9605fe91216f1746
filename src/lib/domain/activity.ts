/**
 * The care log as pure rules: what an adopter can log on a plot, when, and for how long an
 * entry stays theirs to change. The service (src/lib/server/activities) asks these before it
 * writes; the pages ask them to build the form, so the form never offers what the server refuses.
 */

/** What was done. `other` takes a word of its own (ActivityInput.otherTask). */
export const ACTIVITY_TASKS = [
	'weeding',
	'watering',
	'planting',
	'pruning',
	'mowing',
	'litter',
	'other'
] as const;
export type ActivityTask = (typeof ACTIVITY_TASKS)[number];

/** How an entry's history grows: every change is a revision holding what was there before. */
export const ACTIVITY_REVISION_KINDS = ['edit', 'delete', 'hide_note', 'show_note', 'hide_photo', 'show_photo'] as const;
export type ActivityRevisionKind = (typeof ACTIVITY_REVISION_KINDS)[number];

/** An entry may be dated at most this many days back (and never before the adoption began). */
export const ACTIVITY_BACKDATE_DAYS = 14;
/** Its author may edit or delete it for this many days after writing it. */
export const ACTIVITY_EDIT_DAYS = 14;
export const ACTIVITY_MAX_PHOTOS = 4;
export const ACTIVITY_MAX_MINUTES = 24 * 60;
export const ACTIVITY_MAX_PEOPLE = 100;
export const ACTIVITY_NOTE_MAX = 2000;
export const ACTIVITY_OTHER_TASK_MAX = 60;

// Ground cover (bodembedekkers) is a bed of low plants, not something mown. "groenvoorziening"
// is the broad kind of nearly every green plot and says nothing about what grows on it.
const GRASS = /gras|kruid/i;
const WOODY = /heester|struik|bos|houtwal|haag|boom/i;
const BEDS = /plant|bloem|heester|bodembedekker/i;

/**
 * The checklist that fits a plot's kind (BGT fysiekVoorkomen and its finer kind): mowing only
 * where grass grows, pruning only where there is wood, planting only in beds. Weeding, watering,
 * litter and "other" fit every plot. An unknown kind (also a bare "groenvoorziening" without a
 * finer kind) gets the whole list rather than too little.
 */
export function tasksForPlotKind(kind: string | null, kindDetail: string | null): ActivityTask[] {
	const text = `${kind ?? ''} ${kindDetail ?? ''}`;
	if (!kind && !kindDetail) return [...ACTIVITY_TASKS];
	const known = GRASS.test(text) || WOODY.test(text) || BEDS.test(text);
	if (!known) return [...ACTIVITY_TASKS];
	return ACTIVITY_TASKS.filter((task) => {
		if (task === 'mowing') return GRASS.test(text);
		if (task === 'pruning') return WOODY.test(text);
		if (task === 'planting') return BEDS.test(text);
		return true;
	});
}

/** A calendar day as YYYY-MM-DD in the municipality's time zone (Europe/Amsterdam). */
export function localDay(at: Date, timeZone = 'Europe/Amsterdam'): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function addDays(day: string, days: number): string {
	const d = new Date(`${day}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** The days an entry may be dated on: from max(today − 14, the adoption's first day) to today. */
export function allowedDoneOn(now: Date, adoptionStartedAt: Date | null): { min: string; max: string } {
	const max = localDay(now);
	let min = addDays(max, -ACTIVITY_BACKDATE_DAYS);
	if (adoptionStartedAt) {
		const started = localDay(adoptionStartedAt);
		if (started > min) min = started;
	}
	return { min, max };
}

export type DoneOnCheck = { ok: true } | { ok: false; reason: 'future' | 'too-old' | 'before-adoption' };

export function checkDoneOn(doneOn: string, now: Date, adoptionStartedAt: Date | null): DoneOnCheck {
	const today = localDay(now);
	if (doneOn > today) return { ok: false, reason: 'future' };
	if (adoptionStartedAt && doneOn < localDay(adoptionStartedAt)) return { ok: false, reason: 'before-adoption' };
	if (doneOn < addDays(today, -ACTIVITY_BACKDATE_DAYS)) return { ok: false, reason: 'too-old' };
	return { ok: true };
}

/** Whether an entry written at `createdAt` may still be changed by its author. */
export function withinEditWindow(createdAt: Date, now: Date): boolean {
	return now.getTime() - createdAt.getTime() <= ACTIVITY_EDIT_DAYS * 24 * 60 * 60 * 1000;
}

/** Hours contributed: minutes × people, as the contributions table and coverage count them. */
export function contributedMinutes(minutes: number, people: number): number {
	return minutes * people;
}

/**
 * How long ago a plot was last cared for, as the manager's map of care colours it. Ordered
 * from fresh to never, so the legend and the list sort follow this list.
 */
export const CARE_AGE_CLASSES = ['week', 'month', 'quarter', 'older', 'never'] as const;
export type CareAgeClass = (typeof CARE_AGE_CLASSES)[number];

/**
 * The days since the last care below which a plot is in a class (the map of care's SQL builds
 * its CASE from these, so the tiles, the list and careAgeClass cannot disagree).
 */
export const CARE_AGE_DAYS = { week: 7, month: 30, quarter: 91 } as const;

/** This week = the last 7 days; this month = 30; 1–3 months = 91; longer; never. */
export function careAgeClass(lastDoneOn: string | null, now: Date): CareAgeClass {
	if (!lastDoneOn) return 'never';
	const today = new Date(`${localDay(now)}T12:00:00Z`).getTime();
	const days = Math.round((today - new Date(`${lastDoneOn}T12:00:00Z`).getTime()) / 86_400_000);
	if (days < CARE_AGE_DAYS.week) return 'week';
	if (days < CARE_AGE_DAYS.month) return 'month';
	if (days < CARE_AGE_DAYS.quarter) return 'quarter';
	return 'older';
}

/** The season a plot page counts its care in: the calendar year of `now`. */
export function seasonStart(now: Date): string {
	return `${localDay(now).slice(0, 4)}-01-01`;
}

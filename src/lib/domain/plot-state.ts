import type { AdoptionStatus } from './adoption';

/**
 * The public state of a plot: what the map colours it and what a resident can do with it.
 * One rule, so the map, the list and the plot page never disagree. The database mirror of
 * this rule (for tiles and list filters) is `plotStateSql` in src/lib/server/plots/state-sql.ts;
 * a test checks the two agree on every combination.
 */
export const PLOT_STATES = ['available', 'requested', 'adopted', 'not_adoptable'] as const;
export type PlotState = (typeof PLOT_STATES)[number];

/** A plot's record: 'retired' once an import found it gone from the source (kept, never deleted, for its history). */
export const PLOT_STATUSES = ['active', 'retired'] as const;
export type PlotStatus = (typeof PLOT_STATUSES)[number];

/** Adoptions that make a plot adopted: running now. */
export const ADOPTED_STATUSES = ['active'] as const satisfies AdoptionStatus[];
/** Adoptions that make a plot asked for: requests waiting for a manager, offers waiting for the resident. */
export const PENDING_STATUSES = ['requested', 'offered'] as const satisfies AdoptionStatus[];

export interface PlotStateFacts {
	status: PlotStatus;
	adoptable: boolean;
	/** Adoptions with one of ADOPTED_STATUSES. */
	activeAdoptions?: number;
	/** Adoptions with one of PENDING_STATUSES. */
	pendingRequests?: number;
}

export function plotState(facts: PlotStateFacts): PlotState {
	if (facts.status !== 'active' || !facts.adoptable) return 'not_adoptable';
	if ((facts.activeAdoptions ?? 0) > 0) return 'adopted';
	if ((facts.pendingRequests ?? 0) > 0) return 'requested';
	return 'available';
}

/**
 * "Te adopteren": the plots someone can ask for now. One definition for the home page's
 * figure and the list's state filter (/plots?state=available), so the two always agree: a
 * plot that is adoptable but already adopted or asked for is not "to adopt".
 */
export const TO_ADOPT_STATE = 'available' as const satisfies PlotState;

/**
 * The public state of a plot: what the map colours it and what a resident can do with it.
 * One rule, so the map, the list and the plot page never disagree. The database mirror of
 * this rule (for tiles and list filters) is `plotStateSql` in src/lib/server/plots/state-sql.ts;
 * a test checks the two agree on every combination.
 */
export const PLOT_STATES = ['available', 'requested', 'adopted', 'not_adoptable'] as const;
export type PlotState = (typeof PLOT_STATES)[number];

export interface PlotStateFacts {
	status: 'active' | 'retired';
	adoptable: boolean;
	/** Adoptions that are running now (status 'active'). */
	activeAdoptions?: number;
	/** Requests waiting for a manager, and offers waiting for the resident ('requested', 'offered'). */
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

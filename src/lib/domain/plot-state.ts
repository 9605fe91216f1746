/**
 * The public state of a plot: what the map colours it and what a resident can do with it.
 * One rule, so the map, the list and the plot page never disagree. The database mirror of
 * this rule (for tiles and list filters) is `plotStateSql` in src/lib/server/tiles/plot-state-sql.ts;
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

import * as m from '#lib/paraglide/messages.js';
import { PLOT_STATES, type PlotState } from '#lib/domain/plot-state.js';

/** A plot state in words: the map's legend, the list and the plot page all say the same. */
const LABELS: Record<PlotState, () => string> = {
	available: m.map_state_available,
	requested: m.map_state_requested,
	adopted: m.map_state_adopted,
	not_adoptable: m.map_state_not_adoptable
};

export function plotStateLabel(state: PlotState): string {
	return LABELS[state]();
}

/** Every state as a filter's option, in the domain's order. */
export function plotStateOptions(): { value: PlotState; label: string }[] {
	return PLOT_STATES.map((state) => ({ value: state, label: plotStateLabel(state) }));
}

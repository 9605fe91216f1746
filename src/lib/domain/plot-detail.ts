import type { Paged } from './paging';
import type { PlotSize } from './plot-size';
import type { PlotState } from './plot-state';

/**
 * What the public may know about one plot: the plot page shows it, and the map shows the same
 * in its panel. Nothing here names a person: who adopts a plot is told as a count only.
 */
export interface PlotDetail {
	id: number;
	/** The source's own id (BGT lokaalID), for people who look a plot up in other systems. */
	sourceId: string;
	/** BGT fysiekVoorkomen and plus_fysiekVoorkomen. */
	kind: string;
	kindDetail: string | null;
	areaM2: number;
	state: PlotState;
	/** Retired plots left the source data (or were taken out); their page says so. */
	retired: boolean;
	/** ISO date (yyyy-mm-dd) the plot was retired, when known. */
	retiredOn: string | null;
	/** Why the municipality keeps this plot to itself, when a manager said so. */
	notAdoptableReason: string | null;
	/** Another organisation maintains the plot (another BGT owner), so it is not adoptable. */
	maintainedElsewhere: boolean;
	neighbourhood: { id: number; name: string; districtName: string | null } | null;
	/** A point inside the plot, [longitude, latitude]: where the map centres it. */
	center: [number, number];
	/** [west, south, east, north] in degrees. */
	bounds: [number, number, number, number];
	/** The plot's shape for a small drawing, in metres (RD New), north up. */
	outline: PlotOutline;
	/** How long and wide the plot is, in words a resident can picture (see plot-size.ts). */
	size: PlotSize;
	/** Residents or teams adopting the plot now. */
	adopters: number;
}

/** One row of the public list of plots. */
export interface PlotListItem {
	id: number;
	kind: string;
	kindDetail: string | null;
	areaM2: number;
	state: PlotState;
	neighbourhoodName: string | null;
}

/** One page of the list, with the count of all plots that match its filters. */
/** A page of the public list (see paging.ts: a page past the end shows the last one). */
export type PlotPage = Paged<PlotListItem>;

/** An SVG path and the viewBox that frames it. */
export interface PlotOutline {
	path: string;
	viewBox: string;
	/** The plot's extent east–west and north–south in metres: the drawing's scale. */
	widthM: number;
	heightM: number;
}

import type { MyPlotAdoption, PublicTimelineEntry } from '#lib/domain/adoption.js';
import type { PlotDetail } from '#lib/domain/plot-detail.js';

/** Where the call to action leads a visitor, decided by the route (it knows the session). */
export interface AdoptLinks {
	signedIn: boolean;
	/** Sign-in with the way back to this plot. */
	signInHref: string;
	signUpHref: string;
	/** The adoption form for this plot (visitors are sent to sign in first). */
	adoptHref: string;
	myPlotsHref: string;
	/** The viewer's own open request or adoption of this plot. */
	mine: MyPlotAdoption | null;
}

/**
 * What /plots/[id] loads, and all PlotDetails needs: the map's panel renders PlotDetails with
 * the data it got from preloadData('/plots/{id}').
 */
export interface PlotPageData {
	plot: PlotDetail;
	adopt: AdoptLinks;
	/** The plot's public adoption history, newest first. */
	timeline: PublicTimelineEntry[];
}

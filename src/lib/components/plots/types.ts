import type { PlotDetail } from '$lib/domain/plot-detail';

/** Where the call to action leads a visitor, decided by the route (it knows the session). */
export interface AdoptLinks {
	signedIn: boolean;
	/** Sign-in with the way back to this plot. */
	signInHref: string;
	signUpHref: string;
}

/**
 * What /plots/[id] loads, and all PlotDetails needs: the map's panel renders PlotDetails with
 * the data it got from preloadData('/plots/{id}').
 */
export interface PlotPageData {
	plot: PlotDetail;
	adopt: AdoptLinks;
}

import { getDb } from '#server/db';
import { getConfig } from '#server/config';
import { plotFilterOptions, searchPlots, neighbourhoodSummaries, plotTotals, withOneVersionRead } from '#server/plots';
import { parsePlotFilters } from '#lib/domain/plot-filters.js';
import type { PageServerLoad } from './$types';

// The home page is the map: it reads the same URL filters as the list (/plots), so a link
// from one to the other shows the same plots. Nonsense in the URL means "no filter".
export const load = (async ({ url }) => {
	const filters = parsePlotFilters(url.searchParams);
	const db = getDb();
	// Independent reads: on PostgreSQL they run side by side on the pool's connections. All
	// their figures are kept per data version, read once for all of them.
	const [totals, neighbourhoods, plots, filterOptions] = await withOneVersionRead(() =>
		Promise.all([plotTotals(db), neighbourhoodSummaries(db), searchPlots(db, filters), plotFilterOptions(db)])
	);
	return { totals, neighbourhoods, plots, filters, filterOptions, basemapStyleUrl: getConfig().map.basemapStyleUrl };
}) satisfies PageServerLoad;

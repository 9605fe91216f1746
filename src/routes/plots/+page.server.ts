import { redirect } from '@sveltejs/kit';
import { parsePlotFilters, plotFiltersQuery } from '#lib/domain/plot-filters.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { getDb } from '#server/db';
import { neighbourhoodsWithoutPlots, plotFilterOptions, searchPlots } from '#server/plots';
import type { PageServerLoad } from './$types';

// The filters live in the URL (shared with the map); nonsense there means "no filter".
export const load = (async ({ url }) => {
	const filters = parsePlotFilters(url.searchParams);
	// A GET form sends every field, blank or not; without JavaScript that gives long links
	// full of "kind=&min_m2=". One short, canonical link per result is what people share.
	const canonical = plotFiltersQuery(filters);
	if (new URLSearchParams(url.search).toString() !== canonical) {
		redirect(307, localizeHref(canonical ? `/plots?${canonical}` : '/plots'));
	}
	const db = getDb();
	const [plots, options] = await Promise.all([searchPlots(db, filters), plotFilterOptions(db)]);
	// Nothing found for a buurt's name: say that the buurt has no plots, not just "none found".
	const emptyNeighbourhoods = plots.total === 0 && filters.q ? await neighbourhoodsWithoutPlots(db, filters.q) : [];
	return { filters, plots, options, emptyNeighbourhoods };
}) satisfies PageServerLoad;

import { parsePlotFilters } from '$lib/domain/plot-filters';
import { getDb } from '$lib/server/db';
import { plotFilterOptions, searchPlots } from '$lib/server/plots/list';
import type { PageServerLoad } from './$types';

// The filters live in the URL (shared with the map); nonsense there means "no filter".
export const load = (async ({ url }) => {
	const filters = parsePlotFilters(url.searchParams);
	const db = getDb();
	const plots = await searchPlots(db, filters);
	const options = await plotFilterOptions(db);
	return { filters, plots, options };
}) satisfies PageServerLoad;

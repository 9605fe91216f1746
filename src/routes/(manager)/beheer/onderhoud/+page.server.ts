import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { careMapBounds, careMapChoices, listCareMap } from '#server/activities';
import { parseCareMapFilter } from '#lib/domain/care-manage.js';
import { PAGE_SIZES } from '#lib/domain/paging.js';
import type { PageServerLoad } from './$types';

// The map of care: adopted plots by how long ago they were last cared for, as a map (vector
// tiles from /tiles/care, staff only) and as a list that pages and sorts without JavaScript.
export const load = (async (event) => {
	const actor = requirePermission(event, 'manage.view');
	const db = getDb();
	const filter = parseCareMapFilter(event.url.searchParams);
	const [list, choices, bounds] = await Promise.all([listCareMap(db, filter), careMapChoices(db), careMapBounds(db, filter)]);
	return {
		role: actor.role,
		filter: { ...filter, page: list.page },
		list,
		choices,
		bounds,
		pageSizes: PAGE_SIZES
	};
}) satisfies PageServerLoad;

import { z } from 'zod';
import { getLocale } from '#lib/paraglide/runtime.js';
import { localDay } from '#lib/domain/activity.js';
import { pageParam } from '#lib/domain/paging.js';
import { getDb } from '#server/db';
import { listCategories, listPublicReports, publicReportNeighbourhoods } from '#server/reports';
import type { PageServerLoad } from './$types';

// The filters live in the URL, so a filtered list can be shared; nonsense there means "no filter".
const IdParam = z.coerce.number().int().min(1).max(2 ** 31 - 1).nullable().catch(null);

export const load = (async ({ url }) => {
	const db = getDb();
	const today = localDay(new Date());
	const categoryId = IdParam.parse(url.searchParams.get('categorie') || null);
	const neighbourhoodId = IdParam.parse(url.searchParams.get('buurt') || null);
	const en = getLocale() === 'en';
	const [list, categories, neighbourhoods] = await Promise.all([
		listPublicReports(db, { categoryId, neighbourhoodId, page: pageParam(url.searchParams) }, today),
		listCategories(db),
		publicReportNeighbourhoods(db, today)
	]);
	return {
		filters: { categoryId, neighbourhoodId },
		list: {
			...list,
			items: list.items.map((r) => ({
				id: r.id,
				state: r.state,
				category: en ? r.categoryEn : r.categoryNl,
				mainCategory: en ? r.mainCategoryEn : r.mainCategoryNl,
				neighbourhood: r.neighbourhood,
				createdAt: r.createdAt,
				supportCount: r.supportCount
			}))
		},
		categories: categories.map((c) => ({ id: c.id, parentId: c.parentId, name: en ? c.nameEn : c.nameNl })),
		neighbourhoods
	};
}) satisfies PageServerLoad;

import { z } from 'zod';
import { CARE_AGE_CLASSES, localDay, seasonStart } from './activity';
import { MANAGE_PAGE_SIZE, PageParamSchema, PageSizeParamSchema } from './paging';

/**
 * The manager's views of the care log, their filters and their URLs, read and written in one
 * place: the map of care's list (which adopted plots were cared for how long ago) and the
 * contributions table (who did how much in a period). The server reads the address; the pages
 * write the same words into links and forms, so paging or sorting keeps the filters.
 */

export const CARE_MAP_SORTS = ['oldest', 'newest', 'plot', 'neighbourhood'] as const;
export type CareMapSort = (typeof CARE_MAP_SORTS)[number];

const id = z.coerce.number().int().positive().max(2_147_483_647);

export const CareMapFilterSchema = z.object({
	/** Only plots last cared for in this class ("period" on the page). */
	ageClass: z.enum(CARE_AGE_CLASSES).optional().catch(undefined),
	neighbourhood: id.optional().catch(undefined),
	kind: z.string().trim().min(1).max(100).optional().catch(undefined),
	team: id.optional().catch(undefined),
	/** Longest without care first: what a manager looks for. */
	sort: z.enum(CARE_MAP_SORTS).catch('oldest'),
	page: PageParamSchema,
	pageSize: PageSizeParamSchema
});
export type CareMapFilter = z.infer<typeof CareMapFilterSchema>;

/** The URL's words (Dutch, as the manager sees them). */
const SORT_PARAM: Record<string, CareMapSort> = { oudst: 'oldest', recentst: 'newest', perk: 'plot', buurt: 'neighbourhood' };
export const CARE_MAP_SORT_WORDS: Record<CareMapSort, string> = { oldest: 'oudst', newest: 'recentst', plot: 'perk', neighbourhood: 'buurt' };

export function parseCareMapFilter(params: URLSearchParams): CareMapFilter {
	return CareMapFilterSchema.parse({
		ageClass: params.get('periode') || undefined,
		neighbourhood: params.get('buurt') || undefined,
		kind: params.get('soort') || undefined,
		team: params.get('groep') || undefined,
		sort: SORT_PARAM[params.get('volgorde') ?? ''],
		page: params.get('pagina') ?? undefined,
		pageSize: params.get('per') ?? undefined
	});
}

/** The filters as URL parameters (defaults left out), on the given page, optionally sorted otherwise. */
export function careMapQuery(filter: CareMapFilter, page = filter.page, sort = filter.sort): string {
	const params = new URLSearchParams();
	if (filter.ageClass) params.set('periode', filter.ageClass);
	if (filter.neighbourhood) params.set('buurt', String(filter.neighbourhood));
	if (filter.kind) params.set('soort', filter.kind);
	if (filter.team) params.set('groep', String(filter.team));
	if (sort !== 'oldest') params.set('volgorde', CARE_MAP_SORT_WORDS[sort]);
	if (filter.pageSize !== MANAGE_PAGE_SIZE) params.set('per', String(filter.pageSize));
	if (page > 1) params.set('pagina', String(page));
	return params.toString();
}

export const CONTRIBUTION_GROUPINGS = ['neighbourhood', 'adopter'] as const;
export type ContributionGrouping = (typeof CONTRIBUTION_GROUPINGS)[number];

export interface ContributionsFilter {
	/** First and last day of the period, inclusive (YYYY-MM-DD, Europe/Amsterdam). */
	from: string;
	to: string;
	by: ContributionGrouping;
}

const day = z.iso.date();

/** The period from the URL (`van`, `tot`); by default this year up to today. A reversed period is turned round. */
export function parseContributionsFilter(params: URLSearchParams, now: Date): ContributionsFilter {
	const from = day.safeParse(params.get('van'));
	const to = day.safeParse(params.get('tot'));
	let period = { from: from.success ? from.data : seasonStart(now), to: to.success ? to.data : localDay(now) };
	if (period.from > period.to) period = { from: period.to, to: period.from };
	return { ...period, by: params.get('weergave') === 'adoptant' ? 'adopter' : 'neighbourhood' };
}

export function contributionsQuery(filter: ContributionsFilter, by = filter.by): string {
	const params = new URLSearchParams({ van: filter.from, tot: filter.to });
	if (by === 'adopter') params.set('weergave', 'adoptant');
	return params.toString();
}

/** Contributed minutes (minutes × people, summed) as hours with one decimal, as the table and the CSV show them. */
export function contributionHours(minutes: number): number {
	return Math.round(minutes / 6) / 10;
}

import { z } from 'zod';
import { MANAGE_PAGE_SIZE, PageParamSchema, PageSizeParamSchema } from './paging';

/**
 * The manager inbox's filters and their URL, read and written in one place: the server reads
 * them from the address, and the page writes the same words into its links and forms, so a
 * manager who turns a page or approves a request stays in the same filtered view.
 */

export const INBOX_SORTS = ['oldest', 'newest'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

export const InboxFilterSchema = z.object({
	neighbourhood: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
	/** Only requests waiting at least this many days. */
	olderThanDays: z.coerce.number().int().min(0).max(3650).optional().catch(undefined),
	/** Oldest first is the queue's own order, so it is the default. */
	sort: z.enum(INBOX_SORTS).catch('oldest'),
	page: PageParamSchema,
	pageSize: PageSizeParamSchema
});
export type InboxFilter = z.infer<typeof InboxFilterSchema>;

/** The URL's words (Dutch, as the manager sees them) for the sort order. */
const SORT_PARAM: Record<string, InboxSort> = { oud: 'oldest', nieuw: 'newest' };

export function parseInboxFilter(params: URLSearchParams): InboxFilter {
	return InboxFilterSchema.parse({
		neighbourhood: params.get('buurt') || undefined,
		olderThanDays: params.get('ouder') || undefined,
		sort: SORT_PARAM[params.get('volgorde') ?? ''],
		page: params.get('pagina') ?? undefined,
		pageSize: params.get('per') ?? undefined
	});
}

/** The filters as URL parameters (defaults left out), on the given page. */
export function inboxQuery(filter: InboxFilter, page = filter.page): string {
	const params = new URLSearchParams();
	if (filter.neighbourhood) params.set('buurt', String(filter.neighbourhood));
	if (filter.olderThanDays) params.set('ouder', String(filter.olderThanDays));
	if (filter.sort === 'newest') params.set('volgorde', 'nieuw');
	if (filter.pageSize !== MANAGE_PAGE_SIZE) params.set('per', String(filter.pageSize));
	if (page > 1) params.set('pagina', String(page));
	return params.toString();
}

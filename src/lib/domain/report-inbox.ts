import { z } from 'zod';
import { MANAGE_PAGE_SIZE, PageParamSchema, PageSizeParamSchema } from './paging';
import { REPORT_STATES } from './report';

/**
 * The filter of the managers' report inbox and the partner's work list, read from the URL (Dutch
 * words, as the page's GET form sends them), so a filtered list is a link that can be shared
 * and works without JavaScript. Anything that does not parse falls back to "no filter".
 */
export const INBOX_SORTS = ['overdue', 'newest', 'oldest'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];
const SORT_WORDS: Record<InboxSort, string> = { overdue: 'termijn', newest: 'nieuwst', oldest: 'oudst' };
export const INBOX_SORT_WORDS = SORT_WORDS;

/** 'open': every state but done and cancelled (the default); 'all': every state. */
export const INBOX_STATE_CHOICES = ['open', 'all', ...REPORT_STATES] as const;
export type InboxStateChoice = (typeof INBOX_STATE_CHOICES)[number];

/** "Older than": reports made at least this many days ago. */
export const INBOX_AGE_DAYS = [1, 3, 7, 14, 30] as const;

const id = z.coerce.number().int().positive().max(2_147_483_647);

export const InboxFilterSchema = z.object({
	state: z.enum(INBOX_STATE_CHOICES).catch('open'),
	/** A main category (with its sub-categories) or a sub-category. */
	category: id.optional().catch(undefined),
	neighbourhood: id.optional().catch(undefined),
	olderThanDays: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
	overdueOnly: z.boolean().catch(false),
	sort: z.enum(INBOX_SORTS).catch('overdue'),
	page: PageParamSchema,
	pageSize: PageSizeParamSchema
});
export type InboxFilter = z.infer<typeof InboxFilterSchema>;

export function parseInboxFilter(params: URLSearchParams): InboxFilter {
	const sortWord = params.get('volgorde');
	const sort = (Object.entries(SORT_WORDS).find(([, w]) => w === sortWord)?.[0] as InboxSort | undefined) ?? 'overdue';
	return InboxFilterSchema.parse({
		// 'alle' is the URL's word for every state; a state itself goes by its code.
		state: params.get('status') === 'alle' ? 'all' : params.get('status') || 'open',
		category: params.get('categorie') || undefined,
		neighbourhood: params.get('buurt') || undefined,
		olderThanDays: params.get('ouder') || undefined,
		overdueOnly: params.get('termijn') === 'over',
		sort,
		page: params.get('pagina') ?? undefined,
		pageSize: params.get('per') ?? MANAGE_PAGE_SIZE
	});
}

/** The URL query of a filter (for pager and sort links), leaving defaults out. */
export function inboxQuery(f: InboxFilter, page = f.page): string {
	const q = new URLSearchParams();
	if (f.state !== 'open') q.set('status', f.state === 'all' ? 'alle' : f.state);
	if (f.category) q.set('categorie', String(f.category));
	if (f.neighbourhood) q.set('buurt', String(f.neighbourhood));
	if (f.olderThanDays) q.set('ouder', String(f.olderThanDays));
	if (f.overdueOnly) q.set('termijn', 'over');
	if (f.sort !== 'overdue') q.set('volgorde', SORT_WORDS[f.sort]);
	if (f.pageSize !== MANAGE_PAGE_SIZE) q.set('per', String(f.pageSize));
	if (page > 1) q.set('pagina', String(page));
	return q.toString();
}

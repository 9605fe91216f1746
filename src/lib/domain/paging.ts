import { z } from 'zod';

/**
 * Pages of every long list (the public plot list, the manager's inbox and quiet adoptions, the
 * audit log). A manager with hundreds of open requests must reach every one of them, so lists
 * are paged with a total, never cut off.
 */

export const MANAGE_PAGE_SIZE = 50;

export interface Paged<T> {
	items: T[];
	total: number;
	/** The page shown: the asked-for page, kept within 1..pageCount. */
	page: number;
	pageSize: number;
	/** At least 1, also for an empty list. */
	pageCount: number;
}

/** `?pagina=` from a URL: anything that is not a page number is page 1. */
export const PageParamSchema = z.coerce.number().int().min(1).max(1_000_000).catch(1);

/** `?per=` from a URL: rows per page (the form offers PAGE_SIZES; anything else sane is kept). */
export const PageSizeParamSchema = z.coerce.number().int().min(1).max(100).catch(MANAGE_PAGE_SIZE);
export const PAGE_SIZES = [10, 25, 50, 100] as const;

export function pageParam(params: URLSearchParams): number {
	return PageParamSchema.parse(params.get('pagina') ?? undefined);
}

/**
 * Where a page starts once the total is known. A page beyond the end shows the last page:
 * after approving the last requests of page 8 the manager lands on page 7, not on nothing.
 */
export function pageWindow(requested: number, total: number, pageSize = MANAGE_PAGE_SIZE) {
	const pageCount = Math.max(1, Math.ceil(total / pageSize));
	const page = Math.min(Math.max(1, Math.trunc(requested) || 1), pageCount);
	return { page, pageCount, pageSize, offset: (page - 1) * pageSize };
}

/** The page fields of a Paged list, from its window. */
export function pageOf({ page, pageSize, pageCount }: ReturnType<typeof pageWindow>) {
	return { page, pageSize, pageCount };
}

/**
 * Pages of a download a program walks (the plots GeoJSON): ordered by id, each page starting
 * after the last id of the one before (`?after=`), so a page costs the same at any depth and a
 * plot added meanwhile does not shift the rest. A page says where the next one is; the last
 * says nothing, so a client knows it has everything.
 */
export const KEYSET_PAGE_SIZE = 10_000;

export interface KeysetPage {
	/** Only ids above this one; 0 is the first page. */
	after: number;
	limit: number;
}

const KeysetPageSchema = z.object({
	after: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(0),
	limit: z.coerce.number().int().min(1).max(KEYSET_PAGE_SIZE).default(KEYSET_PAGE_SIZE)
});

/**
 * `?after=` and `?limit=` (at most KEYSET_PAGE_SIZE). A value that is not one is refused
 * rather than read as the first page: a client following next links would start over forever.
 */
export function keysetPageParams(params: URLSearchParams): { ok: true; page: KeysetPage } | { ok: false; error: string } {
	const parsed = KeysetPageSchema.safeParse({
		after: params.get('after') || undefined,
		limit: params.get('limit') || undefined
	});
	if (parsed.success) return { ok: true, page: parsed.data };
	const name = parsed.error.issues[0].path[0];
	return {
		ok: false,
		error: name === 'limit' ? `limit must be a whole number from 1 to ${KEYSET_PAGE_SIZE}` : 'after must be an id (a whole number, 0 or more)'
	};
}

/** The query string of a page, without what is the default: the canonical form of its URL. */
export function keysetPageQuery(page: KeysetPage): string {
	const params = new URLSearchParams();
	if (page.after > 0) params.set('after', String(page.after));
	if (page.limit !== KEYSET_PAGE_SIZE) params.set('limit', String(page.limit));
	return params.toString();
}

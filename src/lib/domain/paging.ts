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

import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { contributionsCsv, listContributions } from '#server/activities';
import { parseContributionsFilter } from '#lib/domain/care-manage.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import type { RequestHandler } from './$types';

/**
 * The contributions table as CSV, same filters as the page. Per adopter it holds names and
 * e-mail addresses (its columns say so): for managers and admins only (manage.view), never
 * cached by anyone but the browser that asked.
 */
export const GET: RequestHandler = async (event) => {
	requirePermission(event, 'manage.view');
	const filter = parseContributionsFilter(event.url.searchParams, new Date());
	const csv = contributionsCsv(await listContributions(getDb(), filter), getLocale() === 'en' ? 'en' : 'nl');
	const name = `bijdragen-${filter.by === 'adopter' ? 'per-adoptant' : 'per-buurt'}-${filter.from}-${filter.to}.csv`;
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
};

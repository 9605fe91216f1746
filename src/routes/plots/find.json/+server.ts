import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { MAX_QUERY_LENGTH } from '#lib/domain/plot-filters.js';
import { getDb } from '#server/db';
import { findPlaces } from '#server/plots';
import type { RequestHandler } from './$types';

const Query = z.object({ q: z.string().trim().max(MAX_QUERY_LENGTH).catch('') });

/**
 * Quick find for the map's search box: neighbourhoods (with bounds to fly to) and plots (with
 * a point to open), as JSON. `no-cache`: answers change when plots do.
 */
export const GET: RequestHandler = async ({ url }) => {
	const { q } = Query.parse({ q: url.searchParams.get('q') ?? '' });
	const result = await findPlaces(getDb(), q);
	return json(result, { headers: { 'cache-control': 'public, no-cache' } });
};

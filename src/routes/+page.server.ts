import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { listPlots, neighbourhoodSummaries, plotTotals } from '$lib/server/plots/overview';
import type { PageServerLoad } from './$types';

// A bad or missing page number is not an error a resident should see: it means page 1.
const Query = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) });

export const load = (async ({ url }) => {
	const { page } = Query.parse({ page: url.searchParams.get('page') ?? undefined });
	const db = getDb();
	const totals = await plotTotals(db);
	const neighbourhoods = await neighbourhoodSummaries(db);
	const plots = await listPlots(db, { page });
	return { totals, neighbourhoods, plots };
}) satisfies PageServerLoad;

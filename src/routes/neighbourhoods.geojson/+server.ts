import { getDb } from '$lib/server/db';
import { neighbourhoodsGeoJson, geoJsonResponse } from '$lib/server/plots';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ request }) =>
	geoJsonResponse(request, await neighbourhoodsGeoJson(getDb()));

import { getDb } from '$lib/server/db';
import { plotsGeoJson, geoJsonResponse } from '$lib/server/plots';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ request }) =>
	geoJsonResponse(request, await plotsGeoJson(getDb()));

import { getDb } from '#server/db';
import { plotsGeoJson, geoJsonResponse } from '#server/plots';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ request }) =>
	geoJsonResponse(request, await plotsGeoJson(getDb()));

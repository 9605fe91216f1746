import { getDb } from '#server/db';
import { neighbourhoodsGeoJson, geoJsonResponse } from '#server/plots';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ request }) =>
	geoJsonResponse(request, await neighbourhoodsGeoJson(getDb()));

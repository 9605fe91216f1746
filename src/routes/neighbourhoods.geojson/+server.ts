import { getDb } from '$lib/server/db';
import { neighbourhoodsGeoJson } from '$lib/server/plots/geojson';
import { geoJsonResponse } from '$lib/server/plots/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ request }) =>
	geoJsonResponse(request, await neighbourhoodsGeoJson(getDb()));

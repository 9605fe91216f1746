import { getDb } from '#server/db';
import { neighbourhoodsGeoJsonResponse } from '#server/plots';
import type { RequestHandler } from './$types';

/** The neighbourhoods with their plot counts; the contract is in src/lib/server/plots/http.ts. */
export const GET: RequestHandler = ({ request }) => neighbourhoodsGeoJsonResponse(getDb(), request);

import { getDb } from '#server/db';
import { plotsGeoJsonResponse } from '#server/plots';
import type { RequestHandler } from './$types';

/** Pages of the active plots; the contract is in src/lib/server/plots/http.ts. */
export const GET: RequestHandler = ({ request }) => plotsGeoJsonResponse(getDb(), request);

import { tileResponse } from '#server/tiles';
import type { RequestHandler } from './$types';

/** Vector tiles of the municipality's own BGT basemap; the contract is in src/lib/server/tiles/http.ts. */
export const GET: RequestHandler = ({ request, params }) => tileResponse(request, 'basemap', params);

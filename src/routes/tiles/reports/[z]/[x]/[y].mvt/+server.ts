import { tileResponse } from '#server/tiles';
import type { RequestHandler } from './$types';

/** Vector tiles of the public problem reports; the contract is in src/lib/server/tiles/http.ts. */
export const GET: RequestHandler = ({ request, params }) => tileResponse(request, 'reports', params);

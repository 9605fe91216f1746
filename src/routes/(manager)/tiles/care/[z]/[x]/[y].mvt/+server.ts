import { requirePermission } from '#server/auth';
import { tileResponse } from '#server/tiles';
import type { RequestHandler } from './$types';

/**
 * Vector tiles of the map of care, for staff only (the contract is in
 * src/lib/server/tiles/http.ts; answered private, never from the public fast path).
 */
export const GET: RequestHandler = (event) => {
	requirePermission(event, 'manage.view');
	return tileResponse(event.request, 'care', event.params);
};

import { getDb } from '#server/db';
import { variantResponse } from '#server/media';
import type { RequestHandler } from './$types';

/** A stored photo variant by its content hash (see variantResponse for the caching rules). */
export const GET: RequestHandler = ({ request, params }) => variantResponse(getDb(), request, params.hash);

import { getDb } from '#server/db';
import { open311Handle, open311Response, open311Token } from '#server/reports';
import type { RequestHandler } from './$types';

/** The request a token became (Perkje's tokens are the request ids themselves). */
export const GET: RequestHandler = ({ params }) =>
	open311Handle(params.format, async () => open311Response(params.format, 'service_requests', [await open311Token(getDb(), params.id)]));

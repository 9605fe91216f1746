import { getPublicMunicipality } from '#lib/server/startup.js';
import { getDb } from '#server/db';
import { open311Handle, open311Request, open311Response } from '#server/reports';
import type { RequestHandler } from './$types';

/** One service request (as a list of one, as GeoReport v2 answers). */
export const GET: RequestHandler = ({ params, url }) =>
	open311Handle(params.format, async () => {
		const ctx = { origin: url.origin, municipalityName: getPublicMunicipality().name, now: new Date() };
		return open311Response(params.format, 'service_requests', [await open311Request(getDb(), params.id, ctx)]);
	});

import { getPublicMunicipality } from '#lib/server/startup.js';
import { clientAddress } from '#server/auth';
import { getDb } from '#server/db';
import { Open311Error, open311Handle, open311Post, open311Requests, open311Response, parseRequestsFilter } from '#server/reports';
import type { RequestHandler } from './$types';

/** Reports as service requests, filtered as GeoReport v2 describes. */
export const GET: RequestHandler = ({ params, url }) =>
	open311Handle(params.format, async () => {
		const filter = parseRequestsFilter(url);
		const ctx = { origin: url.origin, municipalityName: getPublicMunicipality().name, now: new Date() };
		return open311Response(params.format, 'service_requests', await open311Requests(getDb(), filter, ctx));
	});

/** A new report from a client holding an API key (form-encoded, as the specification has it). */
export const POST: RequestHandler = (event) =>
	open311Handle(event.params.format, async () => {
		let form: FormData;
		try {
			form = await event.request.formData();
		} catch {
			throw new Open311Error(400, 'Stuur de velden als application/x-www-form-urlencoded of multipart/form-data.');
		}
		const created = await open311Post(getDb(), form, {
			ip: clientAddress(event),
			idempotencyKey: event.request.headers.get('idempotency-key'),
			now: new Date()
		});
		return open311Response(event.params.format, 'service_requests', [created]);
	});

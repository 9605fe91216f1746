import { getPublicMunicipality } from '#lib/server/startup.js';
import { open311Discovery, open311Response } from '#server/reports';
import type { RequestHandler } from './$types';

/** Where a client finds the endpoint, its formats and where to ask for a key. */
export const GET: RequestHandler = ({ params, url }) =>
	open311Response(params.format, 'discovery', open311Discovery(url.origin, getPublicMunicipality().name));

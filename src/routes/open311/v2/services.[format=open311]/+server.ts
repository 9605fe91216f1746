import { getDb } from '#server/db';
import { open311Handle, open311Response, open311Services } from '#server/reports';
import type { RequestHandler } from './$types';

/** The categories a report can be made in, as Open311 services. */
export const GET: RequestHandler = ({ params }) =>
	open311Handle(params.format, async () => open311Response(params.format, 'services', await open311Services(getDb())));

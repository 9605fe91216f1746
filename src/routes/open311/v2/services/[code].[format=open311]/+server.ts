import { getDb } from '#server/db';
import { open311Handle, open311Response, open311ServiceDefinition } from '#server/reports';
import type { RequestHandler } from './$types';

/** One service's definition: no extra attributes beyond a point and a description. */
export const GET: RequestHandler = ({ params }) =>
	open311Handle(params.format, async () =>
		open311Response(params.format, 'service_definition', await open311ServiceDefinition(getDb(), params.code))
	);

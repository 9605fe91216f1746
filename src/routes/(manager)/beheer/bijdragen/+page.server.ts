import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { listContributions } from '#server/activities';
import { parseContributionsFilter } from '#lib/domain/care-manage.js';
import type { PageServerLoad } from './$types';

// What the care log adds up to in a period, per neighbourhood or per group/adopter (manager only:
// per adopter it names people).
export const load = (async (event) => {
	const actor = requirePermission(event, 'manage.view');
	const filter = parseContributionsFilter(event.url.searchParams, new Date());
	return { role: actor.role, contributions: await listContributions(getDb(), filter) };
}) satisfies PageServerLoad;

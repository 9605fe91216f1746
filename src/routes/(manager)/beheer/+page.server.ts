import { requirePermission } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

// The manager area's front page. For now a placeholder the authorization matrix can check;
// the adoption inbox (issue 5) and report triage come here.
export const load = ((event) => {
	const actor = requirePermission(event, 'manage.view');
	return { role: actor.role };
}) satisfies PageServerLoad;

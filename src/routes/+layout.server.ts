import { can } from '#lib/domain/policy.js';
import { getPublicMunicipality } from '#lib/server/startup.js';
import { demoMailboxEnabled } from '#server/mail';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => ({
	municipality: getPublicMunicipality(),
	// Demo mode: pages point to the demo mailbox after "we sent you a link".
	demo: demoMailboxEnabled(),
	// Only what the header needs; the account pages load the rest for their owner.
	account: locals.user
		? { staff: can(locals.actor, 'manage.view'), partner: locals.actor?.role === 'partner' }
		: null
})) satisfies LayoutServerLoad;

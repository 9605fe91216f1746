import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { listInbox, type InboxScope } from '#server/reports';
import { parseInboxFilter } from '#lib/domain/report-inbox.js';
import type { Actor } from '#lib/domain/policy.js';
import type { PageServerLoad } from './$types';

/** A partner's list is its organisation's; a manager looking here sees what went to any partner. */
function partnerScope(actor: Actor): InboxScope {
	if (actor.role !== 'partner') return { kind: 'any-partner' };
	// A partner account without an organisation has nothing routed to it (-1 matches no report).
	return { kind: 'partner', partnerOrganisationId: actor.partnerOrganisationId ?? -1 };
}

// The partner's work list: what is routed to its organisation, overdue first. A partner account
// without an organisation asks for organisation -1, which it does not belong to: refused.
export const load = (async (event) => {
	const actor = requirePermission(event, 'partner.view', { partnerOrganisationId: event.locals.actor?.partnerOrganisationId ?? -1 });
	const filter = parseInboxFilter(event.url.searchParams);
	const list = await listInbox(getDb(), partnerScope(actor), filter);
	return { filter: { ...filter, page: list.page }, list, isPartner: actor.role === 'partner' };
}) satisfies PageServerLoad;

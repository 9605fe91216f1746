import * as m from '#lib/paraglide/messages.js';
import { ownerOfImportReason } from '#lib/domain/plot-owner.js';

/**
 * Why a plot cannot be adopted, as staff read it: a manager's reason as they wrote it, the
 * importer's stored reason ("Not maintained by the municipality (bronhouder …)") in the
 * reader's language.
 */
export function notAdoptableReasonLabel(reason: string): string {
	const owner = ownerOfImportReason(reason);
	if (owner === undefined) return reason;
	return owner ? m.plot_reason_other_owner({ owner }) : m.plot_reason_other_owner_unknown();
}

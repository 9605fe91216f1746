import { ADOPTION_ACTIONS } from './adoption';

/**
 * Every action the audit log records: the one list. recordAudit only takes these codes, the
 * admin's audit page labels each (src/lib/components/audit/labels.ts, checked complete in
 * both languages by its spec), and the filter offers them.
 */
export const AUDIT_ACTIONS = [
	...ADOPTION_ACTIONS.map((a) => `adoption.${a}` as const),
	'adoption.offer',
	'adoption.question',
	'adoption.nudge',
	'plot.adoptable',
	'plot.not_adoptable',
	'plot.capacity',
	'plot_kind.capacity',
	'user.role_change',
	'user.invite',
	'agreement.publish',
	'activity.hide_note',
	'activity.show_note',
	'activity.hide_photo',
	'activity.show_photo',
	'report.assign',
	'report.state',
	'report.merge',
	'report.reopen_decision',
	'report.category',
	'report.routing',
	'report.hide_photo',
	'open311.key',
	'report.partner'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One field of an audit row's change: "veld: oud → nieuw" (either side may be missing). */
export interface AuditChange {
	field: string;
	before: unknown;
	after: unknown;
	/** Whether the row had a before at all (a creation has none). */
	hasBefore: boolean;
}

function record(value: unknown): Record<string, unknown> | null {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The fields an audit row changed, in the order they first appear (before's, then after's).
 * Unchanged fields are left out when both sides are known; a field only in `after` is new.
 */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
	const b = record(before);
	const a = record(after);
	const fields = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
	return fields
		.map((field) => ({ field, before: b?.[field] ?? null, after: a?.[field] ?? null, hasBefore: b !== null }))
		.filter((c) => !(b && a) || JSON.stringify(c.before) !== JSON.stringify(c.after));
}

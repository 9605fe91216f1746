import { plotName } from '#lib/domain/plot-name.js';
import * as m from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import type { AuditAction } from '#lib/domain/audit.js';
import type { MailStatus } from '#lib/domain/mail.js';
import { roleLabel } from '#lib/components/auth/roles.js';
import { notAdoptableReasonLabel } from '#lib/components/plots/not-adoptable-reason.js';
import { plotKindLabel } from '#lib/components/plots/plot-kind.js';

/**
 * The audit log and the mail outbox as people read them: labels for action codes, fields and
 * values, and times in the municipality's time zone. Typed as complete records, so a new
 * action code without a label does not compile (and labels.spec.ts checks both languages).
 */
export const AUDIT_ACTION_LABELS: Record<AuditAction, () => string> = {
	'adoption.approve': m.staff_audit_action_adoption_approve,
	'adoption.reject': m.staff_audit_action_adoption_reject,
	'adoption.cancel': m.staff_audit_action_adoption_cancel,
	'adoption.confirm': m.staff_audit_action_adoption_confirm,
	'adoption.decline': m.staff_audit_action_adoption_decline,
	'adoption.end': m.staff_audit_action_adoption_end,
	'adoption.offer': m.staff_audit_action_adoption_offer,
	'adoption.question': m.staff_audit_action_adoption_question,
	'adoption.nudge': m.staff_audit_action_adoption_nudge,
	'plot.adoptable': m.staff_audit_action_plot_adoptable,
	'plot.not_adoptable': m.staff_audit_action_plot_not_adoptable,
	'plot.capacity': m.staff_audit_action_plot_capacity,
	'plot_kind.capacity': m.staff_audit_action_plot_kind_capacity,
	'user.role_change': m.staff_audit_action_user_role_change,
	'user.invite': m.staff_audit_action_user_invite,
	'agreement.publish': m.staff_audit_action_agreement_publish,
	'activity.hide_note': m.care_manage_audit_hide_note,
	'activity.show_note': m.care_manage_audit_show_note,
	'activity.hide_photo': m.care_manage_audit_hide_photo,
	'activity.show_photo': m.care_manage_audit_show_photo,
	'report.assign': m.report_audit_assign,
	'report.state': m.report_audit_state,
	'report.merge': m.report_audit_merge,
	'report.reopen_decision': m.report_audit_reopen_decision,
	'report.category': m.report_audit_category,
	'report.routing': m.report_audit_routing,
	'report.hide_photo': m.report_audit_hide_photo,
	'open311.key': m.open311_audit_key,
	'report.partner': m.admin_reports_audit_partner
};

export function auditActionLabel(code: string): string {
	return (AUDIT_ACTION_LABELS as Record<string, () => string>)[code]?.() ?? code;
}

const FIELD_LABELS: Record<string, () => string> = {
	role: m.staff_audit_field_role,
	partnerOrganisationId: m.staff_audit_field_partner,
	neighbourhoodIds: m.staff_audit_field_neighbourhoods,
	districtCodes: m.staff_audit_field_districts,
	maxAdopters: m.staff_audit_field_max_adopters,
	updated: m.staff_audit_field_updated,
	kept: m.staff_audit_field_kept,
	adoptable: m.staff_audit_field_adoptable,
	reason: m.staff_audit_field_reason,
	status: m.staff_audit_field_status,
	question: m.staff_audit_field_question,
	weeks: m.staff_audit_field_weeks,
	automatic: m.staff_audit_field_automatic,
	plotId: m.staff_audit_field_plot,
	userId: m.staff_audit_field_user,
	teamId: m.staff_audit_field_team,
	version: m.staff_audit_field_version
};

export function auditFieldLabel(field: string): string {
	return FIELD_LABELS[field]?.() ?? field;
}

const STATUS_LABELS: Record<string, () => string> = {
	requested: m.manage_status_requested,
	offered: m.manage_status_offered,
	active: m.manage_status_active,
	rejected: m.manage_status_rejected,
	ended: m.manage_status_ended,
	cancelled: m.manage_status_cancelled
};

/** An adoption's status in the manager's words ("geadopteerd", "ingetrokken"). */
export function managerStatusLabel(status: string): string {
	return STATUS_LABELS[status]?.() ?? status;
}

/** One side of a change, readable: roles and statuses by name, yes/no, lists, '—' for nothing. */
export function auditValue(field: string, value: unknown): string {
	if (value === null || value === undefined || value === '') return '—';
	if (typeof value === 'boolean') return value ? m.staff_audit_yes() : m.staff_audit_no();
	if (Array.isArray(value)) return value.length ? value.map((v) => auditValue(field, v)).join(', ') : '—';
	if (field === 'role' && typeof value === 'string') return roleLabel(value);
	if (field === 'status' && typeof value === 'string') return managerStatusLabel(value);
	if (field === 'reason' && typeof value === 'string') return notAdoptableReasonLabel(value);
	if (field === 'plotId' && Number.isInteger(Number(value))) return plotName(Number(value));
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/** What an audit row is about, by name; kinds and agreement versions are named here. */
export function auditSubject(row: {
	subjectType: string;
	subjectId: string;
	subjectLabel: string | null;
	subjectPlotId?: number | null;
	subjectNeighbourhood?: string | null;
}): string {
	if (row.subjectType === 'plot_kind') return m.staff_audit_subject_kind({ kind: plotKindLabel(row.subjectId) });
	if (row.subjectType === 'agreement') return m.staff_audit_subject_agreement({ version: row.subjectId });
	const plot = row.subjectPlotId ? plotName(row.subjectPlotId, { neighbourhood: row.subjectNeighbourhood }) : null;
	const parts = [plot, row.subjectLabel].filter((part): part is string => Boolean(part));
	return parts.length ? parts.join(' · ') : m.staff_audit_subject_gone();
}

/** A moment as people in the municipality read it: Dutch or English words, Amsterdam time. */
export function formatMoment(iso: string | Date): string {
	return new Intl.DateTimeFormat(getLocale() === 'en' ? 'en-GB' : 'nl-NL', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone: 'Europe/Amsterdam'
	}).format(new Date(iso));
}

const MAIL_KIND_LABELS: Record<string, () => string> = {
	auth_verify: m.staff_mail_kind_auth_verify,
	auth_reset: m.staff_mail_kind_auth_reset,
	auth_magic_link: m.staff_mail_kind_auth_magic_link,
	auth_staff_invite: m.staff_mail_kind_auth_staff_invite,
	team_invite: m.staff_mail_kind_team_invite,
	adoption_approved: m.staff_mail_kind_adoption_approved,
	adoption_rejected: m.staff_mail_kind_adoption_rejected,
	adoption_question: m.staff_mail_kind_adoption_question,
	adoption_offered: m.staff_mail_kind_adoption_offered,
	adoption_ended: m.staff_mail_kind_adoption_ended,
	adoption_nudge: m.staff_mail_kind_adoption_nudge,
	report_confirm: m.report_new_mail_kind_confirm,
	report_support_confirm: m.report_new_mail_kind_support
};

/** What kind of mail it is, for the outbox page. */
export function mailKindLabel(kind: string): string {
	return MAIL_KIND_LABELS[kind]?.() ?? kind;
}

const MAIL_STATUS_LABELS: Record<MailStatus, () => string> = {
	pending: m.staff_mail_status_pending,
	sent: m.staff_mail_status_sent,
	logged: m.staff_mail_status_logged,
	failed: m.staff_mail_status_failed
};

export function mailStatusLabel(status: string): string {
	return (MAIL_STATUS_LABELS as Record<string, () => string>)[status]?.() ?? status;
}

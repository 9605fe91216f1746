import * as m from '#lib/paraglide/messages.js';
import type { AdoptionStatus, RequestStage } from '#lib/domain/adoption.js';

/** Words for adoption states and team kinds, in the reader's language. */

export function adoptionStatusLabel(status: AdoptionStatus): string {
	switch (status) {
		case 'requested':
			return m.adopt_status_requested();
		case 'offered':
			return m.adopt_status_offered();
		case 'active':
			return m.adopt_status_active();
		case 'rejected':
			return m.adopt_status_rejected();
		case 'ended':
			return m.adopt_status_ended();
		case 'cancelled':
			return m.adopt_status_cancelled();
	}
}

/**
 * The status a resident sees on Mijn perken: a waiting request says whether the municipality
 * asked something, or has the answer (see requestStage in the domain).
 */
export function myAdoptionStatusLabel(status: AdoptionStatus, stage: RequestStage | null): string {
	if (stage === 'question') return m.resident_status_question();
	if (stage === 'answered') return m.resident_status_answered();
	return adoptionStatusLabel(status);
}

export function teamKindLabel(kind: string): string {
	switch (kind) {
		case 'household':
			return m.team_kind_household();
		case 'street':
			return m.team_kind_street();
		case 'school':
			return m.team_kind_school();
		case 'association':
			return m.team_kind_association();
		case 'work_experience':
			return m.team_kind_work_experience();
		default:
			return kind;
	}
}

/** What went wrong with an adoption or team action (codes from the service's AdoptionError). */
export function adoptionErrorMessage(code: string): string {
	switch (code) {
		case 'not-adoptable':
			return m.adopt_error_not_adoptable();
		case 'full':
			return m.adopt_error_full();
		case 'queue':
			return m.adopt_error_queue();
		case 'wrong-status':
			return m.adopt_error_wrong_status();
		case 'already-open':
			return m.adopt_error_already_open();
		case 'agreement-outdated':
			return m.adopt_error_agreement_outdated();
		case 'not-team-member':
			return m.adopt_error_not_team_member();
		case 'invite-invalid':
			return m.adopt_error_invite_invalid();
		case 'invite-other-address':
			return m.team_invite_error_other_address();
		case 'last-member':
			return m.adopt_error_last_member();
		case 'no-question':
			return m.resident_answer_error_no_question();
		case 'answer-empty':
			return m.resident_answer_error_empty();
		case 'requester-gone':
			return m.staff_error_requester_gone();
		default:
			return m.adopt_error_not_found();
	}
}

import { afterEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { AUDIT_ACTIONS, auditChanges } from '#lib/domain/audit.js';
import { otherOwnerReason } from '#lib/domain/plot-owner.js';
import { auditActionLabel, auditFieldLabel, auditSubject, auditValue, formatMoment } from './labels';

afterEach(() => overwriteGetLocale(() => 'nl'));

describe('audit labels', () => {
	it('gives every action code a label of its own in Dutch and in English', () => {
		for (const locale of ['nl', 'en'] as const) {
			overwriteGetLocale(() => locale);
			const labels = AUDIT_ACTIONS.map((code) => auditActionLabel(code));
			for (const [i, label] of labels.entries()) {
				expect(label, `${locale} label for ${AUDIT_ACTIONS[i]}`).not.toBe(AUDIT_ACTIONS[i]);
				expect(label.length).toBeGreaterThan(3);
			}
			expect(new Set(labels).size, `${locale}: two codes share a label`).toBe(labels.length);
		}
		overwriteGetLocale(() => 'nl');
		const nl = AUDIT_ACTIONS.map(auditActionLabel);
		overwriteGetLocale(() => 'en');
		expect(AUDIT_ACTIONS.map(auditActionLabel)).not.toEqual(nl);
	});

	it('writes a role change as "rol: Bewoner → Beheerder openbare ruimte" lines, without unchanged fields', () => {
		overwriteGetLocale(() => 'nl');
		const lines = auditChanges(
			{ role: 'resident', partnerOrganisationId: null },
			{ role: 'manager', partnerOrganisationId: null }
		).map((c) => `${auditFieldLabel(c.field)}: ${auditValue(c.field, c.before)} → ${auditValue(c.field, c.after)}`);
		expect(lines).toEqual(['rol: Bewoner → Beheerder openbare ruimte']);
		expect(auditChanges(null, { maxAdopters: 3 })).toEqual([{ field: 'maxAdopters', before: null, after: 3, hasBefore: false }]);
		expect(auditValue('adoptable', false)).toBe('nee');
		expect(auditValue('status', 'ended')).toBe('beëindigd');
		overwriteGetLocale(() => 'en');
		expect(auditValue('role', 'admin')).toBe('Administrator');
	});

	it("words the importer's stored reason in the reader's language, and keeps a manager's own words", () => {
		overwriteGetLocale(() => 'nl');
		expect(auditValue('reason', otherOwnerReason('P0123'))).toBe('niet door de gemeente onderhouden, maar door bronhouder P0123');
		expect(auditValue('reason', otherOwnerReason(null))).toBe('niet door de gemeente onderhouden, maar door een andere organisatie');
		expect(auditValue('reason', 'Hier komt een fietspad.')).toBe('Hier komt een fietspad.');
		overwriteGetLocale(() => 'en');
		expect(auditValue('reason', otherOwnerReason('P0123'))).toBe('not maintained by the municipality but by data owner P0123');
	});

	it('names kinds and agreement versions, and says when the subject is gone', () => {
		overwriteGetLocale(() => 'nl');
		expect(auditSubject({ subjectType: 'plot_kind', subjectId: 'groenvoorziening', subjectLabel: null })).toBe('Soort perk: Groenvoorziening');
		expect(auditSubject({ subjectType: 'agreement', subjectId: '2', subjectLabel: null })).toBe('Adoptieovereenkomst, versie 2');
		expect(auditSubject({ subjectType: 'plot', subjectId: '12', subjectLabel: null, subjectPlotId: 12, subjectNeighbourhood: 'Hof van Delft' })).toBe('Perk 12 (Hof van Delft)');
		expect(auditSubject({ subjectType: 'user', subjectId: 'x', subjectLabel: null })).toBe('bestaat niet meer');
	});

	it('shows times in Amsterdam, in the reader\'s language', () => {
		overwriteGetLocale(() => 'nl');
		// 23:30 UTC on 31 December is already New Year's Day in Amsterdam.
		expect(formatMoment('2026-12-31T23:30:00Z')).toMatch(/1 jan\.? 2027.*00:30/);
		overwriteGetLocale(() => 'en');
		expect(formatMoment('2026-07-01T10:00:00Z')).toMatch(/1 Jul 2026.*12:00/);
	});
});

import { describe, expect, it } from 'vitest';
import nl from './nl.json';
import * as m from '$lib/paraglide/messages.js';
import { authMail, teamInviteMail, type AuthMailKind } from '$lib/server/mail';
import { NOTIFICATION_KINDS, notificationMail } from '$lib/server/notifications';

/** Perkje addresses people as "u": never je, jij, jou, jouw or jullie (as whole words). */
const INFORMAL = /(?<![\p{L}-])(je|jij|jou|jouw|jullie|jezelf)(?![\p{L}-])/iu;

/** Every Dutch text of a message: a plain string, or each variant of a plural. */
function textsOf(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) {
		return value.flatMap((v) => Object.values((v as { match?: Record<string, string> }).match ?? {}));
	}
	return [];
}

describe('the Dutch texts', () => {
	it('address people as "u" in every message of the catalogue', () => {
		const informal = Object.entries(nl)
			.filter(([key]) => key !== '$schema')
			.flatMap(([key, value]) => textsOf(value).filter((t) => INFORMAL.test(t)).map((t) => `${key}: ${t}`));
		expect(informal).toEqual([]);
	});

	it('address people as "u" in every mail and notification', () => {
		const payload = { plotId: 12, neighbourhood: 'Wippolder', message: 'Hier komt een fietspad.', weeks: 9 };
		const mails = [
			...NOTIFICATION_KINDS.map((kind) => notificationMail(kind, payload, 'nl', 'https://perkje.example.nl')),
			...(['auth_verify', 'auth_reset', 'auth_magic_link', 'auth_staff_invite'] as AuthMailKind[]).map((kind) =>
				authMail(kind, 'nl', 'https://perkje.example.nl/link')
			),
			teamInviteMail('Geveltuin Oude Delft', 'https://perkje.example.nl/groepen/uitnodiging/x', 14, 'nl')
		];
		const informal = mails.flatMap((mail) => [mail.subject, mail.text].filter((t) => INFORMAL.test(t)));
		expect(informal).toEqual([]);
	});

	it('the check itself catches informal words but not words that contain them', () => {
		expect(INFORMAL.test('Kies welke mails je krijgt')).toBe(true);
		expect(INFORMAL.test('Jouw perk')).toBe(true);
		expect(INFORMAL.test('Jeugdgroep, Bijenhotel, Stijn')).toBe(false);
	});
});

describe('plurals', () => {
	it('count members and weeks with the right word in both languages (compiled by Paraglide)', () => {
		expect(m.team_members_count({ count: 1 }, { locale: 'nl' })).toBe('1 lid');
		expect(m.team_members_count({ count: 2 }, { locale: 'nl' })).toBe('2 leden');
		expect(m.team_members_count({ count: 1 }, { locale: 'en' })).toBe('1 member');
		expect(m.team_members_count({ count: 2 }, { locale: 'en' })).toBe('2 members');
		expect(m.manage_stale_last({ date: '1-1-2026', weeks: 1 }, { locale: 'nl' })).toBe('laatste teken van leven 1-1-2026 (1 week)');
		expect(m.manage_stale_last({ date: '1-1-2026', weeks: 2 }, { locale: 'nl' })).toBe('laatste teken van leven 1-1-2026 (2 weken)');
		expect(m.manage_stale_last({ date: '2026-01-01', weeks: 1 }, { locale: 'en' })).toBe('last sign of life 2026-01-01 (1 week)');
		expect(m.manage_stale_last({ date: '2026-01-01', weeks: 2 }, { locale: 'en' })).toBe('last sign of life 2026-01-01 (2 weeks)');
	});
});

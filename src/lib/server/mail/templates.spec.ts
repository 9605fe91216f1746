import { describe, expect, it } from 'vitest';
import { authMail, escapeHtml, teamInviteMail, toMailLocale } from './templates';

describe('the account mails', () => {
	it('carry the link in text and HTML, with the words in the reader’s language', () => {
		const link = 'https://perkje.example.nl/verifieren?token=a&b="c"';
		const nl = authMail('auth_verify', 'nl', link);
		const en = authMail('auth_verify', 'en', link);
		expect(nl.text).toContain(link);
		expect(nl.html).toContain(escapeHtml(link));
		expect(nl.html).not.toContain('"c"');
		expect(nl.subject).not.toBe(en.subject);
	});

	it('escape what a member typed in a team invitation and count the days', () => {
		const mail = teamInviteMail('Tuinclub <De Hof>', 'https://perkje.example.nl/groepen/uitnodiging/x', 14, 'nl');
		expect(mail.subject).toContain('Tuinclub <De Hof>');
		expect(mail.text).toContain('14');
		expect(escapeHtml('<b>"&\'')).toBe('&#60;b&#62;&#34;&#38;&#39;');
	});

	it('fall back to Dutch for a locale Perkje does not speak', () => {
		expect(toMailLocale('en')).toBe('en');
		expect(toMailLocale('fr')).toBe('nl');
		expect(toMailLocale(null)).toBe('nl');
	});
});

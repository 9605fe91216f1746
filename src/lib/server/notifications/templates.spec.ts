import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS, notificationMail, notificationText } from './templates';

describe('notification texts', () => {
	it('has a Dutch and an English text for every kind, naming the plot one way', () => {
		for (const kind of NOTIFICATION_KINDS) {
			for (const locale of ['nl', 'en'] as const) {
				const t = notificationText(kind, { plotId: 12, neighbourhood: 'Wippolder', weeks: 9 }, locale);
				expect(t.subject.length, `${kind} ${locale}`).toBeGreaterThan(5);
				expect(t.subject + t.body, `${kind} ${locale}`).toContain(locale === 'nl' ? 'Perk 12 (Wippolder)' : 'Plot 12 (Wippolder)');
				expect(t.subject + t.body, `${kind} ${locale}`).not.toContain('#');
			}
		}
		expect(notificationText('adoption_approved', {}, 'nl').subject).not.toBe(notificationText('adoption_approved', {}, 'en').subject);
	});

	it('shows rows stored with the old ready-made label in the reader language', () => {
		const old = { plotId: 40, plotLabel: '#40 (Centrum-Zuidoost)' };
		expect(notificationText('adoption_approved', old, 'en').subject).toBe('Your adoption of Plot 40 (Centrum-Zuidoost) is approved');
		expect(notificationText('adoption_approved', old, 'nl').subject).toBe('Uw adoptie van Perk 40 (Centrum-Zuidoost) is goedgekeurd');
	});

	it('counts weeks with proper plurals in both languages', () => {
		const body = (weeks: number, locale: 'nl' | 'en') => notificationText('adoption_nudge', { plotId: 3, weeks }, locale).body;
		expect(body(1, 'nl')).toContain('al 1 week niets');
		expect(body(2, 'nl')).toContain('al 2 weken niets');
		expect(body(1, 'en')).toContain('for 1 week.');
		expect(body(2, 'en')).toContain('for 2 weeks.');
	});

	it('puts the reason in the mail, links to the plot in the reader language, and escapes HTML', () => {
		const nl = notificationMail('adoption_rejected', { plotId: 7, message: 'Hier komt <b>een</b> fietspad' }, 'nl', 'https://perkje.example.nl');
		expect(nl.text).toContain('De reden: Hier komt <b>een</b> fietspad');
		expect(nl.text).toContain('https://perkje.example.nl/plots/7');
		expect(nl.html).toContain('&#60;b&#62;een&#60;/b&#62;');
		expect(nl.html).not.toContain('<b>een</b>');
		const en = notificationMail('adoption_nudge', { plotId: 7, weeks: 10 }, 'en', 'https://perkje.example.nl');
		expect(en.text).toContain('https://perkje.example.nl/en/plots/7');
		expect(en.text).toContain('10 weeks');
		expect(en.text).toContain('https://perkje.example.nl/en/account');
	});

	it('tells the requester where to answer a question', () => {
		const t = notificationText('adoption_question', { plotId: 5, message: 'Hoe groot is uw groep?' }, 'nl');
		expect(t.body).toContain('Hoe groot is uw groep?');
		expect(t.body).toContain('Mijn perken');
	});

	it('gives an unknown kind (from an older version) a neutral text instead of failing', () => {
		expect(notificationText('something_new', {}, 'nl').subject).toBe('Nieuws van Perkje');
		expect(notificationText('something_new', {}, 'en').subject).toBe('News from Perkje');
	});
});

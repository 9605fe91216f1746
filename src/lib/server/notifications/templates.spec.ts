import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS, notificationMail, notificationText } from './templates';

describe('notification texts', () => {
	it('has a Dutch and an English text for every kind, naming the plot', () => {
		for (const kind of NOTIFICATION_KINDS) {
			for (const locale of ['nl', 'en'] as const) {
				const t = notificationText(kind, { plotId: 12, plotLabel: '#12 (Wippolder)', weeks: 9 }, locale);
				expect(t.subject.length, `${kind} ${locale}`).toBeGreaterThan(5);
				expect(t.subject + t.body, `${kind} ${locale}`).toContain('#12 (Wippolder)');
			}
		}
		expect(notificationText('adoption_approved', {}, 'nl').subject).not.toBe(notificationText('adoption_approved', {}, 'en').subject);
	});

	it('puts the reason in the mail, links to the plot in the reader language, and escapes HTML', () => {
		const nl = notificationMail('adoption_rejected', { plotId: 7, plotLabel: '#7', message: 'Hier komt <b>een</b> fietspad' }, 'nl', 'https://perkje.example.nl');
		expect(nl.text).toContain('De reden: Hier komt <b>een</b> fietspad');
		expect(nl.text).toContain('https://perkje.example.nl/plots/7');
		expect(nl.html).toContain('&#60;b&#62;een&#60;/b&#62;');
		expect(nl.html).not.toContain('<b>een</b>');
		const en = notificationMail('adoption_nudge', { plotId: 7, weeks: 10 }, 'en', 'https://perkje.example.nl');
		expect(en.text).toContain('https://perkje.example.nl/en/plots/7');
		expect(en.text).toContain('10 weeks');
		expect(en.text).toContain('https://perkje.example.nl/en/account');
	});

	it('gives an unknown kind (from an older version) a neutral text instead of failing', () => {
		expect(notificationText('something_new', {}, 'nl').subject).toBe('Nieuws van Perkje');
	});
});

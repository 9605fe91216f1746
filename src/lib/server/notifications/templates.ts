/**
 * Texts of the adoption notifications, Dutch and English: one text serves the e-mail and
 * the in-app list. Plain TypeScript like mail/templates.ts, because the outbox worker and
 * CLI commands run outside Vite (no Paraglide there).
 */
import type { MailLocale } from '../mail/templates';

export const NOTIFICATION_KINDS = [
	'adoption_approved',
	'adoption_rejected',
	'adoption_question',
	'adoption_offered',
	'adoption_ended',
	'adoption_nudge'
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * What a resident can turn off for e-mail. In-app notifications always arrive; account mails
 * (sign-in links, verification) are not topics at all.
 */
export const EMAIL_TOPICS = ['adoption_updates', 'reminders'] as const;
export type EmailTopic = (typeof EMAIL_TOPICS)[number];

export const TOPIC_OF: Record<NotificationKind, EmailTopic> = {
	adoption_approved: 'adoption_updates',
	adoption_rejected: 'adoption_updates',
	adoption_question: 'adoption_updates',
	adoption_offered: 'adoption_updates',
	adoption_ended: 'adoption_updates',
	adoption_nudge: 'reminders'
};

export interface NotificationPayload {
	plotId?: number;
	/** How the plot is called in texts ("perk 123 in Hof van Delft"). */
	plotLabel?: string;
	/** A manager's reason or question, as they wrote it. */
	message?: string;
	/** Weeks without activity, for the nudge. */
	weeks?: number;
}

interface Text {
	subject: (p: NotificationPayload) => string;
	body: (p: NotificationPayload) => string;
}

const plot = (p: NotificationPayload, fallback: string) => p.plotLabel ?? fallback;

const TEXTS: Record<NotificationKind, Record<MailLocale, Text>> = {
	adoption_approved: {
		nl: {
			subject: (p) => `Je adoptie van ${plot(p, 'een perk')} is goedgekeurd`,
			body: (p) => `Goed nieuws: je mag ${plot(p, 'het perk')} adopteren. Veel plezier ermee!`
		},
		en: {
			subject: (p) => `Your adoption of ${plot(p, 'a plot')} is approved`,
			body: (p) => `Good news: you may adopt ${plot(p, 'the plot')}. Enjoy!`
		}
	},
	adoption_rejected: {
		nl: {
			subject: (p) => `Je aanvraag voor ${plot(p, 'een perk')} is niet goedgekeurd`,
			body: (p) => `Je aanvraag voor ${plot(p, 'het perk')} is helaas niet goedgekeurd.${p.message ? `\nDe reden: ${p.message}` : ''}`
		},
		en: {
			subject: (p) => `Your request for ${plot(p, 'a plot')} was not approved`,
			body: (p) => `Sorry, your request for ${plot(p, 'the plot')} was not approved.${p.message ? `\nThe reason: ${p.message}` : ''}`
		}
	},
	adoption_question: {
		nl: {
			subject: (p) => `Een vraag over je aanvraag voor ${plot(p, 'een perk')}`,
			body: (p) => `De beheerder heeft een vraag over je aanvraag voor ${plot(p, 'het perk')}:\n${p.message ?? ''}`
		},
		en: {
			subject: (p) => `A question about your request for ${plot(p, 'a plot')}`,
			body: (p) => `The manager has a question about your request for ${plot(p, 'the plot')}:\n${p.message ?? ''}`
		}
	},
	adoption_offered: {
		nl: {
			subject: (p) => `Wil je ${plot(p, 'een perk')} adopteren?`,
			body: (p) => `De gemeente biedt je ${plot(p, 'een perk')} aan om te adopteren. Bevestig het op Perkje als je wilt.`
		},
		en: {
			subject: (p) => `Would you like to adopt ${plot(p, 'a plot')}?`,
			body: (p) => `The municipality offers you ${plot(p, 'a plot')} to adopt. Confirm it on Perkje if you like.`
		}
	},
	adoption_ended: {
		nl: {
			subject: (p) => `Je adoptie van ${plot(p, 'een perk')} is beëindigd`,
			body: (p) => `Je adoptie van ${plot(p, 'het perk')} is beëindigd.${p.message ? `\nDe reden: ${p.message}` : ''} Bedankt voor je zorg!`
		},
		en: {
			subject: (p) => `Your adoption of ${plot(p, 'a plot')} has ended`,
			body: (p) => `Your adoption of ${plot(p, 'the plot')} has ended.${p.message ? `\nThe reason: ${p.message}` : ''} Thank you for your care!`
		}
	},
	adoption_nudge: {
		nl: {
			subject: (p) => `Hoe gaat het met ${plot(p, 'je perk')}?`,
			body: (p) =>
				`We hebben al ${p.weeks ?? 'een paar'} weken niets gehoord over ${plot(p, 'je perk')}. Alles goed? Laat het ons weten, of beëindig de adoptie als het niet meer lukt — dat is helemaal prima.`
		},
		en: {
			subject: (p) => `How is ${plot(p, 'your plot')} doing?`,
			body: (p) =>
				`We haven't heard about ${plot(p, 'your plot')} for ${p.weeks ?? 'a few'} weeks. All well? Let us know, or end the adoption if it no longer works out — that is perfectly fine.`
		}
	}
};

export function isNotificationKind(value: string): value is NotificationKind {
	return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** Subject and body in the reader's language; an unknown kind gets a neutral text. */
export function notificationText(
	kind: string,
	payload: NotificationPayload,
	locale: MailLocale
): { subject: string; body: string } {
	if (!isNotificationKind(kind)) {
		return locale === 'en'
			? { subject: 'News from Perkje', body: 'There is news about your plot on Perkje.' }
			: { subject: 'Nieuws van Perkje', body: 'Er is nieuws over je perk op Perkje.' };
	}
	const t = TEXTS[kind][locale];
	return { subject: t.subject(payload), body: t.body(payload) };
}

function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The e-mail: the text, a link to the plot (or to the notifications page), a footer. */
export function notificationMail(
	kind: NotificationKind,
	payload: NotificationPayload,
	locale: MailLocale,
	origin: string
): { subject: string; text: string; html: string } {
	const { subject, body } = notificationText(kind, payload, locale);
	const prefix = locale === 'en' ? '/en' : '';
	const link = new URL(payload.plotId ? `${prefix}/plots/${payload.plotId}` : `${prefix}/account/meldingen`, origin).toString();
	const settings = new URL(`${prefix}/account`, origin).toString();
	const footer =
		locale === 'en'
			? `You get this mail because of your plot on Perkje. Choose which mails you get: ${settings}`
			: `Je krijgt deze mail vanwege je perk op Perkje. Kies welke mails je krijgt: ${settings}`;
	const text = `${body}\n\n${link}\n\n-- Perkje\n${footer}\n`;
	const html =
		body
			.split('\n')
			.map((line) => `<p>${escapeHtml(line)}</p>`)
			.join('') +
		`<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` +
		`<p>— Perkje</p><p><small>${escapeHtml(footer)}</small></p>`;
	return { subject, text, html };
}

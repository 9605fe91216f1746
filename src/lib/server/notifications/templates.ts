/**
 * Texts of the adoption notifications, Dutch and English: one text serves the e-mail and
 * the in-app list. The words live in the message catalogue (src/messages/*.json, keys
 * notify_*); a notification is stored as its kind and parameters, and rendered when it is
 * read, so the in-app list follows the reader's language, and older rows still show.
 */
import { parseLegacyPlotLabel, plotName } from '#lib/domain/plot-name.js';
import * as m from '#lib/paraglide/messages.js';
import { escapeHtml, type MailLocale } from '#server/mail';

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
	/** The plot's buurt, so texts can name the plot with it: "Perk 25 (Wippolder)". */
	neighbourhood?: string | null;
	/** Older rows only: a ready-made label ("#25 (Wippolder)"), read back into the same form. */
	plotLabel?: string;
	/** A manager's reason or question, as they wrote it. */
	message?: string;
	/** Weeks without activity, for the nudge. */
	weeks?: number;
}

type Inputs = { plot: string; weeks: number };
type Say = (p: Inputs, options: { locale: MailLocale }) => string;

interface Text {
	subject: Say;
	/** The body's lines; `message` (a reason or a question) goes where the text says. */
	body: (p: Inputs & { message?: string }, options: { locale: MailLocale }) => string[];
}

const reason = (message: string | undefined, options: { locale: MailLocale }) =>
	message ? [m.notify_text_reason({ message }, options)] : [];

const TEXTS: Record<NotificationKind, Text> = {
	adoption_approved: {
		subject: m.notify_adoption_approved_subject,
		body: (p, o) => [m.notify_adoption_approved_body(p, o)]
	},
	adoption_rejected: {
		subject: m.notify_adoption_rejected_subject,
		body: (p, o) => [m.notify_adoption_rejected_body(p, o), ...reason(p.message, o)]
	},
	adoption_question: {
		subject: m.notify_adoption_question_subject,
		body: (p, o) => [m.notify_adoption_question_body(p, o), p.message ?? '', m.notify_adoption_question_how({}, o)]
	},
	adoption_offered: {
		subject: m.notify_adoption_offered_subject,
		body: (p, o) => [m.notify_adoption_offered_body(p, o), ...reason(p.message, o)]
	},
	adoption_ended: {
		subject: m.notify_adoption_ended_subject,
		body: (p, o) => [m.notify_adoption_ended_body(p, o), ...reason(p.message, o), m.notify_adoption_ended_thanks({}, o)]
	},
	adoption_nudge: {
		subject: m.notify_adoption_nudge_subject,
		body: (p, o) => [m.notify_adoption_nudge_body(p, o)]
	}
};

/** The plot as texts name it, from what the row stored (new rows: id and buurt; old rows: a label). */
function plotOf(payload: NotificationPayload, locale: MailLocale): string {
	if (typeof payload.plotId === 'number') {
		const legacy = payload.plotLabel ? parseLegacyPlotLabel(payload.plotLabel) : null;
		return plotName(payload.plotId, { neighbourhood: payload.neighbourhood ?? legacy?.neighbourhood, locale });
	}
	return payload.plotLabel ?? m.notify_text_some_plot({}, { locale });
}

export function isNotificationKind(value: string): value is NotificationKind {
	return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** Subject and body in the reader's language; an unknown kind gets a neutral text. */
export function notificationText(
	kind: string,
	payload: NotificationPayload,
	locale: MailLocale
): { subject: string; body: string } {
	const options = { locale };
	if (!isNotificationKind(kind)) {
		return { subject: m.notify_unknown_subject({}, options), body: m.notify_unknown_body({}, options) };
	}
	const t = TEXTS[kind];
	// Nudges always store their weeks; 8 (PERKJE_STALE_WEEKS's default) only keeps the type whole.
	const inputs = { plot: plotOf(payload, locale), weeks: payload.weeks ?? 8 };
	return {
		subject: t.subject(inputs, options),
		body: t.body({ ...inputs, message: payload.message }, options).join('\n')
	};
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
	const footer = m.notify_mail_footer({ link: settings }, { locale });
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

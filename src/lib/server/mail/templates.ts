/**
 * The account mails, Dutch and English. The texts live in the message catalogue
 * (src/messages/*.json, keys mail_auth_*) like every other text; the compiled Paraglide
 * messages are plain modules, so CLI commands that send mail (admin:create) can use them too.
 */
import * as m from '#lib/paraglide/messages.js';

export type MailLocale = 'nl' | 'en';

export type AuthMailKind = 'auth_verify' | 'auth_reset' | 'auth_magic_link' | 'auth_staff_invite';

interface Text {
	subject: string;
	intro: string;
	action: string;
	outro: string;
}

type Message = (inputs?: Record<string, never>, options?: { locale?: MailLocale }) => string;

const TEXTS: Record<AuthMailKind, Record<keyof Text, Message>> = {
	auth_verify: {
		subject: m.mail_auth_verify_subject,
		intro: m.mail_auth_verify_intro,
		action: m.mail_auth_verify_action,
		outro: m.mail_auth_verify_outro
	},
	auth_reset: {
		subject: m.mail_auth_reset_subject,
		intro: m.mail_auth_reset_intro,
		action: m.mail_auth_reset_action,
		outro: m.mail_auth_reset_outro
	},
	auth_magic_link: {
		subject: m.mail_auth_magic_link_subject,
		intro: m.mail_auth_magic_link_intro,
		action: m.mail_auth_magic_link_action,
		outro: m.mail_auth_magic_link_outro
	},
	auth_staff_invite: {
		subject: m.mail_auth_staff_invite_subject,
		intro: m.mail_auth_staff_invite_intro,
		action: m.mail_auth_staff_invite_action,
		outro: m.mail_auth_staff_invite_outro
	}
};

function textOf(kind: AuthMailKind, locale: MailLocale): Text {
	const t = TEXTS[kind];
	const say = (msg: Message) => msg({}, { locale });
	return { subject: say(t.subject), intro: say(t.intro), action: say(t.action), outro: say(t.outro) };
}

export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function authMail(
	kind: AuthMailKind,
	locale: MailLocale,
	link: string
): { subject: string; text: string; html: string } {
	const t = textOf(kind, locale);
	const text = `${t.intro}\n\n${link}\n\n${t.outro}\n\n-- Perkje\n`;
	const html =
		`<p>${escapeHtml(t.intro)}</p>` +
		`<p><a href="${escapeHtml(link)}">${escapeHtml(t.action)}</a></p>` +
		`<p>${escapeHtml(link)}</p>` +
		`<p>${escapeHtml(t.outro)}</p><p>— Perkje</p>`;
	return { subject: t.subject, text, html };
}

/** The invitation to join a team, sent to an address a member typed in. */
export function teamInviteMail(team: string, url: string, days: number, locale: MailLocale): { subject: string; text: string } {
	const options = { locale };
	return {
		subject: m.mail_team_invite_subject({ team }, options),
		text: `${m.mail_team_invite_intro({ team }, options)}\n\n${m.mail_team_invite_action({ days }, options)}\n${url}\n\n-- Perkje\n`
	};
}

export function toMailLocale(value: string | null | undefined): MailLocale {
	return value === 'en' ? 'en' : 'nl';
}

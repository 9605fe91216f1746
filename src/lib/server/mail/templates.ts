/**
 * Texts of the account mails, Dutch and English. Plain TypeScript rather than Paraglide
 * messages because mails are also sent from CLI commands, which run outside Vite.
 */
export type MailLocale = 'nl' | 'en';

export type AuthMailKind = 'auth_verify' | 'auth_reset' | 'auth_magic_link' | 'auth_staff_invite';

interface Text {
	subject: string;
	intro: string;
	action: string;
	outro: string;
}

const TEXTS: Record<AuthMailKind, Record<MailLocale, Text>> = {
	auth_verify: {
		nl: {
			subject: 'Bevestig je e-mailadres voor Perkje',
			intro: 'Welkom bij Perkje! Bevestig je e-mailadres met deze link:',
			action: 'E-mailadres bevestigen',
			outro: 'De link werkt een uur. Heb je je niet aangemeld? Dan kun je deze mail negeren.'
		},
		en: {
			subject: 'Confirm your e-mail address for Perkje',
			intro: 'Welcome to Perkje! Confirm your e-mail address with this link:',
			action: 'Confirm e-mail address',
			outro: "The link works for one hour. Didn't sign up? Then you can ignore this mail."
		}
	},
	auth_reset: {
		nl: {
			subject: 'Nieuw wachtwoord voor Perkje',
			intro: 'Je vroeg om een nieuw wachtwoord. Kies er een met deze link:',
			action: 'Nieuw wachtwoord kiezen',
			outro: 'De link werkt een uur. Heb je niets gevraagd? Dan blijft je wachtwoord gewoon hetzelfde.'
		},
		en: {
			subject: 'New password for Perkje',
			intro: 'You asked for a new password. Choose one with this link:',
			action: 'Choose a new password',
			outro: "The link works for one hour. Didn't ask for this? Then your password stays as it is."
		}
	},
	auth_magic_link: {
		nl: {
			subject: 'Je aanmeldlink voor Perkje',
			intro: 'Meld je aan bij Perkje met deze link, zonder wachtwoord:',
			action: 'Aanmelden',
			outro: 'De link werkt 15 minuten en één keer. Heb je niets gevraagd? Dan kun je deze mail negeren.'
		},
		en: {
			subject: 'Your sign-in link for Perkje',
			intro: 'Sign in to Perkje with this link, no password needed:',
			action: 'Sign in',
			outro: "The link works for 15 minutes, once. Didn't ask for it? Then you can ignore this mail."
		}
	},
	auth_staff_invite: {
		nl: {
			subject: 'Je bent uitgenodigd voor Perkje',
			intro: 'Een beheerder heeft een account voor je gemaakt bij Perkje. Meld je aan met je e-mailadres via:',
			action: 'Naar Perkje',
			outro: 'Vraag op die pagina een aanmeldlink aan; je hebt geen wachtwoord nodig.'
		},
		en: {
			subject: "You've been invited to Perkje",
			intro: 'An administrator made an account for you on Perkje. Sign in with your e-mail address at:',
			action: 'Go to Perkje',
			outro: 'Ask for a sign-in link on that page; you need no password.'
		}
	}
};

function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function authMail(
	kind: AuthMailKind,
	locale: MailLocale,
	link: string
): { subject: string; text: string; html: string } {
	const t = TEXTS[kind][locale];
	const text = `${t.intro}\n\n${link}\n\n${t.outro}\n\n-- Perkje\n`;
	const html =
		`<p>${escapeHtml(t.intro)}</p>` +
		`<p><a href="${escapeHtml(link)}">${escapeHtml(t.action)}</a></p>` +
		`<p>${escapeHtml(link)}</p>` +
		`<p>${escapeHtml(t.outro)}</p><p>— Perkje</p>`;
	return { subject: t.subject, text, html };
}

export function toMailLocale(value: string | null | undefined): MailLocale {
	return value === 'en' ? 'en' : 'nl';
}

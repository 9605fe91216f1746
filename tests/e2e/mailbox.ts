import type { ReceivedMail } from '../support/test-smtp';

/**
 * The e2e mailbox (tests/support/mailbox-server.ts): ports in the auth range 4300–4399.
 * playwright.config.ts starts it as a webServer and gives the app servers its SMTP_URL.
 */
const smtpPort = Number(process.env.PERKJE_E2E_MAIL_PORT ?? 4301);
const httpPort = smtpPort + 1;
const apiUrl = `http://127.0.0.1:${httpPort}`;

export const MAILBOX = {
	smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
	webServer: {
		command: 'node node_modules/tsx/dist/cli.mjs tests/support/mailbox-server.ts',
		url: `${apiUrl}/health`,
		env: { MAILBOX_SMTP_PORT: String(smtpPort), MAILBOX_HTTP_PORT: String(httpPort) },
		timeout: 30_000,
		reuseExistingServer: false,
		stdout: 'ignore' as const,
		stderr: 'pipe' as const
	}
};

/** All mails to `to` received so far. */
export async function mailsTo(to: string): Promise<ReceivedMail[]> {
	const response = await fetch(`${apiUrl}/mails?to=${encodeURIComponent(to)}`);
	return (await response.json()) as ReceivedMail[];
}

/** Waits for the n-th (1-based) mail to `to` whose subject matches, and returns it. */
export async function waitForMail(to: string, subject: RegExp, nth = 1): Promise<ReceivedMail> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const found = (await mailsTo(to)).filter((m) => subject.test(m.subject));
		if (found.length >= nth) return found[nth - 1];
		if (Date.now() > deadline) throw new Error(`No mail "${subject}" to ${to}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

import { mailOutbox } from '#lib/server/db/schema.js';
import type { Db } from '#server/db';
import { logger } from '#server/logging';
import { getConfig, type MailConfig } from '#server/config';
import { demoMailboxEnabled } from './demo-mailbox';
import { sendOverSmtp } from './transport';

export interface OutgoingMail {
	to: string;
	/** The account it is about, so "delete my account" also deletes its mails. */
	userId?: string | null;
	/** What it is (auth_verify, auth_reset, ...): for the log, operators and tests. */
	kind: string;
	subject: string;
	text: string;
	html?: string;
}

export type Delivery = { via: 'smtp'; messageId: string } | { via: 'outbox'; outboxId: number };

/**
 * Sends one mail now. With SMTP configured it goes out at once (the person is waiting for
 * it); a failure is kept in the outbox as 'failed' so an operator sees it. Without SMTP
 * (development, the demo) it is written to the outbox as 'logged', and only that fact goes to
 * the log (logKeptInOutbox); in demo mode the demo mailbox shows it, so every flow can still
 * be completed there.
 */
export async function sendMail(
	db: Db,
	mail: OutgoingMail,
	config: MailConfig = getConfig().mail
): Promise<Delivery> {
	if (config.smtpUrl) {
		try {
			const messageId = await sendOverSmtp(config.smtpUrl, config.from, mail);
			logger.info({ mail: mail.kind, messageId }, 'mail sent');
			// In demo mode a copy stays for the demo mailbox (mail/demo-mailbox.ts), also when a
			// relay is configured. Never outside demo mode: these mails hold sign-in links.
			if (demoMailboxEnabled()) {
				await db
					.insert(mailOutbox)
					.values({ ...outboxValues(mail), status: 'sent', sentAt: new Date() });
			}
			return { via: 'smtp', messageId };
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			logger.error({ mail: mail.kind, err: message }, 'mail could not be sent');
			const [row] = await db
				.insert(mailOutbox)
				.values({ ...outboxValues(mail), status: 'failed', attempts: 1, lastError: message })
				.returning({ id: mailOutbox.id });
			return { via: 'outbox', outboxId: row.id };
		}
	}
	const [row] = await db
		.insert(mailOutbox)
		.values({ ...outboxValues(mail), status: 'logged' })
		.returning({ id: mailOutbox.id });
	logKeptInOutbox({ kind: mail.kind, to: mail.to, outboxId: row.id });
	return { via: 'outbox', outboxId: row.id };
}

/**
 * The log line for a mail that was not sent for want of SMTP: what, to whom and which outbox
 * row, never the subject or text. Those carry sign-in, verification and invitation links, and
 * whoever reads the log (an operator, a log service) must not be able to sign in as a resident.
 * In demo mode the demo mailbox (/demo/post) shows the mail itself.
 */
export function logKeptInOutbox(mail: { kind: string; to: string; outboxId: number }): void {
	logger.info({ mail: mail.kind, outboxId: mail.outboxId, to: mail.to }, 'mail not sent (no SMTP_URL): kept in the outbox');
}

function outboxValues(mail: OutgoingMail) {
	return {
		userId: mail.userId ?? null,
		recipient: mail.to,
		subject: mail.subject,
		textBody: mail.text,
		htmlBody: mail.html ?? null,
		kind: mail.kind
	};
}

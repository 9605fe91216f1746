import { mailOutbox } from '../db/schema';
import type { Db } from '../db';
import { logger } from '../logging/logger';
import { readMailConfig, type MailConfig } from './config';
import { demoMailboxEnabled } from './demo-mailbox';
import { transportFor } from './transport';

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
 * (development, the demo) it is written to the outbox as 'logged' and to the log, so
 * every flow can still be completed by reading the link there.
 */
export async function sendMail(
	db: Db,
	mail: OutgoingMail,
	config: MailConfig = readMailConfig()
): Promise<Delivery> {
	if (config.smtpUrl) {
		try {
			const info = await transportFor(config.smtpUrl).sendMail({
				from: config.from,
				to: mail.to,
				subject: mail.subject,
				text: mail.text,
				html: mail.html
			});
			logger.info({ mail: mail.kind, messageId: info.messageId }, 'mail sent');
			// In demo mode a copy stays for the demo mailbox (mail/demo-mailbox.ts), also when a
			// relay is configured. Never outside demo mode: these mails hold sign-in links.
			if (demoMailboxEnabled()) {
				await db
					.insert(mailOutbox)
					.values({ ...outboxValues(mail), status: 'sent', sentAt: new Date() });
			}
			return { via: 'smtp', messageId: info.messageId };
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
	// The whole mail in the log on purpose: with no SMTP this is how a demo user (or a
	// developer) gets the link. Never the case on a server that has SMTP configured.
	logger.info(
		{ mail: mail.kind, outboxId: row.id, to: mail.to, subject: mail.subject, text: mail.text },
		'mail not sent (no SMTP_URL): kept in the outbox'
	);
	return { via: 'outbox', outboxId: row.id };
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

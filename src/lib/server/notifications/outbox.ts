import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '#server/db';
import { mailOutbox } from '#lib/server/db/schema.js';
import { logger } from '#server/logging';
import { getConfig, type MailConfig } from '#server/config';
import { logKeptInOutbox, sendOverSmtp, type OutgoingMail } from '#server/mail';

/**
 * The transactional outbox. A change that should mail someone writes the mail as a
 * 'pending' row IN ITS OWN TRANSACTION (enqueueMail): the mail exists exactly when the change
 * committed. The worker below sends pending rows and marks them.
 *
 * Delivery is AT LEAST ONCE, not exactly once, and that is the honest best over SMTP:
 * - A row is claimed (claimed_at, attempts + 1) in one UPDATE over a
 *   `FOR UPDATE SKIP LOCKED` selection, so two workers (two app processes on one
 *   PostgreSQL) never claim the same row; the claim commits before sending.
 * - The worker sends, then marks the row 'sent'. A crash before the send: the claim expires
 *   after CLAIM_LEASE and another run takes the row again — nothing is lost. A crash after
 *   the SMTP server accepted the mail but before the mark: the mail is sent again after the
 *   lease. That window is milliseconds; to let mail software fold such a repeat, every
 *   attempt of one row carries the same Message-ID.
 * - An SMTP failure puts the row back with next_attempt_at pushed out (exponential backoff);
 *   after MAX_ATTEMPTS it becomes 'failed' and shows on /admin/mail.
 * Without SMTP_URL (development, the demo) pending mails become 'logged'; the log says so
 * without the mail's text (see logKeptInOutbox), and in demo mode the demo mailbox shows it.
 */

export interface OutboxOptions {
	/** Rows per run. */
	batchSize?: number;
	/** First retry delay; doubles per attempt, capped at maxDelayMs. */
	retryBaseMs?: number;
	maxDelayMs?: number;
	maxAttempts?: number;
	/** How long a claim holds before another worker may retake the row (crash recovery). */
	claimLeaseMs?: number;
}

const DEFAULTS: Required<OutboxOptions> = {
	batchSize: 20,
	retryBaseMs: 60_000,
	maxDelayMs: 6 * 60 * 60_000,
	maxAttempts: 8,
	// Longer than the SMTP timeouts below, so a slow send is never retaken while in flight.
	claimLeaseMs: 5 * 60_000
};

/** Writes a mail for the worker, inside the caller's transaction. */
export async function enqueueMail(tx: Tx | Db, mail: OutgoingMail): Promise<number> {
	const [row] = await tx
		.insert(mailOutbox)
		.values({
			userId: mail.userId ?? null,
			recipient: mail.to,
			subject: mail.subject,
			textBody: mail.text,
			htmlBody: mail.html ?? null,
			kind: mail.kind,
			status: 'pending'
		})
		.returning({ id: mailOutbox.id });
	return row.id;
}

/** Delay before attempt `attempts + 1`, after `attempts` failed ones. */
export function retryDelayMs(attempts: number, options: OutboxOptions = {}): number {
	const { retryBaseMs, maxDelayMs } = { ...DEFAULTS, ...options };
	return Math.min(maxDelayMs, retryBaseMs * 2 ** Math.max(0, attempts - 1));
}

interface ClaimedMail {
	id: number;
	recipient: string;
	subject: string;
	textBody: string;
	htmlBody: string | null;
	kind: string;
	attempts: number;
	createdAt: string | Date;
}

/** Same for every attempt of a row, so a repeat after a crash is recognisably the same mail. */
function messageIdFor(mail: ClaimedMail, from: string): string {
	const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'perkje.invalid';
	return `<outbox-${mail.id}-${new Date(mail.createdAt).getTime()}@${domain}>`;
}

export interface OutboxRunResult {
	claimed: number;
	sent: number;
	logged: number;
	retried: number;
	failed: number;
}

/**
 * One pass: claim due pending rows, send each, mark it. Safe to run from several processes
 * at once. Returns what it did (for tests and the log).
 */
export async function processOutbox(
	db: Db,
	config: MailConfig = getConfig().mail,
	options: OutboxOptions = {}
): Promise<OutboxRunResult> {
	const o = { ...DEFAULTS, ...options };
	const claimed = await queryRows<ClaimedMail>(
		db,
		sql`update mail_outbox set claimed_at = now(), attempts = attempts + 1
		    where id in (
		      select id from mail_outbox
		      where status = 'pending' and next_attempt_at <= now()
		        and (claimed_at is null or claimed_at < now() - make_interval(secs => ${o.claimLeaseMs / 1000}))
		      order by next_attempt_at, id
		      limit ${o.batchSize}
		      for update skip locked)
		    returning id, recipient, subject, text_body as "textBody", html_body as "htmlBody", kind,
		      attempts, created_at as "createdAt"`
	);
	const result: OutboxRunResult = { claimed: claimed.length, sent: 0, logged: 0, retried: 0, failed: 0 };
	for (const mail of claimed) {
		if (!config.smtpUrl) {
			logKeptInOutbox({ kind: mail.kind, to: mail.recipient, outboxId: mail.id });
			await db.execute(
				sql`update mail_outbox set status = 'logged', claimed_at = null where id = ${mail.id}`
			);
			result.logged++;
			continue;
		}
		try {
			const messageId = await sendOverSmtp(config.smtpUrl, config.from, {
				to: mail.recipient,
				subject: mail.subject,
				text: mail.textBody,
				html: mail.htmlBody ?? undefined,
				messageId: messageIdFor(mail, config.from)
			});
			await db.execute(
				sql`update mail_outbox set status = 'sent', sent_at = now(), claimed_at = null, last_error = null
				    where id = ${mail.id}`
			);
			logger.info({ mail: mail.kind, outboxId: mail.id, messageId }, 'mail sent');
			result.sent++;
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			if (mail.attempts >= o.maxAttempts) {
				await db.execute(
					sql`update mail_outbox set status = 'failed', claimed_at = null, last_error = ${message}
					    where id = ${mail.id}`
				);
				logger.error({ mail: mail.kind, outboxId: mail.id, attempts: mail.attempts, err: message }, 'mail failed for good');
				result.failed++;
			} else {
				const delayMs = retryDelayMs(mail.attempts, o);
				await db.execute(
					sql`update mail_outbox set claimed_at = null, last_error = ${message},
					      next_attempt_at = now() + make_interval(secs => ${delayMs / 1000})
					    where id = ${mail.id}`
				);
				logger.warn({ mail: mail.kind, outboxId: mail.id, attempts: mail.attempts, retryInMs: delayMs, err: message }, 'mail not sent; will retry');
				result.retried++;
			}
		}
	}
	return result;
}

export interface OutboxWorker {
	/** Runs a pass now (also what the timer does); passes never overlap. */
	runOnce(): Promise<OutboxRunResult | null>;
	/** Stops the timer and waits for a pass in progress. */
	stop(): Promise<void>;
}

/**
 * Runs processOutbox every `intervalMs` in this process. The timer is unref'd (it never keeps
 * the process alive) and a pass that throws (database gone) is logged and retried next tick.
 */
export function startOutboxWorker(
	db: Db,
	options: OutboxOptions & { intervalMs?: number; config?: MailConfig } = {}
): OutboxWorker {
	let running: Promise<OutboxRunResult | null> | null = null;
	let stopped = false;
	const runOnce = () => {
		if (stopped) return Promise.resolve(null);
		running ??= processOutbox(db, options.config ?? getConfig().mail, options)
			.catch((e: unknown) => {
				logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'outbox pass failed; will retry');
				return null;
			})
			.finally(() => {
				running = null;
			});
		return running;
	};
	const timer = setInterval(() => void runOnce(), options.intervalMs ?? 5_000);
	timer.unref();
	return {
		runOnce,
		async stop() {
			stopped = true;
			clearInterval(timer);
			await running;
		}
	};
}

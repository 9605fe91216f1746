import { sql } from 'drizzle-orm';
import { HANDLED_MAIL_STATUSES } from '#lib/domain/mail.js';
import { sqlList, type Db } from '#server/db';
import { startRepeating, type RepeatingJob } from '#server/jobs';
import { pruneRateLimits } from '#server/ratelimit';

/** How long Perkje keeps short-lived personal data (see the README's privacy section). */
export const RETENTION = {
	/** Mails kept in the outbox after they were sent or logged. */
	mailDays: 30
} as const;

/**
 * Deletes what has outlived its purpose: ended sessions, used-up or expired sign-in and
 * reset tokens, old rate-limit windows, and old mails. Run hourly by every app process
 * (startRetentionSweep); deleting what is already gone is harmless, so several may run.
 */
export async function pruneExpired(db: Db): Promise<void> {
	await db.execute(sql`delete from sessions where expires_at < now()`);
	await db.execute(sql`delete from verifications where expires_at < now()`);
	await db.execute(
		sql`delete from mail_outbox where status in ${sqlList(HANDLED_MAIL_STATUSES)}
		    and created_at < now() - make_interval(days => ${RETENTION.mailDays})`
	);
	await pruneRateLimits(db);
}

/** Runs pruneExpired hourly in this process; stopped by shutdownApp(). */
export function startRetentionSweep(db: Db, everyMs = 60 * 60_000): RepeatingJob {
	return startRepeating('retention sweep', everyMs, () => pruneExpired(db));
}

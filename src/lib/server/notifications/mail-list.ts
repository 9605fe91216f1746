import { desc } from 'drizzle-orm';
import type { Db } from '#server/db';
import { mailOutbox } from '#lib/server/db/schema.js';

/**
 * The latest mails (outbox), for admins checking what went out: who, what kind, subject,
 * status and when, never a body. Bodies hold live sign-in, verification and invitation links;
 * an admin who could read them could sign in as any resident, unaudited. Leaving bodies out
 * of the query (rather than scrubbing links out of them) cannot miss a link in a new kind of
 * mail or an unusual URL form. In demo mode /demo/post shows a mail to its own address.
 */
export async function listRecentMail(db: Db, limit = 50) {
	return db
		.select({
			id: mailOutbox.id,
			recipient: mailOutbox.recipient,
			subject: mailOutbox.subject,
			kind: mailOutbox.kind,
			status: mailOutbox.status,
			createdAt: mailOutbox.createdAt
		})
		.from(mailOutbox)
		.orderBy(desc(mailOutbox.id))
		.limit(limit);
}

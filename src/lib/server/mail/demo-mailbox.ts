import { desc, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getConfig } from '#server/config';
import type { Db } from '#server/db';
import { mailOutbox } from '#lib/server/db/schema.js';

/**
 * The demo mailbox: in demo mode, the mails the app wrote to an address, readable in the
 * app itself, so a newcomer can confirm an account and sign in with a link without an SMTP
 * server or the server log. Outside demo mode it does not exist (the route answers 404), and
 * it is the only page that ever shows a mail's links.
 */
export function demoMailboxEnabled(): boolean {
	return getConfig().demo;
}

export const DemoMailboxQuery = z.object({
	aan: z.email().max(254).transform((a) => a.toLowerCase())
});

export interface DemoMail {
	id: number;
	subject: string;
	text: string;
	createdAt: Date;
}

/** The newest mails to one address. Asking per address keeps one visitor's links out of the next visitor's list. */
export async function demoMailFor(db: Db, address: string, limit = 20): Promise<DemoMail[]> {
	return db
		.select({
			id: mailOutbox.id,
			subject: mailOutbox.subject,
			text: mailOutbox.textBody,
			createdAt: mailOutbox.createdAt
		})
		.from(mailOutbox)
		.where(sql`lower(${mailOutbox.recipient}) = ${address}`)
		.orderBy(desc(mailOutbox.id))
		.limit(limit);
}

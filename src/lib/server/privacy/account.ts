import { eq } from 'drizzle-orm';
import type { Db } from '#server/db';
import { users } from '#lib/server/db/schema.js';
import { logger } from '#server/logging';
import { PRIVACY_SECTIONS } from './sections';

export const EXPORT_FORMAT_VERSION = 1;

export interface AccountExport {
	format: 'perkje-account-export';
	version: number;
	generatedAt: string;
	/** One key per section in PRIVACY_SECTIONS. */
	data: Record<string, unknown>;
}

/** "Download my data": everything Perkje keeps about this account, as one JSON document. */
export async function exportAccount(db: Db, userId: string): Promise<AccountExport> {
	// One read-only snapshot, so the sections agree with each other.
	const data = await db.transaction(async (tx) => {
		const out: Record<string, unknown> = {};
		for (const section of PRIVACY_SECTIONS) out[section.name] = await section.export(tx, userId);
		return out;
	});
	return {
		format: 'perkje-account-export',
		version: EXPORT_FORMAT_VERSION,
		generatedAt: new Date().toISOString(),
		data
	};
}

/**
 * "Delete my account": all personal data goes at once, in one transaction — every
 * section's erase, then the user row (sessions, sign-in methods and areas cascade;
 * contributions keep existing with their user reference set to null). Either all of it
 * happens or none of it.
 */
export async function deleteAccount(db: Db, userId: string): Promise<boolean> {
	const deleted = await db.transaction(async (tx) => {
		const [user] = await tx
			.select({ email: users.email })
			.from(users)
			.where(eq(users.id, userId))
			.for('update');
		if (!user) return false;
		for (const section of PRIVACY_SECTIONS) await section.erase?.(tx, userId, user.email);
		await tx.delete(users).where(eq(users.id, userId));
		return true;
	});
	// No e-mail address in the log: the point is that it is gone.
	if (deleted) logger.info({ event: 'account_deleted' }, 'account deleted on request');
	return deleted;
}

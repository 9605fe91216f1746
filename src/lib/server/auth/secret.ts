import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '#server/db';
import { serverSecrets } from '#lib/server/db/schema.js';

const NAME = 'auth-session-secret';

/**
 * The key that signs session cookies. Configured (BETTER_AUTH_SECRET) wins; otherwise one is
 * made on first start and kept in the database, so every app process signs alike and a
 * restart does not sign everybody out — without anyone having to invent a secret for a demo.
 */
export async function resolveAuthSecret(db: Db, configured: string | undefined): Promise<string> {
	if (configured) return configured;
	await db
		.insert(serverSecrets)
		.values({ name: NAME, value: randomBytes(32).toString('base64url') })
		.onConflictDoNothing();
	const [row] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, NAME));
	return row.value;
}

import { spawnSync } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeDatabase, getDb } from '#server/db';
import { users } from '#lib/server/db/schema.js';

/** `npm run admin:create -- EMAIL` against this file's own database (both kinds). */
function adminCreate(...args: string[]) {
	return spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/admin-create.ts', ...args], {
		env: { ...process.env, LOG_LEVEL: 'warn' },
		encoding: 'utf8',
		timeout: 120_000
	});
}

async function roleOf(email: string) {
	const [row] = await getDb().select().from(users).where(eq(users.email, email));
	// The embedded database has one owner at a time: hand it back to the next command.
	await closeDatabase();
	return row?.role;
}

describe('admin:create', () => {
	it('creates the first administrator, without a password', async () => {
		const result = adminCreate('Eerste.Admin@Gemeente.nl');
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain('Created administrator eerste.admin@gemeente.nl');
		expect(result.stdout).toContain('/aanmelden');
		expect(await roleOf('eerste.admin@gemeente.nl')).toBe('admin');
	});

	it('promotes an existing account and refuses a wrong command line', async () => {
		const again = adminCreate('eerste.admin@gemeente.nl');
		expect(again.status, again.stderr).toBe(0);
		expect(again.stdout).toContain('Promoted administrator');
		const wrong = adminCreate('not-an-address');
		expect(wrong.status).toBe(2);
		expect(wrong.stderr).toContain('Usage: npm run admin:create -- EMAIL');
	});
});

/**
 * `npm run admin:create -- EMAIL`: makes EMAIL a platform administrator — a new account, or
 * an existing one promoted. This is how the first admin comes into being; there is no
 * default admin and no default password. The admin signs in with a sign-in link mailed
 * to EMAIL (or, with no SMTP configured, found in the server log and the mail outbox).
 *
 * Exit codes: 0 done; 1 the database is busy or unusable; 2 the command line is wrong.
 */
import { z } from 'zod';
import { upsertAccount } from '#server/auth';
import { getConfig, type Config } from '#server/config';
import { openDatabase, DataDirLockedError, DatabaseUnusableError, runMigrations } from '#server/db';

const USAGE = 'Usage: npm run admin:create -- EMAIL';

const email = z.email().safeParse(process.argv[2]?.trim().toLowerCase());
if (!email.success || process.argv.length > 3) {
	console.error(USAGE);
	process.exit(2);
}

let config: Config;
try {
	config = getConfig();
} catch (e) {
	console.error(`admin:create failed: ${(e as Error).message}`);
	process.exit(1);
}
let database;
try {
	database = openDatabase({ ...config.db, holder: 'admin:create' });
	await runMigrations(database, config.projectRoot);
	const { created } = await upsertAccount(database.db, { email: email.data, role: 'admin' });
	const origin = config.auth.publicOrigin ?? 'http://localhost:3000';
	console.log(
		`${created ? 'Created' : 'Promoted'} administrator ${email.data}.\n` +
			`Sign in at ${origin}/aanmelden with "Stuur mij een aanmeldlink" (no password needed).`
	);
} catch (e) {
	const explained = e instanceof DataDirLockedError || e instanceof DatabaseUnusableError;
	console.error(`admin:create failed: ${e instanceof Error ? e.message : String(e)}`);
	if (!explained && e instanceof Error && e.stack) console.error(e.stack);
	process.exitCode = 1;
} finally {
	await database?.close();
}

import { hashPassword } from 'better-auth/crypto';
import { sql } from 'drizzle-orm';
import type { Role } from '#lib/domain/policy.js';
import { queryRows, type Database } from '#server/db';
import { getConfig } from '#server/config';
import { logger } from '#server/logging';
import { changeRole, ensurePartnerOrganisation, upsertAccount } from './users';

/**
 * One account per role for trying Perkje out. ONLY in demo mode (the caller checks
 * config.demo): the password is public, in the README and on the sign-in page.
 * `demo = true` marks them, so pages can say "demo account" and an operator can find and
 * delete them.
 */
export const DEMO_PASSWORD = 'perkje-demo-2024';
export const DEMO_DOMAIN = 'demo.perkje.invalid';

export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; role: Role }> = [
	{ email: `bewoner@${DEMO_DOMAIN}`, role: 'resident' },
	{ email: `beheerder@${DEMO_DOMAIN}`, role: 'manager' },
	{ email: `gebiedsplatform@${DEMO_DOMAIN}`, role: 'platform' },
	{ email: `partner@${DEMO_DOMAIN}`, role: 'partner' },
	{ email: `admin@${DEMO_DOMAIN}`, role: 'admin' }
];

/**
 * Where the demo platform account looks: the districts of the buurten with active plots, and
 * those buurten themselves when they belong to no district. Null before there are plots.
 */
export async function demoPlatformArea(db: Database['db']): Promise<{ neighbourhoodIds: number[]; districtCodes: string[] } | null> {
	const rows = await queryRows<{ id: number; districtCode: string | null }>(
		db,
		sql`SELECT n.id, n.district_code AS "districtCode" FROM neighbourhoods n
			WHERE EXISTS (SELECT 1 FROM plots p WHERE p.neighbourhood_id = n.id AND p.status = 'active')
			ORDER BY n.id`
	);
	if (rows.length === 0) return null;
	return {
		neighbourhoodIds: rows.filter((r) => r.districtCode === null).map((r) => r.id),
		districtCodes: [...new Set(rows.flatMap((r) => (r.districtCode === null ? [] : [r.districtCode])))]
	};
}

/**
 * The demo accounts' password hashes, and the one they share. Hashing is slow on purpose
 * (five hashes were half of a warm start), so the seeder hashes the demo password once and
 * gives every demo account that same hash. Two accounts can only share a hash through the
 * seeder: a password changed in the demo gets a salt of its own. So an account with the
 * shared hash still has the demo password, and one without it gets it back, without hashing.
 */
async function demoPasswordHashes(db: Database['db']): Promise<{ byEmail: Map<string, string>; shared?: string }> {
	const rows = await queryRows<{ email: string; password: string }>(
		db,
		sql`SELECT u.email, a.password FROM users u
			JOIN accounts a ON a.user_id = u.id AND a.provider_id = 'credential'
			WHERE u.email IN (${sql.join(
				DEMO_ACCOUNTS.map((a) => sql`${a.email}`),
				sql`, `
			)}) AND a.password IS NOT NULL`
	);
	const byEmail = new Map(rows.map((r) => [r.email, r.password]));
	const counts = new Map<string, number>();
	for (const hash of byEmail.values()) counts.set(hash, (counts.get(hash) ?? 0) + 1);
	const shared = [...counts].find(([, n]) => n >= 2)?.[0];
	return { byEmail, shared };
}

/**
 * Creates the demo accounts if missing, and gives them back the demo password and their
 * role if the demo changed them; safe to run on every start.
 */
export async function seedDemoAccounts(database: Database): Promise<{ created: number }> {
	const { db } = database;
	let created = 0;
	const hashes = await demoPasswordHashes(db);
	const demoHash = hashes.shared ?? (await hashPassword(DEMO_PASSWORD));
	// The platform account covers the buurten that have plots (by their district when they
	// have one), so a platform member sees coverage, not an empty buurt; the partner account
	// belongs to a demo organisation.
	const area = await demoPlatformArea(db);
	const partner = await ensurePartnerOrganisation(db, 'Demo: Buurtwerk Perkje', 'welfare');
	const seeder = {
		id: 'demo-seed',
		role: 'admin' as const,
		emailVerified: true,
		neighbourhoodIds: [],
		districtCodes: [],
		partnerOrganisationId: null
	};
	for (const account of DEMO_ACCOUNTS) {
		const result = await upsertAccount(db, {
			email: account.email,
			...(hashes.byEmail.get(account.email) === demoHash ? {} : { passwordHash: demoHash }),
			emailVerified: true,
			demo: true
		});
		if (result.created) created++;
		if (account.role === 'resident') continue;
		if (account.role === 'platform' && !area) continue; // no plots to scope it to yet
		await changeRole(db, seeder, {
			email: account.email,
			role: account.role,
			districtCodes: account.role === 'platform' ? (area?.districtCodes ?? []) : [],
			neighbourhoodIds: account.role === 'platform' ? (area?.neighbourhoodIds ?? []) : [],
			partnerOrganisationId: account.role === 'partner' ? partner.id : null
		});
	}
	if (created) logger.info({ created, password: DEMO_PASSWORD }, 'demo accounts created');
	return { created };
}

/** What the sign-in page shows about demo accounts: only in demo mode. */
export function demoAccountsShown(): { password: string; accounts: typeof DEMO_ACCOUNTS } | null {
	return getConfig().demo ? { password: DEMO_PASSWORD, accounts: DEMO_ACCOUNTS } : null;
}

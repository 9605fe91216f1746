import { asc } from 'drizzle-orm';
import type { Role } from '../../domain/policy';
import type { Database } from '../db';
import { neighbourhoods } from '../db/schema';
import { readConfig } from '../config';
import { logger } from '../logging/logger';
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

/** Creates the demo accounts if missing; safe to run on every start. */
export async function seedDemoAccounts(database: Database): Promise<{ created: number }> {
	const { db } = database;
	let created = 0;
	// The platform account covers the first district there is (or, before the map data is
	// in, the first neighbourhood); the partner account belongs to a demo organisation.
	const [first] = await db
		.select({ id: neighbourhoods.id, districtCode: neighbourhoods.districtCode })
		.from(neighbourhoods)
		.orderBy(asc(neighbourhoods.id))
		.limit(1);
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
			password: DEMO_PASSWORD,
			emailVerified: true,
			demo: true
		});
		if (result.created) created++;
		if (account.role === 'resident') continue;
		if (account.role === 'platform' && !first) continue; // no area to scope it to yet
		await changeRole(db, seeder, {
			email: account.email,
			role: account.role,
			districtCodes: account.role === 'platform' && first?.districtCode ? [first.districtCode] : [],
			neighbourhoodIds: account.role === 'platform' && first && !first.districtCode ? [first.id] : [],
			partnerOrganisationId: account.role === 'partner' ? partner.id : null
		});
	}
	if (created) logger.info({ created, password: DEMO_PASSWORD }, 'demo accounts created');
	return { created };
}

/** What the sign-in page shows about demo accounts: only in demo mode. */
export function demoAccountsShown(): { password: string; accounts: typeof DEMO_ACCOUNTS } | null {
	return readConfig().demo ? { password: DEMO_PASSWORD, accounts: DEMO_ACCOUNTS } : null;
}

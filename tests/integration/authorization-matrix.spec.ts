import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevApp, Visitor, type DevApp } from '../support/dev-app';
import { MATRIX, WHO, type MatrixFixtures, type Outcome, type Who } from './authorization-matrix.rows';
import { routeIdsOnDisk } from './route-ids';

/**
 * Walks MATRIX (authorization-matrix.rows.ts): every protected route × every kind of
 * visitor, over real HTTP against the real app, signed in through the real sign-in form.
 * Runs on both databases like every integration test.
 */
const PROTECTED_GROUPS = ['(resident)', '(manager)', '(admin)', '(platform)', '(partner)'];
/** Route ids of every page and endpoint under a protected group, from the files. */
function protectedRoutes(): string[] {
	return routeIdsOnDisk().filter((id) => PROTECTED_GROUPS.some((g) => id.split('/').includes(g)));
}

const password = 'matrix wachtwoord 2024';
let app: DevApp;
const visitors = {} as Record<Who, Visitor>;
let fixtures: MatrixFixtures;

interface Services {
	upsertAccount(db: unknown, input: { email: string; password?: string; emailVerified?: boolean }): Promise<{ id: string }>;
	changeRole(db: unknown, actor: unknown, change: Record<string, unknown>): Promise<{ ok: boolean }>;
	ensurePartnerOrganisation(db: unknown, name: string): Promise<{ id: number }>;
}

beforeAll(async () => {
	app = await startDevApp({}, [4370, 4389]);
	const users = await app.load<Services>('/src/lib/server/auth/users.ts');
	const { getDb } = await app.load<{ getDb(): { execute(q: unknown): Promise<unknown> } }>('/src/lib/server/db/index.ts');
	const { sql } = await app.load<typeof import('drizzle-orm')>('drizzle-orm');
	const db = getDb();
	// Two neighbourhoods: the platform account covers the first, so it is "of another area"
	// for anything in the second.
	const square = (x: number) =>
		`{"type":"MultiPolygon","coordinates":[[[[${x},52],[${x + 0.01},52],[${x + 0.01},52.01],[${x},52.01],[${x},52]]]]}`;
	const ids: number[] = [];
	for (const [key, x] of [['BU_A', 4.3], ['BU_B', 4.4]] as const) {
		const result = (await db.execute(
			sql`insert into neighbourhoods (source_key, code, name, district_code, area_m2, geom, label_point)
			    values (${key}, ${key}, ${key}, ${'WK_' + key}, 1000,
			      ST_Multi(ST_GeomFromGeoJSON(${square(x)})), ST_SetSRID(ST_MakePoint(${x + 0.005}, 52.005), 4326))
			    returning id`
		)) as { rows: Array<{ id: number }> };
		ids.push(result.rows[0].id);
	}
	const partner = await users.ensurePartnerOrganisation(db, 'Matrix partner');
	const admin = { id: 'matrix', role: 'admin', emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
	const made = {} as MatrixFixtures['users'];
	for (const who of WHO) {
		if (who === 'anonymous') continue;
		const email = `${who.toLowerCase()}@matrix.voorbeeld.nl`;
		const { id } = await users.upsertAccount(db, { email, password, emailVerified: true });
		const role = { resident: 'resident', otherResident: 'resident', manager: 'manager', platformOther: 'platform', partner: 'partner', admin: 'admin' }[who];
		if (role !== 'resident') {
			const result = await users.changeRole(db, admin, {
				email,
				role,
				neighbourhoodIds: role === 'platform' ? [ids[0]] : [],
				partnerOrganisationId: role === 'partner' ? partner.id : null
			});
			expect(result.ok).toBe(true);
		}
		made[who] = { id, email };
	}
	fixtures = { users: made, otherNeighbourhoodId: ids[1] };
	for (const who of WHO) {
		visitors[who] = new Visitor(app.url);
		if (who === 'anonymous') continue;
		const response = await visitors[who].post('/aanmelden?/password', { email: made[who].email, password });
		expect(response.status, `sign-in of ${who}`).toBe(303);
	}
});

afterAll(async () => {
	await app?.close();
});

function outcomeOf(response: Response): Outcome | string {
	if (response.status === 303 || response.status === 302) {
		const location = response.headers.get('location') ?? '';
		return location.includes('/aanmelden?redirectTo=') ? 'sign-in' : `redirect ${location}`;
	}
	return response.status as Outcome;
}

describe('authorization matrix', () => {
	it('has rows for every route under a protected group', () => {
		const covered = new Set(MATRIX.map((r) => r.route));
		const missing = protectedRoutes().filter((id) => !covered.has(id));
		expect(missing, 'add rows to tests/integration/authorization-matrix.rows.ts').toEqual([]);
	});

	it('has no rows for routes that do not exist', () => {
		const existing = new Set(protectedRoutes());
		expect(MATRIX.map((r) => r.route).filter((id) => !existing.has(id) && PROTECTED_GROUPS.some((g) => id.includes(g)))).toEqual([]);
	});

	for (const row of MATRIX) {
		const label = `${row.method} ${typeof row.path === 'string' ? row.path : row.route}`;
		it(label, async () => {
			const target = typeof row.path === 'string' ? row.path : row.path(fixtures);
			const actual = {} as Record<Who, Outcome | string>;
			for (const who of WHO) {
				const visitor = visitors[who];
				const response =
					row.method === 'GET' ? await visitor.get(target) : await visitor.post(target, row.form ?? {});
				actual[who] = outcomeOf(response);
				await response.arrayBuffer();
			}
			expect(actual).toEqual(row.expect);
		});
	}
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDevApp, Visitor, type DevApp } from '../support/dev-app';

/**
 * Links that must work only for the person they were sent to, over real HTTP against the
 * real app with no SMTP server (so every mail stays in the outbox, as in development or on a
 * server whose mail is not set up yet): a team invitation mailed to an address, and the
 * sign-in and verification links an admin could once read on /admin/mail and anyone could
 * read in the log.
 */
let app: DevApp;

interface Services {
	users: { upsertAccount(db: unknown, input: Record<string, unknown>): Promise<{ id: string }> };
	db: { getDb(): unknown; queryRows<T>(db: unknown, query: unknown): Promise<T[]> };
	orm: { sql: (strings: TemplateStringsArray, ...values: unknown[]) => unknown };
	teams: {
		createTeam(db: unknown, actor: unknown, input: { name: string; kind: string }): Promise<number>;
		inviteByEmail(db: unknown, actor: unknown, teamId: number, email: string, origin: string): Promise<void>;
	};
	outbox: { processOutbox(db: unknown, config: { smtpUrl: undefined; from: string }): Promise<{ logged: number }> };
	logging: { logger: { info: (...args: unknown[]) => void } };
}
let s: Services;

const password = 'een lange zin als wachtwoord';

beforeAll(async () => {
	app = await startDevApp({ SMTP_URL: '' }, [4370, 4399]);
	s = {
		users: await app.load('/src/lib/server/auth/index.ts'),
		db: await app.load('/src/lib/server/db/index.ts'),
		orm: await app.load('drizzle-orm'),
		teams: await app.load('/src/lib/server/teams/index.ts'),
		outbox: await app.load('/src/lib/server/notifications/index.ts'),
		logging: await app.load('/src/lib/server/logging/index.ts')
	};
});

afterAll(async () => {
	await app?.close();
});

async function account(email: string, role = 'resident') {
	const { id } = await s.users.upsertAccount(s.db.getDb(), { email, password, emailVerified: true, role });
	return { id, role, emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
}

async function signedIn(email: string, role = 'resident'): Promise<Visitor> {
	await account(email, role);
	const visitor = new Visitor(app.url);
	expect((await visitor.post('/aanmelden?/password', { email, password })).status).toBe(303);
	return visitor;
}

async function bodiesTo(recipient: string, kind: string): Promise<string[]> {
	const rows = await s.db.queryRows<{ text: string }>(
		s.db.getDb(),
		s.orm.sql`SELECT text_body AS text FROM mail_outbox WHERE recipient = ${recipient} AND kind = ${kind} ORDER BY id`
	);
	return rows.map((r) => r.text);
}

const memberCount = async (teamId: number) =>
	(
		await s.db.queryRows<{ n: number }>(
			s.db.getDb(),
			s.orm.sql`SELECT count(*)::int AS n FROM team_members WHERE team_id = ${teamId}`
		)
	)[0].n;

describe('a team invitation mailed to an address', () => {
	it('lets in only the account with that address; anyone else is told so in their language and stays out', async () => {
		const owner = await account('hof-eigenaar@voorbeeld.nl');
		const teamId = await s.teams.createTeam(s.db.getDb(), owner, { name: 'Geveltuinen Hofstraat', kind: 'street' });
		await s.teams.inviteByEmail(s.db.getDb(), owner, teamId, 'hof-genodigde@voorbeeld.nl', app.url);
		const [mail] = await bodiesTo('hof-genodigde@voorbeeld.nl', 'team_invite');
		const path = new URL(/http\S+\/groepen\/uitnodiging\/[A-Za-z0-9_-]+/.exec(mail)![0]).pathname;

		// Not signed in: to sign in, and back here after.
		const visitor = await new Visitor(app.url).get(path);
		expect(visitor.status).toBe(303);
		expect(visitor.headers.get('location')).toBe(`/aanmelden?redirectTo=${encodeURIComponent(path)}`);

		// Someone else who got hold of the link.
		const other = await signedIn('hof-ander@voorbeeld.nl');
		const page = await other.get(path);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('Deze uitnodiging is voor een ander e-mailadres. Meld u aan met het adres waarop u de uitnodiging kreeg.');
		expect(html).not.toContain('Geveltuinen Hofstraat');
		expect(html).not.toContain('hof-genodigde');
		expect(html).not.toContain('Lid worden');
		const english = await (await other.get(`/en${path}`)).text();
		expect(english).toContain('This invitation is for another e-mail address.');
		const join = await other.post(path, {});
		expect(join.status).toBe(403);
		expect(await join.text()).toContain('Deze uitnodiging is voor een ander e-mailadres.');
		expect(await memberCount(teamId)).toBe(1);
		expect((await other.get(`/groepen/${teamId}`)).status).toBe(404);

		// The invited address signs in, comes back to the invitation and joins.
		await account('hof-genodigde@voorbeeld.nl');
		const invited = new Visitor(app.url);
		const signIn = await invited.post('/aanmelden?/password', { email: 'hof-genodigde@voorbeeld.nl', password, redirectTo: path });
		expect(signIn.headers.get('location')).toBe(path);
		expect(await (await invited.get(path)).text()).toContain('Geveltuinen Hofstraat');
		const joined = await invited.post(path, {});
		expect(joined.status).toBe(303);
		expect(joined.headers.get('location')).toBe(`/groepen/${teamId}`);
		expect(await memberCount(teamId)).toBe(2);
	});

	it('a link invitation is labelled as one for anyone, and anyone with it joins', async () => {
		const owner = await signedIn('link-eigenaar@voorbeeld.nl');
		const create = await owner.post('/groepen?/create', { name: 'Moestuin De Wilg', kind: 'association' });
		const teamPath = create.headers.get('location')!;
		const made = await owner.post(`${teamPath}?/link`, {});
		const html = await made.text();
		expect(html).toContain('Iedereen met deze link kan lid worden');
		const path = new URL(/http[^"<\s]+\/groepen\/uitnodiging\/[A-Za-z0-9_-]+/.exec(html)![0]).pathname;
		for (const email of ['link-een@voorbeeld.nl', 'link-twee@voorbeeld.nl']) {
			const joined = await (await signedIn(email)).post(path, {});
			expect(joined.status).toBe(303);
			expect(joined.headers.get('location')).toBe(teamPath);
		}
	});
});

describe('/admin/mail and the log, with no SMTP server', () => {
	it('say that sign-in, verification and invitation mails went out, never their links', async () => {
		const info = vi.spyOn(s.logging.logger, 'info');
		const admin = await signedIn('postbeheer@gemeente.nl', 'admin');

		// A sign-in link, a confirmation link (sent at once) and a team invitation (through the outbox worker).
		expect((await new Visitor(app.url).post('/aanmelden?/link', { email: 'slachtoffer@voorbeeld.nl' })).status).toBe(200);
		expect((await new Visitor(app.url).post('/registreren', { email: 'nieuw@voorbeeld.nl', password })).status).toBe(200);
		const owner = await account('post-eigenaar@voorbeeld.nl');
		const teamId = await s.teams.createTeam(s.db.getDb(), owner, { name: 'Postgroep', kind: 'household' });
		await s.teams.inviteByEmail(s.db.getDb(), owner, teamId, 'post-genodigde@voorbeeld.nl', app.url);
		expect((await s.outbox.processOutbox(s.db.getDb(), { smtpUrl: undefined, from: 'x <x@perkje.invalid>' })).logged).toBeGreaterThan(0);

		const secrets: string[] = [];
		for (const [to, kind, pattern] of [
			['slachtoffer@voorbeeld.nl', 'auth_magic_link', /token=([A-Za-z0-9_.-]+)/],
			['nieuw@voorbeeld.nl', 'auth_verify', /token=([A-Za-z0-9_.-]+)/],
			['post-genodigde@voorbeeld.nl', 'team_invite', /uitnodiging\/([A-Za-z0-9_-]+)/]
		] as const) {
			const [body] = await bodiesTo(to, kind);
			expect(body, `${kind} to ${to}`).toMatch(pattern);
			secrets.push(pattern.exec(body)![1]);
		}

		const page = await admin.get('/admin/mail');
		expect(page.status).toBe(200);
		const html = await page.text();
		// That the mails went out, and to whom...
		for (const to of ['slachtoffer@voorbeeld.nl', 'nieuw@voorbeeld.nl', 'post-genodigde@voorbeeld.nl']) expect(html).toContain(to);
		expect(html).toContain('Uw aanmeldlink voor Perkje');
		// ...but nothing to sign in or join with.
		for (const secret of secrets) expect(html).not.toContain(secret);
		expect(html).not.toMatch(/aanmeldlink\?token|verifieren\?token|groepen\/uitnodiging\//);

		const lines = info.mock.calls.filter((call) => String(call[1]).includes('kept in the outbox'));
		expect(lines.length).toBeGreaterThanOrEqual(3);
		expect(lines.map((call) => call[0])).toContainEqual(expect.objectContaining({ mail: 'auth_magic_link', to: 'slachtoffer@voorbeeld.nl', outboxId: expect.any(Number) }));
		const logged = JSON.stringify(info.mock.calls);
		for (const secret of secrets) expect(logged).not.toContain(secret);
		expect(logged).not.toMatch(/token=|uitnodiging\//);
		info.mockRestore();
	});
});

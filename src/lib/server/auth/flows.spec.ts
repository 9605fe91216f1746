import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevApp, Visitor, type DevApp } from '#tests/support/dev-app.js';
import { linkIn, startTestMailbox, type TestMailbox } from '#tests/support/test-smtp.js';

/**
 * Account flows over real HTTP against the real app, with a real SMTP server receiving
 * the mails: what a resident does, without a browser (the browser journeys are in
 * tests/e2e/auth*.e2e.ts). Runs on both databases like every integration test.
 */
let app: DevApp;
let mailbox: TestMailbox;

beforeAll(async () => {
	mailbox = await startTestMailbox([4300, 4319]);
	app = await startDevApp({ SMTP_URL: mailbox.url, MAIL_FROM: 'Perkje test <test@perkje.invalid>' }, [4350, 4369]);
});

afterAll(async () => {
	await app?.close();
	await mailbox?.close();
});

const password = 'een lange zin als wachtwoord';

function pathOf(link: string): string {
	const url = new URL(link);
	return url.pathname + url.search;
}

async function signUpAndVerify(email: string): Promise<Visitor> {
	const visitor = new Visitor(app.url);
	const since = mailbox.mails.length;
	const signUp = await visitor.post('/registreren', { email, password });
	expect(signUp.status).toBe(200);
	expect(await signUp.text()).toContain('Bijna klaar');
	const mail = await mailbox.waitFor(email, { subject: /Bevestig/, since });
	const verify = await visitor.get(pathOf(linkIn(mail, '/verifieren')));
	expect(verify.status).toBe(200);
	expect(await verify.text()).toContain('bevestigd');
	return visitor;
}

describe('sign-up, verification, sign-in, sign-out', () => {
	it('signs up, confirms by mail (and is signed in), signs out and in again', async () => {
		const email = 'ann@voorbeeld.nl';
		const visitor = await signUpAndVerify(email);
		// Verifying signs the person in.
		const account = await visitor.get('/account');
		expect(account.status).toBe(200);
		expect(await account.text()).toContain(email);

		const oldCookies = new Map(visitor.cookies);
		const signOut = await visitor.post('/afmelden', {});
		expect(signOut.status).toBe(303);
		expect((await visitor.get('/account')).status).toBe(303);

		// The old cookie is dead on the server too: sign-out ended the session, not just the cookie.
		const replay = new Visitor(app.url);
		for (const [k, v] of oldCookies) replay.cookies.set(k, v);
		const replayed = await replay.get('/account');
		expect(replayed.status).toBe(303);
		expect(replayed.headers.get('location')).toContain('/aanmelden');

		const signIn = await visitor.post('/aanmelden?/password', { email, password });
		expect(signIn.status).toBe(303);
		expect(signIn.headers.get('location')).toBe('/account');
		expect((await visitor.get('/account')).status).toBe(200);
	});

	it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
		const email = 'cookie@voorbeeld.nl';
		await signUpAndVerify(email);
		const response = await new Visitor(app.url).post('/aanmelden?/password', { email, password });
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('perkje.session_token='));
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		// Plain http here; behind TLS the same cookie gets Secure.
		expect(cookie).not.toMatch(/Secure/i);
	});

	it('keeps an unverified account out and sends a new confirmation mail', async () => {
		const email = 'unverified@voorbeeld.nl';
		const visitor = new Visitor(app.url);
		await visitor.post('/registreren', { email, password });
		const since = mailbox.mails.length;
		const response = await visitor.post('/aanmelden?/password', { email, password });
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('nog niet bevestigd');
		await mailbox.waitFor(email, { subject: /Bevestig/, since });
	});

	it('signs in with a magic link, which works once', async () => {
		const email = 'magic@voorbeeld.nl';
		const visitor = new Visitor(app.url);
		const since = mailbox.mails.length;
		const request = await visitor.post('/aanmelden?/link', { email });
		expect(request.status).toBe(200);
		const mail = await mailbox.waitFor(email, { subject: /aanmeldlink/, since });
		const link = new URL(linkIn(mail, '/aanmeldlink'));
		// Opening the link alone signs nobody in (mail scanners open links too).
		expect((await visitor.get(link.pathname + link.search)).status).toBe(200);
		expect((await visitor.get('/account')).status).toBe(303);
		const token = link.searchParams.get('token')!;
		const use = await visitor.post('/aanmeldlink', { token });
		expect(use.status).toBe(303);
		expect((await visitor.get('/account')).status).toBe(200);
		const again = await new Visitor(app.url).post('/aanmeldlink', { token });
		expect(again.status).toBe(400);
	});

	it('resets a forgotten password by mail and ends the old sessions', async () => {
		const email = 'reset@voorbeeld.nl';
		const visitor = await signUpAndVerify(email);
		const since = mailbox.mails.length;
		const other = new Visitor(app.url);
		expect((await other.post('/wachtwoord-vergeten', { email })).status).toBe(200);
		const mail = await mailbox.waitFor(email, { subject: /wachtwoord/i, since });
		const token = new URL(linkIn(mail, '/wachtwoord-herstellen')).searchParams.get('token')!;
		const reset = await other.post('/wachtwoord-herstellen', { token, password: 'nog een heel nieuw wachtwoord' });
		expect(reset.status).toBe(303);
		expect((await visitor.get('/account')).status).toBe(303);
		const signIn = await other.post('/aanmelden?/password', { email, password: 'nog een heel nieuw wachtwoord' });
		expect(signIn.status).toBe(303);
		const withOldPassword = new Visitor(app.url);
		expect((await withOldPassword.post('/aanmelden?/password', { email, password })).status).toBe(400);
	});

	it('says the same for unknown addresses (no account enumeration)', async () => {
		const response = await new Visitor(app.url).post('/wachtwoord-vergeten', { email: 'nobody@voorbeeld.nl' });
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('Als er een account is');
	});

	it('keeps what was typed and explains the problem on bad input', async () => {
		const response = await new Visitor(app.url).post('/registreren', { email: 'geen-adres', password: 'kort' });
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(html).toContain('value="geen-adres"');
		expect(html).toContain('geldig e-mailadres');
		expect(html).toContain('minstens 10 tekens');
	});
});

describe('rate limits', () => {
	it('stops password guessing at one account after 10 tries, with a clear message', async () => {
		const email = 'target@voorbeeld.nl';
		await signUpAndVerify(email);
		const attacker = new Visitor(app.url);
		const statuses: number[] = [];
		for (let i = 0; i < 20; i++) {
			const r = await attacker.post('/aanmelden?/password', { email, password: `wrong guess ${i}` });
			statuses.push(r.status);
			if (i === 19) expect(await r.text()).toContain('Te veel pogingen');
		}
		expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
		expect(statuses.slice(10)).toEqual(Array(10).fill(429));
		// Even the right password is refused now: the limit is on the account, not the guess.
		expect((await attacker.post('/aanmelden?/password', { email, password })).status).toBe(429);
		// Other accounts are unaffected.
		const bystander = 'bystander@voorbeeld.nl';
		await signUpAndVerify(bystander);
		expect((await new Visitor(app.url).post('/aanmelden?/password', { email: bystander, password })).status).toBe(303);
	});

	it('never locks a resident out for signing in often: only wrong passwords count', async () => {
		const email = 'vaak@voorbeeld.nl';
		await signUpAndVerify(email);
		const statuses: number[] = [];
		for (let i = 0; i < 12; i++) {
			statuses.push((await new Visitor(app.url).post('/aanmelden?/password', { email, password })).status);
		}
		expect(statuses).toEqual(Array(12).fill(303));
		// Wrong passwords still meet the limit after ten.
		const guesses: number[] = [];
		for (let i = 0; i < 11; i++) {
			guesses.push((await new Visitor(app.url).post('/aanmelden?/password', { email, password: `fout ${i}` })).status);
		}
		expect(guesses).toEqual([...Array(10).fill(400), 429]);
	});

	it('limits magic-link and reset mails per address', async () => {
		const email = 'flood@voorbeeld.nl';
		const statuses: number[] = [];
		for (let i = 0; i < 7; i++) {
			statuses.push((await new Visitor(app.url).post('/aanmelden?/link', { email })).status);
		}
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
		const resets: number[] = [];
		for (let i = 0; i < 7; i++) {
			resets.push((await new Visitor(app.url).post('/wachtwoord-vergeten', { email })).status);
		}
		expect(resets).toEqual([200, 200, 200, 200, 200, 429, 429]);
	});
});

describe('security headers and cross-site requests', () => {
	it('sends a CSP that allows MapLibre workers, and the other protective headers', async () => {
		const response = await new Visitor(app.url).get('/aanmelden');
		const csp = response.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).toContain("worker-src 'self' blob:");
		expect(csp).toContain("child-src 'self' blob:");
		expect(csp).toContain("img-src 'self' data: blob:");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('strict-transport-security')).toBeNull();
		// HSTS follows the app's configured origin, not what a client claims about its connection.
		const claimed = await new Visitor(app.url).request('/aanmelden', { headers: { 'x-forwarded-proto': 'https' } });
		expect(claimed.headers.get('strict-transport-security')).toBeNull();
	});

	it('refuses form posts and JSON writes from another site', async () => {
		const form = await new Visitor(app.url).request('/aanmelden?/password', {
			form: { email: 'x@voorbeeld.nl', password: 'whatever' },
			headers: { origin: 'https://evil.example' }
		});
		expect(form.status).toBe(403);
		const jsonWrite = await new Visitor(app.url).request('/account/gegevens', {
			method: 'DELETE',
			headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }
		});
		expect(jsonWrite.status).toBe(403);
	});
});

describe('English', () => {
	it('mails an English sign-up in English, with links back to the English pages', async () => {
		const email = 'english@voorbeeld.nl';
		const visitor = new Visitor(app.url);
		const since = mailbox.mails.length;
		const response = await visitor.post('/en/registreren', { email, password });
		expect(await response.text()).toContain('Almost done');
		const mail = await mailbox.waitFor(email, { since });
		expect(mail.subject).toBe('Confirm your e-mail address for Perkje');
		expect(linkIn(mail, '/en/verifieren')).toContain('/en/verifieren?token=');
	});
});

describe('admin: staff and roles', () => {
	interface Users {
		upsertAccount(db: unknown, input: Record<string, unknown>): Promise<{ id: string }>;
	}

	it('invites a manager by mail, who then gets into the manager area; the last admin stays', async () => {
		const users = await app.load<Users>('/src/lib/server/auth/users.ts');
		const { getDb } = await app.load<{ getDb(): unknown }>('/src/lib/server/db/index.ts');
		await users.upsertAccount(getDb(), { email: 'admin@gemeente.nl', password, emailVerified: true, role: 'admin' });
		const admin = new Visitor(app.url);
		expect((await admin.post('/aanmelden?/password', { email: 'admin@gemeente.nl', password })).status).toBe(303);

		const since = mailbox.mails.length;
		const invite = await admin.post('/admin?/role', { email: 'nieuwe.beheerder@gemeente.nl', role: 'manager' });
		expect(invite.status).toBe(200);
		expect(await invite.text()).toContain('nieuwe.beheerder@gemeente.nl heeft nu de rol Beheerder openbare ruimte');
		const mail = await mailbox.waitFor('nieuwe.beheerder@gemeente.nl', { subject: /uitgenodigd/, since });
		expect(mail.body).toContain('/aanmelden');

		// The invited manager signs in with a link (no password was ever sent).
		const manager = new Visitor(app.url);
		const before = mailbox.mails.length;
		await manager.post('/aanmelden?/link', { email: 'nieuwe.beheerder@gemeente.nl' });
		const link = new URL(linkIn(await mailbox.waitFor('nieuwe.beheerder@gemeente.nl', { subject: /aanmeldlink/, since: before }), '/aanmeldlink'));
		expect((await manager.post('/aanmeldlink', { token: link.searchParams.get('token')! })).status).toBe(303);
		expect((await manager.get('/beheer')).status).toBe(200);
		expect((await manager.get('/admin')).status).toBe(403);

		// A platform role needs an area; the only admin cannot demote themselves.
		const noArea = await admin.post('/admin?/role', { email: 'gebied@gemeente.nl', role: 'platform' });
		expect(noArea.status).toBe(400);
		expect(await noArea.text()).toContain('minstens één wijk of buurt');
		const demote = await admin.post('/admin?/role', { email: 'admin@gemeente.nl', role: 'resident' });
		expect(demote.status).toBe(400);
		expect(await demote.text()).toContain('laatste beheerder');
		expect((await admin.get('/admin')).status).toBe(200);
	});
});

describe('public map data and the session', () => {
	it('tiles and the health check never read the session, so they never set a cookie proxies could share', async () => {
		const visitor = await signUpAndVerify('tegels@voorbeeld.nl');
		const stale = new Visitor(app.url);
		for (const [k, v] of visitor.cookies) stale.cookies.set(k, v);
		expect((await visitor.post('/afmelden', {})).status).toBe(303);

		// A browser still holding the signed-out cookie pans the map.
		for (const path of ['/tiles/plots/14/8414/5384.mvt', '/tiles/neighbourhoods/12/2103/1346.mvt', '/tiles/basemap/16/33562/21642.mvt', '/healthz']) {
			const response = await stale.get(path);
			expect([200, 204], path).toContain(response.status);
			expect(response.headers.getSetCookie(), path).toEqual([]);
		}
		// Pages do read it, notice it is dead and drop it.
		const account = await stale.get('/account');
		expect(account.status).toBe(303);
		expect(account.headers.getSetCookie().join('\n')).toContain('perkje.session_token=');
	});
});

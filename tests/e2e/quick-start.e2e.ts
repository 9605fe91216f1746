import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, expectNoAxeViolations } from './helpers';

/**
 * The README's quick start, exactly: `npm start` in a checkout with no data yet, and none of
 * the variables the other browser tests set (no ORIGIN, no PORT, no SMTP, no DATABASE_URL).
 * Every other test starts the app the way the test harness likes; this one starts it the way
 * a newcomer does, which is how the app once refused every form post in a real browser while
 * all tests passed.
 *
 * It runs in a copy of the checkout (sources with their times, the build, node_modules
 * linked), so the developer's own data/ folder is left alone, and on the README's port 3000.
 */
const README_URL = 'http://localhost:3000';
const PASSWORD = 'een lange zin als wachtwoord';

/** What the README's quick start does not set; a developer's shell or CI may. */
const NOT_IN_README = /^(ORIGIN|PROTOCOL_HEADER|HOST_HEADER|PORT_HEADER|ADDRESS_HEADER|PORT|HOST|DATABASE_URL|SMTP_URL|MAIL_FROM|LOG_LEVEL|BETTER_AUTH_SECRET|PERKJE_.*)$/;

const COPIED = ['src', 'static', 'db', 'project.inlang', 'build', 'package.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json'];

let checkout: string;
let app: ChildProcess;
let output = '';

function portFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = net.createServer().once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

function exited(child: ChildProcess): Promise<number | null> {
	return child.exitCode !== null
		? Promise.resolve(child.exitCode)
		: new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(300_000);
	expect(await portFree(3000), 'port 3000 (the README\'s) is in use: stop the Perkje running there').toBe(true);
	checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-quick-start-'));
	for (const entry of COPIED) {
		fs.cpSync(entry, path.join(checkout, entry), { recursive: true, preserveTimestamps: true });
	}
	fs.symlinkSync(path.resolve('node_modules'), path.join(checkout, 'node_modules'));
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !NOT_IN_README.test(name)));
	// Its own process group, like a command typed in a terminal, so Ctrl-C can be sent the way
	// a terminal sends it: to the whole group at once.
	app = spawn('npm', ['start'], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	app.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	app.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const deadline = Date.now() + 280_000;
	while (!output.includes(`Perkje draait op ${README_URL}`)) {
		if (app.exitCode !== null) throw new Error(`npm start ended (${app.exitCode}):\n${output}`);
		if (Date.now() > deadline) throw new Error(`npm start did not print its address:\n${output}`);
		await new Promise((r) => setTimeout(r, 250));
	}
});

test.afterAll(async () => {
	if (!app) return;
	if (app.exitCode === null) {
		// Ctrl-C in a terminal signals the whole process group (npm, its shell, node).
		process.kill(-app.pid!, 'SIGINT');
		const code = await Promise.race([exited(app), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
		if (code === 'hung') process.kill(-app.pid!, 'SIGKILL');
		// npm itself ends by the signal; the app must have finished its own shutdown first.
		expect(code, output).not.toBe('hung');
		expect(output).toContain('Perkje gestopt.');
		expect(output).not.toContain('Perkje stopt direct');
	}
	// A stopped app leaves no lock on its database folder behind.
	expect(fs.existsSync(path.join(checkout, 'data', 'pglite.lock'))).toBe(false);
	fs.rmSync(checkout, { recursive: true, force: true });
});

async function signInThroughForm(page: Page, origin: string, email: string, password: string) {
	await page.goto(`${origin}/aanmelden`);
	const form = page.locator('form[action="?/password"]');
	await form.getByLabel('E-mailadres').fill(email);
	await form.getByLabel('Wachtwoord').fill(password);
	await form.getByRole('button', { name: 'Inloggen' }).click();
}

test('npm start says what it does, the address, and how to sign in to the demo', async () => {
	expect(output).toContain('Database voorbereiden');
	expect(output).toContain(`Perkje draait op ${README_URL} (database: ingebouwde database (PGlite) in data/pglite)`);
	expect(output).toContain(`meld u aan als bewoner@demo.perkje.invalid met wachtwoord ${DEMO_PASSWORD}`);
});

for (const origin of [README_URL, 'http://127.0.0.1:3000']) {
	test(`the demo resident signs in through the form at ${origin}`, async ({ page }) => {
		await signInThroughForm(page, origin, 'bewoner@demo.perkje.invalid', DEMO_PASSWORD);
		await expect(page).toHaveURL(`${origin}/account`);
		await expect(page.getByText('U bent ingelogd als bewoner@demo.perkje.invalid')).toBeVisible();
		// A session cookie over plain http must not be Secure, or the browser would drop it.
		const session = (await page.context().cookies(origin)).filter((c) => c.name.includes('session'));
		expect(session.length).toBeGreaterThan(0);
		expect(session.every((c) => c.httpOnly && !c.secure)).toBe(true);
	});
}

test('the demo resident has a plot of their own and can log care on it at once', async ({ page }) => {
	await signInThroughForm(page, README_URL, 'bewoner@demo.perkje.invalid', DEMO_PASSWORD);
	await expect(page).toHaveURL(`${README_URL}/account`);
	await page.goto(`${README_URL}/mijn-perken`);
	const mine = page.locator('[data-testid="myplot"][data-status="active"]');
	await expect(mine).toHaveCount(1);
	const plotId = await mine.getAttribute('data-plot-id');
	await expect(mine.getByTestId('myplot-care')).toHaveText('Onderhoud vastleggen');
	await mine.getByTestId('myplot-care').click();
	await expect(page).toHaveURL(`${README_URL}/plots/${plotId}/onderhoud`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Onderhoud vastleggen voor perk ${plotId}`);
	await expectNoAxeViolations(page);
	// Its plot page already shows some care: the demo's entries of the last weeks.
	await page.goto(`${README_URL}/plots/${plotId}`);
	await expect(page.getByTestId('care-entry')).toHaveCount(3);
});

test('a newcomer signs up, confirms through the demo mailbox, and asks to adopt a plot', async ({ page }) => {
	const email = `nieuw-${Date.now().toString(36)}@voorbeeld.nl`;
	await page.goto(`${README_URL}/registreren`);
	await page.getByLabel('E-mailadres').fill(email);
	await page.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
	await page.getByRole('button', { name: 'Account maken' }).click();
	await expect(page.getByRole('status')).toContainText('Bijna klaar');

	// No SMTP server in the quick start: the demo mailbox has the mail, one click away.
	await page.getByRole('link', { name: /demo-postvak/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo-postvak');
	await expect(page.getByRole('heading', { name: /Bevestig/ })).toBeVisible();
	await expectNoAxeViolations(page);
	const confirm = page.getByRole('link', { name: /\/verifieren\?/ }).first();
	// Mail links follow the address the newcomer used: http, not https.
	await expect(confirm).toHaveAttribute('href', new RegExp(`^${README_URL}/verifieren\\?`));
	await confirm.click();
	await expect(page.getByRole('status')).toContainText('bevestigd');

	await page.context().clearCookies();
	await signInThroughForm(page, README_URL, email, PASSWORD);
	await expect(page).toHaveURL(`${README_URL}/account`);

	await page.goto(`${README_URL}/plots?state=available&sort=number`);
	const first = page.getByTestId('plot-table').locator('tbody tr').first();
	const plotId = Number(await first.getAttribute('data-plot-id'));
	await page.goto(`${README_URL}/plots/${plotId}/adopteren`);
	await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page).toHaveURL(/\/mijn-perken\?aangevraagd=/);
	await expect(page.getByRole('status').filter({ hasText: 'Uw aanvraag is verstuurd' })).toBeVisible();
});

test('a form posted to a wrongly configured origin explains the fix in Dutch, not in bare English', async ({ request }) => {
	// What a browser sends when ORIGIN names another address than the one in its address bar:
	// here the page claims to be https while this app serves http.
	const response = await request.post(`${README_URL}/aanmelden?/password`, {
		headers: { origin: 'https://localhost:3000', 'sec-fetch-site': 'same-origin', accept: 'text/html' },
		form: { email: 'bewoner@demo.perkje.invalid', password: DEMO_PASSWORD }
	});
	expect(response.status()).toBe(403);
	const body = await response.text();
	expect(body).toContain('Dit formulier is niet verwerkt');
	expect(body).toContain('ORIGIN=https://localhost:3000');
	expect(body).not.toContain('Cross-site POST form submissions are forbidden');

	// An enhanced form gets an ActionResult, which the error page shows with the same words.
	const enhanced = await request.post(`${README_URL}/aanmelden?/password`, {
		headers: { origin: 'https://localhost:3000', 'sec-fetch-site': 'same-origin', 'x-sveltekit-action': 'true' },
		form: { email: 'bewoner@demo.perkje.invalid', password: DEMO_PASSWORD }
	});
	expect(enhanced.status()).toBe(403);
	expect(await enhanced.json()).toMatchObject({
		type: 'error',
		error: { refusedWrite: true, message: expect.stringContaining('ORIGIN=https://localhost:3000') }
	});
});

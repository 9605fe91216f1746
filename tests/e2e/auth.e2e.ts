import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, expectNoAxeViolations, pathOf, signUpAndVerify } from './helpers';
import { linkIn } from '../support/test-smtp';
import { waitForMail } from './mailbox';

/**
 * Accounts in the browser: sign-up → verify → sign-out → sign-in, magic link, password
 * reset, a resident kept out of the manager area, and axe on every account page. Mails
 * come from the real SMTP server Playwright starts (tests/e2e/mailbox.ts).
 */
const PASSWORD = 'een lange zin als wachtwoord';
// Unique per run and project: the demo server's database lives for the whole run.
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function signIn(page: Page, email: string, password: string) {
	await page.goto('/aanmelden');
	const form = page.locator('form[action="?/password"]');
	await form.getByLabel('E-mailadres').fill(email);
	await form.getByLabel('Wachtwoord').fill(password);
	await form.getByRole('button', { name: 'Inloggen' }).click();
}


test('sign up, confirm by mail, sign out, sign in again', async ({ page }) => {
	const email = `ann-${unique()}@voorbeeld.nl`;
	await page.goto('/');
	await page.getByRole('banner').getByRole('link', { name: 'Inloggen' }).click();
	await page.getByRole('link', { name: 'Maak een account' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account maken');
	await page.getByLabel('E-mailadres').fill(email);
	await page.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
	await page.getByRole('button', { name: 'Account maken' }).click();
	await expect(page.getByRole('status')).toContainText('Bijna klaar');

	const mail = await waitForMail(email, /Bevestig/);
	await page.goto(pathOf(linkIn(mail, '/verifieren')));
	await expect(page.getByRole('status')).toContainText('bevestigd');
	await page.getByRole('link', { name: 'Naar mijn account' }).click();
	await expect(page.getByText(`U bent ingelogd als ${email}`)).toBeVisible();

	await page.getByRole('button', { name: 'Uitloggen' }).click();
	await expect(page.getByRole('banner').getByRole('link', { name: 'Inloggen' })).toBeVisible();
	await page.goto('/account');
	await expect(page).toHaveURL(/\/aanmelden\?redirectTo=%2Faccount/);

	await signIn(page, email, PASSWORD);
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByText(`U bent ingelogd als ${email}`)).toBeVisible();
});

test('sign in with a magic link', async ({ page }) => {
	const email = `link-${unique()}@voorbeeld.nl`;
	await page.goto('/aanmelden');
	const form = page.locator('form[action="?/link"]');
	await form.getByLabel('E-mailadres').fill(email);
	await form.getByRole('button', { name: 'Stuur mij een aanmeldlink' }).click();
	await expect(page.getByRole('status').filter({ hasText: email })).toBeVisible();
	const mail = await waitForMail(email, /aanmeldlink/);
	await page.goto(pathOf(linkIn(mail, '/aanmeldlink')));
	await page.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByText(`U bent ingelogd als ${email}`)).toBeVisible();
});

test('reset a forgotten password', async ({ page }) => {
	const email = `reset-${unique()}@voorbeeld.nl`;
	await signUpAndVerify(page, email, PASSWORD);
	await page.context().clearCookies();

	await page.goto('/aanmelden');
	await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wachtwoord vergeten');
	await page.getByLabel('E-mailadres').fill(email);
	await page.getByRole('button', { name: 'Stuur mij een link' }).click();
	await expect(page.getByRole('status')).toContainText('Als er een account is');
	const mail = await waitForMail(email, /wachtwoord/i);
	await page.goto(pathOf(linkIn(mail, '/wachtwoord-herstellen')));
	await page.getByLabel('Nieuw wachtwoord').fill('mijn nieuwe lange wachtwoord');
	await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'nieuwe wachtwoord' })).toBeVisible();
	await signIn(page, email, 'mijn nieuwe lange wachtwoord');
	await expect(page).toHaveURL(/\/account$/);
});

test('a resident cannot open the manager area; a manager can', async ({ page }) => {
	await signIn(page, 'bewoner@demo.perkje.invalid', DEMO_PASSWORD);
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByText('Dit is een demo-account')).toBeVisible();
	const response = await page.goto('/beheer');
	expect(response?.status()).toBe(403);
	await expect(page.getByRole('heading', { name: 'Beheer' })).toHaveCount(0);

	await page.context().clearCookies();
	await signIn(page, 'beheerder@demo.perkje.invalid', DEMO_PASSWORD);
	await page.getByRole('banner').getByRole('link', { name: 'Beheer' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Beheer' })).toBeVisible();
});

test('account and sign-in pages pass axe (WCAG 2.1 AA)', async ({ page }) => {
	for (const path of [
		'/aanmelden',
		'/registreren',
		'/wachtwoord-vergeten',
		'/wachtwoord-herstellen?token=x',
		'/aanmeldlink?token=x',
		'/verifieren?token=x',
		'/tot-ziens',
		'/en/aanmelden'
	]) {
		await page.goto(path);
		await expectNoAxeViolations(page);
	}
	// A form with errors, as a person meets it after a mistake.
	await page.goto('/registreren');
	await page.getByLabel('E-mailadres').fill('geen-adres');
	await page.getByLabel('Nieuw wachtwoord').fill('kort');
	await page.locator('form').evaluate((f: HTMLFormElement) => (f.noValidate = true));
	await page.getByRole('button', { name: 'Account maken' }).click();
	await expect(page.getByText('Kies een wachtwoord van minstens 10 tekens')).toBeVisible();
	await expectNoAxeViolations(page);

	await signIn(page, 'admin@demo.perkje.invalid', DEMO_PASSWORD);
	for (const path of ['/account', '/account/verwijderen', '/afmelden', '/beheer', '/admin', '/admin/mail']) {
		await page.goto(path);
		await expectNoAxeViolations(page);
	}
});

test('delete my account from the account page', async ({ page }) => {
	const email = `bye-${unique()}@voorbeeld.nl`;
	await signUpAndVerify(page, email, PASSWORD);
	await page.goto('/account');
	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Download mijn gegevens (JSON)' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/^perkje-mijn-gegevens-.*\.json$/);

	await page.getByRole('link', { name: 'Mijn account verwijderen' }).click();
	await page.getByLabel(/Typ ter bevestiging/).fill(email);
	await page.getByRole('button', { name: 'Account definitief verwijderen' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tot ziens');
	await signIn(page, email, PASSWORD);
	await expect(page.getByRole('alert')).toContainText('horen niet bij elkaar');
});

import { expect, test, type Page } from '@playwright/test';
import { LANE, expectNoAxeViolations, freePlotId, signIn } from './helpers';
import { waitForMail } from './mailbox';

/**
 * The staff side as a newcomer meets it: every manager and admin page fits a phone (no
 * sideways page scroll at 375 px) and passes axe; a page for another role says so, in words,
 * with a way on; a page that does not exist says that.
 */

async function expectFitsPhone(page: Page, path: string) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width, `${path} is ${width} px wide at 375 px`).toBeLessThanOrEqual(375);
}

test.describe('on a phone', () => {
	test.use({ viewport: { width: 375, height: 667 } });

	test('every manager page fits 375 px and passes axe, with a request in the inbox and an adoption ended on the plot page', async ({ page }) => {
		// A request of the demo resident, so the inbox has an item to show (a plot of the lane
		// whose journey only reads; it takes the next free plot of its lane if this one is gone).
		await signIn(page, 'bewoner@demo.perkje.invalid');
		const plotId = await freePlotId(page, LANE.manageViews);
		await page.goto(`/plots/${plotId}/adopteren`);
		await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
		await page.getByRole('button', { name: 'Perk aanvragen' }).click();
		await expect(page.getByRole('status').first()).toBeVisible();

		await signIn(page, 'beheerder@demo.perkje.invalid');
		for (const path of ['/beheer', '/beheer/toewijzen', '/beheer/capaciteit', '/beheer/stil', `/beheer/perken/${plotId}`]) {
			const response = await page.goto(path);
			expect(response?.status(), path).toBe(200);
			await expectFitsPhone(page, path);
			await expectNoAxeViolations(page);
		}
		// The inbox's folded forms, opened, still fit.
		await page.goto('/beheer');
		const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Perk ${plotId}\\b`) }) });
		for (const summary of await item.locator('summary').all()) await summary.click();
		await expectFitsPhone(page, '/beheer (forms open)');
		await expectNoAxeViolations(page);
		await item.getByRole('button', { name: 'Goedkeuren' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'De aanvraag is goedgekeurd' })).toBeVisible();

		// The plot page says who adopts it, and ends that adoption with a reason.
		await page.goto(`/beheer/perken/${plotId}`);
		const adopters = page.getByRole('region', { name: 'Wie dit perk adopteert' });
		await expect(adopters).toContainText('bewoner@demo.perkje.invalid');
		await expect(adopters).toContainText('adopteert sinds');
		await adopters.getByText('Adoptie beëindigen', { exact: true }).click();
		await expectFitsPhone(page, '/beheer/perken (end form open)');
		await expectNoAxeViolations(page);
		await adopters.getByLabel('Reden (de adoptant krijgt die te lezen)').fill('Het perk wordt heringericht.');
		await adopters.getByRole('button', { name: /Adoptie van .* beëindigen/ }).click();
		await expect(page.getByRole('status').filter({ hasText: 'De adoptie is beëindigd.' })).toBeVisible();
		await expect(adopters).toContainText('Niemand adopteert dit perk op dit moment.');
		const mail = await waitForMail('bewoner@demo.perkje.invalid', new RegExp(`Perk ${plotId}(?![0-9]).*beëindigd`));
		expect(mail.body).toContain('heringericht');
	});

	test('every admin page fits 375 px and passes axe; the audit log reads as words, not codes', async ({ page }) => {
		await signIn(page, 'admin@demo.perkje.invalid');
		for (const path of ['/admin', '/admin/audit', '/admin/mail', '/admin/overeenkomst', '/beheer']) {
			const response = await page.goto(path);
			expect(response?.status(), path).toBe(200);
			await expectFitsPhone(page, path);
			await expectNoAxeViolations(page);
		}
		await page.goto('/admin/audit');
		const table = page.getByRole('region', { name: 'Auditlog' });
		await expect(table).toBeVisible();
		await expect(table).toContainText('Rol gewijzigd');
		await expect(table).not.toContainText('user.role_change');
		await expect(table).not.toContainText('{"');
		await expect(table.locator('time').first()).not.toHaveText(/T\d\d:/);
		// The filter offers labels and still filters.
		await page.getByLabel('Handeling').selectOption({ label: 'Rol gewijzigd' });
		await page.getByRole('button', { name: 'Filteren' }).click();
		await expect(page).toHaveURL(/action=user\.role_change/);
		await expect(table.locator('tbody tr').first()).toContainText('Rol gewijzigd');
		await page.goto('/admin/mail');
		await expect(page.locator('main')).not.toContainText(/\d{4}-\d\d-\d\dT/);
	});
});

test('a resident opening the manager and admin pages is told they are for other roles (403), with a way on', async ({ page }) => {
	await signIn(page, 'bewoner@demo.perkje.invalid');
	for (const [path, forWhom] of [
		['/beheer', 'Deze pagina is alleen voor: Beheerder openbare ruimte, Platformbeheerder.'],
		['/admin', 'Deze pagina is alleen voor: Platformbeheerder.']
	] as const) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deze pagina is niet voor uw account');
		await expect(page.getByText(forWhom)).toBeVisible();
		await expect(page.getByText('U bent aangemeld als Bewoner.')).toBeVisible();
		await expect(page.getByText('Er ging iets mis')).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Naar mijn perken' })).toHaveAttribute('href', '/mijn-perken');
		await expect(page.getByRole('link', { name: /Afmelden, om met een ander account aan te melden/ })).toBeVisible();
		await expectNoAxeViolations(page);
	}
	// In English too.
	const response = await page.goto('/en/beheer');
	expect(response?.status()).toBe(403);
	await expect(page.getByText('You are signed in as Resident.')).toBeVisible();
});

test('a page that does not exist says so (404), not "something went wrong"', async ({ page }) => {
	const response = await page.goto('/bestaat-niet');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deze pagina bestaat niet (meer).');
	await expect(page.getByText('Probeer het later nog eens')).toHaveCount(0);
	await expectNoAxeViolations(page);
});

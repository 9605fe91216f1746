import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, hydrated, settleMap, signIn } from './helpers';

/**
 * Reports as the public and the managers meet them in Chromium: "Meldingen" in the site's
 * menu leads to the public list (filters by category and neighbourhood, usable by keyboard);
 * the home map's "Meldingen" switch draws the reports layer, with the list as its alternative;
 * the feedback page tells an unknown link so; the managers' reopen requests and figures work
 * at a phone's width. Every page passes axe.
 *
 * The feedback page with a real token (the link in the done mail) and the manager's decision
 * are walked over real HTTP in tests/integration/report-feedback.spec.ts: the browser tests'
 * servers have their own databases, and the mail that carries the token is another part's.
 */

async function fitsThePhone(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow, 'no sideways scrolling of the page').toBeLessThanOrEqual(1);
}

test('the public list of reports is in the menu, filters by keyboard, and passes axe', async ({ page }) => {
	await page.goto('/plots');
	await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Meldingen' }).click();
	await expect(page).toHaveURL(/\/meldingen$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Meldingen' })).toBeVisible();
	await expectNoAxeViolations(page);

	// By keyboard: choose a category, then submit the filter form.
	const category = page.getByLabel('Categorie');
	await category.focus();
	await category.selectOption({ label: '— Zwerfafval' });
	await page.getByRole('button', { name: 'Toon meldingen' }).press('Enter');
	await expect(page).toHaveURL(/categorie=\d+/);
	await expect(page.getByLabel('Categorie')).toHaveValue(/\d+/);
	await expect(page.getByLabel('Categorie').locator('option:checked')).toHaveText('— Zwerfafval');
	await expectNoAxeViolations(page);

	await page.goto('/en/meldingen');
	await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
	await expectNoAxeViolations(page);
});

test('the home map switch draws the reports layer, and offers the list instead', async ({ page }) => {
	await page.goto('/');
	await hydrated(page);
	await expect(page.locator('.perkje-map[data-map-state="ready"]')).toBeVisible();
	const layerShown = () =>
		page.evaluate(() => Boolean((window as unknown as { __perkjeMap: import('maplibre-gl').Map }).__perkjeMap.getLayer('reports-points')));
	expect(await layerShown()).toBe(false);

	const reportsTiles: string[] = [];
	page.on('request', (r) => {
		if (r.url().includes('/tiles/reports/')) reportsTiles.push(r.url());
	});
	await page.getByLabel('Meldingen op de kaart tonen').check();
	await expect(page.getByTestId('map-reports-note')).toBeVisible();
	await expect.poll(layerShown).toBe(true);
	// Zoomed in far enough for the layer, the map asks for its tiles.
	await page.evaluate(() => (window as unknown as { __perkjeMap: import('maplibre-gl').Map }).__perkjeMap.setZoom(15));
	await settleMap(page);
	await expect.poll(() => reportsTiles.length).toBeGreaterThan(0);
	await expectNoAxeViolations(page);

	await page.getByLabel('Meldingen op de kaart tonen').uncheck();
	await expect.poll(layerShown).toBe(false);
	await page.getByRole('link', { name: 'Meldingen als lijst' }).click();
	await expect(page).toHaveURL(/\/meldingen$/);

	// The list's link back to the map opens it with the reports on.
	await page.getByRole('link', { name: 'Bekijk de meldingen op de kaart' }).click();
	await expect(page.getByLabel('Meldingen op de kaart tonen')).toBeChecked();
});

test('a feedback link that is not (or no longer) valid says so, and passes axe', async ({ page }) => {
	const response = await page.goto(`/meldingen/tevreden/${'a'.repeat(43)}?antwoord=nee`);
	expect(response?.status()).toBe(200);
	await expect(page.getByText('Deze link is niet geldig.')).toBeVisible();
	await expect(page.getByRole('radio')).toHaveCount(0);
	await expectNoAxeViolations(page);
});

test("the managers' reopen requests and figures pass axe, also on a phone", async ({ page }) => {
	test.setTimeout(120_000);
	await signIn(page, 'beheerder@demo.perkje.invalid');
	for (const path of ['/beheer/meldingen/heropenen', '/beheer/meldingen/cijfers', '/beheer/meldingen/cijfers?van=2020-01-01&tot=2030-12-31', '/en/beheer/meldingen/cijfers']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(200);
		await expectNoAxeViolations(page);
	}
	await expect(page.getByRole('heading', { level: 2, name: 'By category' })).toBeVisible();
	await page.setViewportSize({ width: 360, height: 740 });
	for (const path of ['/beheer/meldingen/heropenen', '/beheer/meldingen/cijfers']) {
		await page.goto(path);
		await fitsThePhone(page);
		await expectNoAxeViolations(page);
	}
	// A resident is told the pages are the managers'.
	await signIn(page, 'bewoner@demo.perkje.invalid');
	expect((await page.goto('/beheer/meldingen/heropenen'))?.status()).toBe(403);
});

import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, untouchedPlotInList } from './helpers';

/** A plot's own page (/plots/{id}): deep-linkable, readable without JavaScript, honest. */


/** A plot of the demo data, with what the list says about it. */
async function somePlot(page: Page) {
	await page.goto('/plots?sort=area_desc');
	// The largest plot no journey asks for: its state stays "Te adopteren" all run.
	const { id, row } = await untouchedPlotInList(page);
	const cells = await row.locator('td').allTextContents();
	return { id, kind: cells[0].trim(), area: cells[1].trim(), neighbourhood: cells[2].trim() };
}

test('a plot page tells kind, area, neighbourhood and state, and what adopting will be like', async ({ page }) => {
	const plot = await somePlot(page);
	await page.goto(`/plots/${plot.id}`);
	await expect(page).toHaveTitle(new RegExp(`^Perk ${plot.id} · ${plot.neighbourhood}`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Perk ${plot.id}`);
	const fact = (term: string) =>
		page.getByTestId('plot-facts').locator('div', { has: page.locator('dt', { hasText: term }) }).locator('dd');
	await expect(fact('Soort')).toHaveText(plot.kind);
	await expect(fact('Oppervlakte')).toHaveText(`${plot.area} m²`);
	await expect(fact('Buurt')).toHaveText(plot.neighbourhood);
	// The state in words, not only as a colour.
	await expect(page.getByTestId('plot-state')).toHaveText('Te adopteren');
	await expect(page.getByRole('img', { name: `Vorm van perk ${plot.id}, met het noorden boven` })).toBeVisible();

	const cta = page.getByTestId('plot-cta');
	await expect(cta.getByRole('heading', { name: 'Adopteer dit perk' })).toBeVisible();
	await expect(cta).toContainText('de gemeente bekijkt uw aanvraag');
	await expect(cta.getByRole('link', { name: 'Ik heb al een account' })).toHaveAttribute(
		'href',
		// Signing in from a plot leads on to its adoption form.
		`/aanmelden?redirectTo=%2Fplots%2F${plot.id}%2Fadopteren`
	);
	await cta.getByRole('link', { name: 'Account maken' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account maken');

	await page.goto(`/plots/${plot.id}`);
	// There is no care log yet: the page claims no count of care.
	await expect(page.getByTestId('plot-details')).not.toContainText('gelogd');
	await expectNoAxeViolations(page);
});

test('the plot page in English has no axe violations either', async ({ page }) => {
	const plot = await somePlot(page);
	await page.goto(`/en/plots/${plot.id}`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Plot ${plot.id}`);
	await expect(page.getByTestId('plot-state')).toHaveText('Available');
	await expect(page.getByRole('heading', { name: 'Adopt this plot' })).toBeVisible();
	await expect(page.getByTestId('plot-details')).not.toContainText('logged');
	await expect(page.getByRole('link', { name: 'Back to the list of plots' })).toHaveAttribute('href', '/en/plots');
	await expectNoAxeViolations(page);
});

test('without JavaScript the plot page and the list still work', async ({ browser, baseURL }) => {
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL, locale: 'nl-NL' });
	const page = await context.newPage();
	const plot = await somePlot(page);
	await page.goto(`/plots/${plot.id}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Perk ${plot.id}`);
	await expect(page.getByTestId('plot-details')).toContainText(`${plot.area} m²`);
	await expect(page.getByTestId('plot-details')).toContainText(plot.neighbourhood);
	await expect(page.getByTestId('plot-state')).toHaveText('Te adopteren');
	await expect(page.getByRole('heading', { name: 'Adopteer dit perk' })).toBeVisible();

	// The filter form is a plain GET form.
	await page.goto('/plots');
	await page.getByLabel('Status', { exact: true }).selectOption('not_adoptable');
	await page.getByRole('button', { name: 'Toon perken' }).click();
	// Blank fields are dropped: the server answers with the short link.
	await expect(page).toHaveURL(/\/plots\?state=not_adoptable$/);
	await expect(page.getByLabel('Status', { exact: true })).toHaveValue('not_adoptable');
	await context.close();
});

test('an unknown or malformed plot number gets a helpful 404', async ({ page }) => {
	for (const path of ['/plots/999999', '/plots/abc', '/plots/012', '/plots/1.5']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(404);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dit perk bestaat niet');
		await expect(page.getByRole('link', { name: 'Naar de lijst met perken' })).toBeVisible();
	}
	await expectNoAxeViolations(page);
	const response = await page.goto('/en/plots/999999');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('There is no such plot');
});

test('at 360 × 640 the plot page fits the screen', async ({ page }) => {
	const plot = await somePlot(page);
	await page.setViewportSize({ width: 360, height: 640 });
	await page.goto(`/plots/${plot.id}`);
	await expect(page.getByTestId('plot-cta')).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	for (const link of await page.getByTestId('plot-cta').getByRole('link').all()) {
		expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	}
});

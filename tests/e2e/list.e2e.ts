import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, neighbourhoodOptions, untouchedPlotInList } from './helpers';

/**
 * The list of plots (/plots): every plot reachable without the map, filtered through the URL
 * (the same filters as the map), sortable, paged, by mouse and by keyboard alone.
 */


/** "126 perken gevonden." → 126 */
async function resultCount(page: Page): Promise<number> {
	const text = (await page.getByTestId('results-count').textContent()) ?? '';
	if (/Geen|No plots/.test(text)) return 0;
	return Number(text.replace(/\D/g, ''));
}

const rows = (page: Page) => page.getByTestId('plot-table').locator('tbody tr');

/** The neighbourhood option with the fewest plots, so choosing it visibly narrows the list. */
async function smallNeighbourhood(page: Page) {
	const withCounts = (await neighbourhoodOptions(page)).sort((a, b) => a.count - b.count);
	// At least six plots: the journeys of the browser tests take a few plots meanwhile, and
	// the test needs one still available.
	const big = withCounts.filter((o) => o.count >= 6);
	expect(big.length).toBeGreaterThan(1);
	return big[0];
}

test('filter by neighbourhood and state, the URL keeps the filters, and a row opens its plot page', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Lijst' }).click();
	await expect(page).toHaveURL(/\/plots$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Perken');
	const all = await resultCount(page);
	expect(all).toBeGreaterThan(25);
	await expect(rows(page)).toHaveCount(25);

	const hood = await smallNeighbourhood(page);
	await page.getByLabel('Buurt', { exact: true }).selectOption(hood.value);
	await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Te adopteren' });
	await page.getByRole('button', { name: 'Toon perken' }).click();

	await expect(page).toHaveURL(new RegExp(`[?&]neighbourhood=${hood.value}(&|$)`));
	await expect(page).toHaveURL(/[?&]state=available(&|$)/);
	await expect(page.getByTestId('results-count')).not.toHaveText(`${all} perken gevonden.`);
	const found = await resultCount(page);
	expect(found).toBeGreaterThan(0);
	expect(found).toBeLessThanOrEqual(hood.count);
	for (const row of await rows(page).all()) {
		await expect(row.locator('td').nth(2)).toHaveText(hood.name);
		await expect(row.locator('td').nth(3)).toHaveText('Te adopteren');
	}
	// The form shows what is filtered, also after a reload of the shared URL.
	await page.reload();
	await expect(page.getByLabel('Buurt', { exact: true })).toHaveValue(hood.value);
	await expect(page.getByLabel('Status', { exact: true })).toHaveValue('available');

	// A plot no journey asks for, so it is still available when we get there.
	const first = (await untouchedPlotInList(page)).row.getByRole('link');
	const plotName = (await first.textContent())!.trim();
	await first.click();
	await expect(page).toHaveURL(/\/plots\/\d+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(plotName);
	const facts = page.getByTestId('plot-facts');
	await expect(facts).toContainText('Soort');
	await expect(facts).toContainText(/Oppervlakte\s*[\d.,]+ m²/);
	await expect(facts).toContainText(hood.name);
	await expect(page.getByTestId('plot-state')).toHaveText('Te adopteren');
	await expect(page.getByRole('heading', { name: 'Adopteer dit perk' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Account maken' })).toBeVisible();

	// Back to the list with its filters.
	await page.goBack();
	await expect(page).toHaveURL(/state=available/);
	await expect(page.getByLabel('Buurt', { exact: true })).toHaveValue(hood.value);
	await expect(page.getByTestId('results-count')).toHaveText(/^\d+ perk(en)? gevonden\.$/);
});

test('keyboard only: through the filters to a result and into its page', async ({ page }) => {
	await page.goto('/plots');
	const all = await resultCount(page);
	const hood = await smallNeighbourhood(page);

	/** Presses Tab until the focused element matches, as a keyboard user would. */
	async function tabTo(selector: string) {
		for (let i = 0; i < 60; i++) {
			await page.keyboard.press('Tab');
			if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
		}
		throw new Error(`Tab never reached ${selector}`);
	}

	await tabTo('select[name="neighbourhood"]');
	// A closed select changes with the arrow keys; pick the small neighbourhood that way.
	for (let i = 0; i < 200 && (await page.getByLabel('Buurt', { exact: true }).inputValue()) !== hood.value; i++) {
		await page.keyboard.press('ArrowDown');
	}
	await expect(page.getByLabel('Buurt', { exact: true })).toHaveValue(hood.value);
	await tabTo('button[type="submit"]');
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(new RegExp(`neighbourhood=${hood.value}`));
	await expect(page.getByTestId('results-count')).not.toHaveText(`${all} perken gevonden.`);

	await tabTo('[data-testid="plot-table"] tbody a');
	const target = await page.evaluate(() => document.activeElement?.textContent?.trim());
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/plots\/\d+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(target!);
	await tabTo('a[href^="/registreren"]');
	await expect(page.locator(':focus')).toHaveText('Account maken');
});

test('search finds a plot by its number and plots by neighbourhood name', async ({ page }) => {
	await page.goto('/plots');
	const search = page.getByRole('searchbox', { name: 'Zoeken' });
	await search.fill('Perk 12');
	await search.press('Enter');
	await expect(page).toHaveURL(/q=Perk\+12/);
	await expect(page.getByTestId('results-count')).toHaveText('1 perk gevonden.');
	await expect(rows(page)).toHaveCount(1);
	await expect(rows(page).first().getByRole('link')).toHaveText('Perk 12');

	const hood = await smallNeighbourhood(page);
	// Part of the name, in other letters' case.
	const part = hood.name.slice(0, Math.max(4, Math.ceil(hood.name.length / 2))).toLowerCase();
	await search.fill(part);
	await search.press('Enter');
	await expect(page).toHaveURL(/[?&]q=/);
	await expect(page.getByTestId('results-count')).toHaveText(`${hood.count} perken gevonden.`);
	for (const row of await rows(page).all()) {
		await expect(row.locator('td').nth(2)).toContainText(new RegExp(part, 'i'));
	}

	await search.fill('geen-perk-heet-zo');
	await search.press('Enter');
	await expect(page.getByTestId('results-count')).toHaveText('Geen perken gevonden.');
	await expect(page.getByTestId('plot-table')).toHaveCount(0);
	await page.getByRole('link', { name: 'Alle filters wissen' }).click();
	await expect(page).toHaveURL(/\/plots$/);
	await expect(rows(page)).toHaveCount(25);
});

test('sorts by a column header and pages through results, keeping the filters', async ({ page }) => {
	await page.goto('/plots?state=available');
	await page.getByRole('link', { name: 'Sorteer op Oppervlakte (m²)' }).click();
	await expect(page).toHaveURL(/state=available&sort=area_desc$/);
	await expect(page.getByRole('columnheader', { name: /Oppervlakte/ })).toHaveAttribute('aria-sort', 'descending');
	const areas = (await rows(page).locator('td:nth-of-type(2)').allTextContents()).map((t) =>
		Number(t.replace(/\./g, '').replace(',', '.'))
	);
	expect(areas).toEqual([...areas].sort((a, b) => b - a));

	await page.getByRole('link', { name: 'Volgende' }).click();
	await expect(page).toHaveURL(/state=available&sort=area_desc&page=2$/);
	await expect(page.getByTestId('plot-table')).toContainText('Perken 26 tot en met');
	const next = Number((await rows(page).locator('td:nth-of-type(2)').first().textContent())!.replace(/\./g, '').replace(',', '.'));
	expect(next).toBeLessThanOrEqual(areas[areas.length - 1]);

	// The sort select says the same as the header.
	await expect(page.getByLabel('Sorteren op')).toHaveValue('area_desc');
	await page.getByLabel('Sorteren op').selectOption('number');
	await page.getByRole('button', { name: 'Toon perken' }).click();
	await expect(page).toHaveURL(/state=available&sort=number$/);
	// Journeys in the other worker ask for plots meanwhile, so which plot comes first varies:
	// the order is what must hold.
	const numbers = (await rows(page).getByRole('link').allTextContents()).map((t) => Number(t.replace(/\D/g, '')));
	expect(numbers.length).toBeGreaterThan(1);
	expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
});

test('the list has no axe violations, in Dutch and English, filtered and not', async ({ page }) => {
	for (const path of ['/plots', '/plots?state=available&sort=area_asc', '/en/plots', '/en/plots?q=nothing-here']) {
		await page.goto(path);
		await expect(page.getByTestId('results-count')).toBeVisible();
		await expectNoAxeViolations(page);
	}
	await page.goto('/en/plots');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plots');
	await expect(page.getByTestId('results-count')).toHaveText(/^\d+ plots found\.$/);
	await expect(rows(page).first().getByRole('link')).toHaveAttribute('href', /^\/en\/plots\/\d+$/);
});

test('at 360 × 640 the list fits the screen: no sideways scrolling of the page', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 640 });
	await page.goto('/plots');
	await expect(rows(page).first()).toBeVisible();
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(360);
	// The filter controls are thumb-sized.
	for (const control of await page.getByTestId('plot-filters').locator('input, select, button').all()) {
		expect((await control.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	}
});

test('find.json gives the map places to fly to and plots to open', async ({ request }) => {
	const byNumber = await (await request.get('/plots/find.json?q=Perk%2012')).json();
	expect(byNumber.plots.map((p: { id: number }) => p.id)).toEqual([12]);
	expect(byNumber.plots[0].center).toHaveLength(2);

	const response = await request.get('/plots/find.json?q=veste');
	expect(response.headers()['content-type']).toContain('application/json');
	const byName = await response.json();
	expect(byName.neighbourhoods.map((n: { name: string }) => n.name)).toContain('In de Veste');
	expect(byName.neighbourhoods[0].bounds).toHaveLength(4);

	expect(await (await request.get('/plots/find.json')).json()).toEqual({ neighbourhoods: [], plots: [] });
	expect((await request.get(`/plots/find.json?q=${'x'.repeat(500)}`)).status()).toBe(200);
});

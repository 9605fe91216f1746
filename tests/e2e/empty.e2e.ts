import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { EMPTY_URL } from './servers';

// A municipality that has not imported anything yet (PERKJE_DEMO=false, fresh database).
test.use({ baseURL: EMPTY_URL });

test('with no plots yet the home page says so, and the header links still land somewhere', async ({
	page
}) => {
	await page.goto('/');
	const empty = page.getByTestId('empty-state');
	await expect(empty).toContainText('Nog geen perken');
	await expect(empty).toContainText('Voor Delft zijn nog geen perken ingeladen');
	await expect(page.locator('[data-map-state]')).toHaveCount(0);

	const mapHref = await page.getByRole('link', { name: 'Kaart', exact: true }).getAttribute('href');
	const id = mapHref?.split('#')[1];
	expect(id, 'Kaart links to a section').toBeTruthy();
	await expect(page.locator(`[id="${id}"]`)).toHaveCount(1);

	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	expect(results.violations.map((v) => v.id)).toEqual([]);
});

test('with no plots yet the list says so', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('link', { name: 'Lijst', exact: true }).click();
	await expect(page).toHaveURL(/\/plots$/);
	await expect(page.getByTestId('results-count')).toHaveText('Geen perken gevonden.');
	await expect(page.getByTestId('plot-table')).toHaveCount(0);
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	expect(results.violations.map((v) => v.id)).toEqual([]);
});

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

	for (const name of ['Kaart', 'Lijst']) {
		const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
		const id = href?.split('#')[1];
		expect(id, `${name} links to a section`).toBeTruthy();
		await expect(page.locator(`[id="${id}"]`)).toHaveCount(1);
	}

	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	expect(results.violations.map((v) => v.id)).toEqual([]);
});

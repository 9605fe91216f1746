import { expect, test, type Page } from '@playwright/test';
import { hydrated, signIn, untouchedPlotInList } from './helpers';

/**
 * On a slow phone the page's HTML arrives well before its JavaScript. Whatever a resident
 * types or ticks in that time must still be there once the script has taken over the page
 * (Svelte's hydration sets inputs to the server's values unless told they are defaults).
 * The app's scripts are held back here until the form has been filled in.
 */

async function holdScripts(page: Page): Promise<() => Promise<void>> {
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	// Scripts only: the style sheets block rendering, and a real slow phone gets those first too.
	await page.route((url) => url.pathname.startsWith('/_app/immutable/') && url.pathname.endsWith('.js'), async (route) => {
		await held;
		await route.continue();
	});
	return async () => {
		release();
		await hydrated(page);
	};
}

test('what is typed and ticked in the adoption form before the script loads is kept', async ({ page }) => {
	await signIn(page, 'bewoner@demo.perkje.invalid');
	await page.goto('/plots?state=available&sort=number');
	const { id } = await untouchedPlotInList(page);

	const hydrate = await holdScripts(page);
	await page.goto(`/plots/${id}/adopteren`, { waitUntil: 'commit' });
	const motivation = page.getByLabel(/Waarom wilt u dit perk verzorgen/);
	await motivation.fill('Ik woon ernaast en geef graag water.');
	const accept = page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.');
	await accept.check();
	await hydrate();

	await expect(motivation).toHaveValue('Ik woon ernaast en geef graag water.');
	await expect(accept).toBeChecked();
	await expect(page.getByLabel('Ik, alleen')).toBeChecked();
});

test('mail choices and the language changed before the script loads stay so', async ({ page }) => {
	await signIn(page, 'bewoner@demo.perkje.invalid');

	const hydrate = await holdScripts(page);
	await page.goto('/account', { waitUntil: 'commit' });
	const topic = page.locator('input[name="topics"]').first();
	await expect(topic).toBeChecked();
	await topic.uncheck();
	await page.getByRole('radio', { name: 'English' }).check();
	await hydrate();
	await expect(topic).not.toBeChecked();
	await expect(page.getByRole('radio', { name: 'English' })).toBeChecked();
});

test('a search and sizes typed in the list filters before the script loads are kept', async ({ page }) => {
	const hydrate = await holdScripts(page);
	await page.goto('/plots', { waitUntil: 'commit' });
	await page.getByLabel('Zoeken', { exact: true }).fill('Hof');
	await page.getByLabel('Vanaf (m²)').fill('50');
	await hydrate();
	await expect(page.getByLabel('Zoeken', { exact: true })).toHaveValue('Hof');
	await expect(page.getByLabel('Vanaf (m²)')).toHaveValue('50');
	// The form still follows the URL once the script runs: clearing the filters empties it.
	await page.getByRole('button', { name: 'Toon perken' }).click();
	await expect(page).toHaveURL(/q=Hof/);
	await page.getByRole('link', { name: 'Alle filters wissen' }).click();
	await expect(page).toHaveURL(/\/plots$/);
	await expect(page.getByLabel('Zoeken', { exact: true })).toHaveValue('');
	await expect(page.getByLabel('Vanaf (m²)')).toHaveValue('');
});

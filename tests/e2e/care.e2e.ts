import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { LANE, expectNoAxeViolations, freePlotId, hydrated, signIn } from './helpers';

/**
 * The care log from the adopter's side, in Chromium on a phone: the demo resident's request is
 * approved, they log work with two photos from "Mijn perken", the plot page shows it (count,
 * hours, last date, gallery), they change it, and an entry sent without signal is kept on the
 * phone and sent once when the connection returns. Every new page passes axe.
 */
const RESIDENT = 'bewoner@demo.perkje.invalid';
const MANAGER = 'beheerder@demo.perkje.invalid';

/** A photo as a phone would send it: a JPEG of some size, made here. */
async function photo(name: string, hue: number) {
	const buffer = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: hue, g: 160, b: 90 } } })
		.jpeg({ quality: 80 })
		.toBuffer();
	return { name, mimeType: 'image/jpeg', buffer };
}

async function adoptedPlot(page: Page): Promise<number> {
	await signIn(page, RESIDENT);
	const plotId = await freePlotId(page, LANE.care);
	await page.goto(`/plots/${plotId}/adopteren`);
	await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page).toHaveURL(/\/mijn-perken/);

	await signIn(page, MANAGER);
	await page.goto('/beheer');
	const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Perk ${plotId}\\b`) }) });
	await item.getByRole('button', { name: 'Goedkeuren' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'goedgekeurd' })).toBeVisible();
	await signIn(page, RESIDENT);
	return plotId;
}

test('an adopter logs care with photos, changes it, and an entry sent offline is kept and sent once', async ({ page, context }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 375, height: 740 });
	const plotId = await adoptedPlot(page);

	// Before any care, the plot page says so honestly, and offers its adopter the form.
	await page.goto(`/plots/${plotId}`);
	await expect(page.getByTestId('care-none')).toHaveText('Nog geen onderhoud vastgelegd');
	await expect(page.getByTestId('care-log-link')).toHaveAttribute('href', `/plots/${plotId}/onderhoud`);

	await page.goto('/mijn-perken');
	await page.locator(`[data-testid="myplot"][data-plot-id="${plotId}"]`).getByTestId('myplot-care').click();
	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}/onderhoud$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Onderhoud vastleggen voor perk ${plotId}`);
	await hydrated(page);
	await expectNoAxeViolations(page);

	await page.getByLabel('Onkruid gewied').check();
	await page.getByLabel('Hoeveel minuten heeft u gewerkt?').fill('45');
	await page.getByLabel('Met hoeveel mensen?').fill('2');
	await page.getByLabel(/Notitie/).fill('Onkruid weggehaald langs het pad.');
	// Each photo goes up at once, with its progress, before the entry is sent.
	await page.getByTestId('care-photo-input').setInputFiles([await photo('perk-1.jpg', 40), await photo('perk-2.jpg', 200)]);
	await expect(page.getByTestId('care-photos').locator('[data-state="done"]')).toHaveCount(2);
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Vastleggen' }).click();

	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}\\?onderhoud=vastgelegd$`));
	await expect(page.getByTestId('care-done')).toContainText('Uw onderhoud is vastgelegd');
	const care = page.getByTestId('plot-care');
	await expect(care.getByTestId('care-count')).toHaveText('1');
	await expect(care.getByTestId('care-hours')).toHaveText('1,5');
	const today = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(new Date());
	await expect(care.getByTestId('care-last')).toHaveText(today);
	const gallery = care.getByTestId('care-gallery').locator('img');
	await expect(gallery).toHaveCount(2);
	expect(await gallery.first().getAttribute('src')).toMatch(/^\/media\/[0-9a-f]{64}$/);
	await expect(care.getByTestId('care-entry')).toContainText('Onkruid weggehaald langs het pad.');
	await expectNoAxeViolations(page);

	// Changed within fourteen days: the plot page shows only the new version.
	await care.getByTestId('care-edit-link').click();
	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}/onderhoud/\\d+$`));
	await hydrated(page);
	await expectNoAxeViolations(page);
	await page.getByLabel('Hoeveel minuten heeft u gewerkt?').fill('60');
	await page.getByLabel(/Notitie/).fill('Onkruid weggehaald langs het pad en bij de bank.');
	await page.getByRole('button', { name: 'Wijziging opslaan' }).click();
	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}\\?onderhoud=gewijzigd$`));
	await expect(care.getByTestId('care-hours')).toHaveText('2');
	await expect(care.getByTestId('care-entry')).toHaveCount(1);
	await expect(care.getByTestId('care-entry')).toContainText('en bij de bank');
	await expect(care.getByTestId('care-gallery').locator('img')).toHaveCount(2);

	// No signal: the form is kept on the phone, and sent when the connection returns.
	await page.goto(`/plots/${plotId}/onderhoud`);
	await hydrated(page);
	await page.getByLabel('Water gegeven').check();
	await page.getByLabel('Hoeveel minuten heeft u gewerkt?').fill('20');
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Vastleggen' }).click();
	await expect(page.getByTestId('care-kept')).toContainText('Niet verzonden. Uw gegevens zijn bewaard op dit apparaat.');
	await expect(page.getByRole('button', { name: 'Opnieuw versturen' })).toBeVisible();
	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}/onderhoud$`));
	await context.setOffline(false);
	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}\\?onderhoud=vastgelegd$`));
	await expect(care.getByTestId('care-count')).toHaveText('2');
	await expect(care.getByTestId('care-entry')).toHaveCount(2);
	await expect(care.getByTestId('care-entry').filter({ hasText: 'Water gegeven' })).toHaveCount(1);
});

test('without JavaScript the care form is a plain post, its photo in the same post', async ({ browser }) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 }, locale: 'nl-NL' });
	try {
		const page = await context.newPage();
		const plotId = await adoptedPlot(page);
		await page.goto(`/plots/${plotId}/onderhoud`);
		await page.getByLabel('Onkruid gewied').check();
		await page.getByLabel('Hoeveel minuten heeft u gewerkt?').fill('30');
		await page.getByTestId('care-photo-input').setInputFiles([await photo('zonder-script.jpg', 120)]);
		await page.getByRole('button', { name: 'Vastleggen' }).click();
		await expect(page).toHaveURL(new RegExp(`/plots/${plotId}\\?onderhoud=vastgelegd$`));
		const care = page.getByTestId('plot-care');
		await expect(care.getByTestId('care-count')).toHaveText('1');
		await expect(care.getByTestId('care-hours')).toHaveText('0,5');
		await expect(care.getByTestId('care-gallery').locator('img')).toHaveCount(1);
	} finally {
		await context.close();
	}
});

test('care logged today is "this week" on the map of care, and a note the manager hides leaves the public plot page', async ({ page, browser }) => {
	test.setTimeout(120_000);
	const plotId = await adoptedPlot(page);
	await page.goto(`/plots/${plotId}/onderhoud`);
	await hydrated(page);
	await page.getByLabel('Onkruid gewied').check();
	await page.getByLabel('Hoeveel minuten heeft u gewerkt?').fill('30');
	await page.getByLabel(/Notitie/).fill('Gewied samen met Jan van nummer 12.');
	await page.getByRole('button', { name: 'Vastleggen' }).click();
	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}\\?onderhoud=vastgelegd$`));

	// The manager's map of care, as its list: the plot is cared for this week.
	await signIn(page, MANAGER);
	await page.goto('/beheer/onderhoud?periode=week&per=100');
	const row = page.locator(`tr[data-plot-id="${plotId}"]`);
	await expect(row).toHaveAttribute('data-care', 'week');
	await expect(row).toContainText('Deze week');

	// The note names a neighbour: the manager hides it, with a reason kept in its history.
	await page.goto(`/beheer/perken/${plotId}`);
	const entry = page.locator('li[data-activity-id]').first();
	await expect(entry.getByTestId('entry-note')).toHaveText('Gewied samen met Jan van nummer 12.');
	await entry.getByText('Notitie verbergen', { exact: true }).click();
	await entry.getByLabel('Reden (die blijft bewaard in de geschiedenis)').fill('Noemt een buurtbewoner bij naam');
	await entry.getByRole('button', { name: 'Verbergen' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Verborgen.' })).toBeVisible();

	// A visitor sees the care, without the note, at once.
	const visitor = await browser.newContext({ locale: 'nl-NL' });
	try {
		const publicPage = await visitor.newPage();
		await publicPage.goto(`/plots/${plotId}`);
		const care = publicPage.getByTestId('plot-care');
		await expect(care.getByTestId('care-count')).toHaveText('1');
		await expect(care.getByTestId('care-entry')).toHaveCount(1);
		await expect(care.getByTestId('care-entry')).toContainText('Onkruid gewied');
		await expect(care).not.toContainText('Jan van nummer 12');
	} finally {
		await visitor.close();
	}
});

import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { LANE, adoptThroughPages, expectNoAxeViolations, hydrated, signIn } from './helpers';

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
	return adoptThroughPages(page, { email: RESIDENT }, LANE.care);
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

/** A day `n` days back as the plot page writes it ("17 november 2026"). */
function dayWritten(n: number) {
	return new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(new Date(Date.now() - n * 86_400_000));
}

/** Sends a form the page does not offer, as someone with the browser's developer tools would. */
async function forgePost(page: Page, action: string, fields: Record<string, string>) {
	const answer = page.waitForResponse((r) => r.request().method() === 'POST');
	await page.evaluate(
		({ action, fields }) => {
			const form = document.createElement('form');
			form.method = 'POST';
			form.action = action;
			for (const [name, value] of Object.entries(fields)) {
				const input = document.createElement('input');
				input.type = 'hidden';
				input.name = name;
				input.value = value;
				form.append(input);
			}
			document.body.append(form);
			form.submit();
		},
		{ action, fields }
	);
	return answer;
}

test('an entry written fifteen days ago can no longer be changed: the page says so, and a forged change or deletion is refused', async ({ page }) => {
	test.setTimeout(120_000);
	// The demo gives its resident a plot with care of the last weeks (activities/demo.ts), one
	// entry written fifteen days before the server started: a day past the fourteen.
	await signIn(page, RESIDENT);
	await page.goto('/mijn-perken');
	const adopted = await page.locator('[data-testid="myplot"][data-status="active"]').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-plot-id'))));
	let found: { plotId: number; activityId: number } | null = null;
	for (const plotId of adopted) {
		await page.goto(`/plots/${plotId}`);
		const old = page.getByTestId('care-entry').filter({ hasText: dayWritten(15) });
		if ((await old.count()) === 0) continue;
		found = { plotId, activityId: Number(await old.first().getAttribute('data-activity-id')) };
		break;
	}
	expect(found, 'the demo resident has a plot with an entry of fifteen days ago').not.toBeNull();
	const { plotId, activityId } = found!;
	const entry = page.locator(`[data-testid="care-entry"][data-activity-id="${activityId}"]`);
	// On the plot page it is no longer offered for change.
	await expect(entry.getByTestId('care-edit-link')).toHaveCount(0);
	const before = { entry: await entry.innerText(), count: await page.getByTestId('care-count').innerText(), hours: await page.getByTestId('care-hours').innerText() };

	// Opened by its address (a bookmark, the browser's history): told why, in the page, without a form.
	const edit = `/plots/${plotId}/onderhoud/${activityId}`;
	const response = await page.goto(edit);
	expect(response?.status()).toBe(200);
	await expect(page.getByTestId('care-locked')).toHaveText('Deze registratie is ouder dan 14 dagen en kan niet meer worden gewijzigd of verwijderd.');
	await expect(page.getByTestId('care-locked-entry')).toContainText(dayWritten(15));
	await expect(page.getByRole('button', { name: 'Wijziging opslaan' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Verwijderen' })).toHaveCount(0);
	await expect(page.getByLabel('Hoeveel minuten heeft u gewerkt?')).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Terug naar het perk' })).toHaveAttribute('href', `/plots/${plotId}`);
	await hydrated(page);
	await expectNoAxeViolations(page);

	// The edit form posted all the same: refused, with the same sentence, as an error.
	const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Amsterdam' });
	const saved = await forgePost(page, '?/save', { tasks: 'watering', doneOn: today, minutes: '5', people: '1', note: 'Toch nog gewijzigd', idempotencyKey: `forged-${Date.now()}` });
	expect(saved.status()).toBe(403);
	await expect(page.getByRole('alert').getByTestId('care-locked')).toContainText('kan niet meer worden gewijzigd of verwijderd');
	await expect(page.getByRole('button', { name: 'Wijziging opslaan' })).toHaveCount(0);
	await expectNoAxeViolations(page);
	// And the delete form, confirmed.
	const deleted = await forgePost(page, '?/delete', { confirm: 'on' });
	expect(deleted.status()).toBe(403);
	await expect(page.getByRole('alert').getByTestId('care-locked')).toContainText('kan niet meer worden gewijzigd of verwijderd');

	// Nothing changed: the plot page shows the entry and the figures as before.
	await page.goto(`/plots/${plotId}`);
	await expect(entry).toHaveText(before.entry);
	await expect(page.getByTestId('care-count')).toHaveText(before.count);
	await expect(page.getByTestId('care-hours')).toHaveText(before.hours);
	await expect(page.getByTestId('plot-care')).not.toContainText('Toch nog gewijzigd');
});

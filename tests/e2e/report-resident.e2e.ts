import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import type { ReceivedMail } from '../support/test-smtp';
import { LANE, expectNoAxeViolations, freePlotId, hydrated, pathOf, signIn, signUpAndVerify } from './helpers';
import { waitForMail } from './mailbox';

/**
 * The reporter's side in Chromium on a phone: a resident reports a problem at a plot with a
 * photo; a second resident starting a report of the same kind there is shown it ("Is dit
 * dezelfde melding?") and supports it instead; the count shows on the report's page; a report
 * by address is confirmed by the mailed link; Mijn meldingen lists both. Every new page passes axe.
 */
const RESIDENT = 'bewoner@demo.perkje.invalid';

/** The confirmation link in a mail (its token is part of the path). */
function confirmLink(mail: ReceivedMail): string {
	const match = /https?:\/\/[^\s"<>]*\/meldingen\/bevestigen\/[\w-]+/.exec(mail.body);
	if (!match) throw new Error(`No confirmation link in mail "${mail.subject}":\n${mail.body}`);
	return match[0];
}

async function photo(name: string) {
	const buffer = await sharp({ create: { width: 1000, height: 750, channels: 3, background: { r: 120, g: 90, b: 60 } } })
		.jpeg({ quality: 80 })
		.toBuffer();
	return { name, mimeType: 'image/jpeg', buffer };
}

/** From the plot page to the form of one category, as a person clicks through it. */
async function startReport(page: Page, plotId: number, category: string) {
	await page.goto(`/plots/${plotId}`);
	await page.getByTestId('plot-report-link').click();
	await expect(page).toHaveURL(new RegExp(`/meldingen/nieuw\\?plot=${plotId}$`));
	await expect(page.getByTestId('report-place')).toContainText(`Bij perk ${plotId}`);
	await page.getByLabel('Wat is er aan de hand?').selectOption({ label: category });
	await page.getByRole('button', { name: 'Verder' }).click();
	await expect(page.getByTestId('report-category')).toContainText(category);
}

test('a resident reports at a plot with a photo; a second one nearby supports it instead; Mijn meldingen lists both', async ({ page, browser }) => {
	test.setTimeout(180_000);
	await page.setViewportSize({ width: 375, height: 740 });
	await signIn(page, RESIDENT);
	const plotId = await freePlotId(page, LANE.reportResident);

	await page.goto('/meldingen/nieuw');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Probleem melden');
	await expectNoAxeViolations(page);

	await startReport(page, plotId, 'Zwerfafval');
	await expectNoAxeViolations(page);
	await page.getByLabel('Beschrijving').fill('Een opengescheurde vuilniszak naast het perk.');
	await page.getByTestId('report-photo-input').setInputFiles([await photo('zak.jpg')]);
	await page.getByLabel(/mag contact met mij opnemen/).check();
	await page.getByRole('button', { name: 'Melding versturen' }).click();

	await expect(page).toHaveURL(/\/meldingen\/\d+\?verstuurd=1$/);
	const reportId = Number(/\/meldingen\/(\d+)/.exec(page.url())![1]);
	await expect(page.getByTestId('report-thanks')).toContainText('Uw melding is verstuurd');
	await expect(page.getByTestId('report-state')).toHaveText('Gemeld');
	await expect(page.getByTestId('report-category')).toHaveText('Afval – Zwerfafval');
	await expect(page.getByTestId('report-own')).toContainText('Een opengescheurde vuilniszak naast het perk.');
	await expect(page.getByRole('img', { name: `Foto bij melding ${reportId}` })).toBeVisible();
	await expect(page.getByTestId('report-support-count')).toHaveText('0 personen zien dit ook');
	await hydrated(page);
	await expectNoAxeViolations(page);

	// A second resident, with an account of their own, starts a report of the same kind there.
	const other = await browser.newContext({ viewport: { width: 375, height: 740 } });
	const second = await other.newPage();
	const email = `tweede-melder-${Date.now()}@voorbeeld.nl`;
	await signUpAndVerify(second, email, 'een-lang-wachtwoord-2024');
	await startReport(second, plotId, 'Zwerfafval');
	const same = second.getByTestId('report-same');
	await expect(same.getByRole('heading', { name: 'Is dit dezelfde melding?' })).toBeVisible();
	const item = same.getByRole('listitem').filter({ has: second.locator(`a[href="/meldingen/${reportId}"]`) });
	await expect(item).toContainText('0 personen zien dit ook');
	await expectNoAxeViolations(second);
	await item.getByRole('button', { name: 'Ik zie dit ook' }).click();
	await expect(second).toHaveURL(new RegExp(`/meldingen/${reportId}\\?steun=1$`));
	await expect(second.getByTestId('report-thanks')).toContainText('telt mee');
	await expect(second.getByTestId('report-support-count')).toHaveText('1 persoon ziet dit ook');
	// The public page shows nobody's description or address.
	await expect(second.getByTestId('report-own')).toHaveCount(0);
	await expect(second.locator('body')).not.toContainText('vuilniszak');

	// Mijn meldingen, from the navigation: the first resident's report, the second's support.
	await second.getByRole('link', { name: 'Mijn meldingen' }).first().click();
	await expect(second.getByRole('heading', { level: 1 })).toHaveText('Mijn meldingen');
	await expect(second.getByTestId('myreports')).toContainText(`Melding ${reportId}: Zwerfafval`);
	await expect(second.getByTestId('myreports')).toContainText('U ziet dit ook');
	await expectNoAxeViolations(second);
	await other.close();

	await page.goto('/mijn-meldingen');
	const row = page.getByTestId('myreports').getByRole('row').filter({ hasText: `Melding ${reportId}:` });
	await expect(row).toContainText('Gemeld door u');
	await expect(row).toContainText('Gemeld');
	await page.goto(`/meldingen/${reportId}`);
	await expect(page.getByTestId('report-support-count')).toHaveText('1 persoon ziet dit ook');
});

test('a report by address is confirmed by the link in its mail, and only then public', async ({ page }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 375, height: 740 });
	const plotId = await freePlotId(page, LANE.reportResident, 'top');
	await startReport(page, plotId, 'Kapot meubilair of hek');
	await page.getByLabel('Beschrijving').fill('Het hekje om het perk is omgereden.');
	const email = `melder-zonder-account-${Date.now()}@voorbeeld.nl`;
	await page.getByLabel('Uw e-mailadres').fill(email);
	await page.getByRole('button', { name: 'Melding versturen' }).click();
	await expect(page.getByTestId('report-check-mail')).toContainText('Volg de link daarin binnen 48 uur');
	await expectNoAxeViolations(page);

	const mail = await waitForMail(email, /Bevestig uw melding/);
	await page.goto(pathOf(confirmLink(mail)));
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Melding bevestigen' }).click();
	await expect(page.getByTestId('report-confirmed')).toContainText('Uw melding is bevestigd');
	await page.getByRole('link', { name: 'Bekijk de melding' }).click();
	await expect(page.getByTestId('report-category')).toHaveText('Openbare ruimte – Kapot meubilair of hek');
	await expect(page.getByTestId('report-state')).toHaveText('Gemeld');
	await expect(page.locator('body')).not.toContainText(email);

	// The same link again: already confirmed, said plainly.
	await page.goto(pathOf(confirmLink(mail)));
	await page.getByRole('button', { name: 'Melding bevestigen' }).click();
	await expect(page.getByTestId('report-confirmed')).toContainText('al gebruikt');
});

test('a report starts from a typed plot number, or from "near me" with the phone\'s position', async ({ page, browser }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 375, height: 740 });
	const plotId = await freePlotId(page, LANE.reportResident);

	// By number: a wrong one is said plainly, the right one leads on.
	await page.goto('/meldingen/nieuw');
	await page.getByLabel('Nummer van het perk').fill('999999999');
	await page.getByRole('button', { name: 'Verder' }).click();
	await expect(page.getByText('Er is geen perk met dit nummer.')).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByLabel('Nummer van het perk').fill(String(plotId));
	await page.getByRole('button', { name: 'Verder' }).click();
	await expect(page.getByTestId('report-place')).toContainText(`Bij perk ${plotId}`);
	await page.getByLabel('Wat is er aan de hand?').selectOption({ label: 'Onkruid' });
	await page.getByRole('button', { name: 'Verder' }).click();
	const lon = Number(await page.locator('input[name="lon"]').inputValue());
	const lat = Number(await page.locator('input[name="lat"]').inputValue());

	// Near me: the browser's position becomes the place.
	const phone = await browser.newContext({
		viewport: { width: 375, height: 740 },
		geolocation: { longitude: lon, latitude: lat },
		permissions: ['geolocation']
	});
	const near = await phone.newPage();
	await near.goto('/meldingen/nieuw');
	await hydrated(near);
	await near.getByRole('button', { name: 'Gebruik mijn locatie' }).click();
	await expect(near).toHaveURL(/\/meldingen\/nieuw\?lon=[\d.]+&lat=[\d.]+$/);
	await expect(near.getByTestId('report-place')).toContainText('Op de gekozen plek op de kaart');
	await near.getByLabel('Wat is er aan de hand?').selectOption({ label: 'Onkruid' });
	await near.getByRole('button', { name: 'Verder' }).click();
	await near.getByLabel('Beschrijving').fill('Veel onkruid tussen de tegels.');
	await near.getByLabel('Uw e-mailadres').fill(`dichtbij-${Date.now()}@voorbeeld.nl`);
	await near.getByRole('button', { name: 'Melding versturen' }).click();
	await expect(near.getByTestId('report-check-mail')).toBeVisible();
	await phone.close();
});

import { expect, test, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';
import type { ReceivedMail } from '../support/test-smtp';
import { LANE, freePlotId, hydrated, pathOf, signIn, signUpAndVerify } from './helpers';
import { waitForMail } from './mailbox';

/**
 * One report from start to finish, through the pages only, as the people involved meet it on a
 * phone: a new resident reports a green problem at a plot with a photo; a second new resident
 * starting the same report there supports it instead; the demo routing rule sends it to the
 * demo partner, who answers with a note and a photo and marks it done; the reporter's mail
 * carries that note and the feedback question, and the reporter answers "nee"; a manager finds
 * the request among the reopen requests and reopens it; the public report page shows it
 * reopened. The pages themselves (and their axe checks) are the other report-*.e2e.ts files';
 * this one checks that the parts hand the report on to each other.
 *
 * Plots come from LANE.reportPublic, which report-public.e2e.ts never asks plots from. The
 * category is one no other report e2e picks by name, so their lists stay as they expect.
 */
const PARTNER = 'partner@demo.perkje.invalid';
const MANAGER = 'beheerder@demo.perkje.invalid';
const PASSWORD = 'een-lang-wachtwoord-2024';
const CATEGORY = 'Ziek of dood groen';
const PHONE = { width: 375, height: 740 };

async function photo(name: string, hue: number) {
	const buffer = await sharp({ create: { width: 1000, height: 750, channels: 3, background: { r: hue, g: 110, b: 60 } } })
		.jpeg({ quality: 80 })
		.toBuffer();
	return { name, mimeType: 'image/jpeg', buffer };
}

/** A fresh phone with a new, verified account signed in. */
async function newResident(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ viewport: PHONE });
	const page = await context.newPage();
	await signUpAndVerify(page, email, PASSWORD);
	return page;
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

/** The "nee" link of the feedback question in a mail. */
function noLink(mail: ReceivedMail): string {
	const match = /https?:\/\/[^\s"<>]*\/meldingen\/tevreden\/[\w-]+\?antwoord=nee/.exec(mail.body);
	if (!match) throw new Error(`No "nee" link in mail "${mail.subject}":\n${mail.body}`);
	return match[0];
}

test('a report goes from the resident to the partner, back to the resident, and is reopened by a manager', async ({ page, browser }) => {
	test.setTimeout(240_000);
	await page.setViewportSize(PHONE);
	const mark = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
	const description = `De heesters bij het bankje zijn dood (${mark}).`;
	const partnerNote = `De dode heesters zijn weggehaald en vervangen (${mark}).`;
	const managerNote = `Wij kijken er opnieuw naar, de nieuwe heesters staan verkeerd (${mark}).`;

	// 1. A new resident reports at a plot, with a photo.
	const reporterEmail = `journey-melder-${mark}@voorbeeld.nl`;
	const reporter = await newResident(browser, reporterEmail);
	const plotId = await freePlotId(reporter, LANE.reportPublic, 'top');
	await startReport(reporter, plotId, CATEGORY);
	await reporter.getByLabel('Beschrijving').fill(description);
	await reporter.getByTestId('report-photo-input').setInputFiles([await photo('heesters.jpg', 130)]);
	await reporter.getByRole('button', { name: 'Melding versturen' }).click();
	await expect(reporter).toHaveURL(/\/meldingen\/\d+\?verstuurd=1$/);
	const reportId = Number(/\/meldingen\/(\d+)/.exec(reporter.url())![1]);
	await expect(reporter.getByTestId('report-state')).toHaveText('Gemeld');
	await expect(reporter.getByTestId('report-category')).toHaveText(`Groen – ${CATEGORY}`);
	await expect(reporter.getByTestId('report-own')).toContainText(description);
	await expect(reporter.getByRole('img', { name: `Foto bij melding ${reportId}` })).toBeVisible();

	// 2. A second new resident starts the same report there, is shown the first, and supports it.
	const supporter = await newResident(browser, `journey-ook-${mark}@voorbeeld.nl`);
	await startReport(supporter, plotId, CATEGORY);
	const same = supporter.getByTestId('report-same');
	await expect(same.getByRole('heading', { name: 'Is dit dezelfde melding?' })).toBeVisible();
	const item = same.getByRole('listitem').filter({ has: supporter.locator(`a[href="/meldingen/${reportId}"]`) });
	await expect(item).toContainText('0 personen zien dit ook');
	await item.getByRole('button', { name: 'Ik zie dit ook' }).click();
	await expect(supporter).toHaveURL(new RegExp(`/meldingen/${reportId}\\?steun=1$`));
	await expect(supporter.getByTestId('report-support-count')).toHaveText('1 persoon ziet dit ook');
	await expect(supporter.locator('body')).not.toContainText(mark);
	await supporter.context().close();

	// 3. The green report was routed to the demo partner: on its work list, from its navigation.
	await signIn(page, PARTNER);
	await page.getByRole('link', { name: 'Werklijst' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Werklijst meldingen' })).toBeVisible();
	await page.getByRole('link', { name: `Melding ${reportId}: ${CATEGORY}`, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: `Melding ${reportId}` })).toBeVisible();
	// The partner works from what the resident wrote.
	await expect(page.locator('main')).toContainText(description);
	await page.getByLabel('Nieuwe status').selectOption({ label: 'Afgehandeld' });
	await page.getByLabel('Openbare toelichting').fill(partnerNote);
	await page.getByLabel(/Foto's van wat er is gedaan/).setInputFiles([await photo('nieuw.jpg', 60)]);
	await page.getByRole('button', { name: 'Opslaan' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Opgeslagen.' })).toBeVisible();
	await expect(page.getByText('status gewijzigd naar Afgehandeld')).toBeVisible();

	// 4. The reporter's mail holds the partner's note and the question; "nee", with a reason.
	const mail = await waitForMail(reporterEmail, new RegExp(`Uw melding ${reportId} is afgehandeld`));
	expect(mail.body).toContain(partnerNote);
	expect(mail.body).toContain('Bent u tevreden over de afhandeling van uw melding?');
	await reporter.goto(pathOf(noLink(mail)));
	await expect(reporter.getByRole('heading', { level: 1 })).toHaveText('Uw mening over de afhandeling');
	await expect(reporter.getByRole('radio', { name: 'Nee' })).toBeChecked();
	await hydrated(reporter);
	await reporter.getByRole('checkbox', { name: 'Het probleem is niet verholpen' }).check();
	await reporter.getByLabel('Wilt u nog iets toelichten? (niet verplicht)').fill(`De nieuwe heesters staan in de schaduw (${mark}).`);
	await reporter.getByRole('button', { name: 'Verstuur mijn antwoord' }).click();
	await expect(reporter.getByText('U vraagt de gemeente de melding te heropenen')).toBeVisible();
	await reporter.goto(`/meldingen/${reportId}`);
	await expect(reporter.getByTestId('report-state')).toHaveText('Verzoek tot heropenen');

	// 5. A manager finds it among the reopen requests, from the reports' navigation, and reopens it.
	await signIn(page, MANAGER);
	await page.goto('/beheer');
	await page.getByRole('navigation', { name: 'Beheer', exact: true }).getByRole('link', { name: 'Meldingen' }).click();
	await page.getByRole('navigation', { name: 'Meldingen beheren' }).getByRole('link', { name: 'Verzoeken tot heropenen' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Verzoeken tot heropenen' })).toBeVisible();
	const request = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: `#${reportId} · ${CATEGORY}` }) });
	await expect(request).toContainText(partnerNote);
	await expect(request).toContainText('Het probleem is niet verholpen');
	await expect(request).toContainText(`De nieuwe heesters staan in de schaduw (${mark}).`);
	await request.getByRole('radio', { name: /^Heropenen/ }).check();
	await request.getByLabel('Toelichting voor de melder (openbaar)').fill(managerNote);
	await request.getByRole('button', { name: 'Besluit vastleggen' }).click();
	await expect(page.getByText(`Melding #${reportId} is heropend.`)).toBeVisible();
	await expect(page.getByRole('heading', { name: `#${reportId} · ${CATEGORY}` })).toHaveCount(0);

	// The public report page, signed out: reopened, with the whole public story and no names.
	const publicContext = await browser.newContext({ viewport: PHONE });
	const visitor = await publicContext.newPage();
	await visitor.goto(`/meldingen/${reportId}`);
	await expect(visitor.getByTestId('report-state')).toHaveText('Heropend');
	await expect(visitor.getByTestId('report-support-count')).toHaveText('1 persoon ziet dit ook');
	const timeline = visitor.getByTestId('report-timeline');
	await expect(timeline.getByRole('listitem').filter({ hasText: 'Afgehandeld' })).toContainText(partnerNote);
	await expect(timeline.getByRole('listitem').filter({ hasText: 'Heropend' })).toContainText(managerNote);
	await expect(visitor.getByRole('img', { name: `Foto van wat er is gedaan bij melding ${reportId}` })).toBeVisible();
	await expect(visitor.locator('body')).not.toContainText(description);
	await expect(visitor.locator('body')).not.toContainText(reporterEmail);
	await publicContext.close();
	await reporter.context().close();
});

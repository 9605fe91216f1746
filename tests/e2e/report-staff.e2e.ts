import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { expectNoAxeViolations, signIn } from './helpers';
import { waitForMail } from './mailbox';

/**
 * The municipality and the partner at work on reports, in Chromium, on the demo's reports
 * (src/lib/server/reports/demo.ts: green goes to 'Demo: Buurtwerk Perkje', the 'Boom' report is
 * past its deadline). The demo partner answers one with a photo and marks it done, and the demo
 * resident who reported it gets the mail with the note and the feedback question; a manager
 * filters the inbox, reassigns and merges; a partner cannot open the municipality's own report.
 * Every page passes axe, also at a phone's width. All through the pages: both databases.
 */
const PARTNER = 'partner@demo.perkje.invalid';
const MANAGER = 'beheerder@demo.perkje.invalid';
const RESIDENT = 'bewoner@demo.perkje.invalid';

async function photo(name: string, hue: number) {
	const buffer = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: hue, g: 120, b: 60 } } })
		.jpeg({ quality: 80 })
		.toBuffer();
	return { name, mimeType: 'image/jpeg', buffer };
}

/** A report's number from its link in a list ("Melding 12: Onkruid"). */
/**
 * The demo report of a category: the oldest number of that category on the page, since the demo
 * reports are made at the start and the other journeys add reports of their own beside them.
 */
async function reportIdOf(page: Page, category: string): Promise<number> {
	const names = await page.getByRole('link', { name: new RegExp(`^Melding \\d+: ${category}$`) }).allTextContents();
	expect(names.length, `a ${category} report on the page`).toBeGreaterThan(0);
	return Math.min(...names.map((name) => Number(/Melding (\d+)/.exec(name)![1])));
}

async function fitsThePhone(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow, 'no sideways scrolling of the page').toBeLessThanOrEqual(1);
}

test.describe.configure({ mode: 'serial' });

test('the demo partner sees its reports, the overdue one marked, answers one with a photo and marks it done; the reporter is mailed', async ({ page }) => {
	test.setTimeout(120_000);
	await signIn(page, PARTNER);
	await expect(page.getByRole('link', { name: 'Werklijst' })).toBeVisible();
	await page.goto('/partner');
	await expect(page.getByRole('heading', { level: 1, name: 'Werklijst meldingen' })).toBeVisible();
	// Overdue first, and it says so in words.
	const firstRow = page.locator('tbody tr').first();
	await expect(firstRow).toContainText('Boom');
	await expect(firstRow).toContainText('Over de termijn');
	// Only green reports: the municipality's own ones are not on this list.
	await expect(page.getByRole('link', { name: /: Zwerfafval$/ })).toHaveCount(0);
	await expect(page.locator('.report-map')).toHaveAttribute('data-map-state', 'ready');
	await expectNoAxeViolations(page);

	const id = await reportIdOf(page, 'Onkruid');
	await page.getByRole('link', { name: `Melding ${id}: Onkruid` }).click();
	await expect(page.getByRole('heading', { level: 1, name: `Melding ${id}` })).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByLabel('Nieuwe status').selectOption({ label: 'Afgehandeld' });
	await page.getByLabel('Openbare toelichting').fill('Het onkruid tussen de struiken is weggehaald.');
	await page.getByLabel('Interne notitie').fill('Een uur werk, twee mensen.');
	await page.getByLabel(/Foto's van wat er is gedaan/).setInputFiles([await photo('klaar.jpg', 90)]);
	await page.getByRole('button', { name: 'Opslaan' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Opgeslagen.' })).toBeVisible();
	await expect(page.getByText('status gewijzigd naar Afgehandeld')).toBeVisible();
	await expect(page.getByRole('img', { name: 'Foto van wat er is gedaan' })).toBeVisible();

	const mail = await waitForMail(RESIDENT, new RegExp(`Uw melding ${id} is afgehandeld`));
	expect(mail.body).toContain('Het onkruid tussen de struiken is weggehaald.');
	expect(mail.body).not.toContain('Een uur werk');
	expect(mail.body).toContain('Bent u tevreden over de afhandeling van uw melding?');
	expect(mail.body).toMatch(/\/meldingen\/tevreden\/[\w-]+\?antwoord=3Dja|\/meldingen\/tevreden\/[\w-]+\?antwoord=ja/);
	expect(mail.body).toContain('/media/');
});

test('a manager filters the inbox to what is overdue, reassigns a report and merges a duplicate', async ({ page }) => {
	test.setTimeout(120_000);
	await signIn(page, MANAGER);
	await page.goto('/beheer');
	await page.getByRole('navigation', { name: 'Beheer', exact: true }).getByRole('link', { name: 'Meldingen' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Meldingen' })).toBeVisible();
	// The same reports on a map (the list is its keyboard alternative).
	await expect(page.locator('.report-map')).toHaveAttribute('data-map-state', 'ready');
	await expectNoAxeViolations(page);

	await page.getByLabel('Alleen over de termijn').check();
	await page.getByRole('button', { name: 'Toon meldingen' }).click();
	await expect(page).toHaveURL(/termijn=over/);
	await expect(page.locator('tbody tr')).toHaveCount(1);
	await expect(page.locator('tbody tr').first()).toContainText('Boom');
	await expect(page.locator('tbody tr').first()).toContainText('Over de termijn');

	await page.goto('/beheer/meldingen');
	const pruning = await reportIdOf(page, 'Snoeien');
	const litter = await reportIdOf(page, 'Zwerfafval');
	const vandalism = await reportIdOf(page, 'Vandalisme');

	await page.goto(`/beheer/meldingen/${pruning}`);
	await expectNoAxeViolations(page);
	await page.getByLabel('Behandelaar').selectOption({ label: 'Eigen team gemeente' });
	await page.getByRole('button', { name: 'Toewijzen', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'De melding is opnieuw toegewezen.' })).toBeVisible();
	await expect(page.getByText('toegewezen aan Eigen team gemeente')).toBeVisible();

	await page.goto(`/beheer/meldingen/${litter}`);
	await page.getByLabel('Nummers van dubbele meldingen').fill(String(vandalism));
	await page.getByRole('button', { name: 'Samenvoegen' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'De meldingen zijn samengevoegd.' })).toBeVisible();
	await expect(page.getByRole('link', { name: `Melding ${vandalism}`, exact: true })).toBeVisible();
	await page.goto(`/beheer/meldingen/${vandalism}`);
	await expect(page.getByText('Samengevoegd met', { exact: true })).toBeVisible();
	await expect(page.getByText(`Deze melding is samengevoegd met melding ${litter}.`)).toBeVisible();

	// Refused input keeps the page and says why.
	await page.goto(`/beheer/meldingen/${litter}`);
	await page.getByLabel('Nummers van dubbele meldingen').fill('twaalf');
	await page.getByRole('button', { name: 'Samenvoegen' }).click();
	await expect(page.getByRole('alert')).toContainText('Vul de nummers van de meldingen in');
});

test('a partner cannot open a report of the municipality’s own team', async ({ page }) => {
	await signIn(page, MANAGER);
	await page.goto('/beheer/meldingen');
	const litter = await reportIdOf(page, 'Zwerfafval');
	await signIn(page, PARTNER);
	const response = await page.goto(`/partner/meldingen/${litter}`);
	expect(response?.status()).toBe(404);
	const inbox = await page.goto('/beheer/meldingen');
	expect(inbox?.status()).toBe(403);
});

test('the staff report pages work at a phone’s width and pass axe', async ({ page }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 360, height: 740 });
	await signIn(page, PARTNER);
	await page.goto('/partner');
	await fitsThePhone(page);
	const tree = await reportIdOf(page, 'Boom');
	await page.goto(`/partner/meldingen/${tree}`);
	await expect(page.getByRole('status').filter({ hasText: 'Over de termijn' })).toBeVisible();
	await fitsThePhone(page);
	await expectNoAxeViolations(page);
	await signIn(page, MANAGER);
	await page.goto('/beheer/meldingen?status=alle');
	await fitsThePhone(page);
	await expectNoAxeViolations(page);
	await page.goto(`/beheer/meldingen/${tree}`);
	await fitsThePhone(page);
	await expectNoAxeViolations(page);
	await page.goto('/en/beheer/meldingen');
	await expectNoAxeViolations(page);
});

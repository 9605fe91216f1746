import { expect, test, type Page } from '@playwright/test';
import { LANE, expectNoAxeViolations, freePlotId, hydrated, signIn } from './helpers';

/**
 * The rough edges a newcomer met on the resident side, in Chromium against the demo server:
 * the menu reaches every resident page, a manager's question can be answered, the search
 * hint's example finds something, the home page's figure matches the list, and the browser's
 * /favicon.ico request is answered.
 */

const RESIDENT = 'bewoner@demo.perkje.invalid';
const MANAGER = 'beheerder@demo.perkje.invalid';

async function noHorizontalScroll(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
}

for (const [device, viewport] of [
	['desktop', { width: 1280, height: 800 }],
	['phone', { width: 375, height: 740 }]
] as const) {
	test(`a signed-in resident reaches Mijn perken, Mijn meldingen and Groepen from the menu (${device})`, async ({ page }) => {
		await page.setViewportSize(viewport);
		// Visitors get no links to pages they cannot use yet.
		await page.goto('/');
		const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
		await expect(menu.getByRole('link', { name: 'Mijn perken' })).toHaveCount(0);

		await signIn(page, RESIDENT);
		for (const [name, path, heading] of [
			['Mijn perken', '/mijn-perken', 'Mijn perken'],
			['Mijn meldingen', '/mijn-meldingen', 'Mijn meldingen'],
			['Groepen', '/groepen', 'Groepen']
		] as const) {
			await page.goto('/');
			await menu.getByRole('link', { name, exact: true }).click();
			await expect(page).toHaveURL(new RegExp(`${path}$`));
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
			await noHorizontalScroll(page);
			await expectNoAxeViolations(page);
		}
		// The account page links to them as well.
		await page.goto('/account');
		const own = page.getByRole('navigation', { name: "Uw pagina's" });
		await expect(own.getByRole('link', { name: 'Mijn perken' })).toHaveAttribute('href', '/mijn-perken');
		await expect(own.getByRole('link', { name: 'Mijn meldingen' })).toHaveAttribute('href', '/mijn-meldingen');
		await expect(own.getByRole('link', { name: 'Groepen' })).toHaveAttribute('href', '/groepen');
		await noHorizontalScroll(page);
		await expectNoAxeViolations(page);
	});
}

test('a manager asks a question, the resident answers it on Mijn perken, and the manager sees the answer', async ({ page }) => {
	await signIn(page, RESIDENT);
	const plotId = await freePlotId(page, LANE.requestQuestion);
	await page.goto(`/plots/${plotId}/adopteren`);
	await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page).toHaveURL(/\/mijn-perken/);
	const mine = () => page.getByTestId('myplot').filter({ has: page.getByRole('heading', { name: new RegExp(`Perk ${plotId}\\b`) }) });
	await expect(mine().getByTestId('myplot-status')).toHaveText('Aangevraagd');

	await signIn(page, MANAGER);
	await page.goto('/beheer?volgorde=nieuw');
	const request = () =>
		page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Perk ${plotId}\\b`) }) });
	await hydrated(page);
	await request().getByText('Vraag stellen', { exact: true }).click();
	await request().getByLabel('Uw vraag aan de bewoner').fill('Wilt u ook de boomspiegel ernaast bijhouden?');
	await request().getByRole('button', { name: 'Vraag versturen' }).click();
	await expect(page.getByText('Uw vraag is verstuurd.')).toBeVisible();
	await expect(request().getByTestId('request-stage')).toHaveText('Vraag gesteld, wacht op antwoord');

	await signIn(page, RESIDENT);
	await page.goto('/mijn-perken');
	await expect(mine().getByTestId('myplot-status')).toHaveText('De gemeente heeft een vraag');
	await expect(mine().getByTestId('myplot-notes')).toContainText('Wilt u ook de boomspiegel ernaast bijhouden?');
	await expectNoAxeViolations(page);
	// Too short once trimmed: refused with a reason, and what was typed stays.
	const answer = mine().getByLabel('Uw antwoord aan de gemeente');
	await answer.fill(' x ');
	await mine().getByRole('button', { name: 'Antwoord versturen' }).click();
	await expect(mine().getByText('Schrijf een antwoord van minstens 2 en hoogstens 1000 tekens.')).toBeVisible();
	await expect(mine().getByLabel('Uw antwoord aan de gemeente')).toHaveValue(' x ');
	await expect(mine().getByLabel('Uw antwoord aan de gemeente')).toHaveAttribute('aria-invalid', 'true');
	await expectNoAxeViolations(page);
	await mine().getByLabel('Uw antwoord aan de gemeente').fill('Ja, die neem ik er graag bij.');
	await mine().getByRole('button', { name: 'Antwoord versturen' }).click();
	await expect(page.getByText('Uw antwoord is verstuurd naar de gemeente.')).toBeVisible();
	await expect(mine().getByTestId('myplot-status')).toHaveText('Beantwoord, wacht op de gemeente');
	await expect(mine().getByLabel('Uw antwoord aan de gemeente')).toHaveCount(0);
	await expect(mine().getByTestId('myplot-notes')).toContainText('Ja, die neem ik er graag bij.');

	await signIn(page, MANAGER);
	await page.goto('/beheer?volgorde=nieuw');
	await expect(request().getByTestId('request-stage')).toHaveText('Beantwoord door de aanvrager');
	await expect(request().getByTestId('request-notes')).toContainText('Ja, die neem ik er graag bij.');
	await expectNoAxeViolations(page);
});

test("the search hint's example finds plots, and a buurt without plots says so", async ({ page }) => {
	await page.goto('/plots');
	const hint = await page.getByTestId('find-hint').textContent();
	const [, buurt, plot] = /bijvoorbeeld (.+) of (Perk \d+)\./.exec(hint ?? '') ?? [];
	expect(buurt, hint ?? '').toBeTruthy();
	for (const q of [buurt, plot]) {
		await page.goto(`/plots?q=${encodeURIComponent(q)}`);
		await expect(page.getByTestId('results-count')).not.toHaveText('Geen perken gevonden.');
	}
	await page.goto('/plots?q=Wippolder');
	await expect(page.getByTestId('results-count')).toHaveText('Geen perken gevonden.');
	await expect(page.getByTestId('empty-neighbourhood').first()).toHaveText(/^Wippolder-(Noord|Zuid) heeft nog geen perken\.$/);
	await expectNoAxeViolations(page);
});

test("the home page's 'Te adopteren' figure is what the list finds with that filter", async ({ page }) => {
	// Other journeys ask for plots meanwhile: read both again until one moment shows them together.
	await expect(async () => {
		await page.goto('/');
		const figure = page.getByTestId('stat-adoptable');
		const count = Number((await figure.textContent())?.replace(/\D/g, ''));
		await figure.click();
		await expect(page).toHaveURL(/\/plots\?state=available$/);
		await expect(page.getByTestId('results-count')).toHaveText(count === 1 ? '1 perk gevonden.' : `${count} perken gevonden.`, {
			timeout: 2_000
		});
	}).toPass({ timeout: 30_000 });
});

test('/favicon.ico answers with an icon', async ({ request }) => {
	const response = await request.get('/favicon.ico');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toMatch(/^image\//);
	expect((await response.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
});

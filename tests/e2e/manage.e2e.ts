import { expect, test, type Page } from '@playwright/test';
import { LANE, expectNoAxeViolations, freePlotId, hydrated, signIn } from './helpers';
import { waitForMail } from './mailbox';

/**
 * The manager's side in Chromium against the demo server: a resident asks for a plot, the
 * manager sees it in the inbox (with the plot's outline) and approves it, the resident gets
 * the mail and the notification; every manager, admin and notification page passes axe.
 */

test('a request goes from the resident to the manager inbox, is approved, and the resident hears of it', async ({ page }) => {
	await signIn(page, 'bewoner@demo.perkje.invalid');
	const plotId = await freePlotId(page, LANE.manageApprove);
	await page.goto(`/plots/${plotId}/adopteren`);
	await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page.getByRole('status').first()).toBeVisible();

	await signIn(page, 'beheerder@demo.perkje.invalid');
	await page.goto('/beheer');
	const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Perk ${plotId}\\b`) }) });
	await expect(item).toBeVisible();
	await expect(item.getByRole('img', { name: new RegExp(`Vorm van Perk ${plotId}\\b`) })).toBeVisible();
	await expect(item).toContainText('bewoner@demo.perkje.invalid');
	await expectNoAxeViolations(page);
	// The reject and question forms, opened, pass too.
	await item.getByText('Afwijzen', { exact: true }).click();
	await item.getByText('Vraag stellen', { exact: true }).click();
	await expectNoAxeViolations(page);
	await item.getByRole('button', { name: 'Goedkeuren' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'De aanvraag is goedgekeurd' })).toBeVisible();

	// The demo resident gets approvals from other journeys too: this plot's mail.
	const mail = await waitForMail('bewoner@demo.perkje.invalid', new RegExp(`Perk ${plotId}\\b.*goedgekeurd`));
	expect(mail.body).toContain(`/plots/${plotId}`);
	await signIn(page, 'bewoner@demo.perkje.invalid');
	await page.goto('/account/meldingen');
	await expect(page.getByRole('heading', { name: /goedgekeurd/ }).first()).toBeVisible();
	await expectNoAxeViolations(page);
});

test('manager, admin and notification pages pass axe (WCAG 2.1 AA)', async ({ page }) => {
	await signIn(page, 'admin@demo.perkje.invalid');
	const plotId = await freePlotId(page, LANE.manageViews);
	for (const path of [
		'/beheer',
		'/beheer?ouder=7',
		'/beheer/toewijzen',
		'/beheer/capaciteit',
		'/beheer/stil',
		`/beheer/perken/${plotId}`,
		'/admin/audit',
		'/admin/audit?action=user.&page=1',
		'/admin/overeenkomst',
		'/account',
		'/account/meldingen',
		'/en/beheer',
		'/en/admin/audit',
		'/en/admin/overeenkomst'
	]) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(200);
		await expectNoAxeViolations(page);
	}
	// A refused form, as a manager meets it after a mistake.
	await page.goto('/beheer/toewijzen');
	await page.getByLabel('Perknummer').fill(String(plotId));
	await page.getByLabel('E-mailadres van de bewoner').fill('niemand@voorbeeld.nl');
	await page.getByRole('button', { name: 'Aanbieden' }).click();
	await expect(page.getByRole('alert')).toContainText('geen account');
	await expectNoAxeViolations(page);
	// Publishing the same agreement text again is refused and says why. (Publishing a new
	// version is tested on the service: here it would race the adoption journeys.)
	await page.goto('/admin/overeenkomst');
	await expect(page.getByText('Nu geldig: versie 2.')).toBeVisible();
	await page.getByRole('button', { name: 'Nieuwe versie publiceren' }).click();
	await expect(page.getByRole('alert')).toContainText('niet veranderd');
	await expect(page.getByLabel('Tekst in het Nederlands')).not.toHaveValue('');
	await expectNoAxeViolations(page);
});

/** A resident's request for a free plot of the lane, through the adoption form. */
async function requestPlot(page: Page, lane: (typeof LANE)[keyof typeof LANE]): Promise<number> {
	const plotId = await freePlotId(page, lane);
	await page.goto(`/plots/${plotId}/adopteren`);
	await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page).toHaveURL(/\/mijn-perken/);
	return plotId;
}

test('the inbox is paged with a total, and acting on a page keeps the manager on it', async ({ page }) => {
	await signIn(page, 'bewoner@demo.perkje.invalid');
	const older = await requestPlot(page, LANE.manageInbox);
	const newer = await requestPlot(page, LANE.manageInbox);

	// One request a page, newest first: both are near the front, the older one on page 2 or later.
	await signIn(page, 'beheerder@demo.perkje.invalid');
	await page.goto('/beheer?volgorde=nieuw&per=1');
	await expect(page.getByText(/^1–1 van \d+ aanvragen$/)).toBeVisible();
	const pager = page.getByRole('navigation', { name: "Pagina's met aanvragen" });
	await expect(pager).toContainText(/Pagina 1 van \d+/);
	await expect(page.getByLabel('Volgorde')).toHaveValue('nieuw');
	await expectNoAxeViolations(page);

	const shown = (plotId: number) => page.getByRole('heading', { name: new RegExp(`Perk ${plotId}\\b`) });
	// With one request a page, the count's first number is the page shown.
	const count = page.getByText(/^\d+–\d+ van \d+ aanvragen$|^1 aanvraag$/);
	const showing = async () => Number(/(\d+)–/.exec((await count.textContent()) ?? '')?.[1] ?? 1);
	async function turn(link: 'Volgende pagina' | 'Vorige pagina') {
		const before = await showing();
		await pager.getByRole('link', { name: link }).click();
		await expect.poll(showing).not.toBe(before);
	}
	while (!(await shown(older).isVisible())) {
		expect(await showing(), `plot ${older} in the first pages`).toBeLessThan(15);
		await turn('Volgende pagina');
	}
	const pageNo = await showing();
	expect(pageNo).toBeGreaterThan(1);
	await expect(page).toHaveURL(new RegExp(`[?&]pagina=${pageNo}(&|$)`));
	await expect(pager.getByRole('link', { name: 'Vorige pagina' })).toBeVisible();
	await expectNoAxeViolations(page);

	// "Approve all on this page" approves what the page shows (here: one), and stays there.
	await page.getByRole('button', { name: 'De aanvraag op deze pagina goedkeuren' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Goedgekeurd: 1.' })).toBeVisible();
	await expect(page).toHaveURL(new RegExp(`[?&]pagina=${pageNo}(&|$)`));
	await expect(page).toHaveURL(/volgorde=nieuw/);
	await expect(shown(older)).toHaveCount(0);

	// Back to the newer one; approving it keeps page and filters too.
	while (!(await shown(newer).isVisible())) {
		expect(await showing(), `plot ${newer} before this page`).toBeGreaterThan(1);
		await turn('Vorige pagina');
	}
	// The page shown, which is not always the one asked for: a page past the end shows the last.
	const onPage = await showing();
	const item = page.getByRole('listitem').filter({ has: shown(newer) });
	await item.getByRole('button', { name: 'Goedkeuren' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'De aanvraag is goedgekeurd' })).toBeVisible();
	expect(new URL(page.url()).searchParams.get('per')).toBe('1');
	expect(new URL(page.url()).searchParams.get('pagina')).toBe(onPage > 1 ? String(onPage) : null);

	// A page number that makes no sense is page 1, never an error.
	expect((await page.goto('/beheer?pagina=kaas'))?.status()).toBe(200);
	expect((await page.goto('/beheer?pagina=99999'))?.status()).toBe(200);
});

test('a manager finds a team by name and offers it a plot', async ({ page }) => {
	await signIn(page, 'bewoner@demo.perkje.invalid');
	const name = `Tuinploeg ${Date.now()}`;
	await page.goto('/groepen');
	await page.getByLabel('Naam van de groep').fill(name);
	await page.getByRole('button', { name: 'Groep maken' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	const plotId = await freePlotId(page, LANE.manageInbox);

	await signIn(page, 'beheerder@demo.perkje.invalid');
	await page.goto('/beheer/toewijzen');
	await hydrated(page);
	// The plot number first, then the search: the number goes along with it.
	await page.getByLabel('Perknummer').fill(String(plotId));
	const search = page.getByLabel('Naam van de groep (of een deel ervan)');
	await search.fill('geen-groep-heet-zo');
	await search.press('Enter');
	await expect(page.getByText('Geen groep gevonden met “geen-groep-heet-zo” in de naam.')).toBeVisible();
	await expectNoAxeViolations(page);

	// Part of the name, in another case, from the keyboard; the plot number stays.
	await search.fill(name.slice(2, 9).toUpperCase());
	await search.press('Enter');
	await expect(page.getByLabel('Perknummer')).toHaveValue(String(plotId));
	const choice = page.getByRole('radio', { name: new RegExp(`^${name} · .* · 1 lid$`) });
	await expect(choice).toBeVisible();
	await choice.check();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Aanbieden' }).click();
	await expect(page.getByRole('status').filter({ hasText: `Perk ${plotId} is aangeboden` })).toBeVisible();
});

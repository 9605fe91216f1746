import { expect, test, type Page } from '@playwright/test';
import { LANE, expectNoAxeViolations, freePlotId, signIn } from './helpers';
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
	const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Perk #${plotId}\\b`) }) });
	await expect(item).toBeVisible();
	await expect(item.getByRole('img', { name: new RegExp(`Vorm van #${plotId}\\b`) })).toBeVisible();
	await expect(item).toContainText('bewoner@demo.perkje.invalid');
	await expectNoAxeViolations(page);
	// The reject and question forms, opened, pass too.
	await item.getByText('Afwijzen', { exact: true }).click();
	await item.getByText('Vraag stellen', { exact: true }).click();
	await expectNoAxeViolations(page);
	await item.getByRole('button', { name: 'Goedkeuren' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'De aanvraag is goedgekeurd' })).toBeVisible();

	const mail = await waitForMail('bewoner@demo.perkje.invalid', /goedgekeurd/);
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
	await expect(page.getByText('Nu geldig: versie 1.')).toBeVisible();
	await page.getByRole('button', { name: 'Nieuwe versie publiceren' }).click();
	await expect(page.getByRole('alert')).toContainText('niet veranderd');
	await expect(page.getByLabel('Tekst in het Nederlands')).not.toHaveValue('');
	await expectNoAxeViolations(page);
});

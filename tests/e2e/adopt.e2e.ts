import { expect, test, type Page } from '@playwright/test';
import { LANE, expectNoAxeViolations, freePlotId, signIn } from './helpers';
import { linkIn } from '../support/test-smtp';
import { waitForMail } from './mailbox';

/**
 * The resident's side of adopting, in Chromium against the demo server: from the plot page
 * through the form to Mijn perken; the manager approves in the inbox; the resident sees
 * "Geadopteerd" in Mijn perken and on the plot page, with the public history; a group is
 * made, joined through its link, and the adoption is ended. Every new page passes axe.
 */
const RESIDENT = 'bewoner@demo.perkje.invalid';
const PASSWORD = 'een lange zin als wachtwoord';
// Unique per run: the demo server's database and mailbox live for the whole run, and other
// tests approve the demo resident's requests too.
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function signUpAndVerify(page: Page, email: string) {
	await page.context().clearCookies();
	await page.goto('/registreren');
	await page.getByLabel('E-mailadres').fill(email);
	await page.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
	await page.getByRole('button', { name: 'Account maken' }).click();
	const link = new URL(linkIn(await waitForMail(email, /Bevestig/), '/verifieren'));
	await page.goto(link.pathname + link.search);
	await expect(page.getByRole('status')).toContainText('bevestigd');
}

test('a resident asks for a plot, the manager approves, the resident sees it adopted, ends it and asks again', async ({ page }) => {
	const resident = `anna-${unique()}@voorbeeld.nl`;
	await signUpAndVerify(page, resident);
	await page.context().clearCookies();
	const plotId = await freePlotId(page, LANE.adoptApprove);

	// A visitor is sent to sign in, and comes back to the form.
	await page.goto(`/plots/${plotId}`);
	await page.getByRole('link', { name: 'Ik heb al een account' }).click();
	const form = page.locator('form[action="?/password"]');
	await form.getByLabel('E-mailadres').fill(resident);
	await form.getByLabel('Wachtwoord').fill(PASSWORD);
	await form.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}/adopteren$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Perk ${plotId} adopteren`);
	await expect(page.getByTestId('adopt-agreement')).toContainText('Adoptieovereenkomst (versie 2)');

	// Forgetting the agreement loses nothing typed.
	await page.getByLabel(/Waarom wilt u dit perk verzorgen/).fill('Ik woon ernaast en geef graag water.');
	await page.locator('input[name="accept"]').evaluate((el) => el.removeAttribute('required'));
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page.getByText('Ga akkoord met de adoptieovereenkomst')).toBeVisible();
	await expect(page.getByLabel(/Waarom wilt u dit perk verzorgen/)).toHaveValue('Ik woon ernaast en geef graag water.');
	await expectNoAxeViolations(page);

	await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page).toHaveURL(/\/mijn-perken\?aangevraagd=/);
	await expect(page.getByRole('status').filter({ hasText: 'Uw aanvraag is verstuurd' })).toBeVisible();
	const mine = page.locator(`[data-testid="myplot"][data-plot-id="${plotId}"]`);
	await expect(mine.getByTestId('myplot-status')).toHaveText('Aangevraagd');
	await expect(mine).toContainText('Plek 1 in de rij');
	await expectNoAxeViolations(page);

	// The plot page now says where the request stands.
	await page.goto(`/plots/${plotId}`);
	await expect(page.getByTestId('plot-mine')).toContainText('U staat op plek 1 in de rij');
	await expect(page.getByTestId('plot-state')).toContainText('Aangevraagd');

	// The manager approves it in the inbox.
	await signIn(page, 'beheerder@demo.perkje.invalid');
	await page.goto('/beheer');
	const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Perk ${plotId}\\b`) }) });
	await item.getByRole('button', { name: 'Goedkeuren' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'goedgekeurd' })).toBeVisible();
	const mail = await waitForMail(resident, /goedgekeurd/);
	expect(mail.body).toContain(`/plots/${plotId}`);

	await signIn(page, resident, PASSWORD);
	await page.goto('/mijn-perken');
	await expect(mine.getByTestId('myplot-status')).toHaveText('Geadopteerd');
	await page.goto(`/plots/${plotId}`);
	await expect(page.getByTestId('plot-state')).toContainText('Geadopteerd');
	await expect(page.getByTestId('plot-mine')).toContainText('U adopteert dit perk');
	const timeline = page.getByTestId('plot-timeline');
	await expect(timeline).toContainText('adopteert dit perk');
	await expect(timeline).not.toContainText('demo.perkje');
	await expectNoAxeViolations(page);

	// The map draws it as adopted: its vector tiles follow the change.
	await page.goto('/?state=adopted');
	await expect(page.locator('[data-map-state]')).toHaveAttribute('data-map-state', 'ready', { timeout: 30_000 });
	await expect
		.poll(
			() =>
				page.evaluate((id) => {
					const map = (window as unknown as { __perkjeMap?: import('maplibre-gl').Map }).__perkjeMap;
					if (!map) return 'no map';
					const found = [...map.querySourceFeatures('plots', { sourceLayer: 'plots' }), ...map.querySourceFeatures('plots', { sourceLayer: 'plot_points' })].find((f) => f.id === id);
					return found ? String(found.properties.state) : 'not drawn';
				}, plotId),
			{ timeout: 20_000 }
		)
		.toBe('adopted');

	// Ending it returns the plot to available.
	await page.goto('/mijn-perken');
	await mine.getByLabel('Reden (niet verplicht)').fill('Ik verhuis');
	await mine.getByRole('button', { name: 'Adoptie beëindigen' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Gelukt' })).toBeVisible();
	await expect(page.getByTestId('myplot-earlier').filter({ hasText: `Perk ${plotId}` })).toContainText('Beëindigd');
	await page.goto(`/plots/${plotId}`);
	await expect(page.getByTestId('plot-state')).toContainText('Te adopteren');

	// And it can be adopted again: a new request, first in line, beside the ended one.
	await page.getByRole('link', { name: 'Adopteer dit perk' }).click();
	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}/adopteren$`));
	await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page).toHaveURL(/\/mijn-perken\?aangevraagd=/);
	await expect(mine.getByTestId('myplot-status')).toHaveText('Aangevraagd');
	await expect(mine).toContainText('Plek 1 in de rij');
	await expect(page.getByTestId('myplot-earlier').filter({ hasText: `Perk ${plotId}` })).toContainText('Beëindigd');
});

test('a manager rejects with a reason; the resident reads why and can ask again', async ({ page }) => {
	const resident = `bram-${unique()}@voorbeeld.nl`;
	await signUpAndVerify(page, resident);
	await signIn(page, resident, PASSWORD);
	const plotId = await freePlotId(page, LANE.adoptReject);
	const ask = async () => {
		await page.goto(`/plots/${plotId}/adopteren`);
		await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
		await page.getByRole('button', { name: 'Perk aanvragen' }).click();
		await expect(page).toHaveURL(/\/mijn-perken\?aangevraagd=/);
	};
	await ask();

	await signIn(page, 'beheerder@demo.perkje.invalid');
	await page.goto('/beheer');
	const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Perk ${plotId}\\b`) }) });
	await item.getByText('Afwijzen', { exact: true }).click();
	await item.getByLabel('Reden', { exact: true }).selectOption('other');
	await item.getByLabel(/Toelichting voor de bewoner/).fill('Hier komt volgend jaar een fietsenstalling.');
	await item.getByRole('button', { name: 'Aanvraag afwijzen' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'De aanvraag is afgewezen' })).toBeVisible();
	const mail = await waitForMail(resident, /niet goedgekeurd/);
	expect(mail.body).toContain('fietsenstalling');

	await signIn(page, resident, PASSWORD);
	await page.goto('/mijn-perken');
	await expect(page.getByTestId('myplot-earlier').filter({ hasText: `Perk ${plotId}` })).toContainText('Afgewezen');
	// A refusal is not the end: the same resident may ask again.
	await ask();
	const mine = page.locator(`[data-testid="myplot"][data-plot-id="${plotId}"]`);
	await expect(mine.getByTestId('myplot-status')).toHaveText('Aangevraagd');
	await expectNoAxeViolations(page);
});

test('a group is made, joined through its link, and adopts as one', async ({ page }) => {
	await signIn(page, RESIDENT);
	await page.goto('/groepen');
	await expectNoAxeViolations(page);
	// A name that is too short keeps the chosen kind.
	await page.getByLabel('Naam van de groep').fill('x');
	await page.getByLabel('Soort groep').selectOption('street');
	await page.getByRole('button', { name: 'Groep maken' }).click();
	await expect(page.getByText('Geef de groep een naam')).toBeVisible();
	await expect(page.getByLabel('Soort groep')).toHaveValue('street');
	await expectNoAxeViolations(page);

	const name = `Buren ${Date.now()}`;
	await page.getByLabel('Naam van de groep').fill(name);
	await page.getByRole('button', { name: 'Groep maken' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	const teamPath = new URL(page.url()).pathname;
	await page.getByRole('button', { name: 'Maak een uitnodigingslink' }).click();
	await expect(page.getByText('Iedereen met deze link kan lid worden')).toBeVisible();
	const link = (await page.getByTestId('team-invite-link').textContent())!.trim();
	expect(link).toMatch(/\/groepen\/uitnodiging\/[A-Za-z0-9_-]+$/);
	await expectNoAxeViolations(page);

	// Another account joins through the link.
	await signIn(page, 'admin@demo.perkje.invalid');
	await page.goto(link);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Uitnodiging voor ${name}`);
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Lid worden' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	await expect(page.getByTestId('team-members').getByRole('listitem')).toHaveCount(2);

	// The new member asks for a plot for the group; the founder sees it in Mijn perken.
	const plotId = await freePlotId(page, LANE.adoptGroup);
	await page.goto(`/plots/${plotId}/adopteren`);
	await page.getByLabel(`Mijn groep ${name}`).check();
	await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page).toHaveURL(/\/mijn-perken/);
	await signIn(page, RESIDENT);
	await page.goto('/mijn-perken');
	const mine = page.locator(`[data-testid="myplot"][data-plot-id="${plotId}"]`);
	await expect(mine).toContainText(`Met groep ${name}`);
	await expect(mine.getByTestId('myplot-status')).toHaveText('Aangevraagd');

	// An invitation mailed to one address is for that address only: another member who got
	// hold of it is told so, and the invited account joins.
	const invitee = 'partner@demo.perkje.invalid';
	await page.goto(teamPath);
	await page.getByLabel('E-mailadres').fill(invitee);
	await page.getByRole('button', { name: 'Uitnodiging sturen' }).click();
	await expect(page.getByText('De uitnodiging is verstuurd.')).toBeVisible();
	const mail = await waitForMail(invitee, new RegExp(name));
	const mailed = new URL(/https?:\/\/\S+\/groepen\/uitnodiging\/[A-Za-z0-9_-]+/.exec(mail.body)![0]);
	await signIn(page, 'admin@demo.perkje.invalid');
	await page.goto(mailed.pathname);
	await expect(page.getByTestId('invite-refusal')).toHaveText(
		'Deze uitnodiging is voor een ander e-mailadres. Meld u aan met het adres waarop u de uitnodiging kreeg.'
	);
	await expect(page.getByRole('button', { name: 'Lid worden' })).toHaveCount(0);
	await expectNoAxeViolations(page);
	await signIn(page, invitee);
	await page.goto(mailed.pathname);
	await page.getByRole('button', { name: 'Lid worden' }).click();
	await expect(page.getByTestId('team-members').getByRole('listitem')).toHaveCount(3);
});

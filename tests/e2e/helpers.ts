import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { linkIn } from '../support/test-smtp';
import { waitForMail } from './mailbox';

/** Shared steps of the browser journeys, so every test checks the same things the same way. */

/** The password of the demo accounts (src/lib/server/auth/demo-accounts.ts). */
export const DEMO_PASSWORD = 'perkje-demo-2024';

/** Resolves once the map (window.__perkjeMap) has loaded and drawn everything for its current view. */
export async function settleMap(page: Page) {
	await page.evaluate(
		() =>
			new Promise<void>((resolve) => {
				const map = (window as unknown as { __perkjeMap: import('maplibre-gl').Map }).__perkjeMap;
				if (map.loaded() && map.areTilesLoaded()) resolve();
				else map.once('idle', () => resolve());
			})
	);
}

/** WCAG 2.0 and 2.1, levels A and AA: what Dutch government sites must meet. */
export async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

/** Signs in afresh (any earlier session dropped) and lands on the account page. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.context().clearCookies();
	await page.goto('/aanmelden');
	const form = page.locator('form[action="?/password"]');
	await form.getByLabel('E-mailadres').fill(email);
	await form.getByLabel('Wachtwoord').fill(password);
	await form.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page).toHaveURL(/\/account$/);
}

/**
 * The demo database lives for the whole run, and two workers run journeys at the same time.
 * So that two journeys never ask for the same plot, and tests that only read a plot never see
 * it change under them, plots are split into lanes by their number: each journey that asks
 * for plots takes them from its own lane, and readers stay in lanes no journey uses.
 */
const LANES = 12;
export const LANE = {
	adoptApprove: 1,
	adoptReject: 2,
	adoptGroup: 3,
	manageApprove: 4,
	manageViews: 5,
	manageInbox: 6,
	requestQuestion: 7,
	care: 8,
	reportResident: 9,
	reportStaff: 10,
	reportPublic: 11
} as const;

/** True for plots no journey ever asks for: their state stays "Te adopteren" all run. */
export function untouchedPlot(id: number): boolean {
	return !Object.values(LANE).includes((id % LANES) as (typeof LANE)[keyof typeof LANE]);
}

/**
 * The first plot on the list page shown that no journey ever asks for (untouchedPlot) and that
 * is "Te adopteren", with its table row: the demo's own adopted plot (activities/demo.ts) is
 * in no lane, but adopted from the start. Reads attributes one by one, so it also works with
 * JavaScript off.
 */
export async function untouchedPlotInList(page: Page) {
	const rows = page.getByTestId('plot-table').locator('tbody tr');
	for (const tr of await rows.all()) {
		const id = Number(await tr.getAttribute('data-plot-id'));
		if (untouchedPlot(id) && (await tr.locator('td').nth(3).innerText()).trim() === 'Te adopteren') return { id, row: tr };
	}
	throw new Error('no plot on this list page is left alone by the journeys');
}

/**
 * A plot of the demo data nobody has asked for yet, from the journey's own lane: its lowest
 * number, or with `from: 'top'` its highest, for a second journey sharing the lane.
 */
export async function freePlotId(page: Page, lane: (typeof LANE)[keyof typeof LANE], from: 'bottom' | 'top' = 'bottom'): Promise<number> {
	const ids = new Set<number>();
	// Lanes hold about one plot in nine; walk the available list until one turns up (all of it from the top).
	for (let pageNo = 1; (from === 'top' || ids.size === 0) && pageNo <= 20; pageNo++) {
		await page.goto(`/plots?state=available&sort=number&page=${pageNo}`);
		const hrefs = await page.locator('a[href*="/plots/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
		let onPage = 0;
		for (const href of hrefs) {
			const match = /\/plots\/(\d+)$/.exec(href);
			if (!match) continue;
			onPage++;
			if (Number(match[1]) % LANES === lane) ids.add(Number(match[1]));
		}
		if (onPage === 0) break;
	}
	const list = [...ids];
	expect(list.length, `an available plot in lane ${lane}`).toBeGreaterThan(0);
	return from === 'top' ? Math.max(...list) : list[0];
}

/** A mail's link as a path on the server under test. */
export function pathOf(link: string) {
	const url = new URL(link);
	return url.pathname + url.search;
}

/** A new account through the pages: signed up, confirmed by the link in its mail (tests/e2e/mailbox.ts). */
export async function signUpAndVerify(page: Page, email: string, password: string) {
	await page.goto('/registreren');
	await page.getByLabel('E-mailadres').fill(email);
	await page.getByLabel('Nieuw wachtwoord').fill(password);
	await page.getByRole('button', { name: 'Account maken' }).click();
	await page.goto(pathOf(linkIn(await waitForMail(email, /Bevestig/), '/verifieren')));
	await expect(page.getByRole('status')).toContainText('bevestigd');
}

/**
 * A plot of `lane` adopted through the pages: the signed-in adopter asks for it, the demo
 * manager approves, and the adopter (`email`, `password`) is signed in again.
 */
export async function adoptThroughPages(
	page: Page,
	adopter: { email: string; password?: string },
	lane: (typeof LANE)[keyof typeof LANE],
	from: 'bottom' | 'top' = 'bottom'
): Promise<number> {
	const plotId = await freePlotId(page, lane, from);
	await page.goto(`/plots/${plotId}/adopteren`);
	await page.getByLabel('Ik heb de adoptieovereenkomst gelezen en ga ermee akkoord.').check();
	await page.getByRole('button', { name: 'Perk aanvragen' }).click();
	await expect(page).toHaveURL(/\/mijn-perken/);

	await signIn(page, 'beheerder@demo.perkje.invalid');
	await page.goto('/beheer');
	const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Perk ${plotId}\\b`) }) });
	await item.getByRole('button', { name: 'Goedkeuren' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'goedgekeurd' })).toBeVisible();
	await signIn(page, adopter.email, adopter.password);
	return plotId;
}

/** The list's neighbourhood filter options (on /plots), with the plot count each label ends in: "Buitenhof (12)". */
export async function neighbourhoodOptions(page: Page): Promise<Array<{ value: string; name: string; count: number }>> {
	const options = await page
		.getByLabel('Buurt', { exact: true })
		.locator('option')
		.evaluateAll((els) => els.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent ?? '' })));
	return options
		.filter((o) => o.value !== '')
		.map((o) => ({
			value: o.value,
			name: o.label.replace(/\s*\([\d.,]+\)$/, ''),
			count: Number(o.label.replace(/.*\(([\d.,]+)\)$/, '$1').replace(/\D/g, ''))
		}));
}

/** Waits until the page's script has taken over (the root layout marks the page then). */
export async function hydrated(page: Page) {
	await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Shared steps of the browser journeys, so every test checks the same things the same way. */

/** The password of the demo accounts (src/lib/server/auth/demo-accounts.ts). */
export const DEMO_PASSWORD = 'perkje-demo-2024';

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

/** A plot of the demo data nobody has asked for yet, picked at random: the demo database
 * lives for the whole run and several tests ask for plots. */
export async function freePlotId(page: Page): Promise<number> {
	await page.goto('/plots?state=available');
	const ids = new Set<number>();
	for (const href of await page.locator('a[href*="/plots/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
		const match = /\/plots\/(\d+)$/.exec(href);
		if (match) ids.add(Number(match[1]));
	}
	const list = [...ids];
	expect(list.length).toBeGreaterThan(0);
	return list[Math.floor(Math.random() * list.length)];
}

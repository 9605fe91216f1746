import { VectorTile } from '@mapbox/vector-tile';
import { expect, test, type Page } from '@playwright/test';
import { PbfReader } from 'pbf';
import { LANE, adoptThroughPages, expectNoAxeViolations, hydrated, signIn, signUpAndVerify } from './helpers';

/**
 * The manager's side of the care log in Chromium: the map of care and its list, the
 * contributions table and its CSV, and hiding a note on the manager's plot page; every page
 * passes axe, also on a phone's width.
 *
 * The adopter is one of this test's own, signed up through the pages, whose request the
 * manager approves: the care journey (care.e2e.ts) logs care as the demo resident at the same
 * time, so the figures checked are this adopter's row, not the total. All of it through the
 * pages, so it runs on both databases.
 */

/** The Web Mercator tile at zoom z that holds a point (as src/lib/geo/tiles.ts, which Playwright's loader cannot import). */
function tileForPoint(lng: number, lat: number, z: number) {
	const n = 2 ** z;
	const rad = (lat * Math.PI) / 180;
	return { z, x: Math.floor(((lng + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

/** About the middle of a plot, from the public GeoJSON download: the mean of its outline's corners. */
async function middleOf(page: Page, plotId: number) {
	const answer = await page.request.get(`/plots.geojson?after=${plotId - 1}&limit=1`);
	const [feature] = ((await answer.json()) as { features: Array<{ id: number; geometry: { coordinates: unknown } }> }).features;
	expect(feature.id).toBe(plotId);
	let ring = feature.geometry.coordinates as unknown[];
	// Polygon: [ring, …]; MultiPolygon: [[ring, …], …]. The first ring of the first part.
	while (Array.isArray(ring[0]) && Array.isArray((ring[0] as unknown[])[0])) ring = ring[0] as unknown[];
	const corners = (ring as Array<[number, number]>).slice(0, -1);
	return {
		lng: corners.reduce((sum, [x]) => sum + x, 0) / corners.length,
		lat: corners.reduce((sum, [, y]) => sum + y, 0) / corners.length
	};
}

async function fitsThePhone(page: Page) {
	const { overflow, widest } = await page.evaluate(() => {
		// The element that sticks out furthest, to say what to fix.
		const out = [...document.body.querySelectorAll('*')]
			.map((el) => ({ el, right: el.getBoundingClientRect().right }))
			.sort((a, b) => b.right - a.right)[0];
		return { overflow: document.documentElement.scrollWidth - window.innerWidth, widest: out ? `${out.el.tagName}.${out.el.className}` : '' };
	});
	expect(overflow, `no sideways scrolling of the page (widest: ${widest})`).toBeLessThanOrEqual(1);
}

test('the manager pages of the care log pass axe, also on a phone', async ({ page }) => {
	// Axe on eight pages: a minute and more on a busy machine.
	test.setTimeout(120_000);
	await signIn(page, 'beheerder@demo.perkje.invalid');
	for (const path of ['/beheer/onderhoud', '/beheer/onderhoud?periode=never&volgorde=buurt', '/beheer/bijdragen', '/beheer/bijdragen?weergave=adoptant', '/en/beheer/onderhoud', '/en/beheer/bijdragen']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(200);
		await expectNoAxeViolations(page);
	}
	await page.setViewportSize({ width: 360, height: 740 });
	for (const path of ['/beheer/onderhoud', '/beheer/bijdragen']) {
		await page.goto(path);
		await fitsThePhone(page);
		await expectNoAxeViolations(page);
	}
});

test('care logged today shows as this week, adds up in the contributions, and a hidden note is gone', async ({ page, browser }) => {
	test.setTimeout(150_000);
	const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Amsterdam' });
	const year = today.slice(0, 4);
	const email = `verzorger-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@voorbeeld.nl`;
	const password = 'een lange zin als wachtwoord';
	await signUpAndVerify(page, email, password);
	await signIn(page, email, password);
	await page.getByLabel('Openbare naam').fill('Verzorger E2E');
	await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Uw profiel is opgeslagen.' })).toBeVisible();
	// From the top of lane 5: the manager views' journey takes the lowest free plot there.
	const plotId = await adoptThroughPages(page, { email, password }, LANE.manageViews, 'top');

	// One entry of today: 45 minutes, 2 people.
	await page.goto(`/plots/${plotId}/onderhoud`);
	await hydrated(page);
	await page.getByLabel('Onkruid gewied').check();
	await page.getByLabel('Hoeveel minuten heeft u gewerkt?').fill('45');
	await page.getByLabel('Met hoeveel mensen?').fill('2');
	await page.getByLabel(/Notitie/).fill('Onkruid gewied bij de bank');
	await page.getByRole('button', { name: 'Vastleggen' }).click();
	await expect(page).toHaveURL(new RegExp(`/plots/${plotId}\\?onderhoud=vastgelegd$`));
	const { lng, lat } = await middleOf(page, plotId);

	await signIn(page, 'beheerder@demo.perkje.invalid');
	// The list: the plot is "this week".
	await page.goto('/beheer/onderhoud?periode=week&per=100');
	const row = page.locator(`tr[data-plot-id="${plotId}"]`);
	await expect(row).toHaveAttribute('data-care', 'week');
	await expect(row).toContainText('Deze week');
	await expectNoAxeViolations(page);

	// Its tile says so too, for the signed-in manager only.
	const tile = tileForPoint(lng, lat, 16);
	const answer = await page.request.get(`/tiles/care/${tile.z}/${tile.x}/${tile.y}.mvt`);
	expect(answer.status()).toBe(200);
	expect(answer.headers()['cache-control']).toContain('private');
	const layer = new VectorTile(new PbfReader(new Uint8Array(await answer.body()))).layers.care;
	const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i));
	expect(features.find((f) => f.id === plotId)?.properties.care).toBe('week');

	// The contributions of this year, per adopter: hours as minutes × people (45 × 2 = 1,5 hours).
	await page.goto('/beheer/bijdragen?weergave=adoptant');
	const adopterRow = page.locator('tbody tr').filter({ hasText: email });
	await expect(adopterRow).toContainText('Verzorger E2E');
	await expect(adopterRow.getByTestId('contrib-hours')).toHaveText('1,5');
	await expectNoAxeViolations(page);
	const csv = await page.request.get(`/beheer/bijdragen/csv?van=${year}-01-01&tot=${today}&weergave=adoptant`);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const lines = (await csv.text()).split('\r\n');
	expect(lines[0]).toContain('E-mailadres (persoonsgegeven)');
	const line = (lines.find((l) => l.includes(email)) ?? '').split(',');
	// Kind, name, e-mail, then entries, hours, plots.
	expect(line.slice(1, 6)).toEqual(['Verzorger E2E', email, '1', '1.5', '1']);
	expect(lines.some((l) => l.startsWith('Totaal'))).toBe(true);

	// Hiding the note on the manager's plot page: the reason stays in its history.
	await page.goto(`/beheer/perken/${plotId}`);
	const entry = page.locator('li[data-activity-id]').filter({ hasText: 'Onkruid gewied bij de bank' });
	await expect(entry.getByTestId('entry-note')).toHaveText('Onkruid gewied bij de bank');
	await entry.getByText('Notitie verbergen', { exact: true }).click();
	await expectNoAxeViolations(page);
	await entry.getByLabel('Reden (die blijft bewaard in de geschiedenis)').fill('Noemt een buurtbewoner bij naam');
	await entry.getByRole('button', { name: 'Verbergen' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Verborgen.' })).toBeVisible();
	await expect(page.locator('li[data-activity-id]').getByTestId('note-hidden')).toContainText('Noemt een buurtbewoner bij naam');
	await expectNoAxeViolations(page);
	await page.setViewportSize({ width: 360, height: 740 });
	await fitsThePhone(page);

	// Gone from what the public reads; the entry itself stays.
	const visitor = await browser.newContext({ locale: 'nl-NL' });
	try {
		const publicPage = await visitor.newPage();
		await publicPage.goto(`/plots/${plotId}`);
		const care = publicPage.getByTestId('plot-care');
		await expect(care.getByTestId('care-entry')).toHaveCount(1);
		await expect(care).not.toContainText('Onkruid gewied bij de bank');
	} finally {
		await visitor.close();
	}
});

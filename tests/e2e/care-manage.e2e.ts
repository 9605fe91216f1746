import { VectorTile } from '@mapbox/vector-tile';
import { expect, test, type Page } from '@playwright/test';
import { PbfReader } from 'pbf';
import pg from 'pg';
import { withDatabase } from '../integration/test-databases';
import { expectNoAxeViolations, signIn } from './helpers';
import { DEMO_PORT } from './servers';

/**
 * The manager's side of the care log in Chromium: the map of care and its list, the
 * contributions table and its CSV, and hiding a note on the manager's plot page; every page
 * passes axe, also on a phone's width.
 *
 * The journey through the care log's own pages (logged by the adopter, "this week" on the map
 * of care, a hidden note gone from the public page) is in care.e2e.ts, on both databases. This
 * one checks sums and the CSV against the database itself, so it writes an adoption and an
 * entry of today straight into the demo server's database: on PostgreSQL (DATABASE_URL, as
 * CI's second run) only, because on the embedded database one process owns it.
 */
const serverUrl = process.env.DATABASE_URL || undefined;

/** The Web Mercator tile at zoom z that holds a point (as src/lib/geo/tiles.ts, which Playwright's loader cannot import). */
function tileForPoint(lng: number, lat: number, z: number) {
	const n = 2 ** z;
	const rad = (lat * Math.PI) / 180;
	return { z, x: Math.floor(((lng + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

async function withDemoDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: withDatabase(serverUrl!, `perkje_e2e_${DEMO_PORT}`) });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
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

test('care logged today shows as this week, adds up in the contributions, and a hidden note is gone', async ({ page }) => {
	test.skip(!serverUrl, 'needs the demo server on PostgreSQL (DATABASE_URL) to write an entry');
	const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Amsterdam' });
	const year = today.slice(0, 4);
	// A plot of lane 5 from the top of the numbers (the manager views' journey takes the lowest
	// free one), adopted by an adopter of this test's own, with one entry of today: 45 minutes,
	// 2 people. Its own adopter, because the care journey (care.e2e.ts) logs care at the same
	// time as the demo resident: the figures checked are this adopter's row, not the total.
	const email = `verzorger-${Date.now()}@demo.perkje.invalid`;
	const fixture = await withDemoDatabase(async (db) => {
		const { rows: [plot] } = await db.query(
			`SELECT p.id, ST_X(p.label_point) AS lng, ST_Y(p.label_point) AS lat FROM plots p
			 WHERE p.id % 8 = 5 AND p.status = 'active' AND NOT EXISTS (SELECT 1 FROM adoptions a WHERE a.plot_id = p.id)
			 ORDER BY p.id DESC LIMIT 1`
		);
		const { rows: [user] } = await db.query(
			`INSERT INTO users (id, email, email_verified, display_name) VALUES ($1, $2, true, 'Verzorger E2E') RETURNING id`,
			[`e2e-${Date.now()}`, email]
		);
		const { rows: [adoption] } = await db.query(
			`INSERT INTO adoptions (plot_id, user_id, status, started_at) VALUES ($1, $2, 'active', now() - interval '30 days') RETURNING id`,
			[plot.id, user.id]
		);
		const { rows: [entry] } = await db.query(
			`INSERT INTO activities (plot_id, adoption_id, author_user_id, done_on, tasks, minutes, people, note)
			 VALUES ($1, $2, $3, $4::date, ARRAY['weeding'], 45, 2, 'Onkruid gewied bij de bank') RETURNING id`,
			[plot.id, adoption.id, user.id, today]
		);
		return { plotId: Number(plot.id), lng: Number(plot.lng), lat: Number(plot.lat), activityId: Number(entry.id) };
	});

	await signIn(page, 'beheerder@demo.perkje.invalid');
	// The list: the plot is "this week".
	await page.goto('/beheer/onderhoud?periode=week&per=100');
	const row = page.locator(`tr[data-plot-id="${fixture.plotId}"]`);
	await expect(row).toHaveAttribute('data-care', 'week');
	await expect(row).toContainText('Deze week');
	await expectNoAxeViolations(page);

	// Its tile says so too, for the signed-in manager only.
	const tile = tileForPoint(fixture.lng, fixture.lat, 16);
	const answer = await page.request.get(`/tiles/care/${tile.z}/${tile.x}/${tile.y}.mvt`);
	expect(answer.status()).toBe(200);
	expect(answer.headers()['cache-control']).toContain('private');
	const layer = new VectorTile(new PbfReader(new Uint8Array(await answer.body()))).layers.care;
	const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i));
	expect(features.find((f) => f.id === fixture.plotId)?.properties.care).toBe('week');

	// The contributions of this year, per adopter: hours as minutes × people (45 × 2 = 1,5 hours).
	await page.goto('/beheer/bijdragen?weergave=adoptant');
	const adopterRow = page.locator('tbody tr').filter({ hasText: 'Verzorger E2E' });
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

	// Hiding the note on the manager's plot page: gone from what the public reads.
	await page.goto(`/beheer/perken/${fixture.plotId}`);
	const entry = page.locator(`li[data-activity-id="${fixture.activityId}"]`);
	await expect(entry.getByTestId('entry-note')).toHaveText('Onkruid gewied bij de bank');
	await entry.getByText('Notitie verbergen', { exact: true }).click();
	await expectNoAxeViolations(page);
	await entry.getByLabel('Reden (die blijft bewaard in de geschiedenis)').fill('Noemt een buurtbewoner bij naam');
	await entry.getByRole('button', { name: 'Verbergen' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Verborgen.' })).toBeVisible();
	await expect(page.locator(`li[data-activity-id="${fixture.activityId}"]`).getByTestId('note-hidden')).toContainText('Noemt een buurtbewoner bij naam');
	await expectNoAxeViolations(page);
	const hidden = await withDemoDatabase(async (db) => {
		const { rows: [a] } = await db.query(`SELECT note_hidden_at IS NOT NULL AS hidden FROM activities WHERE id = $1`, [fixture.activityId]);
		const { rows: [r] } = await db.query(`SELECT kind, reason FROM activity_revisions WHERE activity_id = $1 ORDER BY id DESC LIMIT 1`, [fixture.activityId]);
		return { hidden: a.hidden, revision: r };
	});
	expect(hidden).toEqual({ hidden: true, revision: { kind: 'hide_note', reason: 'Noemt een buurtbewoner bij naam' } });
	await page.setViewportSize({ width: 360, height: 740 });
	await fitsThePhone(page);
});

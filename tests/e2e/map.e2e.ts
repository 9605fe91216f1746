import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { expectNoAxeViolations, neighbourhoodOptions, settleMap as settle } from './helpers';

/**
 * The map page (the home page): vector tiles, the plot panel through shallow routing, near me,
 * URL filters, accessibility and a phone-sized screen. Against the demo server (Delft).
 */

/** In Delft, in the middle of the demo plots (db/seed/bgt_begroeidterreindeel_delft_3dfier.geojson). */
const DELFT_DEMO = { latitude: 52.01233, longitude: 4.36683 };
const AMSTERDAM = { latitude: 52.3731, longitude: 4.8926 };

declare global {
	interface Window {
		__perkjeMap?: MapLibreMap;
	}
}

async function waitForMap(page: Page) {
	const map = page.locator('[data-map-state]');
	await expect(map).toHaveAttribute('data-map-state', 'ready', { timeout: 30_000 });
	return Number(await map.getAttribute('data-rendered-plots'));
}

/**
 * A pixel on the canvas where a plot, and only that plot, is on top: found with the map's own
 * project() over a drawn plot's outline, then confirmed with queryRenderedFeatures at that pixel.
 * Keeps clear of the zoom buttons (top right).
 */
async function plotPixel(
	page: Page,
	visibleHeight: number,
	layer: string
): Promise<{ id: number; x: number; y: number }> {
	const found = await page.evaluate(
		([visible, layer]) => {
			const map = window.__perkjeMap!;
			const canvas = map.getCanvas();
			const [w, h] = [canvas.clientWidth, Math.min(canvas.clientHeight, visible)];
			const layers = [layer];
			for (const feature of map.queryRenderedFeatures({ layers })) {
				const g = feature.geometry;
				const ring =
					g.type === 'Point'
						? [g.coordinates]
						: g.type === 'Polygon'
							? g.coordinates.flat()
							: g.type === 'MultiPolygon'
								? g.coordinates.flat(2)
								: [];
				const pixels = ring.map((c) => map.project(c as [number, number]));
				const xs = pixels.map((p) => p.x);
				const ys = pixels.map((p) => p.y);
				// A dot is a few pixels around its point.
				const pad = g.type === 'Point' ? 3 : 0;
				const [x0, x1] = [Math.max(8, Math.min(...xs) - pad), Math.min(w - 70, Math.max(...xs) + pad)];
				const [y0, y1] = [Math.max(8, Math.min(...ys) - pad), Math.min(h - 8, Math.max(...ys) + pad)];
				for (let y = Math.ceil(y0); y <= y1; y += 2) {
					for (let x = Math.ceil(x0); x <= x1; x += 2) {
						const hits = map.queryRenderedFeatures([x, y], { layers });
						if (hits.length === 1 && hits[0].id === feature.id) return { id: feature.id as number, x, y };
					}
				}
			}
			return null;
		},
		[visibleHeight, layer] as const
	);
	expect(found, 'a plot visible on the canvas').not.toBeNull();
	return found!;
}

async function clickPlot(page: Page, layer = 'perkje-plots-fill') {
	const canvas = page.locator('.maplibregl-canvas');
	await canvas.scrollIntoViewIfNeeded();
	const box = await canvas.boundingBox();
	const viewport = page.viewportSize()!;
	const { id, x, y } = await plotPixel(page, viewport.height - box!.y, layer);
	await page.mouse.click(box!.x + x, box!.y + y);
	return id;
}

test('the map draws the plots from vector tiles, with a legend of the states', async ({ page }) => {
	const tile = page.waitForResponse((r) => /\/tiles\/plots\/\d+\/\d+\/\d+\.mvt$/.test(r.url()) && r.status() === 200);
	await page.goto('/');
	await tile;
	const rendered = await waitForMap(page);
	expect(rendered).toBeGreaterThan(0);

	const seen = await page.evaluate(() => {
		const map = window.__perkjeMap!;
		const features = map.queryRenderedFeatures({ layers: ['perkje-plots-fill'] });
		return {
			source: map.getSource('plots')?.type,
			count: new Set(features.map((f) => f.id)).size,
			integerIds: features.every((f) => Number.isInteger(f.id)),
			states: [...new Set(features.map((f) => f.properties.state))],
			zoom: map.getZoom()
		};
	});
	expect(seen.source).toBe('vector');
	expect(seen.count).toBe(rendered);
	expect(seen.integerIds).toBe(true);
	expect(seen.states.length).toBeGreaterThan(0);
	expect(seen.zoom).toBeGreaterThanOrEqual(15);

	const legend = page.getByRole('list', { name: 'Legenda' });
	for (const state of ['Te adopteren', 'Aangevraagd', 'Geadopteerd', 'Niet te adopteren']) {
		await expect(legend).toContainText(state);
	}
	// The second cue besides colour: each state's swatch has its own outline dash or pattern.
	const swatches = await legend.locator('[data-state] svg').evaluateAll((svgs) =>
		svgs.map((svg) => svg.innerHTML.replace(/id="[^"]*"|url\(#[^)]*\)/g, ''))
	);
	expect(new Set(swatches).size).toBe(4);
});

test('zoomed out, the map shows plot counts per neighbourhood instead of every plot', async ({ page }) => {
	await page.goto('/');
	await waitForMap(page);
	await page.evaluate(() => window.__perkjeMap!.jumpTo({ zoom: 12.5 }));
	await settle(page);
	const counts = await page.evaluate(() => {
		const map = window.__perkjeMap!;
		return {
			circles: map.queryRenderedFeatures({ layers: ['perkje-plot-counts'] }).length,
			plots: map.queryRenderedFeatures({ layers: ['perkje-plots-fill'] }).length
		};
	});
	expect(counts.circles).toBeGreaterThan(0);
	expect(counts.plots).toBe(0);
	// The numbers are HTML over the canvas (no glyph server needed).
	await expect(page.locator('.perkje-map-label--count').first()).toHaveText(/^\d+$/);
});

test('tapping a plot opens its panel at its own URL; Escape closes it and returns to the map', async ({
	page
}) => {
	await page.goto('/');
	await waitForMap(page);
	const id = await clickPlot(page);

	await expect(page).toHaveURL(new RegExp(`/plots/${id}$`));
	const panel = page.getByRole('dialog', { name: `Perk ${id}` });
	await expect(panel).toBeVisible();
	await expect(panel).toContainText(`Perk ${id}`);
	await expect(panel).toBeFocused();
	// The plot is marked on the map while its panel is open.
	const selected = await page.evaluate(
		(plotId) => window.__perkjeMap!.getFeatureState({ source: 'plots', sourceLayer: 'plots', id: plotId }),
		id
	);
	expect(selected.selected).toBe(true);

	await page.keyboard.press('Escape');
	await expect(panel).toHaveCount(0);
	await expect(page).toHaveURL(/\/$/);
	await expect(page.locator('.maplibregl-canvas')).toBeFocused();
});

test('the close button closes the panel too, and the panel URL opens the plot page', async ({ page }) => {
	await page.goto('/');
	await waitForMap(page);
	const id = await clickPlot(page);
	const panel = page.getByRole('dialog', { name: `Perk ${id}` });
	await expect(panel).toBeVisible();
	await panel.getByRole('button', { name: 'Sluiten' }).click();
	await expect(panel).toHaveCount(0);
	await expect(page).toHaveURL(/\/$/);

	// A shared link is the full plot page.
	await page.goto(`/plots/${id}`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(String(id));
});

test('at zoom 14 plots are dots, and tapping one opens its panel too', async ({ page }) => {
	await page.goto('/');
	await waitForMap(page);
	await page.evaluate(() => window.__perkjeMap!.jumpTo({ zoom: 14.5 }));
	await settle(page);
	const id = await clickPlot(page, 'perkje-plot-points');
	await expect(page).toHaveURL(new RegExp(`/plots/${id}$`));
	await expect(page.getByRole('dialog', { name: `Perk ${id}` })).toBeVisible();
	const selected = await page.evaluate(
		(plotId) => window.__perkjeMap!.getFeatureState({ source: 'plots', sourceLayer: 'plot_points', id: plotId }),
		id
	);
	expect(selected.selected).toBe(true);
});

test.describe('near me', () => {
	test.use({ geolocation: DELFT_DEMO, permissions: ['geolocation'] });

	test('in Delft: the map moves there and lists the plots nearby', async ({ page }) => {
		await page.goto('/');
		await waitForMap(page);
		await page.evaluate(() => window.__perkjeMap!.jumpTo({ center: [4.35, 51.99], zoom: 13 }));
		await page.getByRole('button', { name: 'Bij mij in de buurt' }).click();

		await expect(page.getByTestId('near-status')).toContainText('De kaart toont nu uw omgeving', {
			timeout: 20_000
		});
		const center = await page.evaluate(() => window.__perkjeMap!.getCenter().toArray());
		expect(center[0]).toBeCloseTo(DELFT_DEMO.longitude, 3);
		expect(center[1]).toBeCloseTo(DELFT_DEMO.latitude, 3);
		const nearby = page.getByRole('list', { name: 'Perken bij u in de buurt' }).getByRole('link');
		await expect(nearby.first()).toBeVisible();
		expect(await nearby.count()).toBeGreaterThan(0);

		// A nearby plot opens in the same panel as on the map.
		const name = (await nearby.first().textContent())!.trim();
		await nearby.first().click();
		await expect(page.getByRole('dialog', { name })).toBeVisible();
	});

	test('outside the municipality: a message, and the map stays', async ({ page, context }) => {
		await context.setGeolocation(AMSTERDAM);
		await page.goto('/');
		await waitForMap(page);
		const before = await page.evaluate(() => window.__perkjeMap!.getCenter().toArray());
		await page.getByRole('button', { name: 'Bij mij in de buurt' }).click();
		await expect(page.getByTestId('near-status')).toHaveText(/U bent niet in Delft/);
		const after = await page.evaluate(() => window.__perkjeMap!.getCenter().toArray());
		expect(after).toEqual(before);
	});
});

test.describe('near me, refused', () => {
	test.use({ geolocation: DELFT_DEMO, permissions: [] });

	test('says so kindly, in Dutch and in English', async ({ page, context }) => {
		await context.clearPermissions();
		await page.goto('/');
		await waitForMap(page);
		await page.getByRole('button', { name: 'Bij mij in de buurt' }).click();
		await expect(page.getByTestId('near-status')).toHaveText(/geen toestemming gegeven/);

		await page.goto('/en/');
		await waitForMap(page);
		await page.getByRole('button', { name: 'Near me' }).click();
		await expect(page.getByTestId('near-status')).toHaveText(/did not allow Perkje to use your location/);
	});
});

test('the URL filters reach the map, and "Bekijk als lijst" carries them to the list', async ({ page }) => {
	await page.goto('/');
	await waitForMap(page);
	const total = await page.evaluate(
		() => new Set(window.__perkjeMap!.queryRenderedFeatures({ layers: ['perkje-plots-fill'] }).map((f) => f.id)).size
	);

	// Choose a state in the map's own filter form: the map shows only those plots.
	await page.getByLabel('Status').selectOption('adopted');
	await page.getByRole('button', { name: 'Toon perken' }).click();
	await expect(page).toHaveURL(/\?state=adopted/);
	await expect(page.getByTestId('map-filtered')).toBeVisible();
	await settle(page);
	const filtered = await page.evaluate(() => {
		const map = window.__perkjeMap!;
		return {
			filter: map.getFilter('perkje-plots-fill'),
			states: [...new Set(map.queryRenderedFeatures({ layers: ['perkje-plots-fill'] }).map((f) => f.properties.state))]
		};
	});
	expect(filtered.filter).toEqual(['==', ['get', 'state'], 'adopted']);
	expect(filtered.states.every((s) => s === 'adopted')).toBe(true);

	await expect(page.getByTestId('map-list-link')).toHaveAttribute('href', '/plots?state=adopted');

	await page.getByRole('link', { name: 'Alle filters wissen' }).click();
	await expect(page).toHaveURL(/\/#map$/);
	await settle(page);
	const again = await page.evaluate(
		() => new Set(window.__perkjeMap!.queryRenderedFeatures({ layers: ['perkje-plots-fill'] }).map((f) => f.id)).size
	);
	expect(again).toBe(total);
});

test('with a neighbourhood and size filter in the URL, the map shows just the list\'s plots at every zoom', async ({
	page
}) => {
	// The list's biggest neighbourhood, and a size that leaves some of its plots.
	await page.goto('/plots');
	const biggest = (await neighbourhoodOptions(page)).sort((a, b) => b.count - a.count)[0];
	const query = `neighbourhood=${biggest.value}&min_m2=20`;
	await page.goto(`/plots?${query}`);
	const total = Number(((await page.getByTestId('results-count').textContent()) ?? '').replace(/\D/g, ''));
	expect(total).toBeGreaterThan(0);
	expect(total).toBeLessThan(biggest.count);
	expect(total, 'all on the first page').toBeLessThanOrEqual(25);
	const listed = await page
		.getByTestId('plot-table')
		.locator('tbody a[href*="/plots/"]')
		.evaluateAll((links) => links.map((a) => Number(a.getAttribute('href')!.replace(/.*\//, ''))));
	expect(new Set(listed).size).toBe(total);

	// The map asks the server for filtered tiles.
	const filteredTile = page.waitForResponse((r) => r.url().includes(`.mvt?${query}`) && r.status() === 200);
	await page.goto(`/?${query}`);
	await filteredTile;
	await waitForMap(page);
	await expect(page.getByTestId('map-filtered')).toBeVisible();

	// Zoom 14, dots: only the list's plots, and all of them in view.
	const dots = () =>
		page.evaluate(() => [
			...new Set(window.__perkjeMap!.queryRenderedFeatures({ layers: ['perkje-plot-points'] }).map((f) => f.id as number))
		]);
	await page.evaluate(() => window.__perkjeMap!.jumpTo({ zoom: 14.2 }));
	await settle(page);
	const shown = await dots();
	expect(shown.length).toBeGreaterThan(0);
	expect(shown.filter((id) => !listed.includes(id))).toEqual([]);
	expect(shown.sort((a, b) => a - b)).toEqual([...listed].sort((a, b) => a - b));

	// Zoom 12, counts: one circle, with the list's number.
	await page.evaluate(() => window.__perkjeMap!.jumpTo({ zoom: 12.5 }));
	await settle(page);
	const circles = await page.evaluate(() =>
		window.__perkjeMap!.queryRenderedFeatures({ layers: ['perkje-plot-counts'] }).map((f) => f.id)
	);
	expect(new Set(circles)).toEqual(new Set([Number(biggest.value)]));
	await expect(page.locator('.perkje-map-label--count')).toHaveText([String(total)]);
	await expectNoAxeViolations(page);

	// Without the filters the same view has more dots again: the filter was the tiles'.
	await page.goto('/');
	await waitForMap(page);
	await page.evaluate(() => window.__perkjeMap!.jumpTo({ zoom: 14.2 }));
	await settle(page);
	expect((await dots()).length).toBeGreaterThan(shown.length);
});

for (const [language, path] of [
	['Dutch', '/'],
	['English', '/en/']
] as const) {
	test(`the map page in ${language}, with a plot panel open, has no WCAG 2.1 A/AA violations (axe)`, async ({
		page
	}) => {
		await page.goto(path);
		await waitForMap(page);
		const axe = () =>
			new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
		const summary = (r: Awaited<ReturnType<typeof axe>>) =>
			r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
		expect(summary(await axe())).toEqual([]);

		await clickPlot(page);
		await expect(page.getByRole('dialog')).toBeVisible();
		expect(summary(await axe())).toEqual([]);
	});
}

test('on a 360 × 640 phone: no sideways scrolling, big enough targets, the panel as a sheet', async ({
	page
}) => {
	await page.setViewportSize({ width: 360, height: 640 });
	await page.goto('/');
	await waitForMap(page);
	const overflow = () =>
		page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(await overflow()).toBeLessThanOrEqual(0);

	for (const target of [
		page.getByRole('button', { name: 'Bij mij in de buurt' }),
		page.getByRole('button', { name: 'Toon perken' }),
		page.getByLabel('Status'),
		page.getByRole('link', { name: 'Bekijk als lijst' }),
		page.getByRole('button', { name: 'Inzoomen' })
	]) {
		const box = await target.boundingBox();
		expect(box?.height).toBeGreaterThanOrEqual(44);
	}

	// The page scrolls past the map with one finger: cooperative gestures leave it to the page.
	const cooperative = await page.evaluate(() => window.__perkjeMap!.cooperativeGestures.isEnabled());
	expect(cooperative).toBe(true);

	await page.locator('.perkje-map').scrollIntoViewIfNeeded();
	await clickPlot(page);
	const sheet = page.getByRole('dialog');
	await expect(sheet).toBeVisible();
	await expect(sheet).toBeInViewport();
	expect(await overflow()).toBeLessThanOrEqual(0);
	const close = await sheet.getByRole('button', { name: 'Sluiten' }).boundingBox();
	expect(close?.height).toBeGreaterThanOrEqual(44);
	expect(close?.width).toBeGreaterThanOrEqual(44);
});

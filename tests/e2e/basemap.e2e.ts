import { expect, test, type Page } from '@playwright/test';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { expectNoAxeViolations, settleMap } from './helpers';

/**
 * The map's own basemap, drawn from the municipality's BGT (no basemap server configured,
 * as on the demo server), and the map on a phone's first screen. Against the demo server.
 */

declare global {
	interface Window {
		__perkjeMap?: MapLibreMap;
	}
}

const BASEMAP_LAYERS = {
	building: 'perkje-basemap-building',
	road: 'perkje-basemap-road',
	water: 'perkje-basemap-water',
	terrain: 'perkje-basemap-terrain',
	wall: 'perkje-basemap-wall',
	bridge: 'perkje-basemap-bridge'
};

async function readyMap(page: Page): Promise<number> {
	const map = page.locator('[data-map-state]');
	await expect(map).toHaveAttribute('data-map-state', 'ready', { timeout: 30_000 });
	// Until every tile of the first view is drawn.
	await settleMap(page);
	return Number(await map.getAttribute('data-rendered-plots'));
}

/**
 * Rendered features per basemap layer, and plots, on the whole canvas or (onScreen) only in the
 * part of it inside the window.
 */
async function visibleFeatures(page: Page, onScreen = false) {
	return page.evaluate(([layers, onScreen]) => {
		const map = window.__perkjeMap!;
		const canvas = map.getCanvas().getBoundingClientRect();
		const visible: [[number, number], [number, number]] = [
			[0, 0],
			[canvas.width, onScreen ? Math.min(canvas.height, window.innerHeight - canvas.top) : canvas.height]
		];
		const count = (layer: string) => new Set(map.queryRenderedFeatures(visible, { layers: [layer] }).map((f) => f.id)).size;
		return {
			basemap: Object.fromEntries(Object.entries(layers).map(([name, id]) => [name, map.getLayer(id) ? count(id) : -1])),
			plots: count('perkje-plots-fill'),
			roadKinds: [...new Set(map.queryRenderedFeatures({ layers: [layers.road] }).map((f) => f.properties.kind))],
			// Drawn under the plots: every basemap layer comes before the plots' fill.
			order: map.getStyle().layers.map((l) => l.id)
		};
	}, [BASEMAP_LAYERS, onScreen] as const);
}

test('without a basemap server the map draws the BGT under the plots: buildings, roads, water, walls', async ({ page }) => {
	const tile = page.waitForResponse((r) => /\/tiles\/basemap\/1[4-6]\/\d+\/\d+\.mvt$/.test(r.url()) && r.status() === 200);
	await page.goto('/');
	expect((await tile).headers()['cache-control']).toBe('public, max-age=5, must-revalidate');
	expect(await readyMap(page)).toBeGreaterThan(0);
	const seen = await visibleFeatures(page);
	expect(seen.basemap.building).toBeGreaterThan(50);
	expect(seen.basemap.road).toBeGreaterThan(50);
	expect(seen.basemap.water).toBeGreaterThan(0);
	expect(seen.basemap.terrain).toBeGreaterThan(0);
	expect(seen.basemap.wall).toBeGreaterThan(0);
	expect(seen.plots).toBeGreaterThan(0);
	// Footpaths are told apart from the roadway by their BGT function.
	expect(seen.roadKinds).toEqual(expect.arrayContaining(['voetpad', 'rijbaan lokale weg']));
	const plotsAt = seen.order.indexOf('perkje-plots-fill');
	for (const id of Object.values(BASEMAP_LAYERS)) {
		expect(seen.order.indexOf(id), id).toBeGreaterThan(0);
		expect(seen.order.indexOf(id), id).toBeLessThan(plotsAt);
	}
	// The neighbourhood outlines stay on top of the basemap.
	expect(seen.order.indexOf('perkje-neighbourhoods-line')).toBeGreaterThan(seen.order.indexOf(BASEMAP_LAYERS.building));
	// The map credits the BGT it draws.
	await expect(page.locator('.maplibregl-ctrl-attrib')).toContainText('BGT (PDOK)');
});

test('on a 375 × 667 phone the whole map is on the first screen, fitted to the plots, and passes axe', async ({ page }) => {
	await page.setViewportSize({ width: 375, height: 667 });
	await page.goto('/');
	const rendered = await readyMap(page);
	expect(rendered).toBeGreaterThan(0);
	// Nothing scrolled: the page as it opens.
	expect(await page.evaluate(() => window.scrollY)).toBe(0);
	const canvas = (await page.locator('.maplibregl-canvas').boundingBox())!;
	expect(canvas.y).toBeGreaterThan(0);
	expect(canvas.y + canvas.height).toBeLessThanOrEqual(667);
	expect(canvas.height).toBeGreaterThanOrEqual(240);
	// Started fitted to the plots: every demo plot is drawn inside the visible canvas, on the basemap.
	const seen = await visibleFeatures(page, true);
	expect(seen.plots).toBe(rendered);
	expect(seen.plots).toBeGreaterThan(100);
	expect(seen.basemap.building).toBeGreaterThan(0);
	// The intro and the figures are still there, below the map.
	const stats = (await page.getByTestId('stat-plots').boundingBox())!;
	expect(stats.y).toBeGreaterThan(canvas.y + canvas.height);
	expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
	await expectNoAxeViolations(page);
});

import { describe, expect, it } from 'vitest';
import { PLOT_STATES } from '#lib/domain/plot-state.js';
import {
	BASEMAP_COLOURS,
	BASEMAP_FILLS,
	basemapLayerSpecs,
	basemapToken,
	themedBasemapColours,
	type BasemapLayerSpec
} from './basemap-style';
import { PLOT_STATE_STYLES } from './plot-style';

/** WCAG relative luminance and contrast ratio of two #rrggbb colours. */
function luminance(hex: string): number {
	const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
	const lin = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
	return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
function contrast(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}
function hueSaturation(hex: string): { hue: number; saturation: number } {
	const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
	const max = Math.max(r, g, b);
	const min = Math.min(r, g, b);
	const d = max - min;
	const saturation = max === 0 ? 0 : d / max;
	let hue = 0;
	if (d > 0) hue = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
	return { hue: (hue * 60 + 360) % 360, saturation };
}

describe('the BGT basemap style', () => {
	it('keeps every plot state outline at 3:1 or more against every basemap fill (WCAG 1.4.11)', () => {
		for (const state of PLOT_STATES) {
			for (const fill of BASEMAP_FILLS) {
				const ratio = contrast(PLOT_STATE_STYLES[state].line, BASEMAP_COLOURS[fill]);
				expect(ratio, `${state} outline on ${fill}`).toBeGreaterThanOrEqual(3);
			}
		}
	});

	it('is muted, with no green that competes with the available plots', () => {
		for (const fill of BASEMAP_FILLS) {
			const { hue, saturation } = hueSaturation(BASEMAP_COLOURS[fill]);
			// Pale: far less saturated than any plot state's fill.
			expect(saturation, fill).toBeLessThan(0.15);
			if (saturation > 0.03) expect(hue >= 75 && hue <= 165, `${fill} is greenish`).toBe(false);
		}
		for (const state of PLOT_STATES.filter((s) => s !== 'not_adoptable')) {
			expect(hueSaturation(PLOT_STATE_STYLES[state].fill).saturation, state).toBeGreaterThan(0.3);
		}
	});

	it('tells footpaths and cycle paths from the roadway, and puts buildings over roads and water', () => {
		const specs = basemapLayerSpecs(BASEMAP_COLOURS);
		const road = specs.find((s): s is Extract<BasemapLayerSpec, { type: 'fill' }> => s.sourceLayer === 'road' && s.type === 'fill')!;
		const paint = JSON.stringify(road.paint['fill-color']);
		expect(paint).toContain('voetpad');
		expect(paint).toContain('fietspad');
		expect(new Set([BASEMAP_COLOURS.road, BASEMAP_COLOURS.footpath, BASEMAP_COLOURS.cyclePath]).size).toBe(3);
		const order = specs.map((s) => s.sourceLayer);
		expect(order.indexOf('water')).toBeLessThan(order.indexOf('bridge'));
		expect(order.indexOf('road')).toBeLessThan(order.indexOf('building'));
		expect(new Set(order)).toEqual(new Set(['terrain', 'water', 'road', 'bridge', 'building', 'wall']));
	});

	it('takes its colours from the theme tokens when a municipality sets them', () => {
		expect(basemapToken('cyclePath')).toBe('--perkje-map-basemap-cycle-path-color');
		const themed = themedBasemapColours((token, fallback) => (token === '--perkje-map-basemap-water-color' ? '#c0d0e0' : fallback));
		expect(themed.water).toBe('#c0d0e0');
		expect(themed.building).toBe(BASEMAP_COLOURS.building);
	});
});

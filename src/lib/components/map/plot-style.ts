import { PLOT_STATES, type PlotState } from '#lib/domain/plot-state.js';

/**
 * How each plot state looks, on the map canvas and in the legend alike. Colour alone fails
 * about one man in twelve, so every state also has its own fill pattern and outline dash;
 * the colours are from the Okabe–Ito palette (distinct under the common colour-vision
 * deficiencies), with outlines dark enough for 3:1 against a light background (WCAG 1.4.11).
 *
 * Colours are theme tokens (theme.css: --perkje-map-state-*), so a municipality can restyle
 * them; the values here are the fallbacks the canvas uses when a token is missing.
 */

export type PatternKind = 'solid' | 'stripes' | 'dots' | 'crosshatch';

export interface PlotStateStyle {
	pattern: PatternKind;
	/** Outline dash in line widths (MapLibre's unit); null for a solid outline. */
	dash: [number, number] | null;
	fill: string;
	ink: string;
	line: string;
}

export const PLOT_STATE_STYLES: Record<PlotState, PlotStateStyle> = {
	available: { pattern: 'solid', dash: null, fill: '#5cc19c', ink: '#5cc19c', line: '#005c42' },
	requested: { pattern: 'stripes', dash: [2, 1], fill: '#f5cf7a', ink: '#b87d00', line: '#7a4a00' },
	adopted: { pattern: 'dots', dash: null, fill: '#7fb8dc', ink: '#004a75', line: '#004a75' },
	not_adoptable: { pattern: 'crosshatch', dash: [0.5, 1.5], fill: '#e4e4e4', ink: '#8a8a8a', line: '#595959' }
};

/** The CSS custom property that overrides one colour of one state. */
export function stateToken(state: PlotState, part: 'fill' | 'ink' | 'line'): string {
	return `--perkje-map-state-${state.replace('_', '-')}-${part}-color`;
}

/** The state styles with the theme's token values applied (browser only). */
export function themedStateStyles(read: (token: string, fallback: string) => string) {
	return Object.fromEntries(
		PLOT_STATES.map((state) => {
			const base = PLOT_STATE_STYLES[state];
			return [
				state,
				{
					...base,
					fill: read(stateToken(state, 'fill'), base.fill),
					ink: read(stateToken(state, 'ink'), base.ink),
					line: read(stateToken(state, 'line'), base.line)
				}
			];
		})
	) as Record<PlotState, PlotStateStyle>;
}

/** The pattern tile's side in CSS pixels; 8 divides it, so 45° lines repeat seamlessly. */
export const PATTERN_SIZE = 16;

export type PatternShape =
	| { type: 'line'; x1: number; y1: number; x2: number; y2: number; width: number }
	| { type: 'circle'; cx: number; cy: number; r: number };

/** Diagonal lines x ± y = c every 8 px, overshooting the tile so the joins have no gaps. */
function diagonals(direction: 1 | -1, width: number): PatternShape[] {
	const lines: PatternShape[] = [];
	for (let c = -PATTERN_SIZE; c <= 2 * PATTERN_SIZE; c += 8) {
		lines.push(
			direction === 1
				? { type: 'line', x1: c + 2, y1: -2, x2: -2, y2: c + 2, width }
				: { type: 'line', x1: c - 2, y1: -2, x2: c + PATTERN_SIZE + 2, y2: PATTERN_SIZE + 2, width }
		);
	}
	return lines;
}

/** The ink of one pattern tile, drawn over the fill colour. The legend's SVG uses the same shapes. */
export function patternShapes(kind: PatternKind): PatternShape[] {
	switch (kind) {
		case 'solid':
			return [];
		case 'stripes':
			return diagonals(1, 3);
		case 'dots':
			return [
				{ type: 'circle', cx: 4, cy: 4, r: 2.25 },
				{ type: 'circle', cx: 12, cy: 12, r: 2.25 }
			];
		case 'crosshatch':
			return [...diagonals(1, 1.25), ...diagonals(-1, 1.25)];
	}
}

/** MapLibre image id of a state's fill pattern. */
export const patternImageId = (state: PlotState) => `perkje-pattern-${state}`;

/**
 * Draws a state's pattern tile into RGBA pixels for map.addImage: generated here, so the map
 * needs no sprite sheet from any server.
 */
export function renderPattern(style: PlotStateStyle, pixelRatio: number): ImageData {
	const size = PATTERN_SIZE * pixelRatio;
	const canvas = document.createElement('canvas');
	canvas.width = size;
	canvas.height = size;
	const ctx = canvas.getContext('2d');
	if (!ctx) throw new Error('No 2D canvas for the map patterns');
	ctx.scale(pixelRatio, pixelRatio);
	ctx.fillStyle = style.fill;
	ctx.fillRect(0, 0, PATTERN_SIZE, PATTERN_SIZE);
	ctx.strokeStyle = style.ink;
	ctx.fillStyle = style.ink;
	for (const shape of patternShapes(style.pattern)) {
		ctx.beginPath();
		if (shape.type === 'line') {
			ctx.lineWidth = shape.width;
			ctx.moveTo(shape.x1, shape.y1);
			ctx.lineTo(shape.x2, shape.y2);
			ctx.stroke();
		} else {
			ctx.arc(shape.cx, shape.cy, shape.r, 0, 2 * Math.PI);
			ctx.fill();
		}
	}
	return ctx.getImageData(0, 0, size, size);
}

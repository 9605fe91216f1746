import { CARE_AGE_CLASSES, type CareAgeClass } from '#lib/domain/activity.js';
import * as m from '#lib/paraglide/messages.js';

/**
 * How the map of care shows its classes. Colours are Okabe & Ito's palette, told apart with
 * every common colour vision deficiency; and colour is never the only cue: each class has its
 * own outline width (and "never" a dashed outline) on the map, and its own mark in the legend
 * and the list, so the classes read in greyscale too.
 */
export interface CareClassStyle {
	colour: string;
	/** Outline width on the map, in pixels at zoom 15 (wider the longer ago). */
	line: number;
	/** Dash pattern of the outline, or none (solid). */
	dash: number[] | null;
	/** A short mark beside the label in the legend and list (a second cue besides colour). */
	mark: string;
}

export const CARE_CLASS_STYLES: Record<CareAgeClass, CareClassStyle> = {
	week: { colour: '#009E73', line: 1, dash: null, mark: '●' },
	month: { colour: '#56B4E9', line: 1.5, dash: null, mark: '◕' },
	quarter: { colour: '#E69F00', line: 2.5, dash: null, mark: '◑' },
	older: { colour: '#D55E00', line: 3.5, dash: null, mark: '◔' },
	never: { colour: '#CC79A7', line: 3.5, dash: [2, 1.5], mark: '○' }
};

const LABELS: Record<CareAgeClass, () => string> = {
	week: m.care_manage_class_week,
	month: m.care_manage_class_month,
	quarter: m.care_manage_class_quarter,
	older: m.care_manage_class_older,
	never: m.care_manage_class_never
};

export function careClassLabel(c: CareAgeClass): string {
	return LABELS[c]();
}

export { CARE_AGE_CLASSES };


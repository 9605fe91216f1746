import * as m from '#lib/paraglide/messages.js';

/**
 * How a plot is called, everywhere: lists, the map panel, the plot page, manager pages, mails
 * and notifications. One function, so residents and managers never see "Perk 25" in one place
 * and "#25" or "Perk #25" in another. The words come from the message catalogue.
 */
export type PlotNameLocale = 'nl' | 'en';

export interface PlotNameOptions {
	/** Adds the buurt, for texts read away from the map (mails, manager pages): "Perk 25 (Wippolder)". */
	neighbourhood?: string | null;
	/** The reader's language; without it, the language of the page being rendered. */
	locale?: PlotNameLocale;
}

export function plotName(id: number, options: PlotNameOptions = {}): string {
	const opts = options.locale ? { locale: options.locale } : undefined;
	const name = m.plot_title({ id }, opts);
	const place = options.neighbourhood?.trim();
	return place ? m.resident_plot_name_in({ plot: name, neighbourhood: place }, opts) : name;
}

/**
 * Notifications stored before plots had one name carry a ready-made label, "#25 (Wippolder)";
 * this reads the plot number and buurt back out of it so they show in the same form.
 */
export function parseLegacyPlotLabel(label: string): { id: number; neighbourhood: string | null } | null {
	const match = /^#(\d+)(?: \((.*)\))?$/.exec(label.trim());
	return match ? { id: Number(match[1]), neighbourhood: match[2] ?? null } : null;
}

import * as m from '#lib/paraglide/messages.js';

/**
 * Readable names for BGT's kinds of vegetation (fysiekVoorkomen, plus_fysiekVoorkomen).
 * Values we have no translation for are shown as the source wrote them, which is better
 * than hiding them; "waardeOnbekend" (value unknown) is no information and is left out.
 */
const KINDS: Record<string, () => string> = {
	groenvoorziening: m.plot_kind_groenvoorziening,
	'grasland overig': m.plot_kind_grasland,
	'grasland agrarisch': m.plot_kind_grasland,
	'gemengd bos': m.plot_kind_bos,
	loofbos: m.plot_kind_bos,
	naaldbos: m.plot_kind_bos,
	houtwal: m.plot_kind_houtwal,
	heide: m.plot_kind_heide,
	struiken: m.plot_kind_struiken
};

const DETAILS: Record<string, () => string> = {
	heesters: m.plot_kind_heesters,
	'gras- en kruidachtigen': m.plot_kind_gras,
	planten: m.plot_kind_planten,
	bosplantsoen: m.plot_kind_bosplantsoen,
	bodembedekkers: m.plot_kind_bodembedekkers
};

const UNKNOWN = new Set(['waardeOnbekend', 'geenWaarde', '']);

export function plotKindLabel(kind: string, detail?: string | null): string {
	const main = KINDS[kind]?.() ?? kind;
	if (!detail || UNKNOWN.has(detail)) return main;
	return `${main}, ${DETAILS[detail]?.() ?? detail}`;
}

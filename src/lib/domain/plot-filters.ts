import { z } from 'zod';
import { PLOT_STATES } from './plot-state';

/**
 * The filters a resident sets on the list and the map, as they live in the URL. One schema,
 * so a link copied from the list opens the map with the same plots and the other way round.
 *
 * A URL is typed by people and shared in chats: a value that makes no sense is dropped (the
 * filter is off) rather than answered with an error page. Only defaults are left out of a
 * URL, so the same filters always give the same link.
 */

export const PLOT_SORTS = ['neighbourhood', 'number', 'area_desc', 'area_asc'] as const;
export type PlotSort = (typeof PLOT_SORTS)[number];
export const DEFAULT_PLOT_SORT: PlotSort = 'neighbourhood';

/** Largest page number a URL may ask for; pages past the end are clamped by the list itself. */
const MAX_PAGE = 1_000_000;
/** Longer searches are typos or abuse; 100 characters hold any street and neighbourhood name. */
export const MAX_QUERY_LENGTH = 100;
/** No plot of public green is larger than this (m²); it bounds the size filter's inputs. */
const MAX_AREA_M2 = 10_000_000;

/** Blank form fields arrive as "" (a GET form sends every field): that means "no filter". */
const blankToUndefined = (value: unknown) =>
	typeof value === 'string' && value.trim() === '' ? undefined : value;

const optional = <T extends z.ZodType>(schema: T) =>
	z.preprocess(blankToUndefined, schema.optional()).catch(undefined);

const area = optional(z.coerce.number().min(0).max(MAX_AREA_M2));

export const plotFiltersSchema = z
	.object({
		/** Neighbourhood id. */
		neighbourhood: optional(z.coerce.number().int().positive().max(2_147_483_647)),
		state: optional(z.enum(PLOT_STATES)),
		/** The source's broad kind (BGT fysiekVoorkomen), e.g. "groenvoorziening". */
		kind: optional(z.string().trim().min(1).max(100)),
		/** Size range in m², both ends included. */
		min_m2: area,
		max_m2: area,
		sort: z.preprocess(blankToUndefined, z.enum(PLOT_SORTS).default(DEFAULT_PLOT_SORT)).catch(DEFAULT_PLOT_SORT),
		page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(MAX_PAGE).default(1)).catch(1),
		/** Free text: a neighbourhood or place name, or a plot reference ("Perk 12", "12", a BGT id). */
		q: optional(
			z
				.string()
				.trim()
				.min(1)
				.transform((s) => s.replace(/\s+/g, ' ').slice(0, MAX_QUERY_LENGTH))
		)
	})
	// Someone who types "from 50 to 10" means between 10 and 50.
	.transform((f) =>
		f.min_m2 !== undefined && f.max_m2 !== undefined && f.min_m2 > f.max_m2
			? { ...f, min_m2: f.max_m2, max_m2: f.min_m2 }
			: f
	);

export type PlotFilters = z.output<typeof plotFiltersSchema>;

/** The URL parameters the filters use, in the order they appear in a link. */
export const PLOT_FILTER_PARAMS = ['q', 'neighbourhood', 'state', 'kind', 'min_m2', 'max_m2', 'sort', 'page'] as const;

export const DEFAULT_PLOT_FILTERS: PlotFilters = plotFiltersSchema.parse({});

/** Reads the filters from a URL's query; unknown parameters are ignored. */
export function parsePlotFilters(params: URLSearchParams): PlotFilters {
	const raw: Record<string, string> = {};
	for (const name of PLOT_FILTER_PARAMS) {
		const value = params.get(name);
		if (value !== null) raw[name] = value;
	}
	return plotFiltersSchema.parse(raw);
}

/**
 * The query string for some filters, without the leading "?" and without defaults.
 * `changes` overrides single fields, e.g. `{ page: 2 }` for the next page; changing
 * anything but the page starts again at page 1, since the old page number means nothing then.
 */
export function plotFiltersQuery(filters: PlotFilters, changes: Partial<PlotFilters> = {}): string {
	const next: PlotFilters = { ...filters, ...changes };
	if (!('page' in changes) && Object.keys(changes).length > 0) next.page = 1;
	const params = new URLSearchParams();
	for (const name of PLOT_FILTER_PARAMS) {
		const value = next[name];
		if (value === undefined || value === DEFAULT_PLOT_FILTERS[name]) continue;
		params.set(name, String(value));
	}
	return params.toString();
}

/**
 * The filters the map applies: all but the free text search (the list's), sort and page.
 * The plot tiles take them as a query string (/tiles/plots/{z}/{x}/{y}.mvt?kind=…).
 */
export const MAP_FILTER_PARAMS = ['neighbourhood', 'state', 'kind', 'min_m2', 'max_m2'] as const;
export type MapPlotFilters = Pick<PlotFilters, (typeof MAP_FILTER_PARAMS)[number]>;

export const NO_MAP_FILTERS: MapPlotFilters = {
	neighbourhood: undefined,
	state: undefined,
	kind: undefined,
	min_m2: undefined,
	max_m2: undefined
};

/** Only the fields the map uses, so a change of page or sort in the list redraws nothing. */
export function mapPlotFilters(f: MapPlotFilters): MapPlotFilters {
	return { neighbourhood: f.neighbourhood, state: f.state, kind: f.kind, min_m2: f.min_m2, max_m2: f.max_m2 };
}

/**
 * The map filters as a query string, the same for equal filters (fixed order, no defaults, one
 * spelling per number), so equal filters share tile URLs, cache entries and ETags.
 */
export function mapPlotFiltersQuery(f: MapPlotFilters): string {
	// Picked field by field: a full PlotFilters passed here must not bring its search along.
	const { neighbourhood, state, kind, min_m2, max_m2 } = f;
	return plotFiltersQuery({ ...DEFAULT_PLOT_FILTERS, neighbourhood, state, kind, min_m2, max_m2 });
}

/** Whether any filter narrows the plots (sort and page do not). */
export function hasPlotFilters(filters: PlotFilters): boolean {
	return (
		filters.q !== undefined ||
		filters.neighbourhood !== undefined ||
		filters.state !== undefined ||
		filters.kind !== undefined ||
		filters.min_m2 !== undefined ||
		filters.max_m2 !== undefined
	);
}

/**
 * A search that names one plot by its number: "12", "#12", "Perk 12" or "plot 12".
 * Returns the number, or null when the text is not such a reference.
 */
export function plotNumberFromQuery(q: string): number | null {
	const match = /^(?:perk|plot|#)?\s*(\d{1,9})$/i.exec(q.trim());
	return match ? Number(match[1]) : null;
}

/**
 * The search field's example, taken from the data so it always finds something: the buurt
 * with the most plots (ties by name) and a plot number that exists. Null without plots.
 */
export function findExample(
	neighbourhoods: readonly { name: string; plotCount: number }[],
	examplePlotId: number | null
): { neighbourhood: string; plotId: number } | null {
	if (examplePlotId === null || neighbourhoods.length === 0) return null;
	const busiest = [...neighbourhoods].sort((a, b) => b.plotCount - a.plotCount || a.name.localeCompare(b.name, 'nl'))[0];
	return { neighbourhood: busiest.name, plotId: examplePlotId };
}

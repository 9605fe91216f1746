import { getConfig, type Config } from '#server/config';

/**
 * The basemap under the plots: a MapLibre style URL in PERKJE_BASEMAP_STYLE_URL, or none
 * (checked with the rest of the configuration: not an http(s) URL stops the start).
 *
 * For a Dutch municipality the natural choice is PDOK's BRT-Achtergrondkaart (Kadaster, open
 * data, CC BY 4.0) as vector tiles:
 *   https://api.pdok.nl/kadaster/brt-achtergrondkaart/ogc/v1/styles/standaard__webmercatorquad?f=mapbox
 * Its style, tiles, sprites and glyphs all come from https://api.pdok.nl, which the
 * Content-Security-Policy then allows (security-headers.ts adds this URL's origin).
 *
 * Unset (the default, and on machines without internet) the map draws plots and neighbourhood
 * outlines on a plain background; the map also falls back to that when the style cannot be
 * fetched, so a basemap outage never takes the map down.
 */
export const PDOK_BRT_STYLE_URL =
	'https://api.pdok.nl/kadaster/brt-achtergrondkaart/ogc/v1/styles/standaard__webmercatorquad?f=mapbox';

/** The basemap's origin, for the Content-Security-Policy (connect-src, img-src). */
export function basemapOrigin(map: Config['map'] = getConfig().map): string | null {
	return map.basemapStyleUrl ? new URL(map.basemapStyleUrl).origin : null;
}

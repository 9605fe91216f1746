import type { ParamMatcher } from '@sveltejs/kit';

/** The two answer formats of Open311 GeoReport v2: services.json, services.xml. */
export const match = ((param: string): param is 'json' | 'xml' => param === 'json' || param === 'xml') satisfies ParamMatcher;

import { getPublicMunicipality } from '$lib/server/startup';
import type { LayoutServerLoad } from './$types';

export const load = (() => ({ municipality: getPublicMunicipality() })) satisfies LayoutServerLoad;

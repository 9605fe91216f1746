import type { Handle } from '@sveltejs/kit';

// STUB — owned by the UI helper: Paraglide's server middleware.
export const handleI18n: Handle = ({ event, resolve }) => resolve(event);

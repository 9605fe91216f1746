import type { Handle } from '@sveltejs/kit';

// STUB — owned by the auth helper: session from the HttpOnly cookie into locals.
export const handleSession: Handle = ({ event, resolve }) => resolve(event);

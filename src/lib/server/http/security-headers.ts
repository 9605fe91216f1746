import type { Handle } from '@sveltejs/kit';

// STUB — owned by the auth helper: CSP, frame-ancestors, nosniff, Referrer-Policy, HSTS.
export const handleSecurityHeaders: Handle = ({ event, resolve }) => resolve(event);

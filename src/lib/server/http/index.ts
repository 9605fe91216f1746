/**
 * What every request passes through (the hooks in src/hooks.server.ts): the request log,
 * security headers, the language, the origin check and the input clean-up; the compression
 * of responses by `npm start`'s server (./compression.ts); and the form helpers routes share
 * (./forms.ts).
 */
export * from './request-log';
export * from './security-headers';
export * from './i18n';
export * from './origin';
export * from './input';
export * from './compression';

export * from './forms';

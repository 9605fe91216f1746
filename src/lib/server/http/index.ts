/**
 * What every request passes through (the hooks in src/hooks.server.ts): the request log,
 * security headers, the language, the origin check and the input clean-up; and the form
 * helpers routes share (./forms.ts). Compressing responses is `npm start`'s server's business
 * (#server/compression), kept apart so that server loads no message catalogue.
 */
export * from './request-log';
export * from './security-headers';
export * from './i18n';
export * from './origin';
export * from './input';
export * from './etag';

export * from './forms';

/** The one logger (pino): JSON lines, never a mail text or a secret. */
export * from './logger';

/**
 * The two servers the browser tests run against (playwright.config.ts starts both):
 * one with the demo data, one that stays empty, each on a fresh database of its own.
 * PERKJE_E2E_PORT moves both (the second takes the next port), e.g. to run beside another
 * checkout; the project's e2e range is 4200–4299.
 */
const base = Number(process.env.PERKJE_E2E_PORT ?? 4210);

export const DEMO_PORT = base;
export const EMPTY_PORT = base + 1;
export const DEMO_URL = `http://127.0.0.1:${DEMO_PORT}`;
export const EMPTY_URL = `http://127.0.0.1:${EMPTY_PORT}`;

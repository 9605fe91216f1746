/**
 * The care log: adopters log work on their plot (./log.ts: log, change and delete one's own
 * entry, each change kept as a revision), and everyone sees a plot's care (./public-care.ts).
 * How a refusal becomes a form message: ./http.ts.
 */
export * from './log';
export * from './public-care';
export * from './http';

/**
 * The care log: adopters log work on their plot (./log.ts: log, change and delete one's own
 * entry, each change kept as a revision), and everyone sees a plot's care (./public-care.ts).
 * How a refusal becomes a form message: ./http.ts. The manager's side: the map of care
 * (./care-map.ts), the contributions table and its downloads (./contributions.ts), and hiding
 * or showing what someone posted (./moderation.ts). In demo mode the demo resident's own plot
 * with some care, to try it all at once (./demo.ts).
 */
export * from './log';
export * from './public-care';
export * from './http';
export * from './care-map';
export * from './contributions';
export * from './moderation';
export * from './demo';

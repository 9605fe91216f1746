/**
 * The care log. The manager's side: the map of care (./care-map.ts), the contributions table
 * and its downloads (./contributions.ts), and hiding or showing what someone posted
 * (./moderation.ts).
 */
export * from './care-map';
export * from './contributions';
export * from './moderation';

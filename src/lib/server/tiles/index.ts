/**
 * Vector tiles: the tilesets and their layers (./layers.ts), rendering in PostGIS or in
 * JavaScript (./render.ts), the cached tile service (./service.ts, ./cache.ts) and the HTTP
 * contract of the tile routes (./http.ts). What a plot's state is comes from plots/.
 */
export * from './layers';
export * from './render';
export * from './service';
export * from './cache';
export * from './http';

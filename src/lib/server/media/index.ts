/**
 * Photos: checking an upload and making its variants without metadata (./ingest.ts, what a
 * file is from its bytes in ./sniff.ts), attaching, hiding and the sweep of photos never
 * attached (./photos.ts), and the HTTP side of POST /api/photos and GET /media/<hash>
 * (./http.ts).
 */
export * from './ingest';
export * from './photos';
export * from './http';
export { sniff, type Sniffed } from './sniff';

/**
 * `npm start`'s entry, plain JavaScript so that Node runs it without a loader.
 *
 * The launcher (./start.ts) is TypeScript and runs through tsx, but only it and what it
 * imports: tsx's loader sees every module loaded after it, and the built app's two hundred
 * chunks through it keep about 150 MB in the process for good (an idle server's RSS 316 MB
 * against 163 MB this way, and 100 MB for `node build`). So the launcher loads the built app
 * with the plain import below, outside tsx's namespace.
 */
import { tsImport } from 'tsx/esm/api';

globalThis[Symbol.for('perkje.importBuilt')] = (url) => import(url);
await tsImport('./start.ts', import.meta.url);

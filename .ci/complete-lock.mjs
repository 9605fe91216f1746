// npm install on this machine cannot record other platforms' optional builds that the registry
// mirror lacks (e.g. @lix-js/sdk-darwin-arm64, from Paraglide), and npm ci then refuses the lock.
// This adds stub entries for them; npm skips them by their os/cpu, so nothing is fetched.
// Idempotent. Run after every npm install that touches the lock: node .ci/complete-lock.mjs
import fs from 'node:fs';
const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pk = lock.packages;
let added = [];
for (const [key, p] of Object.entries(pk)) {
  for (const [name, ver] of Object.entries(p.optionalDependencies ?? {})) {
    const base = key.includes('node_modules/') ? key.slice(0, key.lastIndexOf('node_modules/')) : '';
    const candidates = [`${key}/node_modules/${name}`, `${base}node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((c) => pk[c])) continue;
    const m = name.match(/(darwin|linux|win32|freebsd|android|openbsd|sunos|aix|netbsd)-(arm64|x64|ia32|arm|riscv64|ppc64|s390x|loong64|wasm32)/);
    if (!m) { console.error('cannot place', name); continue; }
    pk[`node_modules/${name}`] = { version: ver.replace(/^[\^~]/, ''), cpu: [m[2]], dev: p.dev || undefined, optional: true, os: [m[1]] };
    added.push(name);
  }
}
// In npm's own order (it sorts with localeCompare in 'en'), so the next npm install on a
// fresh clone rewrites nothing and the checkout stays clean.
lock.packages = Object.fromEntries(
  Object.entries(pk).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en')))
);
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);

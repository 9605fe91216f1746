import { describe, expect, it } from 'vitest';
import { checkOrigin } from './origin';

const APP = 'http://localhost:3000';

function event(method: string, headers: Record<string, string> = {}, app = APP) {
	return { request: new Request(`${app}/aanmelden`, { method, headers }), url: new URL(`${app}/aanmelden`) };
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('checkOrigin', () => {
	it('lets a form of the app itself through, and every read', () => {
		expect(checkOrigin(event('POST', { ...form, origin: APP, 'sec-fetch-site': 'same-origin' }))).toEqual({ ok: true });
		expect(checkOrigin(event('GET', { 'sec-fetch-site': 'cross-site' }))).toEqual({ ok: true });
	});

	it('refuses a write from another site, also on JSON endpoints', () => {
		expect(checkOrigin(event('POST', { ...form, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })))
			.toMatchObject({ ok: false, reason: 'cross-site' });
		expect(checkOrigin(event('DELETE', { origin: 'https://evil.example' }))).toMatchObject({ reason: 'cross-site' });
		expect(checkOrigin(event('PUT', { 'sec-fetch-site': 'same-site' }))).toMatchObject({ reason: 'cross-site' });
		// Our own origin, but framed by another site.
		expect(checkOrigin(event('POST', { ...form, origin: APP, 'sec-fetch-site': 'cross-site' })))
			.toMatchObject({ reason: 'cross-site' });
	});

	it('refuses a form post without Origin, as SvelteKit does, but lets other non-browser writes through', () => {
		expect(checkOrigin(event('POST', form))).toMatchObject({ ok: false, reason: 'cross-site' });
		expect(checkOrigin(event('POST', { 'content-type': 'application/json' }))).toEqual({ ok: true });
	});

	it('lets Open311 clients post their forms without Origin: that endpoint takes an API key, never a session', () => {
		const open311 = (headers: Record<string, string>) => ({
			request: new Request(`${APP}/open311/v2/requests.json`, { method: 'POST', headers }),
			url: new URL(`${APP}/open311/v2/requests.json`)
		});
		expect(checkOrigin(open311(form))).toEqual({ ok: true });
		expect(checkOrigin(open311({ ...form, origin: 'https://meldapp.example', 'sec-fetch-site': 'cross-site' }))).toEqual({ ok: true });
		// Only under /open311/: a look-alike path elsewhere is checked as before.
		const elsewhere = { request: new Request(`${APP}/aanmelden/open311/`, { method: 'POST', headers: form }), url: new URL(`${APP}/aanmelden/open311/`) };
		expect(checkOrigin(elsewhere)).toMatchObject({ ok: false, reason: 'cross-site' });
	});

	it('tells a wrong ORIGIN apart from an attack: the browser calls the page its own', () => {
		const verdict = checkOrigin(
			event('POST', { ...form, origin: APP, 'sec-fetch-site': 'same-origin' }, 'https://perkje.example.nl')
		);
		expect(verdict).toEqual({
			ok: false,
			reason: 'misconfigured',
			from: APP,
			expected: 'https://perkje.example.nl'
		});
	});
});

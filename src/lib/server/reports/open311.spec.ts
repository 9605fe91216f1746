import { describe, expect, it } from 'vitest';
import { Open311Error, open311ErrorResponse, open311Response, parseRequestsFilter } from './open311';

/**
 * Open311's two formats from one value, and the GET filters. The round trip over real HTTP is
 * tests/integration/open311.spec.ts; here what it cannot easily reach: text that XML must escape
 * or cannot hold, and each filter's refusal.
 */
describe('Open311 answers', () => {
	it('writes XML with GeoReport v2’s element names, escaping markup and dropping what XML cannot hold', async () => {
		const response = open311Response('xml', 'service_requests', [
			{ service_request_id: '7', status_notes: 'Bank <kapot> & "weg"\u0007', media_url: null, keywords: ['a', 'b'] }
		]);
		expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
		expect(await response.text()).toBe(
			'<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request><service_request_id>7</service_request_id>' +
				'<status_notes>Bank &lt;kapot&gt; &amp; &quot;weg&quot;</status_notes><media_url/>' +
				'<keywords><keyword>a</keyword><keyword>b</keyword></keywords></request></service_requests>'
		);
	});

	it('answers errors as a list of code and description, with the status and Retry-After', async () => {
		const json = open311ErrorResponse('json', new Open311Error(429, 'Te veel verzoeken.', 30));
		expect(json.status).toBe(429);
		expect(json.headers.get('retry-after')).toBe('30');
		expect(await json.json()).toEqual([{ code: 429, description: 'Te veel verzoeken.' }]);
		const xml = open311ErrorResponse('xml', new Open311Error(404, 'Onbekend'));
		expect(await xml.text()).toContain('<errors><error><code>404</code><description>Onbekend</description></error></errors>');
	});

	it('reads the GET filters, and names the field that is wrong', () => {
		const url = (q: string) => new URL(`http://localhost/open311/v2/requests.json?${q}`);
		expect(parseRequestsFilter(url('service_request_id=3,4&service_code=onkruid,boom&status=open&start_date=2026-01-01T00:00:00Z'))).toEqual({
			ids: [3, 4],
			codes: ['onkruid', 'boom'],
			start: new Date('2026-01-01T00:00:00Z'),
			end: null,
			statuses: ['open']
		});
		expect(parseRequestsFilter(url(''))).toEqual({ ids: null, codes: null, start: null, end: null, statuses: null });
		for (const [q, field] of [
			['status=half', 'status'],
			['service_request_id=0', 'service_request_id'],
			['service_request_id=1.5', 'service_request_id'],
			['start_date=morgen', 'start_date'],
			['end_date=2026-13-45', 'end_date']
		]) {
			expect(() => parseRequestsFilter(url(q)), q).toThrow(new RegExp(field));
		}
	});
});

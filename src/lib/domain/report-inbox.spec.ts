import { describe, expect, it } from 'vitest';
import { inboxQuery, parseInboxFilter } from './report-inbox';

describe('the report inbox filter', () => {
	it('reads the Dutch words of the URL and writes them back, defaults left out', () => {
		const f = parseInboxFilter(new URLSearchParams('status=done&categorie=4&buurt=7&ouder=3&termijn=over&volgorde=oudst&pagina=2'));
		expect(f).toMatchObject({ state: 'done', category: 4, neighbourhood: 7, olderThanDays: 3, overdueOnly: true, sort: 'oldest', page: 2 });
		expect(inboxQuery(f)).toBe('status=done&categorie=4&buurt=7&ouder=3&termijn=over&volgorde=oudst&pagina=2');
		expect(inboxQuery(parseInboxFilter(new URLSearchParams()))).toBe('');
	});

	it('falls back to no filter on nonsense instead of refusing the page', () => {
		const f = parseInboxFilter(new URLSearchParams('status=<script>&categorie=-1&buurt=x&ouder=0&volgorde=kapot&pagina=abc'));
		expect(f).toMatchObject({ state: 'open', category: undefined, neighbourhood: undefined, olderThanDays: undefined, overdueOnly: false, sort: 'overdue', page: 1 });
	});
});

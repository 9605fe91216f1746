import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '#lib/paraglide/runtime.js';
import type { PlotDetail } from '#lib/domain/plot-detail.js';
import PlotDetails from './PlotDetails.svelte';
import type { PublicTimelineEntry } from '#lib/domain/adoption.js';
import type { AdoptLinks } from './types';

/**
 * What the plot page and the map's panel say in the cases the demo data has none of
 * (retired, maintained by others, several adopters). Rendered as the server renders it.
 */
const plot: PlotDetail = {
	id: 12,
	sourceId: 'G0503.abc',
	kind: 'groenvoorziening',
	kindDetail: 'heesters',
	areaM2: 1234.4,
	state: 'available',
	retired: false,
	retiredOn: null,
	notAdoptableReason: null,
	maintainedElsewhere: false,
	neighbourhood: { id: 3, name: 'Wippolder', districtName: 'Delft-Oost' },
	center: [4.37, 52.0],
	bounds: [4.369, 51.999, 4.371, 52.001],
	outline: { path: 'M 0 0 L 10 0 10 10 Z', viewBox: '-0.5 -0.5 11 11', widthM: 10, heightM: 9.5 },
	size: { lengthM: 10, widthM: 9.5, strip: false },
	adopters: 0
};
const visitor: AdoptLinks = {
	signedIn: false,
	signInHref: '/aanmelden?redirectTo=%2Fplots%2F12%2Fadopteren',
	signUpHref: '/registreren',
	adoptHref: '/plots/12/adopteren',
	myPlotsHref: '/mijn-perken',
	mine: null
};

function text(props: { plot: PlotDetail; adopt?: AdoptLinks; headingLevel?: 1 | 2 | 3; timeline?: PublicTimelineEntry[] }) {
	// Without Svelte's hydration markers, which sit between tags and text.
	const html = render(PlotDetails, { props: { adopt: visitor, ...props } }).body.replace(/<!--.*?-->/g, '');
	return { html, text: html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') };
}

describe('the plot details', () => {
	it('tell the facts and invite a visitor to make an account', () => {
		overwriteGetLocale(() => 'nl');
		const { html, text: t } = text({ plot });
		expect(html).toMatch(/<h1[^>]*>Perk 12<\/h1>/);
		expect(t).toContain('Groenvoorziening, heesters · Wippolder, wijk Delft-Oost');
		expect(t).toContain('Oppervlakte 1.234 m²');
		expect(t).toContain('Status Te adopteren');
		expect(t).toContain('Adopteer dit perk');
		expect(html).toContain('href="/registreren"');
		expect(html).toContain('href="/aanmelden?redirectTo=%2Fplots%2F12%2Fadopteren"');
		// There is no care log yet, so the page claims no count of care.
		expect(t).not.toContain('gelogd');
		expect(t).toContain('Ongeveer 10 meter lang en 9,5 meter breed');
	});

	it('fit into another page with lower headings (the map panel)', () => {
		const { html } = text({ plot, headingLevel: 3 });
		expect(html).toMatch(/<h3[^>]*>Perk 12<\/h3>/);
		expect(html).toMatch(/<h4[^>]*>Adopteer dit perk<\/h4>/);
		expect(html).not.toContain('<h1');
	});

	it('lead a signed-in resident to the adoption form', () => {
		const { html } = text({ plot, adopt: { ...visitor, signedIn: true } });
		expect(html).toMatch(/<a[^>]*href="\/plots\/12\/adopteren"[^>]*>\s*Adopteer dit perk/);
		expect(html).not.toContain('href="/registreren"');
	});

	it('tell a resident where their own request stands, instead of the form', () => {
		const mine = { id: 5, status: 'requested' as const, queuePosition: 2, teamName: null };
		const { html, text: t } = text({ plot: { ...plot, state: 'requested' }, adopt: { ...visitor, signedIn: true, mine } });
		expect(t).toContain('U staat op plek 2 in de rij');
		expect(html).toContain('href="/mijn-perken"');
		expect(html).not.toContain('/adopteren');
	});

	it('show the public history without names, or with a chosen display name', () => {
		const at = new Date('2025-05-01T10:00:00Z');
		const { text: t } = text({
			plot,
			timeline: [
				{ at, from: 'requested', to: 'active', displayName: 'Tuinfee', teamKind: null },
				{ at, from: null, to: 'requested', displayName: null, teamKind: 'street' },
				{ at, from: null, to: 'requested', displayName: null, teamKind: null }
			]
		});
		expect(t).toContain('Tuinfee adopteert dit perk.');
		expect(t).toContain('Een groep (Straat) vroeg dit perk aan.');
		expect(t).toContain('Een buurtbewoner vroeg dit perk aan.');
	});

	it('explain why a plot cannot be adopted, without an invitation', () => {
		const managed = text({ plot: { ...plot, state: 'not_adoptable', notAdoptableReason: 'Verkeersveiligheid' } });
		expect(managed.text).toContain('De gemeente onderhoudt dit perk zelf');
		expect(managed.text).toContain('Reden: Verkeersveiligheid');
		expect(managed.html).not.toContain('href="/registreren"');
		const elsewhere = text({ plot: { ...plot, state: 'not_adoptable', maintainedElsewhere: true } });
		expect(elsewhere.text).toContain('maar door een andere organisatie');
		expect(elsewhere.text).not.toContain('Reden:');
	});

	it('say a retired plot is gone, and since when, with no call to action', () => {
		const { text: t } = text({ plot: { ...plot, state: 'not_adoptable', retired: true, retiredOn: '2024-03-01' } });
		expect(t).toContain('Dit perk bestaat niet meer');
		expect(t).toContain('sinds 1 maart 2024');
		expect(t).not.toContain('Adopteer dit perk');
	});

	it('show how many adopt a plot as a count, never who', () => {
		const { text: t } = text({ plot: { ...plot, state: 'adopted', adopters: 2 } });
		expect(t).toContain('Adoptanten 2');
		expect(text({ plot }).text).not.toContain('Adoptanten');
	});

	it('speak English', () => {
		overwriteGetLocale(() => 'en');
		const { text: t } = text({ plot: { ...plot, state: 'requested' } });
		expect(t).toContain('Plot 12');
		expect(t).toContain('Area 1,234 m²');
		expect(t).toContain('State Requested');
		expect(t).toContain('Someone has already asked to adopt this plot.');
		overwriteGetLocale(() => 'nl');
	});
});

import { getLocale } from '#lib/paraglide/runtime.js';

/** Square metres in the reader's locale: "1.234" in Dutch, "1,234" in English; decimals only for tiny plots. */
export function formatArea(m2: number): string {
	return new Intl.NumberFormat(getLocale(), { maximumFractionDigits: m2 < 10 ? 1 : 0 }).format(m2);
}

export function formatCount(n: number): string {
	return new Intl.NumberFormat(getLocale()).format(n);
}

/** A calendar date (yyyy-mm-dd) in words: "1 maart 2024", "1 March 2024". */
export function formatDate(isoDate: string): string {
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'long', timeZone: 'UTC' }).format(
		new Date(`${isoDate}T00:00:00Z`)
	);
}

/** A moment in words with its time: "1 mrt 2024, 14:05", "1 Mar 2024, 14:05" (Dutch time). */
export function formatDateTime(at: Date): string {
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(at);
}

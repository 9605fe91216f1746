import type { z } from 'zod';

/** Reading any form on the server: plain values, field errors, record ids. */

/** Form data as a plain object of strings (checkboxes and repeated names: the last one). */
export function formValues(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of data) if (typeof value === 'string') out[key] = value;
	return out;
}

/** zod issues as { field: first message }, for `fail(400, { ...values, errors })`. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = String(issue.path[0] ?? 'form');
		out[key] ??= issue.message;
	}
	return out;
}

/** A positive integer id from a form field, or null. */
export function idField(value: FormDataEntryValue | null): number | null {
	const n = Number(value);
	return Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647 ? n : null;
}

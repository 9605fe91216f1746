import { z } from 'zod';

/** Reading any form on the server: plain values, field errors, record ids. */

/** Form data as a plain object of strings (checkboxes and repeated names: the last one). */
export function formValues(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of data) if (typeof value === 'string') out[key] = value;
	return out;
}

/** The named fields of a form as strings, '' where one is missing: the values a form keeps. */
export function formFields<K extends string>(data: FormData, names: readonly K[]): Record<K, string> {
	return Object.fromEntries(names.map((name) => [name, String(data.get(name) ?? '')])) as Record<K, string>;
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

/**
 * A name people see on pages (display name, team name): trimmed, `min` to `max` long and
 * without angle brackets, so it never reads as markup; every refusal says `message`.
 */
export function nameField(message: () => string, { min = 0, max }: { min?: number; max: number }) {
	const error = () => message();
	return z.string().trim().min(min, { error }).max(max, { error }).regex(/^[^<>]*$/, { error });
}

/**
 * CSV for downloads people open in a spreadsheet (RFC 4180: comma-separated, CRLF, a field
 * quoted when it holds a quote, comma, semicolon or line break, quotes doubled).
 *
 * Text that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab or
 * carriage return that some programs skip first) gets a leading apostrophe, so a team called
 * "=HYPERLINK(...)" is shown as text instead of run (OWASP, "CSV Injection"). Numbers are
 * written as numbers and never guarded: a count is not text someone typed.
 */
export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\r\n]/;

export function csvField(value: CsvCell): string {
	if (value === null) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	const text = FORMULA_START.test(value) ? `'${value}` : value;
	return NEEDS_QUOTES.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to a CSV document, with a byte order mark so spreadsheet programs read it as UTF-8. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
	return '\uFEFF' + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

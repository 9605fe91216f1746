/** Tidy plain-text tables for benchmark output (readable in a terminal and in a note). */

export interface Column {
	header: string;
	/** Default: the first column (labels) left, the others (figures) right. */
	align?: 'left' | 'right';
}

export type Cell = string | number | null | undefined;

export function formatTable(columns: (Column | string)[], rows: Cell[][]): string {
	const cols = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
	const text = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '–' : String(cell))));
	const widths = cols.map((c, i) => Math.max(c.header.length, ...text.map((r) => (r[i] ?? '').length)));
	const alignOf = (i: number) => cols[i].align ?? (i === 0 ? 'left' : 'right');
	const pad = (s: string, i: number) => (alignOf(i) === 'right' ? s.padStart(widths[i]) : s.padEnd(widths[i]));
	const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, i)).join(' | ')} |`;
	const rule = `|${widths.map((w, i) => (alignOf(i) === 'right' ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
	return [line(cols.map((c) => c.header)), rule, ...text.map(line)].join('\n');
}

export function printTable(title: string, columns: (Column | string)[], rows: Cell[][]): void {
	console.log(`\n${title}\n\n${formatTable(columns, rows)}\n`);
}

/** 100000 → "100,000" */
export function int(n: number): string {
	return Math.round(n).toLocaleString('en');
}

/** Milliseconds as seconds with one decimal (or two below 10 s). */
export function seconds(ms: number): string {
	const s = ms / 1000;
	return s < 10 ? s.toFixed(2) : s.toFixed(1);
}

export function ms(value: number): string {
	return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

/** Items per second. */
export function rate(count: number, ms: number): string {
	return int((count * 1000) / ms);
}

export function ratio(value: number, base: number): string {
	return `${(value / base).toFixed(2)}×`;
}

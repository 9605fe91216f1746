import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv';

describe('CSV for spreadsheets', () => {
	it('quotes what needs quoting and doubles quotes', () => {
		expect(csvField('Wippolder')).toBe('Wippolder');
		expect(csvField('Groen, en blij')).toBe('"Groen, en blij"');
		expect(csvField('De "Tuiniers"')).toBe('"De ""Tuiniers"""');
		expect(csvField('twee\nregels')).toBe('"twee\nregels"');
		expect(csvField('a;b')).toBe('"a;b"');
		expect(csvField(' spatie ')).toBe('" spatie "');
		expect(csvField(null)).toBe('');
	});

	it('writes text that a spreadsheet would run as a formula as text', () => {
		for (const start of ['=', '+', '-', '@', '\t', '\r']) {
			expect(csvField(`${start}HYPERLINK("http://kwaad.example")`).startsWith(`"'${start}`) || csvField(`${start}1+1`) === `'${start}1+1`).toBe(true);
		}
		expect(csvField('=1+1')).toBe("'=1+1");
		expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
		// Numbers are numbers, also negative ones: not text someone typed.
		expect(csvField(-1.5)).toBe('-1.5');
		expect(csvField(12)).toBe('12');
	});

	it('makes a document with a byte order mark and CRLF lines', () => {
		expect(toCsv([['a', 1], ['b,c', 2]])).toBe('\uFEFFa,1\r\n"b,c",2\r\n');
	});
});

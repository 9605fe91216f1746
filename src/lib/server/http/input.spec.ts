import { describe, expect, it } from 'vitest';
import { cleanText, isClean } from './input';

describe('cleanText', () => {
	it('drops NUL and other control characters, keeps tabs and line breaks', () => {
		expect(cleanText('a\u0000b')).toBe('ab');
		expect(cleanText('Groep\u0007 \u001b[31mrood\u009b')).toBe('Groep [31mrood');
		expect(cleanText('regel 1\r\nregel 2\tkolom')).toBe('regel 1\r\nregel 2\tkolom');
	});

	it('drops lone surrogates and keeps real emoji, right-to-left and accented text', () => {
		expect(cleanText('x\uD800y\uDC00z')).toBe('xyz');
		expect(cleanText('🌷 Tulpen')).toBe('🌷 Tulpen');
		expect(cleanText('مرحبا Perk · Ça va · Beëindigen')).toBe('مرحبا Perk · Ça va · Beëindigen');
	});

	it('knows clean text from dirty', () => {
		expect(isClean('/plots/12')).toBe(true);
		expect(isClean('/groepen/uitnodiging/a\u0000b')).toBe(false);
		expect(isClean('\uDC00')).toBe(false);
	});
});

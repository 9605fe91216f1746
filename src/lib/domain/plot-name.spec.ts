import { describe, expect, it } from 'vitest';
import { parseLegacyPlotLabel, plotName } from './plot-name';

describe('plotName', () => {
	it('names a plot the same way in every place, in the reader language', () => {
		expect(plotName(25, { locale: 'nl' })).toBe('Perk 25');
		expect(plotName(25, { locale: 'en' })).toBe('Plot 25');
		expect(plotName(40, { locale: 'nl', neighbourhood: 'Centrum-Zuidoost' })).toBe('Perk 40 (Centrum-Zuidoost)');
		expect(plotName(40, { locale: 'en', neighbourhood: 'In de Veste' })).toBe('Plot 40 (In de Veste)');
	});

	it('never shows a hash or an empty buurt', () => {
		expect(plotName(7, { locale: 'nl', neighbourhood: '  ' })).toBe('Perk 7');
		expect(plotName(7, { locale: 'nl', neighbourhood: null })).not.toContain('#');
	});

	it('reads labels of notifications stored in the old form', () => {
		expect(parseLegacyPlotLabel('#40 (Centrum-Zuidoost)')).toEqual({ id: 40, neighbourhood: 'Centrum-Zuidoost' });
		expect(parseLegacyPlotLabel('#12')).toEqual({ id: 12, neighbourhood: null });
		expect(parseLegacyPlotLabel('een perk')).toBeNull();
	});
});

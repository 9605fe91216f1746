import { describe, expect, it } from 'vitest';
import { oneLine, startupFailureMessage } from '.';

describe('start-up failures', () => {
	it('are one line, whatever the error held', () => {
		expect(oneLine('Invalid configuration:\n  PORT: must be a number\n\n  HOST: bad\n')).toBe('Invalid configuration: PORT: must be a number; HOST: bad');
		expect(startupFailureMessage(new Error('no database\nat all'))).toBe('Perkje cannot start: no database at all');
		expect(startupFailureMessage('plain')).toBe('Perkje cannot start: plain');
	});
});

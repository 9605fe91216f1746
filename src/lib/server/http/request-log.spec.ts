import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { errorForLog } from './request-log';

describe('errorForLog', () => {
	it('keeps the failed query and its cause but never the parameters a visitor typed', () => {
		const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
		const error = new DrizzleQueryError('select * from teams where name = $1', ['geheim@voorbeeld.nl'], cause);
		const logged = JSON.stringify(errorForLog(error));
		expect(logged).toContain('select * from teams where name = $1');
		expect(logged).toContain('22021');
		expect(logged).not.toContain('geheim@voorbeeld.nl');
	});
});

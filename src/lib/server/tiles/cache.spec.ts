import { describe, expect, it } from 'vitest';
import { ByteLru } from './cache';

describe('ByteLru', () => {
	const sized = () => new ByteLru<string>(10, (v) => v.length);

	it('forgets the least recently used entries when over its byte budget', () => {
		const lru = sized();
		lru.set('a', 'xxxx');
		lru.set('b', 'xxxx');
		expect(lru.get('a')).toBe('xxxx'); // a is now the most recently used
		lru.set('c', 'xxxx');
		expect(lru.get('b')).toBeUndefined();
		expect(lru.get('a')).toBe('xxxx');
		expect(lru.get('c')).toBe('xxxx');
		expect(lru.bytes).toBe(8);
	});

	it('never holds a value larger than the whole budget, and replaces by key', () => {
		const lru = sized();
		lru.set('big', 'x'.repeat(11));
		expect(lru.size).toBe(0);
		lru.set('k', 'xx');
		lru.set('k', 'xxx');
		expect(lru.bytes).toBe(3);
		lru.clear();
		expect([lru.size, lru.bytes]).toEqual([0, 0]);
	});
});

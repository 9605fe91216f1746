import { parseArgs } from 'node:util';
import type { z } from 'zod';

/**
 * A benchmark's options: every `--kebab-case` option is a string, read into the schema under
 * its camelCase name (`--embedded-plots` → `embeddedPlots`); `flags` are options without a
 * value (true when given). A bad value ends the run with one line naming the option.
 */
export function benchArgs<T extends z.ZodType>(bench: string, schema: T, names: string[], flags: string[] = []): z.output<T> {
	const { values } = parseArgs({
		options: Object.fromEntries([
			...names.map((n) => [n, { type: 'string' as const }]),
			...flags.map((n) => [n, { type: 'boolean' as const }])
		]),
		strict: true
	});
	const camel = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), v]));
	const parsed = schema.safeParse(camel);
	if (!parsed.success) {
		console.error(`${bench}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
		process.exit(1);
	}
	return parsed.data;
}

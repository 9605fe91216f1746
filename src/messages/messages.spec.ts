import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import nl from './nl.json';
import * as m from '#lib/paraglide/messages.js';
import { authMail, teamInviteMail, type AuthMailKind } from '#server/mail';
import { NOTIFICATION_KINDS, notificationMail } from '#server/notifications';

type Locale = 'nl' | 'en';
const CATALOGUES: Record<Locale, Record<string, unknown>> = { nl, en };
const keysOf = (catalogue: Record<string, unknown>) => Object.keys(catalogue).filter((key) => key !== '$schema');

/** Perkje addresses people as "u": never je, jij, jou, jouw or jullie (as whole words). */
const INFORMAL = /(?<![\p{L}-])(je|jij|jou|jouw|jullie|jezelf)(?![\p{L}-])/iu;

/** Every text of a message: a plain string, or each variant of a plural. */
function textsOf(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) {
		return value.flatMap((v) => Object.values((v as { match?: Record<string, string> }).match ?? {}));
	}
	return [];
}

interface Shape {
	texts: string[];
	/** What the caller passes: declared inputs and placeholders that are no local. */
	inputs: string[];
	/** Inputs a plural selector is built from (`local xPlural = x: plural`, used as a selector). */
	plurals: string[];
	/** A placeholder name → the input it shows (itself, or the input a `local … = x: number` formats). */
	shows: Map<string, string>;
}

function shapeOf(value: unknown): Shape {
	const texts = textsOf(value);
	const declared = new Set<string>();
	const locals = new Map<string, { input: string; fn: string }>();
	const selectors = new Set<string>();
	for (const variant of Array.isArray(value) ? (value as { declarations?: string[]; selectors?: string[] }[]) : []) {
		for (const line of variant.declarations ?? []) {
			const input = /^input (\w+)$/.exec(line);
			const local = /^local (\w+) = (\w+): (\w+)/.exec(line);
			if (input) declared.add(input[1]);
			if (local) locals.set(local[1], { input: local[2], fn: local[3] });
		}
		for (const s of variant.selectors ?? []) selectors.add(s);
	}
	const placeholders = new Set(texts.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((p) => p[1])));
	const inputs = new Set([...declared, ...[...placeholders].filter((p) => !locals.has(p))]);
	const plurals = [...selectors].flatMap((s) => (locals.get(s)?.fn === 'plural' ? [locals.get(s)!.input] : []));
	const shows = new Map([...placeholders].map((p) => [p, locals.get(p)?.input ?? p]));
	return { texts, inputs: [...inputs].sort(), plurals, shows };
}

/**
 * Inputs a person reads as a number of things. Their noun must agree with the number
 * ("1 perk", "2 perken"; "1 minute"), so such a message selects a plural in both languages,
 * unless the number only stands after a label ("Ongelezen: 3", "Wachtend: 1"), which reads
 * right for any number. Not here: positions in a queue and page numbers ("nummer 2",
 * "Pagina 2 van 3") and measures Dutch does not inflect ("1 meter").
 */
const COUNT_INPUTS = new Set(['count', 'n', 'total', 'days', 'weeks', 'hours', 'minutes', 'max', 'updated', 'kept', 'approved', 'refused']);

/** Placeholders of a count that do not stand after a label: those need a plural. */
function countsNeedingPlural(key: string, value: unknown): string[] {
	const shape = shapeOf(value);
	const wrong = new Set<string>();
	for (const text of shape.texts) {
		for (const p of text.matchAll(/\{(\w+)\}/g)) {
			const input = shape.shows.get(p[1]) ?? p[1];
			if (!COUNT_INPUTS.has(input) || shape.plurals.includes(input)) continue;
			const before = text.slice(0, p.index);
			const after = text.slice(p.index + p[0].length);
			const afterLabel = /:\s$/.test(before) && /^([.;,)]|$)/.test(after);
			if (!afterLabel) wrong.add(`${key}: {${p[1]}} in "${text}"`);
		}
	}
	return [...wrong];
}

/** Calls a compiled message with an input set to `n` and every other input to a stand-in. */
function say(key: string, input: string, n: number, locale: Locale): string {
	const inputs = Object.fromEntries(shapeOf(CATALOGUES.nl[key]).inputs.map((i) => [i, i === input ? n : `<${i}>`]));
	const message = (m as unknown as Record<string, (i: object, o: object) => string>)[key];
	return message(inputs, { locale });
}

describe('the catalogue', () => {
	it('has every message in Dutch and in English, with the same inputs', () => {
		expect(keysOf(en)).toEqual(keysOf(nl));
		const differing = keysOf(nl).filter(
			(key) => JSON.stringify(shapeOf(nl[key as keyof typeof nl]).inputs) !== JSON.stringify(shapeOf(en[key as keyof typeof en]).inputs)
		);
		expect(differing).toEqual([]);
		const empty = (['nl', 'en'] as const).flatMap((l) =>
			keysOf(CATALOGUES[l]).filter((key) => textsOf(CATALOGUES[l][key]).some((t) => !t.trim())).map((key) => `${l}: ${key}`)
		);
		expect(empty).toEqual([]);
	});

	it('counts things with a plural wherever a noun goes with the number, in both languages', () => {
		const wrong = (['nl', 'en'] as const).flatMap((l) =>
			keysOf(CATALOGUES[l]).flatMap((key) => countsNeedingPlural(key, CATALOGUES[l][key]).map((w) => `${l} ${w}`))
		);
		expect(wrong).toEqual([]);
	});

	it('has a variant for one and for more in every plural, which say different things', () => {
		const problems: string[] = [];
		for (const key of keysOf(nl)) {
			const plurals = new Set([...shapeOf(nl[key as keyof typeof nl]).plurals, ...shapeOf(en[key as keyof typeof en]).plurals]);
			for (const input of plurals) {
				const same = (['nl', 'en'] as const).map((locale) => {
					const [one, more] = [1, 2].map((n) => say(key, input, n, locale));
					// Without a variant for the number, the compiled message returns its key.
					if (one === key || more === key) problems.push(`${locale} ${key}: no variant for ${one === key ? 1 : 2} ${input}`);
					return one.replace(/\b1\b/g, '#') === more.replace(/\b2\b/g, '#');
				});
				if (same.every(Boolean)) problems.push(`${key}: the same words for 1 and 2 ${input}`);
			}
		}
		expect(problems).toEqual([]);
	});

	it('the checks themselves catch a count without a plural, and let a label with a number pass', () => {
		expect(countsNeedingPlural('x', '{count} perken gevonden.')).toHaveLength(1);
		expect(countsNeedingPlural('x', 'Probeer het over {minutes} minuten opnieuw.')).toHaveLength(1);
		expect(countsNeedingPlural('x', 'Aangepast: {updated} perken.')).toHaveLength(1);
		expect(countsNeedingPlural('x', 'Ongelezen: {count}')).toEqual([]);
		expect(countsNeedingPlural('x', 'Goedgekeurd: {approved}. Niet gelukt: {refused}.')).toEqual([]);
		expect(countsNeedingPlural('x', 'Pagina {page} van {pages}')).toEqual([]);
		expect(countsNeedingPlural('x', nl.team_members_count)).toEqual([]);
		expect(shapeOf(nl.list_results).shows.get('countText')).toBe('count');
	});
});

describe('the Dutch texts', () => {
	it('address people as "u" in every message of the catalogue', () => {
		const informal = Object.entries(nl)
			.filter(([key]) => key !== '$schema')
			.flatMap(([key, value]) => textsOf(value).filter((t) => INFORMAL.test(t)).map((t) => `${key}: ${t}`));
		expect(informal).toEqual([]);
	});

	it('address people as "u" in every mail and notification', () => {
		const payload = { plotId: 12, neighbourhood: 'Wippolder', message: 'Hier komt een fietspad.', weeks: 9 };
		const mails = [
			...NOTIFICATION_KINDS.map((kind) => notificationMail(kind, payload, 'nl', 'https://perkje.example.nl')),
			...(['auth_verify', 'auth_reset', 'auth_magic_link', 'auth_staff_invite'] as AuthMailKind[]).map((kind) =>
				authMail(kind, 'nl', 'https://perkje.example.nl/link')
			),
			teamInviteMail('Geveltuin Oude Delft', 'https://perkje.example.nl/groepen/uitnodiging/x', 14, 'nl')
		];
		const informal = mails.flatMap((mail) => [mail.subject, mail.text].filter((t) => INFORMAL.test(t)));
		expect(informal).toEqual([]);
	});

	it('the check itself catches informal words but not words that contain them', () => {
		expect(INFORMAL.test('Kies welke mails je krijgt')).toBe(true);
		expect(INFORMAL.test('Jouw perk')).toBe(true);
		expect(INFORMAL.test('Jeugdgroep, Bijenhotel, Stijn')).toBe(false);
	});
});

describe('plurals', () => {
	it('count members and weeks with the right word in both languages (compiled by Paraglide)', () => {
		expect(m.team_members_count({ count: 1 }, { locale: 'nl' })).toBe('1 lid');
		expect(m.team_members_count({ count: 2 }, { locale: 'nl' })).toBe('2 leden');
		expect(m.team_members_count({ count: 1 }, { locale: 'en' })).toBe('1 member');
		expect(m.team_members_count({ count: 2 }, { locale: 'en' })).toBe('2 members');
		expect(m.manage_stale_last({ date: '1-1-2026', weeks: 1 }, { locale: 'nl' })).toBe('laatste teken van leven 1-1-2026 (1 week)');
		expect(m.manage_stale_last({ date: '1-1-2026', weeks: 2 }, { locale: 'nl' })).toBe('laatste teken van leven 1-1-2026 (2 weken)');
		expect(m.manage_stale_last({ date: '2026-01-01', weeks: 1 }, { locale: 'en' })).toBe('last sign of life 2026-01-01 (1 week)');
		expect(m.manage_stale_last({ date: '2026-01-01', weeks: 2 }, { locale: 'en' })).toBe('last sign of life 2026-01-01 (2 weeks)');
	});

	it('take the number itself and write it in the reader’s way: 1000 plots are many, not one', () => {
		// A number formatted before the plural ("1.000") would read as 1 and pick "perk".
		expect(m.list_results({ count: 1 }, { locale: 'nl' })).toBe('1 perk gevonden.');
		expect(m.list_results({ count: 1000 }, { locale: 'nl' })).toBe('1.000 perken gevonden.');
		expect(m.list_results({ count: 1000 }, { locale: 'en' })).toBe('1,000 plots found.');
		expect(m.overview_plots_caption({ from: 1, to: 1, total: 1 }, { locale: 'nl' })).toBe('Perk 1 van 1');
		expect(m.overview_plots_caption({ from: 1026, to: 1050, total: 1200 }, { locale: 'nl' })).toBe('Perken 1.026 tot en met 1.050 van 1.200');
	});

	it('say one request, one place and one minute in the singular', () => {
		expect(m.manage_inbox_count({ from: 1, to: 1, total: 1 }, { locale: 'nl' })).toBe('1 aanvraag');
		expect(m.manage_inbox_count({ from: 1, to: 50, total: 400 }, { locale: 'nl' })).toBe('1–50 van 400 aanvragen');
		expect(m.manage_bulk_approve_page({ count: 1 }, { locale: 'nl' })).toBe('De aanvraag op deze pagina goedkeuren');
		expect(m.manage_places({ holding: 0, max: 1 }, { locale: 'en' })).toBe('0 of 1 place taken');
		expect(m.auth_error_rate_limited({ minutes: 1 }, { locale: 'nl' })).toBe('Te veel pogingen. Probeer het over 1 minuut opnieuw.');
		expect(m.plot_outline_size({ length: '12', width: '1' }, { locale: 'en' })).toBe('About 12 metres long and 1 metre wide');
	});
});

const SRC = fileURLToPath(new URL('..', import.meta.url));
function sourceFiles(dir: string, ending: string): string[] {
	return readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith(ending) && !f.endsWith('.spec.ts'))
		.map((f) => join(SRC, dir, f))
		.filter((f) => !f.includes(join('lib', 'paraglide')));
}

/** Attributes people read (or hear): their text must come from the catalogue. */
const READ_ATTRIBUTES = /^(aria-label|aria-description|aria-roledescription|aria-valuetext|title|alt|placeholder|label|.*(Label|Text|Title))$/;
const WORDS = /\p{L}{2,}/u;

interface SvelteNode {
	type: string;
	name?: string;
	data?: string;
	start: number;
	value?: unknown;
	[key: string]: unknown;
}

/** Words written straight into the markup of a page or component, instead of m.… calls. */
function hardCodedText(source: string, name: string): string[] {
	const found: string[] = [];
	const where = (node: SvelteNode) => `${name}:${source.slice(0, node.start).split('\n').length}`;
	const walk = (node: unknown, inAttribute: boolean): void => {
		if (Array.isArray(node)) return node.forEach((child) => walk(child, inAttribute));
		if (!node || typeof node !== 'object') return;
		const n = node as SvelteNode;
		if (n.type === 'Text' && !inAttribute && WORDS.test((n.data ?? '').replace(/&[#\w]+;/g, ''))) {
			found.push(`${where(n)} ${JSON.stringify(n.data!.trim())}`);
		}
		if (n.type === 'Attribute' && Array.isArray(n.value) && READ_ATTRIBUTES.test(n.name ?? '')) {
			for (const part of n.value as SvelteNode[]) {
				if (part.type === 'Text' && WORDS.test(part.data ?? '')) found.push(`${where(part)} ${n.name}="${part.data}"`);
			}
		}
		const attributeLike = /Attribute|Directive/.test(n.type);
		for (const [key, child] of Object.entries(n)) {
			if (key !== 'metadata' && child && typeof child === 'object') walk(child, inAttribute || attributeLike);
		}
	};
	walk(parse(source, { modern: true }).fragment, false);
	return found;
}

describe('pages and components', () => {
	it('take every text people read from the catalogue, never from the markup', () => {
		const files = [...sourceFiles('lib', '.svelte'), ...sourceFiles('routes', '.svelte')];
		expect(files.length).toBeGreaterThan(30);
		expect(files.flatMap((file) => hardCodedText(readFileSync(file, 'utf8'), relative(SRC, file)))).toEqual([]);
	});

	it('refuse and fail with catalogue texts, never with a string written in the code', () => {
		// error(404, 'Not found'), error(403, { message: 'Forbidden' }), fail(400, { error: '…' }):
		// each can end up on a page or in a form's message.
		const literal = /\b(error|fail)\(\s*\d{3}\s*,\s*(\{[^}]*\b(message|error)\s*:\s*)?['"`]/g;
		const files = [...sourceFiles('routes', '.ts'), ...sourceFiles(join('lib', 'server'), '.ts')];
		const found = files.flatMap((file) => {
			const source = readFileSync(file, 'utf8');
			return [...source.matchAll(literal)].map((hit) => `${relative(SRC, file)}:${source.slice(0, hit.index).split('\n').length}`);
		});
		expect(found).toEqual([]);
	});

	it('the markup check itself finds words, labels and titles written in place', () => {
		const check = (markup: string) => hardCodedText(`<script lang="ts">let { x } = $props();</script>\n${markup}`, 'check');
		expect(check('<p>Geen perken</p>')).toHaveLength(1);
		expect(check('<button aria-label="Sluiten">×</button>')).toHaveLength(1);
		expect(check('<Field label="E-mailadres" />')).toHaveLength(1);
		expect(check('<PlotPanel closeLabel="Sluiten" />')).toHaveLength(1);
		expect(check('<p class="nl-paragraph" style:fill="var(--x)" data-testid="count">{x} · {x}</p>')).toEqual([]);
	});
});

import { describe, expect, it } from 'vitest';
import {
	ACTIVITY_TASKS,
	allowedDoneOn,
	careAgeClass,
	checkDoneOn,
	contributedMinutes,
	localDay,
	seasonStart,
	tasksForPlotKind,
	withinEditWindow
} from './activity';

/** The care log's rules, without a database. Times are chosen around Amsterdam's midnight. */
const at = (iso: string) => new Date(iso);

describe('tasks per plot kind', () => {
	it('mowing on grass, not planting or pruning', () => {
		expect(tasksForPlotKind('groenvoorziening', 'gras- en kruidachtigen')).toEqual(['weeding', 'watering', 'mowing', 'litter', 'other']);
		expect(tasksForPlotKind('grasland overig', null)).toContain('mowing');
	});

	it('pruning and planting among shrubs, no mowing', () => {
		const shrubs = tasksForPlotKind('groenvoorziening', 'heesters');
		expect(shrubs).toEqual(expect.arrayContaining(['pruning', 'planting']));
		expect(shrubs).not.toContain('mowing');
		expect(tasksForPlotKind('houtwal', null)).toContain('pruning');
	});

	it('ground cover is planted, never mown', () => {
		const cover = tasksForPlotKind('groenvoorziening', 'bodembedekkers');
		expect(cover).toContain('planting');
		expect(cover).not.toContain('mowing');
	});

	it('an unknown kind, or a bare groenvoorziening, gets the whole list', () => {
		expect(tasksForPlotKind(null, null)).toEqual([...ACTIVITY_TASKS]);
		expect(tasksForPlotKind('groenvoorziening', null)).toEqual([...ACTIVITY_TASKS]);
		expect(tasksForPlotKind('heide', null)).toEqual([...ACTIVITY_TASKS]);
	});

	it('weeding, watering, litter and other fit every plot', () => {
		for (const [kind, detail] of [['groenvoorziening', 'planten'], ['naaldbos', null], ['grasland agrarisch', null]] as const) {
			expect(tasksForPlotKind(kind, detail)).toEqual(expect.arrayContaining(['weeding', 'watering', 'litter', 'other']));
		}
	});
});

describe('dates', () => {
	it('a calendar day in Amsterdam, not in UTC', () => {
		// 23:30 UTC on 31 March is already 1 April in Amsterdam (summer time).
		expect(localDay(at('2026-03-31T23:30:00Z'))).toBe('2026-04-01');
		expect(localDay(at('2026-01-01T22:59:00Z'))).toBe('2026-01-01');
	});

	it('allows today back to fourteen days, never before the adoption began', () => {
		const now = at('2026-06-20T10:00:00Z');
		expect(allowedDoneOn(now, null)).toEqual({ min: '2026-06-06', max: '2026-06-20' });
		expect(allowedDoneOn(now, at('2026-06-10T08:00:00Z'))).toEqual({ min: '2026-06-10', max: '2026-06-20' });
		expect(allowedDoneOn(now, at('2025-01-01T08:00:00Z'))).toEqual({ min: '2026-06-06', max: '2026-06-20' });
	});

	it('checkDoneOn refuses the future, fifteen days back and before the adoption', () => {
		const now = at('2026-06-20T10:00:00Z');
		expect(checkDoneOn('2026-06-20', now, null)).toEqual({ ok: true });
		expect(checkDoneOn('2026-06-06', now, null)).toEqual({ ok: true });
		expect(checkDoneOn('2026-06-21', now, null)).toEqual({ ok: false, reason: 'future' });
		expect(checkDoneOn('2026-06-05', now, null)).toEqual({ ok: false, reason: 'too-old' });
		expect(checkDoneOn('2026-06-09', now, at('2026-06-10T08:00:00Z'))).toEqual({ ok: false, reason: 'before-adoption' });
		expect(checkDoneOn('2026-06-10', now, at('2026-06-10T08:00:00Z'))).toEqual({ ok: true });
	});

	it('checkDoneOn and allowedDoneOn agree on every day around the window', () => {
		const now = at('2026-03-29T00:30:00Z'); // the night the clocks go forward
		const started = at('2026-03-20T12:00:00Z');
		const { min, max } = allowedDoneOn(now, started);
		for (let d = 1; d <= 31; d++) {
			const day = `2026-03-${String(d).padStart(2, '0')}`;
			expect(checkDoneOn(day, now, started).ok, day).toBe(day >= min && day <= max);
		}
	});

	it('the edit window is fourteen days from writing', () => {
		const created = at('2026-06-01T10:00:00Z');
		expect(withinEditWindow(created, at('2026-06-15T10:00:00Z'))).toBe(true);
		expect(withinEditWindow(created, at('2026-06-15T10:00:01Z'))).toBe(false);
	});

	it('the season is the calendar year in Amsterdam', () => {
		expect(seasonStart(at('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
		expect(seasonStart(at('2026-06-01T10:00:00Z'))).toBe('2026-01-01');
	});
});

describe('figures', () => {
	it('hours count every person', () => {
		expect(contributedMinutes(90, 3)).toBe(270);
	});

	it('care age classes from this week to never', () => {
		const now = at('2026-06-20T10:00:00Z');
		expect(careAgeClass(null, now)).toBe('never');
		expect(careAgeClass('2026-06-20', now)).toBe('week');
		expect(careAgeClass('2026-06-14', now)).toBe('week');
		expect(careAgeClass('2026-06-13', now)).toBe('month');
		expect(careAgeClass('2026-05-22', now)).toBe('month');
		expect(careAgeClass('2026-05-21', now)).toBe('quarter');
		expect(careAgeClass('2026-03-22', now)).toBe('quarter');
		expect(careAgeClass('2026-03-21', now)).toBe('older');
	});
});

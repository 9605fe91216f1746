import { beforeAll, describe, expect, it } from 'vitest';
import { contributedMinutes } from '#lib/domain/activity.js';
import { parseContributionsFilter } from '#lib/domain/care-manage.js';
import { getDb } from '#server/db';
import { adoptedPlot, careAdopter, careTeam, logCare } from '#tests/integration/care-fixtures.js';
import { addNeighbourhood, square } from '#tests/integration/plots-fixtures.js';
import { contributionsCsv, listContributions } from './contributions';

/**
 * The contributions table on the real database: entries, hours (minutes × people), plots and m²
 * per neighbourhood and per group/adopter; deleted entries and other periods left out; a plot
 * counted once per row; and the CSV with the same figures, its personal data marked.
 */
const NOW = new Date('2026-06-15T10:00:00Z');
const year = (query = '') => parseContributionsFilter(new URLSearchParams(query), NOW);

let west: number;
let annaId: string;

beforeAll(async () => {
	const db = getDb();
	west = await addNeighbourhood(db, 'BU-west', 'West', square(4.3, 51.95, 0.2));
	annaId = await careAdopter(db, { displayName: 'Anna', email: 'anna@voorbeeld.nl' });
	const bram = await careAdopter(db, { email: 'bram@voorbeeld.nl' });
	const team = await careTeam(db, '=Groen+Doen', bram);
	const a = await adoptedPlot(db, { userId: annaId, neighbourhoodId: west, areaM2: 100 });
	const b = await adoptedPlot(db, { userId: bram, teamId: team, neighbourhoodId: west, areaM2: 50 });
	const c = await adoptedPlot(db, { userId: annaId, areaM2: 10 });
	// Anna on plot a twice (30 min alone, 60 min with 2 people) and once on c; the team on b.
	await logCare(db, { ...a, authorUserId: annaId, doneOn: '2026-03-01', minutes: 30 });
	await logCare(db, { ...a, authorUserId: annaId, doneOn: '2026-05-01', minutes: 60, people: 2 });
	await logCare(db, { ...c, authorUserId: annaId, doneOn: '2026-05-02', minutes: 15 });
	await logCare(db, { ...b, teamId: team, authorUserId: bram, doneOn: '2026-04-01', minutes: 45, people: 3 });
	// Left out: a deleted entry, and one of last year.
	await logCare(db, { ...a, authorUserId: annaId, doneOn: '2026-05-03', minutes: 600, deleted: true });
	await logCare(db, { ...a, authorUserId: annaId, doneOn: '2025-12-31', minutes: 600 });
});

describe('contributions', () => {
	it('sums entries, hours, plots and m² per neighbourhood for this year by default', async () => {
		const result = await listContributions(getDb(), year());
		expect(result.filter).toMatchObject({ from: '2026-01-01', to: '2026-06-15' });
		const westMinutes = contributedMinutes(30, 1) + contributedMinutes(60, 2) + contributedMinutes(45, 3);
		expect(result.rows).toEqual([
			{ key: String(west), name: 'West', kind: 'neighbourhood', email: null, entries: 3, minutes: westMinutes, plots: 2, areaM2: 150 },
			{ key: null, name: null, kind: 'neighbourhood', email: null, entries: 1, minutes: 15, plots: 1, areaM2: 10 }
		]);
		expect(result.total).toEqual({ entries: 4, minutes: westMinutes + 15, plots: 3, areaM2: 160 });
	});

	it('sums per group or adopter: an entry for a group counts for the group', async () => {
		const result = await listContributions(getDb(), year('weergave=adoptant'));
		expect(result.rows.map(({ key: _, ...r }) => r)).toEqual([
			{ name: 'Anna', kind: 'person', email: 'anna@voorbeeld.nl', entries: 3, minutes: 165, plots: 2, areaM2: 110 },
			{ name: '=Groen+Doen', kind: 'team', email: null, entries: 1, minutes: 135, plots: 1, areaM2: 50 }
		]);
	});

	it('takes the period asked for, inclusive of both days', async () => {
		const result = await listContributions(getDb(), year('van=2026-05-01&tot=2026-05-02'));
		expect(result.total).toMatchObject({ entries: 2, minutes: 135 });
		const lastYear = await listContributions(getDb(), year('van=2025-01-01&tot=2025-12-31'));
		expect(lastYear.total).toMatchObject({ entries: 1, minutes: 600 });
	});

	it('downloads as CSV with the same numbers, personal data marked, formulas defused', async () => {
		const perNeighbourhood = contributionsCsv(await listContributions(getDb(), year()), 'nl').split('\r\n');
		expect(perNeighbourhood[0]).toBe('\uFEFFBuurt,Registraties,Uren,Perken verzorgd,m² verzorgd');
		expect(perNeighbourhood[1]).toBe('West,3,4.8,2,150');
		expect(perNeighbourhood[3]).toBe('Totaal,4,5,3,160');
		expect(perNeighbourhood.join('\n')).not.toContain('@voorbeeld.nl');

		const perAdopter = contributionsCsv(await listContributions(getDb(), year('weergave=adoptant')), 'nl').split('\r\n');
		expect(perAdopter[0]).toBe('\uFEFFSoort,Naam (persoonsgegeven),E-mailadres (persoonsgegeven),Registraties,Uren,Perken verzorgd,m² verzorgd');
		expect(perAdopter[1]).toBe('Adoptant,Anna,anna@voorbeeld.nl,3,2.8,2,110');
		expect(perAdopter[2]).toBe("Groep,'=Groen+Doen,,1,2.3,1,50");
		expect(contributionsCsv(await listContributions(getDb(), year()), 'en').split('\r\n')[0]).toContain('Neighbourhood,Entries,Hours');
	});
});

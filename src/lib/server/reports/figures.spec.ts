import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#server/db';
import { addNeighbourhood, square } from '#tests/integration/plots-fixtures.js';
import { addDoneReportWithFeedback, addReport, partnerOrganisation } from '#tests/integration/report-fixtures.js';
import { answerFeedback } from './feedback';
import { reportFigures, shareSatisfied } from './figures';

/**
 * The figures over a period of their own (1990, which no other test uses): response and
 * resolution times as medians in hours, in time against the deadline, and the share satisfied.
 */

const LON = 6.6;
const LAT = 53.0;
const H = 3_600_000;
const START = new Date('1990-03-05T09:00:00Z'); // a Monday
const PERIOD = { from: new Date('1990-03-01T00:00:00Z'), to: new Date('1990-04-01T00:00:00Z') };
let hood: number;

beforeAll(async () => {
	const db = getDb();
	hood = await addNeighbourhood(db, 'BU-figures', 'Cijferbuurt', square(LON, LAT, 0.01));
	const partner = await partnerOrganisation(db, 'Cijferpartner');
	// Two done reports, resolved after 10 and 30 hours; one satisfied, one not.
	const a = await addDoneReportWithFeedback(db, { lon: LON + 0.001, lat: LAT + 0.001, createdAt: START, doneAt: new Date(START.getTime() + 10 * H), openUntil: new Date('2100-01-01') });
	const b = await addDoneReportWithFeedback(db, { lon: LON + 0.002, lat: LAT + 0.002, createdAt: START, doneAt: new Date(START.getTime() + 30 * H), openUntil: new Date('2100-01-01') });
	await answerFeedback(db, a.token, { satisfied: true, reasons: ['quick'], text: null }, new Date());
	await answerFeedback(db, b.token, { satisfied: false, reasons: ['too_slow'], text: null }, new Date());
	// One open report without a response, routed to a partner, in another category.
	const c = await addReport(db, { lon: LON + 0.003, lat: LAT + 0.003, createdAt: START, category: 'boom' });
	await db.execute(sql`UPDATE reports SET partner_organisation_id = ${partner} WHERE id = ${c}`);
	// The fixture responds at creation (in_progress at createdAt): move the first response on.
	await db.execute(sql`UPDATE reports SET first_response_at = ${new Date(START.getTime() + 2 * H)} WHERE id = ${a.reportId}`);
	await db.execute(sql`UPDATE reports SET first_response_at = ${new Date(START.getTime() + 200 * H)} WHERE id = ${b.reportId}`);
	// Made before the period: not counted.
	await addReport(db, { lon: LON + 0.004, lat: LAT + 0.004, createdAt: new Date('1990-02-20T09:00:00Z') });
});

describe('report figures', () => {
	it('counts per main category with medians, in time, and the share satisfied', async () => {
		const { rows, total } = await reportFigures(getDb(), 'category', PERIOD);
		expect(total).toMatchObject({ reports: 3, responded: 2, respondedInTime: 1, resolved: 2, medianResponseHours: 101, medianResolveHours: 20, feedback: 2, satisfied: 1 });
		expect(shareSatisfied(total)).toBe(0.5);
		expect(rows.map((r) => [r.nameNl, r.reports])).toEqual([['Afval', 2], ['Groen', 1]]);
		expect(shareSatisfied(rows[1])).toBeNull();
	});

	it('groups per partner (the own team as null) and per neighbourhood', async () => {
		const partners = await reportFigures(getDb(), 'partner', PERIOD);
		expect(partners.rows.map((r) => [r.nameNl, r.reports, r.resolved])).toEqual([[null, 2, 2], ['Cijferpartner', 1, 0]]);
		const hoods = await reportFigures(getDb(), 'neighbourhood', PERIOD);
		expect(hoods.rows.map((r) => [r.key, r.nameNl, r.reports])).toEqual([[hood, 'Cijferbuurt', 3]]);
	});
});

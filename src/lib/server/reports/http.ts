import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { REPORT_ANSWER_MAX_PHOTOS, REPORT_MERGE_MAX_CHILDREN, REPORT_NOTE_MAX, REPORT_STATES, type ReportState } from '#lib/domain/report.js';
import type { Actor } from '#lib/domain/policy.js';
import * as m from '#lib/paraglide/messages.js';
import type { Db } from '#server/db';
import { ingestPhoto, photoRefusalMessage } from '#server/media';
import { isReportError } from './core';
import { isReportWorkError } from './work';

/**
 * The staff forms of reporting at the boundary: what a work, reassign, bulk or merge form
 * sent, checked with zod, and a refusal from the room as the form's Dutch message. A refused
 * form keeps what was typed.
 */

const note = () =>
	z
		.string()
		.trim()
		.max(REPORT_NOTE_MAX, { error: () => m.report_staff_error_note_long({ max: REPORT_NOTE_MAX }) })
		.transform((s) => s || null);
const state = () => z.enum(REPORT_STATES, { error: () => m.report_staff_error_state() });
const id = () => z.coerce.number({ error: () => m.report_staff_error_number() }).int().positive().max(2_147_483_647);

export interface WorkFormValues {
	to: string;
	publicNote: string;
	internalNote: string;
}

const WorkSchema = z.object({
	to: z.union([z.literal(''), state()]).transform((s) => (s === '' ? null : (s as ReportState))),
	publicNote: note(),
	internalNote: note(),
	expectedState: state()
});

export type WorkForm =
	| { ok: true; to: ReportState | null; publicNote: string | null; internalNote: string | null; expectedState: ReportState; photoIds: number[]; values: WorkFormValues }
	| { ok: false; values: WorkFormValues; message: string };

/** The work form: a move and/or notes, and up to REPORT_ANSWER_MAX_PHOTOS photo files (taken in as the actor's). */
export async function readWorkForm(db: Db, actor: Actor, data: FormData): Promise<WorkForm> {
	const raw = {
		to: String(data.get('to') ?? ''),
		publicNote: String(data.get('publicNote') ?? ''),
		internalNote: String(data.get('internalNote') ?? ''),
		expectedState: String(data.get('expectedState') ?? '')
	};
	const values: WorkFormValues = { to: raw.to, publicNote: raw.publicNote, internalNote: raw.internalNote };
	const parsed = WorkSchema.safeParse(raw);
	if (!parsed.success) return { ok: false, values, message: parsed.error.issues[0]?.message ?? m.report_staff_error_state() };
	const files = data.getAll('photo').filter((f): f is File => f instanceof File && f.size > 0);
	if (files.length > REPORT_ANSWER_MAX_PHOTOS) {
		return { ok: false, values, message: m.report_staff_error_photo_count({ max: REPORT_ANSWER_MAX_PHOTOS }) };
	}
	if (!parsed.data.to && !parsed.data.publicNote && !parsed.data.internalNote && files.length === 0) {
		return { ok: false, values, message: m.report_staff_error_empty() };
	}
	const photoIds: number[] = [];
	for (const file of files) {
		const ingested = await ingestPhoto(db, { ownerUserId: actor.id, bytes: new Uint8Array(await file.arrayBuffer()) });
		if (!ingested.ok) return { ok: false, values, message: `${file.name}: ${photoRefusalMessage(ingested.reason)}` };
		photoIds.push(ingested.photo.id);
	}
	return { ok: true, ...parsed.data, photoIds, values };
}

const AssignSchema = z.object({
	// 'eigen' = the municipality's own team.
	partner: z.union([z.literal('eigen'), id()]),
	internalNote: note()
});

export function readAssignForm(data: FormData): { ok: true; partnerOrganisationId: number | null; internalNote: string | null } | { ok: false; message: string } {
	const parsed = AssignSchema.safeParse({ partner: String(data.get('partner') ?? ''), internalNote: String(data.get('internalNote') ?? '') });
	if (!parsed.success) return { ok: false, message: m.report_staff_error_partner() };
	return { ok: true, partnerOrganisationId: parsed.data.partner === 'eigen' ? null : parsed.data.partner, internalNote: parsed.data.internalNote };
}

/** Report numbers as a manager types them: "12, 15 18". */
export function readReportNumbers(text: string): number[] | null {
	const parts = text.split(/[\s,;]+/).filter(Boolean);
	if (parts.length === 0 || parts.length > 100 || parts.some((p) => !/^\d{1,9}$/.test(p))) return null;
	return [...new Set(parts.map(Number))];
}

export function readMergeForm(data: FormData): { ok: true; childIds: number[]; publicNote: string | null } | { ok: false; message: string; children: string } {
	const children = String(data.get('children') ?? '');
	const ids = readReportNumbers(children);
	if (!ids) return { ok: false, message: m.report_staff_error_numbers(), children };
	if (ids.length > REPORT_MERGE_MAX_CHILDREN) return { ok: false, message: m.report_staff_error_merge_too_many({ max: REPORT_MERGE_MAX_CHILDREN }), children };
	const publicNote = note().safeParse(String(data.get('publicNote') ?? ''));
	if (!publicNote.success) return { ok: false, message: publicNote.error.issues[0]!.message, children };
	return { ok: true, childIds: ids, publicNote: publicNote.data };
}

const BulkSchema = z.object({ to: state(), publicNote: note(), ids: z.array(id()).min(1, { error: () => m.report_staff_error_bulk_none() }).max(100) });

export function readBulkForm(data: FormData): { ok: true; to: ReportState; publicNote: string | null; ids: number[] } | { ok: false; message: string } {
	const parsed = BulkSchema.safeParse({
		to: String(data.get('to') ?? ''),
		publicNote: String(data.get('publicNote') ?? ''),
		ids: data.getAll('id').map(String)
	});
	if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? m.report_staff_error_state() };
	return { ok: true, ...parsed.data };
}

/** A refusal from the reports room as a form answer; anything else is a real error and goes on. */
export function workFailure(e: unknown, extra: Record<string, unknown> = {}) {
	if (isReportWorkError(e)) {
		const message = {
			forbidden: m.report_staff_error_forbidden,
			photos: () => m.report_staff_error_photo_count({ max: REPORT_ANSWER_MAX_PHOTOS }),
			empty: m.report_staff_error_empty,
			'merge-self': m.report_staff_error_merge_self,
			'merge-too-many': () => m.report_staff_error_merge_too_many({ max: REPORT_MERGE_MAX_CHILDREN }),
			'merge-closed': m.report_staff_error_merge_closed
		}[e.code]();
		return fail(e.code === 'forbidden' ? 403 : 400, { ...extra, message });
	}
	if (isReportError(e)) {
		const message =
			e.code === 'stale' ? m.report_staff_error_stale() : e.code === 'not-found' ? m.report_staff_error_not_found() : m.report_staff_error_bad_move();
		return fail(e.code === 'not-found' ? 404 : e.code === 'stale' ? 409 : 400, { ...extra, message });
	}
	throw e;
}

import { fail, redirect } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import * as m from '#lib/paraglide/messages.js';
import { getLocale, localizeHref } from '#lib/paraglide/runtime.js';
import { can } from '#lib/domain/policy.js';
import { REPORT_MAX_PHOTOS } from '#lib/domain/report.js';
import { SIGN_IN_PATH } from '#server/auth';
import { getConfig } from '#server/config';
import { getDb } from '#server/db';
import { fieldErrors } from '#server/http';
import { ingestPhoto, photoRefusalMessage } from '#server/media';
import { plotDetail } from '#server/plots';
import {
	limitReporting,
	listCategories,
	nearbyOpenReports,
	reportFormInput,
	reportFormSchema,
	reportPlaceSchema,
	reportRefusal,
	submitReport,
	supportReport,
	supportSchema
} from '#server/reports';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * Reporting a problem, in steps that work without JavaScript: where (a plot, a point from the
 * map or "near me", or a plot number typed in), what (the category), then — before the form —
 * the open reports of that category nearby ("Is dit dezelfde melding?"), each with
 * "Ik zie dit ook" instead of a new report.
 */

type Place = { plotId: number | null; lon: number; lat: number };

async function placeOf(url: URL): Promise<{ place: Place | null; error: string | null }> {
	const q = url.searchParams;
	if (!q.has('plot') && !q.has('lon') && !q.has('lat')) return { place: null, error: null };
	const parsed = reportPlaceSchema.safeParse(
		q.has('plot') ? { plot: q.get('plot') } : { lon: q.get('lon'), lat: q.get('lat') }
	);
	if (!parsed.success) return { place: null, error: q.has('plot') ? m.report_new_plot_unknown() : m.report_new_point_bad() };
	if ('plot' in parsed.data) {
		const plot = await plotDetail(getDb(), parsed.data.plot);
		if (!plot || plot.retired) return { place: null, error: m.report_new_plot_unknown() };
		return { place: { plotId: plot.id, lon: plot.center[0], lat: plot.center[1] }, error: null };
	}
	return { place: { plotId: null, ...parsed.data }, error: null };
}

export const load = (async ({ url, locals }) => {
	const db = getDb();
	const { place, error } = await placeOf(url);
	const categories = await listCategories(db);
	const en = getLocale() === 'en';
	const name = (c: { nameNl: string; nameEn: string }) => (en ? c.nameEn : c.nameNl);
	const tree = categories
		.filter((c) => c.parentId === null)
		.map((main) => ({
			name: name(main),
			children: categories.filter((c) => c.parentId === main.id).map((c) => ({ id: c.id, name: name(c) }))
		}))
		.filter((main) => main.children.length > 0);
	const wanted = Number(url.searchParams.get('categorie'));
	const chosen = categories.find((c) => c.id === wanted && c.parentId !== null) ?? null;
	const nearby =
		place && chosen
			? (await nearbyOpenReports(db, chosen.id, place.lon, place.lat)).map((r) => ({
					id: r.id,
					category: name(chosen),
					createdAt: r.createdAt.toISOString(),
					distanceM: Math.round(r.distanceM),
					supportCount: r.supportCount,
					href: localizeHref(`/meldingen/${r.id}`)
				}))
			: [];
	const signIn = `${localizeHref(SIGN_IN_PATH)}?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
	return {
		place,
		placeError: error,
		tree,
		category: chosen ? { id: chosen.id, name: name(chosen) } : null,
		nearby,
		signedIn: locals.actor !== null,
		mayReport: locals.actor === null || can(locals.actor, 'report.create'),
		signInHref: signIn,
		// One key per rendered form: a double tap makes one report.
		idempotencyKey: randomUUID(),
		maxPhotos: REPORT_MAX_PHOTOS
	};
}) satisfies PageServerLoad;

const originOf = (event: RequestEvent) => getConfig().auth.publicOrigin ?? event.url.origin;
const mailLocale = () => (getLocale() === 'en' ? 'en' : 'nl') as 'nl' | 'en';

function tooMany(retryAfterSeconds: number): string {
	return m.report_new_rate_limited({ minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) });
}

export const actions = {
	report: async (event) => {
		const db = getDb();
		const actor = event.locals.actor;
		const data = await event.request.formData();
		const raw = reportFormInput(data);
		const values = {
			description: String(raw.description ?? ''),
			email: String(raw.email ?? ''),
			contactAllowed: raw.contactAllowed === 'on'
		};
		const parsed = reportFormSchema(actor !== null).safeParse(raw);
		if (!parsed.success) return fail(400, { action: 'report', values, errors: fieldErrors(parsed.error) });
		const files = actor ? data.getAll('photo').filter((f): f is File => f instanceof File && f.size > 0) : [];
		if (files.length > REPORT_MAX_PHOTOS) {
			return fail(400, { action: 'report', values, errors: { photos: m.care_error_photo_count({ max: REPORT_MAX_PHOTOS }) } });
		}
		const limit = await limitReporting(db, { userId: actor?.id ?? null, email: parsed.data.email, ip: event.getClientAddress() });
		if (!limit.allowed) return fail(429, { action: 'report', values, errors: { form: tooMany(limit.retryAfterSeconds) } });
		const photoIds: number[] = [];
		if (actor) {
			for (const file of files) {
				const ingested = await ingestPhoto(db, { ownerUserId: actor.id, bytes: new Uint8Array(await file.arrayBuffer()) });
				if (!ingested.ok) {
					return fail(400, { action: 'report', values, errors: { photos: `${file.name}: ${photoRefusalMessage(ingested.reason)}` } });
				}
				photoIds.push(ingested.photo.id);
			}
		}
		let made;
		try {
			made = await submitReport(db, { ...parsed.data, actor, photoIds, origin: originOf(event), locale: mailLocale() });
		} catch (e) {
			const refusal = reportRefusal(e);
			if (!refusal) throw e;
			return fail(refusal.status, { action: 'report', values, errors: { [refusal.field]: refusal.message } });
		}
		if (!made.confirmed) return { action: 'report', checkMail: true };
		redirect(303, `${localizeHref(`/meldingen/${made.id}`)}?verstuurd=1`);
	},

	support: async (event) => {
		const db = getDb();
		const actor = event.locals.actor;
		const data = await event.request.formData();
		const parsed = supportSchema(actor !== null).safeParse({ reportId: data.get('reportId'), email: data.get('email') ?? undefined });
		if (!parsed.success) return fail(400, { action: 'support', errors: fieldErrors(parsed.error) });
		const limit = await limitReporting(db, { userId: actor?.id ?? null, email: parsed.data.email, ip: event.getClientAddress() });
		if (!limit.allowed) return fail(429, { action: 'support', errors: { form: tooMany(limit.retryAfterSeconds) } });
		let result;
		try {
			result = await supportReport(db, { reportId: parsed.data.reportId, actor, email: parsed.data.email, origin: originOf(event), locale: mailLocale() });
		} catch (e) {
			const refusal = reportRefusal(e);
			if (!refusal) throw e;
			return fail(refusal.status, { action: 'support', errors: { form: refusal.message } });
		}
		if (!result.counted) return { action: 'support', checkMail: true };
		redirect(303, `${localizeHref(`/meldingen/${parsed.data.reportId}`)}?steun=1`);
	}
} satisfies Actions;

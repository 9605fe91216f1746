/**
 * The authorization matrix: every protected route × every kind of visitor, and what they
 * must get. tests/integration/authorization-matrix.spec.ts walks it over real HTTP, and
 * fails when a route under a protected group ((resident), (manager), (admin), (platform),
 * (partner)) has no row here — so a NEW ROUTE ADDS ITS ROWS (GET, and POST per action).
 *
 * Outcomes: 200 (allowed; 204 for an allowed tile with nothing in it), 'sign-in' (303 to /aanmelden?redirectTo=...), 403, 404, or 400
 * for an allowed action that refuses the deliberately invalid form the row sends (so the
 * matrix can check actions without changing data); 401 for a JSON endpoint a script calls,
 * which answers a visitor instead of sending them to the sign-in page.
 */
export const WHO = [
	'anonymous',
	'resident',
	'otherResident',
	'manager',
	'platformOther',
	'partner',
	'admin'
] as const;
export type Who = (typeof WHO)[number];
export type Outcome = 200 | 204 | 400 | 401 | 403 | 404 | 'sign-in';

/** What rows can refer to: the people in the matrix, created before the walk. */
export interface MatrixFixtures {
	users: Record<Exclude<Who, 'anonymous'>, { id: string; email: string }>;
	/** The neighbourhood the platform account does NOT cover. */
	otherNeighbourhoodId: number | null;
}

export interface MatrixRow {
	/** The SvelteKit route id, as in src/routes (with groups), e.g. '/(manager)/beheer'. */
	route: string;
	method: 'GET' | 'POST';
	/** The URL to call (with the action, e.g. '/admin?/role'). */
	path: string | ((f: MatrixFixtures) => string);
	form?: Record<string, string>;
	expect: Record<Who, Outcome>;
}

const signedIn = (outcome: Outcome): Record<Who, Outcome> => ({
	anonymous: 'sign-in',
	resident: outcome,
	otherResident: outcome,
	manager: outcome,
	platformOther: outcome,
	partner: outcome,
	admin: outcome
});

const staffOnly = (allowed: Outcome, allowedFor: Who[]): Record<Who, Outcome> => ({
	anonymous: 'sign-in',
	resident: allowedFor.includes('resident') ? allowed : 403,
	otherResident: allowedFor.includes('otherResident') ? allowed : 403,
	manager: allowedFor.includes('manager') ? allowed : 403,
	platformOther: allowedFor.includes('platformOther') ? allowed : 403,
	partner: allowedFor.includes('partner') ? allowed : 403,
	admin: allowedFor.includes('admin') ? allowed : 403
});

const everyone = (outcome: Outcome): Record<Who, Outcome> =>
	Object.fromEntries(WHO.map((who) => [who, outcome])) as Record<Who, Outcome>;

export const MATRIX: MatrixRow[] = [
	// The demo mailbox shows sign-in links: outside demo mode (as here) it exists for no one.
	{ route: '/demo/post', method: 'GET', path: '/demo/post?aan=bewoner@voorbeeld.nl', expect: everyone(404) },

	// --- a resident's own account (everyone signed in has one) ---
	{ route: '/(resident)/account', method: 'GET', path: '/account', expect: signedIn(200) },
	{
		route: '/(resident)/account',
		method: 'POST',
		path: '/account?/profile',
		form: { displayName: 'x'.repeat(41), locale: 'nl' },
		expect: signedIn(400)
	},
	{ route: '/(resident)/account/gegevens', method: 'GET', path: '/account/gegevens', expect: signedIn(200) },
	{ route: '/(resident)/account/meldingen', method: 'GET', path: '/account/meldingen', expect: signedIn(200) },
	// Own data only, harmless to repeat: marking one's notifications read, choosing e-mails.
	{ route: '/(resident)/account/meldingen', method: 'POST', path: '/account/meldingen?/read', form: {}, expect: signedIn(200) },
	{
		route: '/(resident)/account',
		method: 'POST',
		path: '/account?/mailTopics',
		form: { topics: 'adoption_updates' },
		expect: signedIn(200)
	},
	{
		route: '/(resident)/account/verwijderen',
		method: 'GET',
		path: '/account/verwijderen',
		expect: signedIn(200)
	},
	{
		route: '/(resident)/account/verwijderen',
		method: 'POST',
		path: '/account/verwijderen',
		form: { confirmEmail: 'not-my-address@voorbeeld.nl' },
		expect: signedIn(400)
	},

	// --- adoptions and groups ---
	{ route: '/(resident)/mijn-perken', method: 'GET', path: '/mijn-perken', expect: signedIn(200) },
	...(['answer', 'cancel', 'confirm', 'decline', 'end'] as const).map(
		(action): MatrixRow => ({
			route: '/(resident)/mijn-perken',
			method: 'POST',
			path: `/mijn-perken?/${action}`,
			form: { adoptionId: 'geen' },
			expect: signedIn(400)
		})
	),
	{ route: '/(resident)/groepen', method: 'GET', path: '/groepen', expect: signedIn(200) },
	{
		route: '/(resident)/groepen',
		method: 'POST',
		path: '/groepen?/create',
		form: { name: 'x', kind: 'club' },
		expect: signedIn(400)
	},
	// Only members see a group: for everyone else it does not exist.
	{ route: '/(resident)/groepen/[id=id]', method: 'GET', path: '/groepen/999999', expect: signedIn(404) },
	...(['invite', 'link', 'leave'] as const).map(
		(action): MatrixRow => ({
			route: '/(resident)/groepen/[id=id]',
			method: 'POST',
			path: `/groepen/999999?/${action}`,
			form: { email: 'geen adres' },
			expect: signedIn(404)
		})
	),
	{
		route: '/(resident)/groepen/uitnodiging/[token]',
		method: 'GET',
		path: '/groepen/uitnodiging/bestaat-niet-bestaat-niet',
		expect: signedIn(404)
	},
	{
		route: '/(resident)/groepen/uitnodiging/[token]',
		method: 'POST',
		path: '/groepen/uitnodiging/bestaat-niet-bestaat-niet',
		expect: signedIn(404)
	},
	// The adoption form of a plot (not in a protected group, listed all the same). No plot
	// exists in the matrix's database: signed-in people get 404, visitors go to sign in.
	{ route: '/plots/[id=id]/adopteren', method: 'GET', path: '/plots/999999/adopteren', expect: signedIn(404) },
	{ route: '/plots/[id=id]/adopteren', method: 'POST', path: '/plots/999999/adopteren', expect: signedIn(404) },
	// The care log: signed in first; an unknown plot or entry is a 404, also for a post (the page
	// it would answer with does not exist). Who may log or change what: activities/log.spec.ts.
	{ route: '/plots/[id=id]/onderhoud', method: 'GET', path: '/plots/999999/onderhoud', expect: signedIn(404) },
	{ route: '/plots/[id=id]/onderhoud', method: 'POST', path: '/plots/999999/onderhoud', form: {}, expect: signedIn(404) },
	// Someone else's entry answers like no entry at all.
	{ route: '/plots/[id=id]/onderhoud/[activityId=id]', method: 'GET', path: '/plots/999999/onderhoud/999999', expect: signedIn(404) },
	{
		route: '/plots/[id=id]/onderhoud/[activityId=id]',
		method: 'POST',
		path: '/plots/999999/onderhoud/999999?/save',
		form: {},
		expect: signedIn(404)
	},
	{
		route: '/plots/[id=id]/onderhoud/[activityId=id]',
		method: 'POST',
		path: '/plots/999999/onderhoud/999999?/delete',
		form: {},
		expect: signedIn(404)
	},

	// --- manager area ---
	{ route: '/(manager)/beheer', method: 'GET', path: '/beheer', expect: staffOnly(200, ['manager', 'admin']) },
	...(['approve', 'reject', 'question', 'bulk'] as const).map(
		(action): MatrixRow => ({
			route: '/(manager)/beheer',
			method: 'POST',
			path: `/beheer?/${action}`,
			form: { adoptionId: 'geen' },
			expect: staffOnly(400, ['manager', 'admin'])
		})
	),
	{ route: '/(manager)/beheer/toewijzen', method: 'GET', path: '/beheer/toewijzen', expect: staffOnly(200, ['manager', 'admin']) },
	{
		route: '/(manager)/beheer/toewijzen',
		method: 'POST',
		path: '/beheer/toewijzen',
		form: { plotId: 'geen', email: '' },
		expect: staffOnly(400, ['manager', 'admin'])
	},
	{ route: '/(manager)/beheer/capaciteit', method: 'GET', path: '/beheer/capaciteit', expect: staffOnly(200, ['manager', 'admin']) },
	{
		route: '/(manager)/beheer/capaciteit',
		method: 'POST',
		path: '/beheer/capaciteit',
		form: { kind: 'gras', maxAdopters: '0' },
		expect: staffOnly(400, ['manager', 'admin'])
	},
	{ route: '/(manager)/beheer/stil', method: 'GET', path: '/beheer/stil?weken=4', expect: staffOnly(200, ['manager', 'admin']) },
	...(['nudge', 'end'] as const).map(
		(action): MatrixRow => ({
			route: '/(manager)/beheer/stil',
			method: 'POST',
			path: `/beheer/stil?/${action}`,
			form: { adoptionId: 'geen' },
			expect: staffOnly(400, ['manager', 'admin'])
		})
	),
	{ route: '/(manager)/beheer/onderhoud', method: 'GET', path: '/beheer/onderhoud?periode=week', expect: staffOnly(200, ['manager', 'admin']) },
	{ route: '/(manager)/beheer/bijdragen', method: 'GET', path: '/beheer/bijdragen', expect: staffOnly(200, ['manager', 'admin']) },
	// Per adopter it names people: managers and admins only, as the page.
	{ route: '/(manager)/beheer/bijdragen/csv', method: 'GET', path: '/beheer/bijdragen/csv?weergave=adoptant', expect: staffOnly(200, ['manager', 'admin']) },
	// The map of care's tiles: no plots in the matrix's database, so staff get an empty tile.
	{ route: '/(manager)/tiles/care/[z]/[x]/[y].mvt', method: 'GET', path: '/tiles/care/16/33610/21597.mvt', expect: staffOnly(204, ['manager', 'admin']) },
	// No plot exists in the matrix's database: managers get 404 (also after a refused form,
	// since the page's load runs after the action), everyone else is refused first.
	{ route: '/(manager)/beheer/perken/[id=id]', method: 'GET', path: '/beheer/perken/999999', expect: staffOnly(404, ['manager', 'admin']) },
	{
		route: '/(manager)/beheer/perken/[id=id]',
		method: 'POST',
		path: '/beheer/perken/999999?/capacity',
		form: { maxAdopters: '0' },
		expect: staffOnly(404, ['manager', 'admin'])
	},
	{
		route: '/(manager)/beheer/perken/[id=id]',
		method: 'POST',
		path: '/beheer/perken/999999?/adoptable',
		form: { adoptable: 'misschien' },
		expect: staffOnly(404, ['manager', 'admin'])
	},
	...(['hideNote', 'showNote', 'hidePhoto', 'showPhoto'] as const).map(
		(action): MatrixRow => ({
			route: '/(manager)/beheer/perken/[id=id]',
			method: 'POST',
			path: `/beheer/perken/999999?/${action}`,
			form: { activityId: 'geen' },
			expect: staffOnly(404, ['manager', 'admin'])
		})
	),
	{
		route: '/(manager)/beheer/perken/[id=id]',
		method: 'POST',
		path: '/beheer/perken/999999?/end',
		form: { adoptionId: '', reason: '' },
		expect: staffOnly(404, ['manager', 'admin'])
	},

	// --- admin ---
	{ route: '/(admin)/admin', method: 'GET', path: '/admin', expect: staffOnly(200, ['admin']) },
	{
		route: '/(admin)/admin',
		method: 'POST',
		path: '/admin?/role',
		form: { email: 'not an address', role: 'manager' },
		expect: staffOnly(400, ['admin'])
	},
	{ route: '/(admin)/admin/mail', method: 'GET', path: '/admin/mail', expect: staffOnly(200, ['admin']) },
	{ route: '/(admin)/admin/audit', method: 'GET', path: '/admin/audit?action=user.&page=2', expect: staffOnly(200, ['admin']) },
	{ route: '/(admin)/admin/overeenkomst', method: 'GET', path: '/admin/overeenkomst', expect: staffOnly(200, ['admin']) },
	{
		route: '/(admin)/admin/overeenkomst',
		method: 'POST',
		path: '/admin/overeenkomst?/publish',
		form: { textNl: 'te kort', textEn: 'too short' },
		expect: staffOnly(400, ['admin'])
	},

	// --- photos: an upload endpoint (JSON, 401 for visitors) and the public variants ---
	// A form without a file: every signed-in account may upload, and is told no photo came.
	{
		route: '/api/photos',
		method: 'POST',
		path: '/api/photos',
		form: {},
		expect: { ...signedIn(400), anonymous: 401 }
	},
	// The same for everyone (a shared cache may keep it): an unknown hash is 404.
	{ route: '/media/[hash=hash]', method: 'GET', path: `/media/${'0'.repeat(64)}`, expect: everyone(404) },

	// --- Open311 (public reads; posting needs an API key, never a session) ---
	{ route: '/open311/v2/discovery.[format=open311]', method: 'GET', path: '/open311/v2/discovery.json', expect: everyone(200) },
	{ route: '/open311/v2/services.[format=open311]', method: 'GET', path: '/open311/v2/services.xml', expect: everyone(200) },
	{ route: '/open311/v2/services/[code].[format=open311]', method: 'GET', path: '/open311/v2/services/bestaat-niet.json', expect: everyone(404) },
	{ route: '/open311/v2/requests.[format=open311]', method: 'GET', path: '/open311/v2/requests.json?status=open', expect: everyone(200) },
	// A signed-in admin without an api_key is refused like anyone: the session counts for nothing here.
	{ route: '/open311/v2/requests.[format=open311]', method: 'POST', path: '/open311/v2/requests.json', form: { service_code: 'zwerfafval' }, expect: everyone(403) },
	{ route: '/open311/v2/requests/[id].[format=open311]', method: 'GET', path: '/open311/v2/requests/999999999.json', expect: everyone(404) },
	{ route: '/open311/v2/tokens/[id].[format=open311]', method: 'GET', path: '/open311/v2/tokens/999999999.json', expect: everyone(404) },

	// --- the admin's reporting configuration (admins only; invalid forms change nothing) ---
	{ route: '/(admin)/admin/meldingen', method: 'GET', path: '/admin/meldingen', expect: staffOnly(200, ['admin']) },
	...(
		[
			['add', { nameNl: '', nameEn: '', responseDays: '', parentId: '' }],
			['update', { id: 'geen', nameNl: '', nameEn: '', responseDays: '' }],
			['toggle', { id: 'geen', active: 'misschien' }],
			['move', { id: 'geen', direction: 'opzij' }]
		] as const
	).map(
		([action, form]): MatrixRow => ({
			route: '/(admin)/admin/meldingen',
			method: 'POST',
			path: `/admin/meldingen?/${action}`,
			form,
			expect: staffOnly(400, ['admin'])
		})
	),
	{ route: '/(admin)/admin/meldingen/routering', method: 'GET', path: '/admin/meldingen/routering', expect: staffOnly(200, ['admin']) },
	{
		route: '/(admin)/admin/meldingen/routering',
		method: 'POST',
		path: '/admin/meldingen/routering?/add',
		form: { categoryId: 'geen', place: 'x:1', partnerOrganisationId: 'own' },
		expect: staffOnly(400, ['admin'])
	},
	{
		route: '/(admin)/admin/meldingen/routering',
		method: 'POST',
		path: '/admin/meldingen/routering?/remove',
		form: { id: 'geen' },
		expect: staffOnly(400, ['admin'])
	},
	{ route: '/(admin)/admin/partners', method: 'GET', path: '/admin/partners', expect: staffOnly(200, ['admin']) },
	{
		route: '/(admin)/admin/partners',
		method: 'POST',
		path: '/admin/partners?/add',
		form: { name: '', kind: '' },
		expect: staffOnly(400, ['admin'])
	},
	{
		route: '/(admin)/admin/partners',
		method: 'POST',
		path: '/admin/partners?/update',
		form: { id: 'geen', name: '', kind: '' },
		expect: staffOnly(400, ['admin'])
	},
	{ route: '/(admin)/admin/open311', method: 'GET', path: '/admin/open311', expect: staffOnly(200, ['admin']) },
	{
		route: '/(admin)/admin/open311',
		method: 'POST',
		path: '/admin/open311?/create',
		form: { name: '' },
		expect: staffOnly(400, ['admin'])
	},
	{
		route: '/(admin)/admin/open311',
		method: 'POST',
		path: '/admin/open311?/revoke',
		form: { id: 'geen' },
		expect: staffOnly(400, ['admin'])
	},

	// --- reports: closing the loop and the public ---
	// The managers decide on requests to reopen; a form without a decision is refused.
	{ route: '/(manager)/beheer/meldingen/heropenen', method: 'GET', path: '/beheer/meldingen/heropenen', expect: staffOnly(200, ['manager', 'admin']) },
	{
		route: '/(manager)/beheer/meldingen/heropenen',
		method: 'POST',
		path: '/beheer/meldingen/heropenen?/decide',
		form: { reportId: '999999', decision: '', note: '' },
		expect: staffOnly(400, ['manager', 'admin'])
	},
	{ route: '/(manager)/beheer/meldingen/cijfers', method: 'GET', path: '/beheer/meldingen/cijfers?van=2026-01-01&tot=2026-12-31', expect: staffOnly(200, ['manager', 'admin']) },

	// --- reports: the municipality and the partner at work ---
	// The partner's work list: its own organisation's (managers see what went to any partner).
	{ route: '/(partner)/partner', method: 'GET', path: '/partner', expect: staffOnly(200, ['manager', 'partner', 'admin']) },
	// No report exists in the matrix's database: staff who may look get 404, everyone else is refused first.
	{ route: '/(partner)/partner/meldingen/[id=id]', method: 'GET', path: '/partner/meldingen/999999', expect: staffOnly(404, ['manager', 'partner', 'admin']) },
	{
		route: '/(partner)/partner/meldingen/[id=id]',
		method: 'POST',
		path: '/partner/meldingen/999999?/work',
		form: {},
		expect: staffOnly(404, ['manager', 'partner', 'admin'])
	},
	{ route: '/(manager)/beheer/meldingen', method: 'GET', path: '/beheer/meldingen?status=alle&termijn=over', expect: staffOnly(200, ['manager', 'admin']) },
	// No report chosen: the form is refused with a message.
	{ route: '/(manager)/beheer/meldingen', method: 'POST', path: '/beheer/meldingen?/bulk', form: { to: 'scheduled' }, expect: staffOnly(400, ['manager', 'admin']) },
	{ route: '/(manager)/beheer/meldingen/[id=id]', method: 'GET', path: '/beheer/meldingen/999999', expect: staffOnly(404, ['manager', 'admin']) },
	...(['work', 'assign', 'merge'] as const).map(
		(action): MatrixRow => ({
			route: '/(manager)/beheer/meldingen/[id=id]',
			method: 'POST',
			path: `/beheer/meldingen/999999?/${action}`,
			form: {},
			expect: staffOnly(404, ['manager', 'admin'])
		})
	),

	// --- reports: the reporter ---
	// Everyone signed in has their own list; a visitor is sent to sign in.
	{ route: '/(resident)/mijn-meldingen', method: 'GET', path: '/mijn-meldingen', expect: signedIn(200) },
	// Public pages: anyone may start a report; an unknown report is 404 for everyone.
	{ route: '/meldingen/nieuw', method: 'GET', path: '/meldingen/nieuw', expect: everyone(200) },
	{ route: '/meldingen/[id=id]', method: 'GET', path: '/meldingen/999999', expect: everyone(404) },
	// Answering and supporting from a report's page need an account; only the reporter answers.
	{ route: '/meldingen/[id=id]', method: 'POST', path: '/meldingen/999999?/answer', form: { text: '' }, expect: signedIn(404) },
	{ route: '/meldingen/[id=id]', method: 'POST', path: '/meldingen/999999?/support', form: {}, expect: signedIn(404) }
];

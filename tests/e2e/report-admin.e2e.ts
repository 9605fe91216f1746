import { expect, test, type Page } from '@playwright/test';
import { pointOnFeature } from '@turf/turf';
import { expectNoAxeViolations, signIn } from './helpers';

/**
 * The admin sets reporting up on a phone: a category with its response target, a partner
 * organisation, a routing rule sending that category to the partner, and an Open311 key that a
 * client posts with, until the key is revoked. Everything it makes carries this run's own
 * mark, so journeys running beside it (which route 'groen' to the demo partner) see none of it.
 */
test.use({ viewport: { width: 375, height: 667 } });

async function expectFitsPhone(page: Page, path: string) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width, `${path} is ${width} px wide at 375 px`).toBeLessThanOrEqual(375);
}

async function checkPage(page: Page, path: string) {
	await expect(page).toHaveURL(new RegExp(`${path.replace(/\//g, '\\/')}(\\?.*)?$`));
	await expectFitsPhone(page, path);
	await expectNoAxeViolations(page);
}

test('the admin adds a category, a partner and a rule, and an Open311 key works until it is revoked', async ({ page }) => {
	const mark = Math.random().toString(36).slice(2, 8);
	const mainName = `Speelplek ${mark}`;
	const subName = `Kapotte wip ${mark}`;
	const partnerName = `Speeltuinbeheer ${mark}`;

	await signIn(page, 'admin@demo.perkje.invalid');
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Meldingen: categorieën, routering, partners en Open311' }).click();
	await checkPage(page, '/admin/meldingen');
	// The seeded tree is there, with its targets.
	await expect(page.getByTestId('category-boom')).toContainText('Reactie binnen 3 werkdagen');

	// A main category, then a sub-category under it; a target out of range is refused, typed text kept.
	const add = page.locator('form[action="?/add"]');
	await add.getByLabel('Naam (Nederlands)').fill(mainName);
	await add.getByLabel('Naam (Engels)').fill(`Playground ${mark}`);
	await add.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(page.getByRole('status').filter({ hasText: `Categorie ${mainName} is toegevoegd.` })).toBeVisible();
	await expect(page.getByRole('heading', { name: mainName, level: 2 })).toBeVisible();

	await add.getByLabel('Onder hoofdcategorie').selectOption({ label: mainName });
	await add.getByLabel('Naam (Nederlands)').fill(subName);
	await add.getByLabel('Naam (Engels)').fill(`Broken seesaw ${mark}`);
	await add.getByLabel('Reactietermijn in werkdagen').fill('99');
	await add.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(add.getByText('Vul een aantal werkdagen in, of laat het leeg. Hoogstens: 60.')).toBeVisible();
	await expect(add.getByLabel('Naam (Nederlands)')).toHaveValue(subName);
	await add.getByLabel('Reactietermijn in werkdagen').fill('2');
	await add.getByRole('button', { name: 'Toevoegen' }).click();
	const sub = page.getByRole('listitem').filter({ hasText: subName });
	await expect(sub).toContainText('Reactie binnen 2 werkdagen');

	// Renamed and given another target.
	await sub.getByText(`${subName} wijzigen`).click();
	await sub.getByLabel('Reactietermijn in werkdagen').fill('1');
	await sub.getByRole('button', { name: 'Opslaan' }).click();
	await expect(page.getByRole('listitem').filter({ hasText: subName })).toContainText('Reactie binnen 1 werkdag');
	await checkPage(page, '/admin/meldingen');

	// A partner organisation; the same name twice is refused.
	await page.getByRole('navigation', { name: 'Meldingen instellen' }).getByRole('link', { name: 'Partnerorganisaties' }).click();
	await checkPage(page, '/admin/partners');
	const addPartner = page.locator('form[action="?/add"]');
	await addPartner.getByLabel('Naam').fill(partnerName);
	await addPartner.getByLabel('Soort organisatie').selectOption({ label: 'Openbare ruimte' });
	await addPartner.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(page.getByRole('status').filter({ hasText: `${partnerName} is toegevoegd.` })).toBeVisible();
	await expect(page.getByTestId('partner').filter({ hasText: partnerName })).toContainText('0 medewerkers · 0 open meldingen');
	await addPartner.getByLabel('Naam').fill(partnerName.toUpperCase());
	await addPartner.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(addPartner.getByText('Er is al een organisatie met deze naam.')).toBeVisible();
	await checkPage(page, '/admin/partners');

	// The rule: the new sub-category, everywhere, to the new partner; the same rule twice is refused.
	await page.getByRole('navigation', { name: 'Meldingen instellen' }).getByRole('link', { name: 'Routering' }).click();
	const addRule = page.locator('form[action="?/add"]');
	await addRule.getByLabel('Categorie').selectOption({ label: `${mainName} › ${subName}` });
	await addRule.getByLabel('Naar').selectOption({ label: partnerName });
	await addRule.getByRole('button', { name: 'Regel toevoegen' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'De regel is toegevoegd.' })).toBeVisible();
	await expect(page.getByTestId('routing-rule').filter({ hasText: subName })).toContainText(partnerName);
	await addRule.getByLabel('Categorie').selectOption({ label: `${mainName} › ${subName}` });
	await addRule.getByLabel('Naar').selectOption({ label: partnerName });
	await addRule.getByRole('button', { name: 'Regel toevoegen' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'Voor deze categorie en plek is er al een regel.' })).toBeVisible();
	await checkPage(page, '/admin/meldingen/routering');

	// A key, shown once; a client posts a report in the new category with it.
	await page.getByRole('navigation', { name: 'Meldingen instellen' }).getByRole('link', { name: 'Open311-sleutels' }).click();
	await page.getByLabel('Naam van de app of het systeem').fill(`Meldingen-app ${mark}`);
	await page.getByRole('button', { name: 'Sleutel maken' }).click();
	const key = (await page.getByTestId('open311-new-key').textContent())!.trim();
	expect(key).toMatch(/^perkje311_/);
	await checkPage(page, '/admin/open311');
	await page.reload();
	// Gone after this one answer: the page only lists its name.
	await expect(page.getByTestId('open311-new-key')).toHaveCount(0);
	await expect(page.getByTestId('open311-key').filter({ hasText: `Meldingen-app ${mark}` })).toContainText('In gebruik');

	const services = (await (await page.request.get('/open311/v2/services.json')).json()) as Array<{ service_code: string; service_name: string }>;
	const service = services.find((s) => s.service_name === subName);
	expect(service, 'the new sub-category is an Open311 service').toBeTruthy();
	const hoods = (await (await page.request.get('/neighbourhoods.geojson')).json()) as GeoJSON.FeatureCollection;
	const [long, lat] = pointOnFeature(hoods.features[0]!).geometry.coordinates;
	const postReport = () =>
		page.request.post('/open311/v2/requests.json', {
			form: { api_key: key, service_code: service!.service_code, lat: String(lat), long: String(long), description: 'De wip is doormidden gebroken.' }
		});
	const posted = await postReport();
	expect(posted.status()).toBe(200);
	const [{ service_request_id: id }] = await posted.json();
	// Routed by the rule just made: the partner answers for it.
	const [read] = await (await page.request.get(`/open311/v2/requests/${id}.json`)).json();
	expect(read).toMatchObject({ service_code: service!.service_code, status: 'open', agency_responsible: partnerName });

	// Revoked, the key stops working at once.
	await page.getByRole('button', { name: `Sleutel van Meldingen-app ${mark} intrekken` }).click();
	await expect(page.getByRole('status').filter({ hasText: 'De sleutel is ingetrokken' })).toBeVisible();
	await expect(page.getByTestId('open311-key').filter({ hasText: `Meldingen-app ${mark}` })).toContainText('Ingetrokken op');
	expect((await postReport()).status()).toBe(403);

	// Tidy: the category is switched off, so residents' journeys beside this one never meet it.
	await page.goto('/admin/meldingen');
	await page.getByRole('button', { name: `${mainName} uitzetten` }).click();
	await expect(page.getByRole('status').filter({ hasText: 'De categorie staat uit.' })).toBeVisible();
	await expect(page.getByRole('region', { name: mainName })).toContainText('Uitgezet');
	const after = (await (await page.request.get('/open311/v2/services.json')).json()) as Array<{ service_name: string }>;
	expect(after.map((s) => s.service_name)).not.toContain(subName);
});

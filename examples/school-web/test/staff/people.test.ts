import { ChildSchema, CustomAttributeSchema, InsuranceSchema } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { peopleSite } from './people-support'
import { Client, host, pgliteForFile } from './support'

// The people procedures of the back office through HTTP (seed 001: foyers, responsables, enfants,
// inscriptions, règles de facturation, semaines types, présences), each refusal naming the
// permission that is missing, each bad input shown on the form with nothing stored.
const db = pgliteForFile()
let site = 0

async function fresh(licence?: { maxPupils: number | null }) {
  const siteId = `staff-people-${++site}`
  await peopleSite(db.storage, siteId, licence)
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  return { ctx, siteId, as }
}

const SECRETARY = 'secretariat@jaures.example'
const CASHIER = 'regisseur@jaures.example'
const ANIMATEUR = 'animateur@jaures.example'

describe('households (seed 001: Comment créer un foyer ?, ajouter un responsable, ajouter un enfant)', () => {
  it('creates a household in its steps (guardian, contact, child, name and address) and shows the child by name on its page', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const form = (await secretary.get('/staff/households/new')).text
    expect(form).toContain('type="date"')
    expect(form).toContain('Format : jj/mm/aaaa (par ex. 20/01/2027)')
    const r = await secretary.post('/staff/households/new', {
      householdId: 'h-dupont', guardianId: 'g-marie', childId: 'k-lea', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr', phone: '01 23 45 67 89',
      childMode: 'new', childFirstName: 'Léa', childLastName: 'Dupont', birthDate: '2019-05-14', relationship: 'mother', name: 'Famille Dupont', line1: '3 rue des Lilas', postcode: '94000', city: 'Créteil',
    })
    expect([r.status, r.location]).toEqual([303, '/staff/households/h-dupont?done=created'])
    const page = (await secretary.get('/staff/households/h-dupont?done=created')).text
    expect(page).toContain('Le foyer est créé.')
    expect(page).toContain('>Léa Dupont</a> (14/05/2019)')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'household', 'h-dupont'))?.address).toEqual({ line1: '3 rue des Lilas', postcode: '94000', city: 'Créteil' })
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k-lea'))?.guardians).toEqual([{ guardianId: 'g-marie', relationship: 'mother' }])
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, { householdId: 'h-dupont' })
    expect(trail.items.map((e) => `${e.action} ${e.subject.kind}:${e.subject.id}`).sort()).toEqual(['household.created child:k-lea', 'household.created guardian:g-marie', 'household.created household:h-dupont'])
  })

  it('refuses a birth date after today on the form, naming child.birthDate, keeps what was typed and stores nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const r = await secretary.post('/staff/households/new', {
      householdId: 'h-x', guardianId: 'g-x', childId: 'k-x', firstName: 'Marie', lastName: 'Dupont', childMode: 'new', childFirstName: 'Léa', childLastName: 'Dupont', birthDate: '2030-01-01', relationship: 'mother', name: 'Famille X',
    })
    expect(r.status).toBe(400)
    expect(r.text).toMatch(/Rien n&#39;a été enregistré : [^<]*child\.birthDate: must not be in the future/)
    expect(r.text).toContain('value="Famille X"')
    for (const [kind, id] of [['household', 'h-x'], ['guardian', 'g-x'], ['child', 'k-x']] as const) expect(await ctx.storage.directory!.getDirectoryRecord(siteId, kind, id)).toBeUndefined()
  })

  it('creates the second household of separated parents with the child already registered: the child then belongs to both', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    expect((await secretary.get('/staff/households/new?childId=k1')).text).toContain('value="k1"')
    const r = await secretary.post('/staff/households/new', { householdId: 'h-papa', guardianId: 'g-papa', firstName: 'Marc', lastName: 'Martin', childMode: 'existing', existingChildId: 'k1', relationship: 'father', name: 'Foyer Marc Martin' })
    expect(r.status).toBe(303)
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k1'))?.guardians.map((l) => l.guardianId)).toEqual(['g1', 'g-papa'])
    expect((await secretary.get('/staff/children/k1')).text).toMatch(/Foyer Martin<\/a>[^]*Foyer Marc Martin<\/a>/)
  })

  it("finds the child already registered by name in the household form (no id typed), keeps what was typed, and creates the second household with the child picked", async () => {
    const { ctx, siteId, as } = await fresh()
    const d = ctx.storage.directory!
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'k2', siteId, firstName: 'Martine', lastName: 'Durand', birthDate: '2018-02-11', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }))
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'k3', siteId, firstName: 'Marc', lastName: 'Martin', birthDate: '2017-06-30', archived: { on: '2026-12-01' }, guardians: [{ guardianId: 'g1', relationship: 'mother' }] }))
    const secretary = await as(SECRETARY)
    const blank = (await secretary.get('/staff/households/new')).text
    expect(blank).toContain('déjà enregistré par son nom</label>')
    expect(blank).not.toMatch(/name="existingChildId"/)
    const typed = { householdId: 'h-papa', guardianId: 'g-papa', firstName: 'Marc', lastName: 'Martin', relationship: 'father', name: 'Foyer Marc Martin' }
    // "Rechercher": the children whose name begins with the words typed, accents and case ignored, the archived one left out
    const found = await secretary.post('/staff/households/new', { ...typed, childMode: 'existing', childQuery: 'MART', findChild: '1' })
    expect(found.status).toBe(200)
    expect(found.text).toMatch(/name="existingChildId" value="k1"[^>]*\/> Léo Martin \(/)
    expect(found.text).toMatch(/name="existingChildId" value="k2"[^>]*\/> Martine Durand \(/)
    expect(found.text).not.toContain('value="k3"')
    expect(found.text).toContain('value="Foyer Marc Martin"')
    expect(found.text).toMatch(/value="existing" checked/)
    expect(await d.getDirectoryRecord(siteId, 'household', 'h-papa')).toBeUndefined()
    const none = await secretary.post('/staff/households/new', { ...typed, childMode: 'existing', childQuery: 'leo durand', findChild: '1' })
    expect(none.text).toContain('Aucun résultat.')
    const r = await secretary.post('/staff/households/new', { ...typed, childMode: 'existing', childQuery: 'mart', existingChildId: 'k1' })
    expect(r.status).toBe(303)
    expect((await d.getDirectoryRecord(siteId, 'child', 'k1'))?.guardians.map((l) => l.guardianId)).toEqual(['g1', 'g-papa'])
    expect((await d.getDirectoryRecord(siteId, 'child', 'k2'))?.guardians.map((l) => l.guardianId)).toEqual(['g1'])
  })

  it('refuses a child search of six words beside its field, in Italian, with what was typed', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    await secretary.post('/lang', { lang: 'it' })
    const r = await secretary.post('/staff/households/new', { householdId: 'h-it', guardianId: 'g-it', firstName: 'Marco', lastName: 'Martini', childMode: 'existing', childQuery: 'a b c d e f', findChild: '1', name: 'Famiglia Martini' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('<span class="field-error" id="childQuery-error" role="alert">Ricerca: al massimo 5 parole e 100 caratteri.</span>')
    expect(r.text).toContain('value="a b c d e f"')
    expect(r.text).toContain('Cercare per nome il bambino già registrato')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'household', 'h-it')).toBeUndefined()
  })

  it('refuses the cashier the household form, naming households.write, and creates nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    const cashier = await as(CASHIER)
    const r = await cashier.post('/staff/households/new', { householdId: 'h-y', guardianId: 'g-y', firstName: 'A', lastName: 'B', childMode: 'none', name: 'Foyer Y' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('households.write')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'household', 'h-y')).toBeUndefined()
  })

  it('adds a guardian and a child to a household, and refuses an empty first name naming guardian.firstName', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    expect((await secretary.post('/staff/households/h1/guardians/new', { guardianId: 'g-paul', firstName: 'Paul', lastName: 'Martin' })).location).toBe('/staff/households/h1?done=guardian')
    expect((await secretary.post('/staff/households/h1/children/new', { childId: 'k-tom', firstName: 'Tom', lastName: 'Martin', birthDate: '21/02/2021', guardianId: 'g-paul', relationship: 'father' })).location).toBe('/staff/households/h1?done=child')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k-tom'))?.birthDate).toBe('2021-02-21')
    const page = (await secretary.get('/staff/households/h1')).text
    expect(page).toContain('>Paul Martin</a>')
    expect(page).toContain('>Tom Martin</a>')
    const bad = await secretary.post('/staff/households/h1/guardians/new', { guardianId: 'g-empty', firstName: ' ', lastName: 'Martin' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('guardian.firstName')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g-empty')).toBeUndefined()
  })
})

describe("a guardian's page links to the rest of their file, each link only for a user who may open it", () => {
  it('offers the secretary a message to the household, the household’s documents, the portal access and the information sheet, each page opening; the cashier, without the portal permission, all but the portal access', async () => {
    const { as } = await fresh()
    const links = async (login: string) => {
      const client = await as(login)
      const block = /<p class="actions" id="guardian-links">(.*?)<\/p>/s.exec((await client.get('/staff/guardians/g1')).text)?.[1] ?? ''
      return { client, hrefs: [...block.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')) }
    }
    const secretary = await links(SECRETARY)
    expect(secretary.hrefs).toEqual(['/staff/messages/new?householdId=h1', '/staff/documents?householdId=h1', '/staff/portal-access/g1', '/staff/guardians/g1/info-sheet'])
    for (const href of secretary.hrefs) expect([href, (await secretary.client.get(href)).status]).toEqual([href, 200])
    const cashier = await links(CASHIER)
    expect(cashier.hrefs).toEqual(['/staff/messages/new?householdId=h1', '/staff/documents?householdId=h1', '/staff/guardians/g1/info-sheet'])
    expect((await cashier.client.get('/staff/portal-access/g1')).status).toBe(403)
  })
})

describe("an archived guardian's file is read-only (seed 001: « grisée, non modifiable »)", () => {
  it('shows the edit page without its forms, and refuses the contact, an insurance and a criterion posted anyway, storing nothing; unarchived, it can be edited again', async () => {
    const { ctx, siteId, as } = await fresh()
    const d = ctx.storage.directory!
    await d.putDirectoryRecord(siteId, 'customAttribute', CustomAttributeSchema.parse({ id: 'csp', siteId, label: 'Catégorie', appliesTo: 'guardian', allowedValues: ['cadre'] }))
    await d.putDirectoryRecord(siteId, 'insurance', InsuranceSchema.parse({ id: 'ins-maif', siteId, label: 'MAIF Scolaire' }))
    const g1 = (await d.getDirectoryRecord(siteId, 'guardian', 'g1'))!
    await d.putDirectoryRecord(siteId, 'guardian', { ...g1, archived: { on: '2027-01-10' } })
    const stored = await d.getDirectoryRecord(siteId, 'guardian', 'g1')
    const secretary = await as(SECRETARY)
    const page = await secretary.get('/staff/guardians/g1/edit')
    expect(page.text).toContain('id="archived-read-only"')
    expect(page.text).toContain('sa fiche n’est plus modifiable')
    expect(page.text).not.toContain('action="/staff/guardians/g1/edit"')
    expect(page.text).not.toContain('action="/staff/guardians/g1/insurances"')
    const contact = await secretary.post('/staff/guardians/g1/edit', { firstName: 'Claire', lastName: 'Martin', email: 'autre@example.fr', phone: '', mobile: '' })
    expect([contact.status, contact.text.includes('est archivé(e)')]).toEqual([400, true])
    const insurance = await secretary.post('/staff/guardians/g1/insurances', { insuranceId: 'ins-maif', policyNumber: 'P-1', validUntil: '' })
    expect([insurance.status, insurance.text.includes('est archivé(e)')]).toEqual([409, true])
    const criteria = await secretary.post('/staff/guardians/g1/criteria', { 'criterion.csp': 'cadre' })
    expect([criteria.status, criteria.text.includes('est archivé(e)')]).toEqual([400, true])
    expect(await d.getDirectoryRecord(siteId, 'guardian', 'g1')).toEqual(stored)
    await d.putDirectoryRecord(siteId, 'guardian', { ...stored!, archived: null })
    expect((await secretary.post('/staff/guardians/g1/edit', { firstName: 'Claire', lastName: 'Martin', email: 'autre@example.fr', phone: '', mobile: '' })).status).toBe(303)
  })
})

describe("a guardian's file: contact details and SEPA mandate (debtor data for billing)", () => {
  it('edits the e-mail and phone, and refuses a bad e-mail naming guardian.email with the file unchanged', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const ok = await secretary.post('/staff/guardians/g1/edit', { firstName: 'Claire', lastName: 'Martin', email: 'claire@example.fr', phone: '01 02 03 04 05', mobile: '' })
    expect(ok.location).toBe('/staff/guardians/g1/edit?done=contact')
    const bad = await secretary.post('/staff/guardians/g1/edit', { firstName: 'Claire', lastName: 'Martin', email: 'claire-at-example', phone: '', mobile: '' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('guardian.email')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1')).toMatchObject({ email: 'claire@example.fr', phone: '01 02 03 04 05' })
  })

  it('lets the cashier record the mandate, then amend its IBAN; refuses a bad IBAN naming it; refuses the secretary naming payments.write', async () => {
    const { ctx, siteId, as } = await fresh()
    const cashier = await as(CASHIER)
    const r = await cashier.post('/staff/guardians/g1/mandate', { debtorName: 'Claire Martin', iban: 'FR76 3000 6000 0112 3456 7890 189', bic: '', rum: 'RUM-G1-2026', signatureDate: '2026-09-01' })
    expect(r.location).toBe('/staff/guardians/g1/edit?done=mandate')
    const bad = await cashier.post('/staff/guardians/g1/mandate', { debtorName: 'Claire Martin', iban: 'FR76-nope', rum: 'RUM-G1-2026' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('iban')
    const checksum = await cashier.post('/staff/guardians/g1/mandate', { debtorName: 'Claire Martin', iban: 'FR7610107001011234567890128', rum: 'RUM-G1-2026' })
    expect(checksum.status).toBe(400)
    expect(checksum.text).toContain('mandate.iban: must be a valid IBAN: its check digits do not match')
    await cashier.post('/staff/guardians/g1/mandate', { debtorName: 'Claire Martin', iban: 'FR7610107001011234567890129', rum: 'RUM-G1-2026' })
    const [mandate] = await ctx.storage.directory!.listSepaMandatesOf(siteId, ['g1'])
    expect([mandate?.iban, mandate?.amendments.map((a) => a.originalIban)]).toEqual(['FR7610107001011234567890129', ['FR7630006000011234567890189']])
    expect((await cashier.get('/staff/guardians/g1')).text).toContain('RUM-G1-2026 · FR7610107001011234567890129')
    const secretary = await as(SECRETARY)
    const refused = await secretary.post('/staff/guardians/g2/mandate', { debtorName: 'Paul Roux', iban: 'FR7630006000011234567890189', rum: 'RUM-G2', signatureDate: '2026-09-01' })
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('payments.write')
    expect(await ctx.storage.directory!.listSepaMandatesOf(siteId, ['g2'])).toEqual([])
  })
})

describe('moving a child to another household', () => {
  it('moves Léo to Paul Roux\'s household, refuses a guardian of the same household by name, and refuses the animateur naming households.write', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const form = (await secretary.get('/staff/children/k1/move')).text
    expect(form).toContain('Paul Roux (Foyer Roux)')
    const r = await secretary.post('/staff/children/k1/move', { fromHouseholdId: 'h1', guardianId: 'g2', relationship: 'father' })
    expect(r.location).toBe('/staff/children/k1?done=moved')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k1'))?.guardians).toEqual([{ guardianId: 'g2', relationship: 'father' }])
    const same = await secretary.post('/staff/children/k1/move', { fromHouseholdId: 'h2', guardianId: 'g2', relationship: 'father' })
    expect(same.status).toBe(400)
    expect(same.text).toContain('Paul Roux vit déjà dans le foyer quitté')
    const animateur = await as(ANIMATEUR)
    const refused = await animateur.post('/staff/children/k1/move', { fromHouseholdId: 'h2', guardianId: 'g1', relationship: 'mother' })
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('households.write')
  })
})

describe("insurances on a guardian's file (seed 001: the site's visible insurances offered when adding one to a guardian)", () => {
  async function withInsurances(siteId: string, ctx: { storage: import('@ecole/core/ports').StoragePorts }) {
    const d = ctx.storage.directory!
    await d.putDirectoryRecord(siteId, 'insurance', InsuranceSchema.parse({ id: 'ins-maif', siteId, label: 'MAIF Scolaire', visible: true }))
    await d.putDirectoryRecord(siteId, 'insurance', InsuranceSchema.parse({ id: 'ins-old', siteId, label: 'Ancienne assurance', visible: false }))
  }

  it("adds an insurance with its policy number and last day to Claire's file, shows it on her page, replaces it when added again, removes it, each audited", async () => {
    const { ctx, siteId, as } = await fresh()
    await withInsurances(siteId, ctx)
    const secretary = await as(SECRETARY)
    const form = (await secretary.get('/staff/guardians/g1/edit')).text
    expect(form).toContain('Aucune assurance sur la fiche.')
    // only the visible insurances are offered
    expect(form).toContain('<option value="ins-maif">MAIF Scolaire</option>')
    expect(form).not.toContain('Ancienne assurance')
    const r = await secretary.post('/staff/guardians/g1/insurances', { insuranceId: 'ins-maif', policyNumber: 'P-2026-17', validUntil: '31/08/2027' })
    expect([r.status, r.location]).toEqual([303, '/staff/guardians/g1/edit?done=insurance#insurances'])
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1'))?.insurances).toEqual([{ insuranceId: 'ins-maif', policyNumber: 'P-2026-17', validUntil: '2027-08-31' }])
    expect((await secretary.get('/staff/guardians/g1/edit?done=insurance')).text).toContain('Assurance enregistrée sur la fiche.')
    expect((await secretary.get('/staff/guardians/g1')).text).toMatch(/<td>MAIF Scolaire<\/td><td>P-2026-17<\/td><td>31\/08\/2027<\/td>/)
    // added again: the one entry replaced, not doubled
    expect((await secretary.post('/staff/guardians/g1/insurances', { insuranceId: 'ins-maif', policyNumber: 'P-2027-02', validUntil: '' })).status).toBe(303)
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1'))?.insurances).toEqual([{ insuranceId: 'ins-maif', policyNumber: 'P-2027-02' }])
    const removed = await secretary.post('/staff/guardians/g1/insurances/remove', { insuranceId: 'ins-maif' })
    expect(removed.location).toBe('/staff/guardians/g1/edit?done=insuranceRemoved#insurances')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1'))?.insurances).toEqual([])
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.filter((e) => e.subject.id === 'g1').map((e) => e.action).sort()).toEqual(['guardian.insuranceRemoved', 'guardian.insuranceSet', 'guardian.insuranceSet'])
  })

  it('refuses a hidden insurance, one no longer on the list, a day that does not exist and a user without households.write, each storing nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    await withInsurances(siteId, ctx)
    const secretary = await as(SECRETARY)
    const stored = async () => (await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1'))?.insurances
    const hidden = await secretary.post('/staff/guardians/g1/insurances', { insuranceId: 'ins-old', policyNumber: 'X' })
    expect(hidden.status).toBe(409)
    expect(hidden.text).toContain('Cette assurance est masquée dans la liste de l&#39;établissement : rien n&#39;a été enregistré.')
    const gone = await secretary.post('/staff/guardians/g1/insurances', { insuranceId: 'ins-deleted', policyNumber: 'P-9' })
    expect(gone.status).toBe(409)
    expect(gone.text).toContain('Cette assurance n&#39;est plus dans la liste de l&#39;établissement : rien n&#39;a été enregistré.')
    // what was typed stays on the form
    expect(gone.text).toContain('value="P-9"')
    const badDay = await secretary.post('/staff/guardians/g1/insurances', { insuranceId: 'ins-maif', validUntil: '31/02/2027' })
    expect(badDay.status).toBe(400)
    expect(badDay.text).toMatch(/insurance\.validUntil/)
    const animateur = await as(ANIMATEUR)
    const refused = await animateur.post('/staff/guardians/g1/insurances', { insuranceId: 'ins-maif' })
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('households.write')
    expect(await stored()).toEqual([])
    expect((await ctx.storage.audit!.listAuditEntries(siteId, {})).items.filter((e) => e.action.startsWith('guardian.insurance'))).toEqual([])
  })

  it("refuses deleting an insurance from the site's list while it is on a guardian's file added through the form, naming the guardian", async () => {
    const { ctx, siteId, as } = await fresh()
    await withInsurances(siteId, ctx)
    expect((await (await as(SECRETARY)).post('/staff/guardians/g2/insurances', { insuranceId: 'ins-maif' })).status).toBe(303)
    const direction = await as('direction@jaures.example')
    const inUse = await direction.post('/staff/admin/insurances/ins-maif/delete', {})
    expect(inUse.status).toBe(400)
    expect(inUse.text).toContain('est sur la fiche de : Paul Roux')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'insurance', 'ins-maif')).toBeDefined()
  })
})

describe("a person's criteria (seed 001: the site's criteria, for children or guardians, with their values)", () => {
  async function withCriteria(siteId: string, ctx: { storage: import('@ecole/core/ports').StoragePorts }) {
    const d = ctx.storage.directory!
    await d.putDirectoryRecord(siteId, 'customAttribute', CustomAttributeSchema.parse({ id: 'regime', siteId, label: 'Régime', appliesTo: 'child', allowedValues: ['sans porc', 'végétarien'] }))
    await d.putDirectoryRecord(siteId, 'customAttribute', CustomAttributeSchema.parse({ id: 'transport', siteId, label: 'Transport', appliesTo: 'child', allowedValues: ['bus', 'à pied'] }))
    await d.putDirectoryRecord(siteId, 'customAttribute', CustomAttributeSchema.parse({ id: 'csp', siteId, label: 'Catégorie', appliesTo: 'guardian', allowedValues: ['cadre', 'employé'] }))
  }

  it("sets Léo's criteria among their values, shows them on his file, clears one, leaves the guardians' criteria out, each change audited", async () => {
    const { ctx, siteId, as } = await fresh()
    await withCriteria(siteId, ctx)
    const secretary = await as(SECRETARY)
    const file = (await secretary.get('/staff/children/k1')).text
    expect(file).toContain('href="/staff/children/k1/criteria"')
    const form = (await secretary.get('/staff/children/k1/criteria')).text
    expect(form).toContain('<option value="végétarien">végétarien</option>')
    expect(form).not.toContain('Catégorie')
    const r = await secretary.post('/staff/children/k1/criteria', { 'criterion.regime': 'végétarien', 'criterion.transport': 'bus' })
    expect([r.status, r.location]).toEqual([303, '/staff/children/k1/criteria?done=saved'])
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k1'))?.attributes).toEqual({ regime: 'végétarien', transport: 'bus' })
    expect((await secretary.get('/staff/children/k1')).text).toMatch(/<dt>Régime<\/dt><dd>végétarien<\/dd><dt>Transport<\/dt><dd>bus<\/dd>/)
    expect((await secretary.post('/staff/children/k1/criteria', { 'criterion.regime': 'végétarien', 'criterion.transport': '' })).status).toBe(303)
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k1'))?.attributes).toEqual({ regime: 'végétarien' })
    // the guardian's page has its own criteria
    expect((await secretary.post('/staff/guardians/g1/criteria', { 'criterion.csp': 'cadre' })).status).toBe(303)
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1'))?.attributes).toEqual({ csp: 'cadre' })
    expect((await secretary.get('/staff/guardians/g1')).text).toMatch(/<dt>Catégorie<\/dt><dd>cadre<\/dd>/)
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.filter((e) => e.action === 'person.criteriaSet').map((e) => `${e.subject.kind}:${e.subject.id}`).sort()).toEqual(['child:k1', 'child:k1', 'guardian:g1'])
  })

  it("keeps a value the criterion no longer offers, marked, until it is changed; refuses a value the criterion does not offer (kept chosen on the form), a guardian's criterion on a child, a deleted criterion and the animateur, storing nothing", async () => {
    const { ctx, siteId, as } = await fresh()
    await withCriteria(siteId, ctx)
    const d = ctx.storage.directory!
    const leo = (await d.getDirectoryRecord(siteId, 'child', 'k1'))!
    await d.putDirectoryRecord(siteId, 'child', { ...leo, attributes: { regime: 'sans viande' } })
    const secretary = await as(SECRETARY)
    expect((await secretary.get('/staff/children/k1/criteria')).text).toContain('<option value="sans viande" selected="">sans viande (plus proposée)</option>')
    // saved unchanged: kept, no write
    expect((await secretary.post('/staff/children/k1/criteria', { 'criterion.regime': 'sans viande', 'criterion.transport': '' })).status).toBe(303)
    const stored = async () => (await d.getDirectoryRecord(siteId, 'child', 'k1'))?.attributes
    expect(await stored()).toEqual({ regime: 'sans viande' })
    const notOffered = await secretary.post('/staff/children/k1/criteria', { 'criterion.regime': 'vegan' })
    expect(notOffered.status).toBe(409)
    expect(notOffered.text).toContain('La valeur « vegan » n&#39;est plus proposée pour le critère « Régime » : rien n&#39;a été enregistré.')
    expect(notOffered.text).toContain('<option value="vegan" selected="">vegan (plus proposée)</option>')
    // the file marks the value the criterion no longer offers
    expect((await secretary.get('/staff/children/k1')).text).toContain('<dt>Régime</dt><dd>sans viande (plus proposée)</dd>')
    const otherKind = await secretary.post('/staff/children/k1/criteria', { 'criterion.csp': 'cadre' })
    expect(otherKind.status).toBe(400)
    expect(otherKind.text).toContain('Le critère « Catégorie » décrit les responsables : rien n&#39;a été enregistré.')
    const gone = await secretary.post('/staff/children/k1/criteria', { 'criterion.regime': 'végétarien', 'criterion.deleted': 'x' })
    expect(gone.status).toBe(409)
    expect(gone.text).toContain('Un de ces critères n&#39;existe plus : rien n&#39;a été enregistré.')
    // clearing the value of a criterion deleted since needs no check
    expect((await secretary.post('/staff/children/k1/criteria', { 'criterion.regime': 'sans viande', 'criterion.deleted': '' })).status).toBe(303)
    expect((await secretary.post('/staff/children/nobody/criteria', { 'criterion.regime': 'végétarien' })).status).toBe(404)
    const refused = await (await as(ANIMATEUR)).post('/staff/children/k1/criteria', { 'criterion.regime': 'végétarien' })
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('households.write')
    expect(await stored()).toEqual({ regime: 'sans viande' })
    expect((await ctx.storage.audit!.listAuditEntries(siteId, {})).items.filter((e) => e.action === 'person.criteriaSet')).toEqual([])
  })
})

describe('enrolments (seed 001: inscrire un enfant dans sa classe; seed 000: nombre maximum d\'élèves)', () => {
  it("refuses a new pupil beyond the site's licence limit with a message saying the limit, and stores nothing", async () => {
    const { ctx, siteId, as } = await fresh({ maxPupils: 1 })
    const secretary = await as(SECRETARY)
    await secretary.post('/staff/households/h2/children/new', { childId: 'k2', firstName: 'Zoé', lastName: 'Roux', birthDate: '2020-06-01', guardianId: 'g2', relationship: 'mother' })
    const r = await secretary.post('/staff/children/k2/enrol', { enrolmentId: 'e-k2', classId: 'ce1', level: 'CE1', from: '2026-09-01' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('la licence du site est limitée à 1 élèves et le site en compte déjà 1 sur cette période')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'enrolment', 'e-k2')).toBeUndefined()
  })

  it('enrols a child in a class from a date, shows the class and school by name, then ends the enrolment', async () => {
    const { ctx, siteId, as } = await fresh({ maxPupils: 5 })
    const secretary = await as(SECRETARY)
    await secretary.post('/staff/households/h2/children/new', { childId: 'k2', firstName: 'Zoé', lastName: 'Roux', birthDate: '2020-06-01', guardianId: 'g2', relationship: 'mother' })
    expect((await secretary.post('/staff/children/k2/enrol', { enrolmentId: 'e-k2', classId: 'ce1', level: 'CE1', from: '2026-09-01' })).location).toBe('/staff/children/k2?done=enrolled')
    const page = (await secretary.get('/staff/children/k2')).text
    expect(page).toContain('<td>École Jean-Jaurès</td><td>CE1</td><td>CE1</td><td>depuis le 01/09/2026</td>')
    expect((await secretary.post('/staff/enrolments/e-k2/end', { to: '2027-07-03' })).location).toBe('/staff/children/k2?done=ended')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'enrolment', 'e-k2'))?.to).toBe('2027-07-03')
    const overlap = await secretary.post('/staff/children/k1/enrol', { enrolmentId: 'e-k1-bis', classId: 'ce1', from: '2027-01-04' })
    expect(overlap.status).toBe(400)
    expect(overlap.text).toContain('Léo Martin a déjà une inscription sur ces dates')
  })

  it('refuses the cashier an enrolment, naming enrolments.write', async () => {
    const { ctx, siteId, as } = await fresh()
    const cashier = await as(CASHIER)
    const r = await cashier.post('/staff/children/k1/enrol', { enrolmentId: 'e-z', classId: 'ce1', from: '2027-09-01' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('enrolments.write')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'enrolment', 'e-z')).toBeUndefined()
  })
})

describe('billing rules of separated parents (seed 001: une semaine sur deux, règle miroir, tiers solidaire)', () => {
  it('stops the current rule, shows the diagnostics of the new one before saving (odd weeks unpaid, week 53), then saves it with its mirror: every day paid once', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    await secretary.post('/staff/households/new', { householdId: 'h-papa', guardianId: 'g-papa', firstName: 'Marc', lastName: 'Martin', childMode: 'existing', existingChildId: 'k1', relationship: 'father', name: 'Foyer Marc Martin' })
    // 1. stop the rule in force at a date
    expect((await secretary.post('/staff/children/k1/rules/r-k1-cantine/stop', { to: '2026-12-31' })).location).toBe('/staff/children/k1/rules?done=stopped')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-k1-cantine'))?.to).toBe('2026-12-31')
    // 2. the new rule from the next day, even weeks for Claire: checked before it is saved
    const rule = { ruleId: 'r-claire', payerId: 'g1', services: ['cantine'], from: '2027-01-01', to: '2027-07-03', criterion: 'isoParity', parity: 'even', week53: 'odd', weeks: '', jointDebtorId: '', mirrorId: '' }
    const alone = await secretary.post('/staff/children/k1/rules', { ...rule, step: 'preview' })
    expect(alone.status).toBe(200)
    expect(alone.text).toMatch(/Cantine, payé par personne : 01\/01\/2027 – 10\/01\/2027, 18\/01\/2027 – 24\/01\/2027, /)
    expect(alone.text).toContain('elle traverse la semaine 53 de 2026 (lundi 28/12/2026) ; semaine 53 comptée impaire.')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-claire')).toBeUndefined()
    // 3. with the mirror rule for Marc (odd weeks) and Marc as joint debtor: no day unpaid or paid twice
    const both = await secretary.post('/staff/children/k1/rules', { ...rule, mirrorId: 'g-papa', jointDebtorId: 'g-papa', step: 'preview' })
    expect(both.text).not.toMatch(/Cantine, payé par personne/)
    expect(both.text).not.toContain('payé deux fois')
    // the calendar of who pays: 1 January 2027, in ISO week 53 of 2026 (odd under this policy), is Marc's, week 1 of 2027 too (two weeks in a row), week 2 Claire's
    const row = (week: string) => both.text.match(new RegExp(`<th scope="row">${week}[^<]*</th>(.*?)</tr>`))?.[1] ?? ''
    expect(row('2026-W53')).toContain('Cantine : Marc Martin')
    expect(row('2027-W01')).toContain('Cantine : Marc Martin')
    expect(row('2027-W02')).toContain('Cantine : Claire Martin')
    // the after-school care Léo has rights to is billed by no rule at all: said too
    expect(both.text).toContain('Garderie du soir, payé par personne : 01/01/2027 – 03/07/2027.')
    const saved = await secretary.post('/staff/children/k1/rules', { ...rule, mirrorId: 'g-papa', jointDebtorId: 'g-papa', step: 'save' })
    expect(saved.location).toBe('/staff/children/k1/rules?done=added')
    const stored = (await ctx.storage.directory!.listBillingRulesOf(siteId, ['k1']))
    expect(stored.map((r) => [r.id, r.payers[0]!.guardianId, r.criterion, r.jointDebtorIds])).toEqual([
      ['r-claire', 'g1', { kind: 'isoParity', parity: 'even', week53: 'odd' }, ['g-papa']],
      ['r-claire-miroir', 'g-papa', { kind: 'isoParity', parity: 'odd', week53: 'odd' }, []],
      ['r-k1-cantine', 'g1', { kind: 'always' }, []],
    ])
    const page = (await secretary.get('/staff/children/k1/rules?done=added')).text
    expect(page).toContain('<td>Marc Martin</td><td>Cantine</td><td>01/01/2027 – 03/07/2027</td><td>semaines impaires, semaine 53 comptée impaire</td>')
  })

  it('saves nothing when another rule of the child was saved after the preview the secretary checked (409: check again), and saves once checked again', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const director = await as(SECRETARY)
    // both stop the current rule's share in their head: each previews a new even-weeks rule for Claire from January
    await secretary.post('/staff/children/k1/rules/r-k1-cantine/stop', { to: '2026-12-31' })
    const mine = { ruleId: 'r-mine', payerId: 'g1', services: ['cantine'], from: '2027-01-01', to: '2027-07-03', criterion: 'isoParity', parity: 'even', week53: 'odd', weeks: '', jointDebtorId: '', mirrorId: '' }
    const checked = await secretary.post('/staff/children/k1/rules', { ...mine, step: 'preview' })
    const version = checked.text.match(/name="rulesVersion" value="([^"]+)"/)![1]!
    // the other user saves an every-day rule for the same child and period first
    const theirs = await director.post('/staff/children/k1/rules', { ...mine, ruleId: 'r-theirs', criterion: 'always', step: 'preview' })
    expect((await director.post('/staff/children/k1/rules', { ...mine, ruleId: 'r-theirs', criterion: 'always', rulesVersion: theirs.text.match(/name="rulesVersion" value="([^"]+)"/)![1]!, step: 'save' })).location).toBe('/staff/children/k1/rules?done=added')
    // the secretary's save, checked against the rules before it, is refused: it would pay the even weeks twice unseen
    const late = await secretary.post('/staff/children/k1/rules', { ...mine, rulesVersion: version, step: 'save' })
    expect(late.status).toBe(409)
    expect(late.text).toContain('les règles de facturation de cet enfant ont changé depuis votre vérification')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-mine')).toBeUndefined()
    // checked again, the diagnostics now say which days would be paid twice; saving is then a knowing choice
    const again = await secretary.post('/staff/children/k1/rules', { ...mine, step: 'preview' })
    expect(again.text).toContain('payé deux fois')
    const saved = await secretary.post('/staff/children/k1/rules', { ...mine, rulesVersion: again.text.match(/name="rulesVersion" value="([^"]+)"/)![1]!, step: 'save' })
    expect(saved.location).toBe('/staff/children/k1/rules?done=added')
  })

  it('transfers a rule to the other parent from a date (seed 001: Transférer la règle sur), and refuses a date outside the rule naming it', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    await secretary.post('/staff/households/new', { householdId: 'h-papa', guardianId: 'g-papa', firstName: 'Marc', lastName: 'Martin', childMode: 'existing', existingChildId: 'k1', relationship: 'father', name: 'Foyer Marc Martin' })
    const early = await secretary.post('/staff/children/k1/rules/r-k1-cantine/transfer', { toGuardianId: 'g-papa', from: '2026-08-01' })
    expect(early.status).toBe(400)
    expect(early.text).toContain('Rien n&#39;a été enregistré : cannot transfer rule r-k1-cantine from 2026-08-01: it runs 2026-09-01..')
    expect((await ctx.storage.directory!.listBillingRulesOf(siteId, ['k1']))).toHaveLength(1)
    expect((await secretary.post('/staff/children/k1/rules/r-k1-cantine/transfer', { toGuardianId: 'g-papa', from: '2027-02-01' })).location).toBe('/staff/children/k1/rules?done=transferred')
    const rules = (await ctx.storage.directory!.listBillingRulesOf(siteId, ['k1']))
    expect(rules.map((r) => [r.payers[0]!.guardianId, r.from, r.to])).toEqual([['g1', '2026-09-01', '2027-01-31'], ['g-papa', '2027-02-01', undefined]])
  })

  it('deletes a rule after a confirmation that says what it will change', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const confirm = (await secretary.get('/staff/children/k1/rules/r-k1-cantine/delete')).text
    expect(confirm).toContain('Supprimer la règle de Claire Martin (tous les jours) pour Léo Martin ? Les jours qu&#39;elle couvrait ne seront plus facturés à personne.')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-k1-cantine')).toBeDefined()
    expect((await secretary.post('/staff/children/k1/rules/r-k1-cantine/delete', {})).location).toBe('/staff/children/k1/rules?done=deleted')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-k1-cantine')).toBeUndefined()
  })

  it('refuses a week that does not exist on the form, naming the field, and stores nothing; refuses the animateur naming billingRules.write', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const r = await secretary.post('/staff/children/k1/rules', { ruleId: 'r-bad', payerId: 'g1', services: 'cantine', from: '2026-09-01', to: '', criterion: 'weekList', weeks: '2027-W53', step: 'save' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('rule.criterion.weeks')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-bad')).toBeUndefined()
    const animateur = await as(ANIMATEUR)
    const refused = await animateur.post('/staff/children/k1/rules', { ruleId: 'r-a', payerId: 'g1', services: 'cantine', from: '2026-09-01', criterion: 'always', step: 'save' })
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('billingRules.write')
  })
})

describe('week templates (seed 001: réservations en masse selon une semaine type)', () => {
  it('shows the outcome day by day before applying, then books the days; a second application keeps them', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const form = { serviceId: 'cantine', weekdays: ['1', '2', '4', '5'], from: '2027-03-01', to: '2027-03-12', recurrence: 'everyWeek', weeks: '', mode: 'add' }
    const preview = await secretary.post('/staff/children/k1/week-template', { ...form, step: 'preview' })
    expect(preview.text).toContain('8 jour(s) à réserver, 0 déjà réservé(s), 0 refusé(s), 0 annulation(s).')
    expect(preview.text).toContain('lundi 1 mars 2027')
    const before = await ctx.storage.bookings!.listBookings(siteId, { from: '2027-03-01', to: '2027-03-12', beneficiaryId: 'k1' })
    expect(before.items).toEqual([])
    const applied = await secretary.post('/staff/children/k1/week-template', { ...form, step: 'apply' })
    expect(applied.text).toContain('Semaine type appliquée : 8 jour(s) réservé(s), 0 refusé(s), 0 annulé(s).')
    const booked = await ctx.storage.bookings!.listBookings(siteId, { from: '2027-03-01', to: '2027-03-12', beneficiaryId: 'k1' })
    expect(booked.items.map((b) => b.date)).toEqual(['2027-03-01', '2027-03-02', '2027-03-04', '2027-03-05', '2027-03-08', '2027-03-09', '2027-03-11', '2027-03-12'])
    const again = await secretary.post('/staff/children/k1/week-template', { ...form, step: 'apply' })
    expect(again.text).toContain('0 jour(s) réservé(s)')
    expect((await ctx.storage.bookings!.listBookings(siteId, { from: '2027-03-01', to: '2027-03-12', beneficiaryId: 'k1' })).items).toHaveLength(8)
  })

  it('refuses a template without a weekday on the form and books nothing; refuses the cashier naming bookings.write', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const r = await secretary.post('/staff/children/k1/week-template', { serviceId: 'cantine', from: '2027-03-01', to: '2027-03-12', recurrence: 'everyWeek', mode: 'add', step: 'apply' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('choose at least one weekday')
    const cashier = await as(CASHIER)
    const refused = await cashier.post('/staff/children/k1/week-template', { serviceId: 'cantine', weekdays: '1', from: '2027-03-01', to: '2027-03-12', recurrence: 'everyWeek', mode: 'add', step: 'apply' })
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('bookings.write')
    expect((await ctx.storage.bookings!.listBookings(siteId, { from: '2027-03-01', to: '2027-03-12', beneficiaryId: 'k1' })).items).toEqual([])
  })
})

describe('attendance (seed 001: pointer les présences, refusé avant le début de la prestation)', () => {
  it('lets the animateur of the after-school care list the class by name and mark Léo present for a past day', async () => {
    const { ctx, siteId, as } = await fresh()
    const animateur = await as(ANIMATEUR)
    const list = await animateur.get('/staff/attendance?date=2027-01-19&classId=cp&serviceId=garderie')
    expect(list.status).toBe(200)
    expect(list.text).toContain('>Léo Martin</a>')
    expect(list.text).not.toContain('<option value="cantine"')
    const r = await animateur.post('/staff/attendance', { date: '2027-01-19', classId: 'cp', serviceId: 'garderie', 'status:k1': 'present' })
    expect(r.status).toBe(200)
    expect(r.text).toContain('1 présence(s) enregistrée(s).')
    const marks = await ctx.storage.bookings!.listAttendance(siteId, { from: '2027-01-19', to: '2027-01-19' })
    expect(marks.items.map((m) => [m.beneficiaryId, m.serviceId, m.status])).toEqual([['k1', 'garderie', 'present']])
  })

  it('shows a child as booked on a day with more than 1,000 bookings of the service (the roll call read the first 1,000)', async () => {
    const { ctx, siteId, as } = await fresh()
    const at = new Date('2027-01-10T09:00:00Z')
    // 1,001 bookings of other children, listed before k1's (by date, then child)
    const others = Array.from({ length: 1001 }, (_, i) => ({ id: `b-a-${i}`, beneficiaryId: `a-${String(i).padStart(4, '0')}`, serviceId: 'garderie', date: '2027-01-19' as const, status: 'booked' as const, bookedAt: at }))
    await ctx.storage.transaction(siteId, (tx) => tx.bookings!.putBookings(siteId, [...others, { id: 'b-k1', beneficiaryId: 'k1', serviceId: 'garderie', date: '2027-01-19', status: 'booked', bookedAt: at }]))
    const animateur = await as(ANIMATEUR)
    const list = await animateur.get('/staff/attendance?date=2027-01-19&classId=cp&serviceId=garderie')
    expect(list.status).toBe(200)
    expect(list.text).toMatch(/>Léo Martin<\/a><\/th><td>oui<\/td>/)
  })

  it('refuses attendance before the service starts, saying when it starts, and stores nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    const animateur = await as(ANIMATEUR)
    const r = await animateur.post('/staff/attendance', { date: '2027-01-21', classId: 'cp', serviceId: 'garderie', 'status:k1': 'present' })
    expect(r.status).toBe(409)
    expect(r.text).toContain('0 présence(s) enregistrée(s) ; les autres sont refusées')
    expect(r.text).toMatch(/16:30|16 h 30/)
    expect((await ctx.storage.bookings!.listAttendance(siteId, { from: '2027-01-21', to: '2027-01-21' })).items).toEqual([])
  })

  it('refuses a mark for a child who is not in the posted class (a forged field), storing only the class\'s children', async () => {
    // the scope was checked against the posted class only: an animateur of one school could mark
    // every child of the site, and the after-school care is billed on the days attended
    const { ctx, siteId, as } = await fresh()
    const animateur = await as(ANIMATEUR)
    const r = await animateur.post('/staff/attendance', { date: '2027-01-19', classId: 'ce1', serviceId: 'garderie', 'status:k1': 'present' })
    expect(r.status).toBe(409)
    expect(r.text).toContain('Un enfant qui n’est pas inscrit en CE1 ce jour-là ne peut pas être pointé ici.')
    expect((await ctx.storage.bookings!.listAttendance(siteId, { from: '2027-01-19', to: '2027-01-19' })).items).toEqual([])
  })

  it('answers a date that is not on the calendar with 400 and the form, storing nothing (it was a server error)', async () => {
    const { ctx, siteId, as } = await fresh()
    const animateur = await as(ANIMATEUR)
    for (const date of ['2027-02-30', '0000-01-01']) {
      const r = await animateur.post('/staff/attendance', { date, classId: 'cp', serviceId: 'garderie', 'status:k1': 'present' })
      expect(r.status, date).toBe(400)
      expect(r.text).toContain('Indiquez une date du calendrier (jj/mm/aaaa).')
      expect((await animateur.get(`/staff/attendance?date=${date}&classId=cp&serviceId=garderie`)).status, date).toBe(200)
    }
    expect((await ctx.storage.bookings!.listAttendance(siteId, { from: '2027-01-01', to: '2027-12-31' })).items).toEqual([])
  })

  it('refuses the animateur the canteen as outside their scope, and the cashier naming attendance.write', async () => {
    const { ctx, siteId, as } = await fresh()
    const animateur = await as(ANIMATEUR)
    const canteen = await animateur.post('/staff/attendance', { date: '2027-01-19', classId: 'cp', serviceId: 'cantine', 'status:k1': 'present' })
    expect(canteen.status).toBe(403)
    expect(canteen.text).toContain('pas sur cet établissement ou cette prestation')
    const cashier = await as(CASHIER)
    const refused = await cashier.get('/staff/attendance')
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('attendance.write')
    expect((await ctx.storage.bookings!.listAttendance(siteId, { from: '2027-01-19', to: '2027-01-19' })).items).toEqual([])
  })
})

describe('dates on the forms follow the language', () => {
  it('shows the English hint dd/mm/yyyy and the document language on an English page', async () => {
    const { ctx, as } = await fresh()
    const secretary = await as(SECRETARY)
    await secretary.post('/lang', { lang: 'en' })
    const page = (await secretary.get('/staff/children/k1')).text
    expect(page).toContain('<html lang="en">')
    expect(page).toContain('Format: dd/mm/yyyy (e.g. 20/01/2027)')
    void ctx
  })
})

import { householdsOfChild } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { searchSite } from './search-support'
import { Client, host, pgliteForFile } from './support'

// Moving a guardian (children follow; parents who separate: a new household) and archiving a child,
// through HTTP (seed 001): each page says what will change, each refusal is shown on the form with
// nothing stored, each action refused to a role without its permission, naming it.
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-moves-${++site}`
  await searchSite(db.storage, siteId)
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

describe('moving a guardian to another household (seed 001: Comment déplacer un responsable ?)', () => {
  it('says which children will follow, finds the household by name, and moves the guardian with the children', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const form = await secretary.get('/staff/guardians/g3/move?q=martin')
    expect(form.text).toContain('Hélène Lefèvre quittera « Famille Lefèvre » ; ses enfants suivront : Éloïse Lefèvre, Hugo Lefèvre.')
    expect(form.text).toMatch(/value="h1"[^>]*\/?> Foyer Martin/)
    const r = await secretary.post('/staff/guardians/g3/move', { mode: 'existing', householdId: 'h1', q: 'martin' })
    expect([r.status, r.location]).toEqual([303, '/staff/households/h1?done=guardianMoved'])
    const page = (await secretary.get('/staff/households/h1?done=guardianMoved')).text
    expect(page).toContain('Le responsable a changé de foyer, avec ses enfants.')
    expect(page).toContain('>Hélène Lefèvre</a>')
    expect(page).toContain('>Éloïse Lefèvre</a>')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g3'))?.householdId).toBe('h1')
    const state = await ctx.storage.directory!.loadDirectory(siteId)
    // Éloïse's father still lives in the Lefèvre household: she now belongs to both
    expect(householdsOfChild(state, 'k3').sort()).toEqual(['h1', 'h3'])
    expect(householdsOfChild(state, 'k4')).toEqual(['h1'])
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, { subjectId: 'g3' })
    expect(trail.items.map((e) => `${e.action} ${JSON.stringify(e.after)}`)).toEqual(['guardian.moved {"householdId":"h1"}'])
  })

  it('moves a separating parent into a new household, the shared child then belonging to both', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const r = await secretary.post('/staff/guardians/g4/move', { mode: 'new', newHouseholdId: 'h-marc', name: 'Foyer Marc Dupuis', city: 'Lyon' })
    expect([r.status, r.location]).toEqual([303, '/staff/households/h-marc?done=guardianMoved'])
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'household', 'h-marc')).toMatchObject({ name: 'Foyer Marc Dupuis', address: { city: 'Lyon' } })
    expect(householdsOfChild(await ctx.storage.directory!.loadDirectory(siteId), 'k3').sort()).toEqual(['h-marc', 'h3'])
  })

  it('refuses a move without a destination, to the household the guardian lives in, or to a new household without a name, storing nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const none = await secretary.post('/staff/guardians/g3/move', { mode: 'existing' })
    expect(none.status).toBe(400)
    expect(none.text).toContain('Choisissez le foyer de destination, ou un nouveau foyer.')
    const same = await secretary.post('/staff/guardians/g3/move', { mode: 'existing', householdId: 'h3' })
    expect(same.status).toBe(400)
    expect(same.text).toContain('Hélène Lefèvre vit déjà dans le foyer quitté')
    const unnamed = await secretary.post('/staff/guardians/g3/move', { mode: 'new', newHouseholdId: 'h-x', name: '', city: 'Lyon' })
    expect(unnamed.status).toBe(400)
    expect(unnamed.text).toMatch(/Rien n&#39;a été enregistré : [^<]*newHousehold\.name/)
    expect(unnamed.text).toContain('value="Lyon"')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'household', 'h-x')).toBeUndefined()
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g3'))?.householdId).toBe('h3')
  })

  it('refuses the cashier the move, naming households.write, and moves nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    const cashier = await as(CASHIER)
    expect((await cashier.get('/staff/guardians/g3/move')).status).toBe(403)
    const r = await cashier.post('/staff/guardians/g3/move', { mode: 'existing', householdId: 'h1' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('households.write')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g3'))?.householdId).toBe('h3')
  })
})

describe('archiving and unarchiving a child (seed 001)', () => {
  it('says the child can no longer be booked, archives with the day and the reason, and unarchives', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    expect((await secretary.get('/staff/children/k3')).text).toContain('href="/staff/children/k3/archive"')
    const confirm = await secretary.get('/staff/children/k3/archive')
    expect(confirm.text).toContain("Archiver Éloïse Lefèvre ? L&#39;enfant ne pourra plus être réservé")
    const r = await secretary.post('/staff/children/k3/archive', { reason: 'Déménagement' })
    expect([r.status, r.location]).toEqual([303, '/staff/children/k3?done=archived'])
    expect((await secretary.get('/staff/children/k3?done=archived')).text).toContain("L&#39;enfant est archivé.")
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k3'))?.archived).toEqual({ on: '2027-01-20', reason: 'Déménagement' })
    expect((await secretary.get('/staff/children?archived=archived')).text).toContain('>Éloïse Lefèvre</a>')
    const again = await secretary.post('/staff/children/k3/archive', {})
    expect(again.status).toBe(400)
    expect(again.text).toContain('Cet enfant est déjà archivé.')
    expect((await secretary.post('/staff/children/k3/unarchive', {})).location).toBe('/staff/children/k3?done=unarchived')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k3'))?.archived).toBeNull()
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, { subjectId: 'k3' })
    expect(trail.items.map((e) => e.action).sort()).toEqual(['child.archived', 'child.unarchived'])
  })

  it('refuses the animateur, naming households.archive, and archives nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    const animateur = await as(ANIMATEUR)
    const r = await animateur.post('/staff/children/k3/archive', {})
    expect(r.status).toBe(403)
    expect(r.text).toContain('households.archive')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', 'k3'))?.archived).toBeNull()
  })
})

describe('adult meals (seed 001: inscrire un adulte à un repas)', () => {
  // the site has an adult class, "Adultes" (search-support.ts)
  const withAdultClass = fresh

  it('enrols a guardian in the adult class with rights to the canteen and a billing rule on themself, in one step', async () => {
    const { ctx, siteId, as } = await withAdultClass()
    const secretary = await as(SECRETARY)
    expect((await secretary.get('/staff/guardians/g2')).text).toContain('href="/staff/guardians/g2/adult-meals"')
    const form = await secretary.get('/staff/guardians/g2/adult-meals')
    expect(form.text).toContain('Paul Roux pourra réserver ses propres repas')
    const r = await secretary.post('/staff/guardians/g2/adult-meals', { classId: 'adultes', serviceId: 'cantine', from: '25/01/2027' })
    expect([r.status, r.location]).toEqual([303, '/staff/guardians/g2?done=adultEnrolled'])
    expect((await secretary.get('/staff/guardians/g2?done=adultEnrolled')).text).toContain("L&#39;adulte est inscrit à ses repas, facturés à son nom.")
    const state = await ctx.storage.directory!.loadDirectory(siteId)
    expect(state.guardians['g2']?.bookingEnabled).toBe(true)
    expect(Object.values(state.enrolments).filter((e) => e.beneficiaryId === 'g2').map((e) => [e.beneficiaryKind, e.classId, e.from])).toEqual([['adult', 'adultes', '2027-01-25']])
    expect(Object.values(state.subscriptions).filter((x) => x.beneficiaryId === 'g2').map((x) => [x.serviceId, x.from])).toEqual([['cantine', '2027-01-25']])
    const rules = (await ctx.storage.directory!.listBillingRulesOf(siteId, ['g2']))
    expect(rules.map((x) => [x.payers, x.covers, x.from])).toEqual([[[{ guardianId: 'g2', weight: 1 }], [{ beneficiaryId: 'g2', serviceId: 'cantine' }], '2027-01-25']])
    expect((await secretary.get('/staff/guardians/g2/adult-meals')).text).toContain('Adultes')
  })

  it('refuses an archived guardian by name and stores nothing, and refuses the cashier naming enrolments.write', async () => {
    const { ctx, siteId, as } = await withAdultClass()
    await ctx.storage.directory!.putDirectoryRecord(siteId, 'guardian', { ...(await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g2'))!, archived: { on: '2026-07-04' } })
    const secretary = await as(SECRETARY)
    const r = await secretary.post('/staff/guardians/g2/adult-meals', { classId: 'adultes', serviceId: 'cantine', from: '2027-01-25' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('Paul Roux')
    const state = await ctx.storage.directory!.loadDirectory(siteId)
    expect(Object.values(state.enrolments).filter((e) => e.beneficiaryId === 'g2')).toEqual([])
    expect((await ctx.storage.directory!.listBillingRulesOf(siteId, ['g2']))).toEqual([])
    const cashier = await as(CASHIER)
    const refused = await cashier.post('/staff/guardians/g1/adult-meals', { classId: 'adultes', serviceId: 'cantine', from: '2027-01-25' })
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('enrolments.write')
  })
})

import { describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { Client, host, pgliteForFile } from './support'

// Two staff users open the same edit form, both save: the second is told that someone changed the
// record since (who, when, what), what they typed stays on the form, nothing is overwritten.
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-versions-${++site}`
  await peopleSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  return { ctx, siteId, as }
}

const SECRETARY = 'secretariat@jaures.example'
const ADMIN = 'bo-admin@jaures.example'
const versionIn = (page: string) => page.match(/name="version" value="([^"]*)"/)?.[1] ?? ''

describe('a guardian edited by two staff users at once (no last write wins)', () => {
  it('tells the second to save who changed the guardian and what, keeps what they typed on the form, and keeps the first save whole with one audit entry', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const admin = await as(ADMIN)
    const mine = versionIn((await secretary.get('/staff/guardians/g1/edit')).text)
    const theirs = versionIn((await admin.get('/staff/guardians/g1/edit')).text)
    expect(mine).toMatch(/^v1-/)
    expect(theirs).toBe(mine)
    const first = await admin.post('/staff/guardians/g1/edit', { version: theirs, firstName: 'Claire', lastName: 'Martin', email: 'claire@example.fr', phone: '01 02 03 04 05', mobile: '' })
    expect(first.location).toBe('/staff/guardians/g1/edit?done=contact')
    const stored = await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1')
    const second = await secretary.post('/staff/guardians/g1/edit', { version: mine, firstName: 'Claire', lastName: 'Martin-Durand', email: '', phone: '', mobile: '06 00 00 00 00' })
    expect(second.status).toBe(409)
    expect(second.text).toContain('Cette fiche a été modifiée par Alice Administratrice le ')
    expect(second.text).toContain('Rien n&#39;a été enregistré : ce que vous avez saisi est conservé ci-dessous.')
    expect(second.text).toContain('<td>E-mail</td><td>—</td><td>claire@example.fr</td>')
    expect(second.text).toContain('value="Martin-Durand"')
    expect(second.text).toContain('value="06 00 00 00 00"')
    expect(second.text).toContain('href="/staff/guardians/g1/edit">Recharger la fiche')
    expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1')).toEqual(stored)
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, { subjectKind: 'guardian', subjectId: 'g1' })
    expect(trail.items.map((e) => `${e.action} ${e.actor.id}`)).toEqual(['guardian.edited u-bo-admin'])
    // the form now carries the version stored now: saving again replaces the change knowingly
    const again = versionIn(second.text)
    expect(again).not.toBe(mine)
    const replaced = await secretary.post('/staff/guardians/g1/edit', { version: again, firstName: 'Claire', lastName: 'Martin-Durand', email: '', phone: '', mobile: '06 00 00 00 00' })
    expect(replaced.location).toBe('/staff/guardians/g1/edit?done=contact')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1'))?.lastName).toBe('Martin-Durand')
  })

  it('says it in the user\'s language (English)', async () => {
    const { as } = await fresh()
    const secretary = await as(SECRETARY)
    const admin = await as(ADMIN)
    await secretary.post('/lang', { lang: 'en', back: '/staff/guardians/g1/edit' })
    const mine = versionIn((await secretary.get('/staff/guardians/g1/edit')).text)
    await admin.post('/staff/guardians/g1/edit', { version: mine, firstName: 'Claire', lastName: 'Martin', email: 'claire@example.fr', phone: '', mobile: '' })
    const second = await secretary.post('/staff/guardians/g1/edit', { version: mine, firstName: 'Clara', lastName: 'Martin', email: '', phone: '', mobile: '' })
    expect(second.status).toBe(409)
    expect(second.text).toContain('This record was changed by Alice Administratrice on ')
    expect(second.text).toContain('Nothing was saved: what you typed is kept below.')
    expect(second.text).toContain('value="Clara"')
    expect(second.text).toContain('Reload the record')
  })
})

describe('a household renamed by two staff users at once', () => {
  it('refuses the second rename (409) with who renamed it and the name before and after, keeps the name typed on the form, and stores the first name only', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const admin = await as(ADMIN)
    const mine = versionIn((await secretary.get('/staff/households/h1')).text)
    const theirs = versionIn((await admin.get('/staff/households/h1')).text)
    expect(theirs).toBe(mine)
    expect((await admin.post('/staff/households/h1/rename', { version: theirs, name: 'Foyer Martin-Roux' })).status).toBe(303)
    const second = await secretary.post('/staff/households/h1/rename', { version: mine, name: 'Famille Martin' })
    expect(second.status).toBe(409)
    expect(second.text).toContain('Cette fiche a été modifiée par Alice Administratrice le ')
    expect(second.text).toContain('<td>Foyer Martin</td><td>Foyer Martin-Roux</td>')
    expect(second.text).toContain('value="Famille Martin"')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'household', 'h1'))?.name).toBe('Foyer Martin-Roux')
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, { subjectKind: 'household', subjectId: 'h1' })
    expect(trail.items.map((e) => `${e.action} ${e.actor.id}`)).toEqual(['household.renamed u-bo-admin'])
  })
})

describe('an establishment edited by two staff users at once', () => {
  it('refuses the second save (409) naming what changed, keeps what was typed, and stores the first save', async () => {
    const { ctx, siteId, as } = await fresh()
    const direction = await as('direction@jaures.example')
    const admin = await as(ADMIN)
    const page = '/staff/admin/establishment'
    const mine = versionIn((await direction.get(page)).text)
    expect(versionIn((await admin.get(page)).text)).toBe(mine)
    expect((await admin.post(`${page}/${SITE.schoolId}`, { version: mine, name: 'École Jean-Jaurès de Créteil', email: '', uai: '' })).status).toBe(303)
    const second = await direction.post(`${page}/${SITE.schoolId}`, { version: mine, name: 'École Jaurès', email: 'ecole@example.fr', uai: '' })
    expect(second.status).toBe(409)
    expect(second.text).toContain('Cette fiche a été modifiée par Alice Administratrice le ')
    expect(second.text).toContain('<td>École Jean-Jaurès</td><td>École Jean-Jaurès de Créteil</td>')
    expect(second.text).toContain('value="ecole@example.fr"')
    const stored = await ctx.storage.directory!.getDirectoryRecord(siteId, 'school', SITE.schoolId)
    expect([stored?.name, stored?.email]).toEqual(['École Jean-Jaurès de Créteil', undefined])
  })
})

describe('the site edited by two staff users at once (seed 000)', () => {
  it('refuses the second save (409) naming who changed the site and what, keeps what was typed, and stores the first save with one audit entry', async () => {
    const { ctx, siteId, as } = await fresh()
    const direction = await as('direction@jaures.example')
    const admin = await as(ADMIN)
    const page = '/staff/admin/site'
    const mine = versionIn((await direction.get(page)).text)
    expect(versionIn((await admin.get(page)).text)).toBe(mine)
    const form = { name: 'École de Créteil', country: 'FR', maxPupils: '', maxStorageGb: '' }
    expect((await admin.post(page, { ...form, version: mine })).status).toBe(303)
    const second = await direction.post(page, { ...form, name: 'Mairie de Créteil', city: 'Créteil', version: mine })
    expect(second.status).toBe(409)
    expect(second.text).toContain('Cette fiche a été modifiée par Alice Administratrice le ')
    expect(second.text).toContain('<td>École de Créteil</td>')
    expect(second.text).toContain('value="Mairie de Créteil"')
    expect((await ctx.storage.directory!.getSite(siteId))?.name).toBe('École de Créteil')
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, { subjectKind: 'site', subjectId: siteId })
    expect(trail.items.map((e) => `${e.action} ${e.actor.id}`)).toEqual(['site.edited u-bo-admin'])
  })
})

describe('a billing rule changed by two staff users at once (seed 001: arrêter, supprimer une règle)', () => {
  it('refuses the deletion confirmed on a rule someone stopped since the confirmation was shown (409, who and when), and keeps the stopped rule', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as(SECRETARY)
    const admin = await as(ADMIN)
    const confirm = (await secretary.get('/staff/children/k1/rules/r-k1-cantine/delete')).text
    const mine = versionIn(confirm)
    expect(mine).toMatch(/^v1-/)
    const stop = (await admin.get('/staff/children/k1/rules')).text
    expect(versionIn(stop)).toBe(mine)
    expect((await admin.post('/staff/children/k1/rules/r-k1-cantine/stop', { version: mine, to: '2026-12-31' })).location).toBe('/staff/children/k1/rules?done=stopped')
    const second = await secretary.post('/staff/children/k1/rules/r-k1-cantine/delete', { version: mine })
    expect(second.status).toBe(409)
    expect(second.text).toContain('Cette fiche a été modifiée par Alice Administratrice le ')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-k1-cantine'))?.to).toBe('2026-12-31')
  })
})

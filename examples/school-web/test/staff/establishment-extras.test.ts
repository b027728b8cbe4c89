import { RoleSchema, SchoolSchema } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { Client, host, pgliteForFile } from './support'

// The rest of seed 003 on the establishment screen through HTTP: per-diploma label overrides with
// their reset, and the inspector access that only a head-teacher profile opens.
const db = pgliteForFile()
let site = 0

const DIRECTION = 'direction@jaures.example'
const ADMIN = 'bo-admin@jaures.example'
const SECRETARY = 'secretariat@jaures.example'
const SCHOOL = SITE.schoolId
const LABELS = `/staff/admin/establishment/labels?school=${SCHOOL}&diploma=dnb`

async function fresh() {
  const siteId = `staff-establishment-extras-${++site}`
  await peopleSite(db.storage, siteId)
  await db.storage.directory!.putDirectoryRecord(siteId, 'school', SchoolSchema.parse({ id: SCHOOL, siteId, name: 'Collège Jean-Jaurès', email: 'ce.0751234j@ac-creteil.fr', uai: '0751234J' }))
  await db.storage.directory!.putDirectoryRecord(siteId, 'role', RoleSchema.parse({ id: 'inspection', siteId, label: 'Inspection', permissions: ['households.read'] }))
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string, password?: string) => {
    const client = new Client(app, ctx)
    await client.login(login, password)
    return client
  }
  const school = () => ctx.storage.directory!.getDirectoryRecord(siteId, 'school', SCHOOL)
  return { ctx, siteId, as, school }
}

describe('diploma input labels (seed 003: « Modifier les masques de saisie », réinitialiser)', () => {
  it('renames two labels of the brevet, empties one back to its default, then resets the diploma after a confirmation; audited', async () => {
    const { ctx, siteId, as, school } = await fresh()
    const direction = await as(DIRECTION)
    const form = (await direction.get(LABELS)).text
    expect(form).toContain('<option value="dnb" selected="">Diplôme national du brevet</option>')
    expect(form).toContain('Vide : l&#39;intitulé par défaut « Épreuve orale ».')
    const r = await direction.post(LABELS, { oral: 'Soutenance de projet', writtenFrench: 'Français (écrit)', writtenMaths: '', skills: '' })
    expect(r.location).toBe(`${LABELS}&done=saved`)
    expect((await school())?.labelOverrides).toEqual({ dnb: { oral: 'Soutenance de projet', writtenFrench: 'Français (écrit)' } })
    expect((await direction.post(LABELS, { oral: 'Soutenance de projet', writtenFrench: '', writtenMaths: '', skills: '' })).status).toBe(303)
    expect((await school())?.labelOverrides).toEqual({ dnb: { oral: 'Soutenance de projet' } })
    const confirm = await direction.get(`/staff/admin/establishment/labels/reset?school=${SCHOOL}&diploma=dnb`)
    expect(confirm.text).toContain('Les 1 intitulé(s) modifié(s) du diplôme « Diplôme national du brevet » reprendront leur valeur par défaut.')
    expect((await school())?.labelOverrides).toEqual({ dnb: { oral: 'Soutenance de projet' } })
    expect((await direction.post(`/staff/admin/establishment/labels/reset?school=${SCHOOL}&diploma=dnb`, {})).location).toBe(`${LABELS}&done=reset`)
    expect((await school())?.labelOverrides).toEqual({})
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.filter((e) => e.action.startsWith('establishment.labels')).length).toBe(3)
  })

  it('refuses the secretary the labels, naming settings.establishment', async () => {
    const { as, school } = await fresh()
    const r = await (await as(SECRETARY)).post(LABELS, { oral: 'Piraté' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('« settings.establishment »')
    expect((await school())?.labelOverrides).toEqual({})
  })
})

describe('inspector access (seed 003: ouvert obligatoirement via le profil « Chef d’établissement »)', () => {
  const INSPECTOR = { firstName: 'Ines', lastName: 'Pecteur', login: 'ien@ac-creteil.fr', password: 'une-phrase-assez-longue', confirmation: 'une-phrase-assez-longue', roleId: 'inspection' }

  it('opens the access from the head-teacher profile: an inspector user granted by her, who can sign in', async () => {
    const { ctx, siteId, as } = await fresh()
    const direction = await as(DIRECTION)
    const r = await direction.post('/staff/admin/establishment/inspector', INSPECTOR)
    expect([r.status, r.location]).toEqual([303, '/staff/admin/establishment/inspector?done=opened'])
    const users = (await ctx.storage.access!.listUsers(siteId, { limit: 100 })).items
    expect(users.find((u) => u.login === 'ien@ac-creteil.fr')).toMatchObject({ profile: 'inspector', grantedBy: 'u-bo-direction', roleId: 'inspection' })
    expect((await direction.get('/staff/admin/establishment/inspector')).text).toContain('Ines Pecteur (ien@ac-creteil.fr) — ouvert par Danielle Directrice')
    const inspector = await as('ien@ac-creteil.fr', INSPECTOR.password)
    expect((await inspector.get('/staff')).status).toBe(200)
  })

  it('refuses the administrator (not a head teacher) with the library’s reason, and the secretary naming inspector.grant; nothing stored', async () => {
    const { ctx, siteId, as } = await fresh()
    const before = (await ctx.storage.access!.listUsers(siteId, { limit: 100 })).items.length
    const admin = await as(ADMIN)
    expect((await admin.get('/staff/admin/establishment/inspector')).text).toContain('Votre profil n&#39;est pas « Chef d&#39;établissement » : l&#39;ouverture sera refusée.')
    const r = await admin.post('/staff/admin/establishment/inspector', INSPECTOR)
    expect(r.status).toBe(400)
    expect(r.text).toContain('Refusé : seul un directeur d&#39;école ouvre un accès inspecteur.')
    const secretary = await as(SECRETARY)
    const s = await secretary.post('/staff/admin/establishment/inspector', INSPECTOR)
    expect(s.status).toBe(403)
    expect(s.text).toContain('« inspector.grant »')
    expect((await ctx.storage.access!.listUsers(siteId, { limit: 100 })).items.length).toBe(before)
  })
})

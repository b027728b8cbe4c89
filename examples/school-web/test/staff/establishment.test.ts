import { ChildSchema, EnrolmentSchema, pupilTransfer } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { Client, host, pgliteForFile } from './support'

// The establishment screen of the back office (seed 003, « Paramètres »: Etablissement, Transferts)
// through HTTP: each change stored with its audit entry, each refusal naming the permission that is
// missing, each bad input shown on the form with nothing stored.
const db = pgliteForFile()
let site = 0

const DIRECTION = 'direction@jaures.example'
const SECRETARY = 'secretariat@jaures.example'
const PAGE = '/staff/admin/establishment'
const SCHOOL = SITE.schoolId

async function fresh() {
  const siteId = `staff-establishment-${++site}`
  await peopleSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  const school = () => ctx.storage.directory!.getDirectoryRecord(siteId, 'school', SCHOOL)
  return { ctx, siteId, as, school }
}

describe('the establishment (seed 003: nom, adresse électronique et code UAI, nécessaires pour créer des utilisateurs)', () => {
  it('says what is still needed, then saves name, e-mail and UAI with an audit entry, and says the establishment is complete', async () => {
    const { ctx, siteId, as, school } = await fresh()
    const direction = await as(DIRECTION)
    const before = await direction.get(PAGE)
    expect(before.status).toBe(200)
    expect(before.text).toContain('Encore nécessaire avant de créer des utilisateurs : Adresse électronique, Code UAI (RNE).')
    const r = await direction.post(`${PAGE}/${SCHOOL}`, { name: 'École Jean-Jaurès de Créteil', email: 'ce.0751234j@ac-creteil.fr', uai: '0751234j' })
    expect([r.status, r.location]).toEqual([303, `${PAGE}?school=${SCHOOL}&done=saved`])
    const saved = await school()
    expect([saved?.name, saved?.email, saved?.uai]).toEqual(['École Jean-Jaurès de Créteil', 'ce.0751234j@ac-creteil.fr', '0751234J'])
    const after = (await direction.get(`${PAGE}?school=${SCHOOL}&done=saved`)).text
    expect(after).toContain('Les renseignements de l&#39;établissement sont enregistrés.')
    expect(after).toContain("L&#39;établissement est complet : les utilisateurs peuvent être créés.")
    expect(after).toContain('value="0751234J"')
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.filter((e) => e.action === 'establishment.edited').map((e) => `${e.subject.kind}:${e.subject.id}`)).toEqual([`school:${SCHOOL}`])
  })

  it('refuses a UAI whose check letter is wrong on the form, naming school.uai, keeps what was typed and stores nothing', async () => {
    const { as, school } = await fresh()
    const direction = await as(DIRECTION)
    const r = await direction.post(`${PAGE}/${SCHOOL}`, { name: 'Autre nom', email: 'ecole@example.fr', uai: '0751234A' })
    expect(r.status).toBe(400)
    expect(r.text).toMatch(/Rien n&#39;a été enregistré : [^<]*school\.uai[^<]*UAI code/)
    expect(r.text).toContain('value="0751234A"')
    const stored = await school()
    expect([stored?.name, stored?.email, stored?.uai]).toEqual(['École Jean-Jaurès', undefined, undefined])
  })

  it('refuses the secretary (no settings.establishment) the screen and the form, naming the permission, and changes nothing', async () => {
    const { as, school } = await fresh()
    const secretary = await as(SECRETARY)
    const page = await secretary.get(PAGE)
    expect(page.status).toBe(403)
    expect(page.text).toContain('« settings.establishment »')
    const r = await secretary.post(`${PAGE}/${SCHOOL}`, { name: 'Piraté', email: '', uai: '' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('settings.establishment')
    expect((await school())?.name).toBe('École Jean-Jaurès')
    expect((await secretary.get('/staff')).text).not.toContain(`href="${PAGE}"`)
  })
})

describe('the pupil-data transfer (seed 003: numéro de déclaration CNIL, « Oui », transferts effectués, élèves sans INE)', () => {
  it('refuses switching transfer on without a CNIL declaration number, saying so, and stores nothing', async () => {
    const { as, school } = await fresh()
    const direction = await as(DIRECTION)
    const r = await direction.post(`${PAGE}/${SCHOOL}/transfer`, { cnilDeclaration: '', enabled: 'yes' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('Refusé : indiquez le numéro de la déclaration CNIL pour activer le transfert.')
    const stored = await school()
    expect([stored?.cnilDeclaration, stored?.pupilTransferEnabled]).toEqual([undefined, false])
  })

  it('switches transfer on with the number, then lists the transfer log by name and the pupils without INE', async () => {
    const { ctx, siteId, as, school } = await fresh()
    await ctx.storage.transaction(siteId, async (tx) => {
      const d = tx.directory!
      await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'k-ines', siteId, firstName: 'Inès', lastName: 'Benali', birthDate: '2019-02-11', ine: '070803070AJ', guardians: [{ guardianId: 'g2', relationship: 'mother' }] }))
      await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: 'e-ines', siteId, beneficiaryId: 'k-ines', schoolId: SCHOOL, classId: 'cp', from: '2026-09-01' }))
      await d.putDirectoryRecord(siteId, 'pupilTransfer', pupilTransfer({ siteId, schoolId: SCHOOL, direction: 'received', childId: 'k-ines', ine: '070803070AJ', date: '2026-09-01', otherUai: '0750001U', recordedAt: '2026-09-01T08:00:00Z' }))
    })
    const direction = await as(DIRECTION)
    const off = (await direction.get(PAGE)).text
    expect(off).toContain('value="no" checked=""')
    expect(off).toContain('Activez le transfert avec le numéro de déclaration CNIL pour voir la liste des élèves sans INE.')
    expect(off).not.toContain('Léo Martin')
    const r = await direction.post(`${PAGE}/${SCHOOL}/transfer`, { cnilDeclaration: '1234567', enabled: 'yes' })
    expect([r.status, r.location]).toEqual([303, `${PAGE}?school=${SCHOOL}&done=transfer`])
    const stored = await school()
    expect([stored?.cnilDeclaration, stored?.pupilTransferEnabled]).toEqual(['1234567', true])
    const page = (await direction.get(`${PAGE}?school=${SCHOOL}`)).text
    // the log line: direction, INE, the child by name, the day, the other establishment's UAI
    expect(page).toMatch(/<td>Reçu<\/td><td><code>070803070AJ<\/code><\/td><td>Inès Benali<\/td><td>01\/09\/2026<\/td><td>0750001U<\/td>/)
    // Léo Martin has no INE: listed; Inès has one: not listed
    expect(page).toMatch(/<ul class="without-ine"><li>Léo Martin<\/li><\/ul>/)
    // a page at a time: with one line a page, the second line (sent) is behind the next-page link
    await ctx.storage.transaction(siteId, async (tx) => {
      await tx.directory!.putDirectoryRecord(siteId, 'pupilTransfer', pupilTransfer({ siteId, schoolId: SCHOOL, direction: 'sent', childId: 'k-ines', ine: '070803070AJ', date: '2027-01-15', otherUai: undefined, recordedAt: '2027-01-15T08:00:00Z' }))
    })
    const first = (await direction.get(`${PAGE}?school=${SCHOOL}&limit=1`)).text
    expect(first).toContain('<td>Reçu</td>')
    expect(first).not.toContain('<td>Envoyé</td>')
    const next = first.match(/<a href="([^"]+)" rel="next">/)?.[1]?.replaceAll('&amp;', '&')
    expect(next).toMatch(/^\/staff\/admin\/establishment\?school=ecole-jaures&after=/)
    const second = (await direction.get(`${next}&limit=1`)).text
    expect(second).toMatch(/<td>Envoyé<\/td><td><code>070803070AJ<\/code><\/td><td>Inès Benali<\/td><td>15\/01\/2027<\/td><td>-<\/td>/)
    expect(second).not.toContain('<td>Reçu</td>')
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.some((e) => e.action === 'establishment.transfer' && e.subject.id === SCHOOL)).toBe(true)
  })

  it('refuses the secretary (no pupils.transfer) the transfer switch, naming the permission, and changes nothing', async () => {
    const { as, school } = await fresh()
    const secretary = await as(SECRETARY)
    const r = await secretary.post(`${PAGE}/${SCHOOL}/transfer`, { cnilDeclaration: '1234567', enabled: 'yes' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('« pupils.transfer »')
    expect((await school())?.pupilTransferEnabled).toBe(false)
  })
})

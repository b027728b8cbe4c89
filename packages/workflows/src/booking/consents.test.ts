import { isEcoleError, type ConsentRecordInput, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { acceptBookingConsent, consentAcceptancesPage, consentShownVersion, deleteConsent, guardianConsents, listConsents, saveConsent, storedBookingConsents, type BookingSiteSettings, type ConsentChange } from './index'

const clock = { now: () => new Date('2026-09-02T08:00:00Z') }
let n = 0
const site = () => `consents-${process.pid}-${++n}`

function rules(siteId: string, extra: Partial<ConsentRecordInput> = {}): ConsentRecordInput {
  return { id: 'rules', siteId, label: 'Règlement de la restauration', texts: { fr: "J'accepte le règlement.", en: 'I accept the rules.' }, validity: { from: '2026-09-01' }, scope: { kind: 'services', serviceIds: ['lunch'] }, ...extra }
}

async function settingsOf(storage: StoragePorts, siteId: string): Promise<BookingSiteSettings> {
  return { timeZone: 'Europe/Paris', billingOfficeId: 'regie', services: [], offers: [], consents: await storedBookingConsents({ storage }, siteId) }
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (error) {
    return isEcoleError(error) ? error.code : String(error)
  }
  return 'no error'
}

describe('consents stored and edited (workflows)', () => {
  it('creates a consent, refuses the same id twice and an edit of an unknown id, and reports each write for the audit trail', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    const changes: ConsentChange[] = []
    const withChange = async (_tx: unknown, c: ConsentChange) => void changes.push(c)
    expect((await saveConsent({ storage }, rules(s), { create: true, withChange })).result).toBe('created')
    expect(await codeOf(saveConsent({ storage }, rules(s), { create: true }))).toBe('DUPLICATE_ID')
    expect(await codeOf(saveConsent({ storage }, rules(s, { id: 'other' })))).toBe('NOT_FOUND')
    expect(changes.map((c) => [c.action, c.id, c.before === undefined, c.after?.version])).toEqual([['consent.created', 'rules', true, 1]])
    expect((await listConsents({ storage }, s)).map((c) => c.id)).toEqual(['rules'])
  })

  it('asks guardians who accepted to accept again when the text changes, keeping their earlier acceptance as history', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    await saveConsent({ storage }, rules(s), { create: true })
    expect(await acceptBookingConsent({ storage, clock }, await settingsOf(storage, s), { siteId: s, consentId: 'rules', guardianId: 'marie' })).toBe('created')
    const changes: ConsentChange[] = []
    const saved = await saveConsent({ storage }, rules(s, { texts: { fr: 'Nouveau règlement : allergies déclarées.' } }), { withChange: async (_tx, c) => void changes.push(c) })
    expect(saved).toMatchObject({ result: 'updated', newVersion: true, record: { version: 2 } })
    expect(changes.map((c) => c.action)).toEqual(['consent.newVersion'])
    const settings = await settingsOf(storage, s)
    expect(settings.consents?.map((c) => c.id)).toEqual(['rules~v2'])
    const mine = await guardianConsents({ storage, clock }, settings, { siteId: s, guardianId: 'marie', date: '2026-09-02' })
    expect(mine.map((c) => [c.consent.id, c.acceptedAt !== undefined])).toEqual([['rules~v2', false]])
    expect((await consentAcceptancesPage({ storage }, { siteId: s, consentId: 'rules', version: 1 })).items.map((a) => a.guardianId)).toEqual(['marie'])
    expect((await consentAcceptancesPage({ storage }, { siteId: s, consentId: 'rules', version: 2 })).items).toEqual([])
  })

  it('keeps the version and its acceptances when only the label, validity or scope change, and an inactive consent gates nothing', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    await saveConsent({ storage }, rules(s), { create: true })
    await acceptBookingConsent({ storage, clock }, await settingsOf(storage, s), { siteId: s, consentId: 'rules', guardianId: 'marie' })
    const saved = await saveConsent({ storage }, rules(s, { label: 'Règlement 2026-2027', scope: { kind: 'site' }, validity: { from: '2026-09-01', to: '2027-07-03' } }))
    expect(saved).toMatchObject({ newVersion: false, record: { version: 1, label: 'Règlement 2026-2027' } })
    const mine = await guardianConsents({ storage, clock }, await settingsOf(storage, s), { siteId: s, guardianId: 'marie', date: '2026-09-02' })
    expect(mine.map((c) => [c.consent.id, c.acceptedAt !== undefined])).toEqual([['rules', true]])
    await saveConsent({ storage }, rules(s, { active: false }))
    expect((await settingsOf(storage, s)).consents).toEqual([])
  })

  it('deletes a consent nobody accepted, and refuses to delete one a guardian accepted (CONSENT_ACCEPTED), which stays with its acceptances', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    await saveConsent({ storage }, rules(s), { create: true })
    await saveConsent({ storage }, rules(s, { id: 'photos', label: 'Photos' }), { create: true })
    await acceptBookingConsent({ storage, clock }, await settingsOf(storage, s), { siteId: s, consentId: 'rules', guardianId: 'marie' })
    const changes: ConsentChange[] = []
    expect((await deleteConsent({ storage }, { siteId: s, consentId: 'photos' }, { withChange: async (_tx, c) => void changes.push(c) })).id).toBe('photos')
    expect(changes.map((c) => [c.action, c.id, c.after])).toEqual([['consent.deleted', 'photos', undefined]])
    expect(await codeOf(deleteConsent({ storage }, { siteId: s, consentId: 'rules' }))).toBe('CONSENT_ACCEPTED')
    expect(await codeOf(deleteConsent({ storage }, { siteId: s, consentId: 'photos' }))).toBe('NOT_FOUND')
    expect((await listConsents({ storage }, s)).map((c) => c.id)).toEqual(['rules'])
    expect((await consentAcceptancesPage({ storage }, { siteId: s, consentId: 'rules' })).items).toHaveLength(1)
  })

  it('starts a consent created again with the id of a deleted one with no acceptance: one recorded after the deletion, from a page shown before it, never counts', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    await saveConsent({ storage }, rules(s), { create: true })
    const shown = await settingsOf(storage, s)
    await deleteConsent({ storage }, { siteId: s, consentId: 'rules' })
    // a static consent of the settings (no record) is accepted as before: here, the page read before the deletion
    expect(await acceptBookingConsent({ storage, clock }, shown, { siteId: s, consentId: 'rules', guardianId: 'g1' })).toBe('created')
    await saveConsent({ storage }, rules(s, { texts: { fr: "J'accepte le nouveau règlement." } }), { create: true })
    expect((await consentAcceptancesPage({ storage }, { siteId: s, consentId: 'rules' })).items).toEqual([])
    expect((await guardianConsents({ storage, clock }, await settingsOf(storage, s), { siteId: s, guardianId: 'g1', date: '2026-09-02' })).map((c) => c.acceptedAt ?? null)).toEqual([null])
  })

  it('refuses an acceptance of a stored consent made inactive since the page was shown (RECORD_CHANGED), and records nothing', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    await saveConsent({ storage }, rules(s), { create: true })
    const shown = await settingsOf(storage, s)
    await saveConsent({ storage }, rules(s, { active: false }))
    expect(await codeOf(acceptBookingConsent({ storage, clock }, shown, { siteId: s, consentId: 'rules', guardianId: 'g1' }))).toBe('RECORD_CHANGED')
    expect((await consentAcceptancesPage({ storage }, { siteId: s, consentId: 'rules' })).items).toEqual([])
  })

  it('refuses, with the version the page showed, an acceptance of a consent edited in place since (RECORD_CHANGED): a guardian accepts only the text they read', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    await saveConsent({ storage }, rules(s), { create: true })
    const shown = await settingsOf(storage, s)
    const shownVersion = consentShownVersion((await listConsents({ storage }, s))[0]!)
    // nobody accepted version 1 yet, so the edit changes its text in place (still version 1)
    const edited = await saveConsent({ storage }, rules(s, { texts: { fr: "J'accepte le règlement et les photos." } }))
    expect([edited.newVersion, edited.record.version]).toEqual([false, 1])
    const refused = await acceptBookingConsent({ storage, clock }, shown, { siteId: s, consentId: 'rules', guardianId: 'g1', shownVersion }).then(() => undefined, (e: unknown) => e)
    expect(isEcoleError(refused, 'RECORD_CHANGED') && refused.details).toMatchObject({ kind: 'consent', id: 'rules', expectedVersion: 1, actualVersion: 1, active: true, shownVersion, field: 'consentId' })
    expect((await consentAcceptancesPage({ storage }, { siteId: s, consentId: 'rules' })).items).toEqual([])
    // the page shown again carries the new text's version, and the acceptance goes through
    const again = consentShownVersion((await listConsents({ storage }, s))[0]!)
    expect(again).not.toBe(shownVersion)
    expect(await acceptBookingConsent({ storage, clock }, await settingsOf(storage, s), { siteId: s, consentId: 'rules', guardianId: 'g1', shownVersion: again })).toBe('created')
  })

  it('refuses, with the version the page showed, an acceptance of a consent deleted since (RECORD_CHANGED, deleted), and records nothing', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    await saveConsent({ storage }, rules(s), { create: true })
    const shown = await settingsOf(storage, s)
    const shownVersion = consentShownVersion((await listConsents({ storage }, s))[0]!)
    await deleteConsent({ storage }, { siteId: s, consentId: 'rules' })
    const refused = await acceptBookingConsent({ storage, clock }, shown, { siteId: s, consentId: 'rules', guardianId: 'g1', shownVersion }).then(() => undefined, (e: unknown) => e)
    expect(isEcoleError(refused, 'RECORD_CHANGED') && refused.details).toMatchObject({ kind: 'consent', id: 'rules', deleted: true, shownVersion })
    expect((await consentAcceptancesPage({ storage }, { siteId: s, consentId: 'rules' })).items).toEqual([])
  })

  it('gives one shown version to equal records and another to any change of text, label, validity, scope or activity; refuses a malformed one (INVALID_INPUT naming shownVersion)', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    await saveConsent({ storage }, rules(s), { create: true })
    const [stored] = await listConsents({ storage }, s)
    const base = consentShownVersion(stored!)
    expect(base).toMatch(/^v1-[0-9a-f]{16}$/)
    expect(consentShownVersion({ ...stored! })).toBe(base)
    for (const changed of [
      { ...stored!, texts: { ...stored!.texts, fr: 'Autre texte.' } }, { ...stored!, label: 'Autre' }, { ...stored!, validity: { from: '2026-09-02' as LocalDate } },
      { ...stored!, scope: { kind: 'site' as const } }, { ...stored!, active: false },
    ]) expect(consentShownVersion(changed)).not.toBe(base)
    const shown = await settingsOf(storage, s)
    for (const shownVersion of ['', 'v1-xyz', 'v1-0123456789abcdeF', 42]) {
      const error = await acceptBookingConsent({ storage, clock }, shown, { siteId: s, consentId: 'rules', guardianId: 'g1', shownVersion: shownVersion as string }).then(() => undefined, (e: unknown) => e)
      expect(isEcoleError(error, 'INVALID_INPUT') && error.details.issues[0]?.path).toBe('shownVersion')
    }
  })

  it('refuses a linked document that is not stored, naming consent.documentId', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    try {
      await saveConsent({ storage }, rules(s, { documentId: 'missing-doc' }), { create: true })
      expect.unreachable()
    } catch (error) {
      expect(isEcoleError(error, 'INVALID_INPUT') && error.details.issues[0]?.path).toBe('consent.documentId')
    }
  })

  it('pages who accepted a consent, the next cursor given only when there is more', async () => {
    const storage = await createMemoryStorage()
    const s = site()
    await saveConsent({ storage }, rules(s), { create: true })
    const settings = await settingsOf(storage, s)
    for (const g of ['g1', 'g2', 'g3']) await acceptBookingConsent({ storage, clock }, settings, { siteId: s, consentId: 'rules', guardianId: g })
    const first = await consentAcceptancesPage({ storage }, { siteId: s, consentId: 'rules', limit: 2 })
    expect([first.items.map((a) => a.guardianId), first.next]).toEqual([['g1', 'g2'], 'g2'])
    const second = await consentAcceptancesPage({ storage }, { siteId: s, consentId: 'rules', limit: 2, after: first.next })
    expect([second.items.map((a) => a.guardianId), second.next]).toEqual([['g3'], undefined])
  })
})

describe('group-scoped consents reach booking', () => {
  it('gives each child read for booking the classes and schools of its enrolments, which a consent scoped to groups matches', async () => {
    const { ChildSchema, EnrolmentSchema } = await import('@ecole/core')
    const { loadBookingFacts } = await import('./index')
    const storage = await createMemoryStorage()
    const s = site()
    await storage.transaction(s, async (tx) => {
      await tx.directory!.putDirectoryRecord(s, 'child', ChildSchema.parse({ id: 'c1', siteId: s, firstName: 'Léa', lastName: 'Roux', birthDate: '2019-04-02', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }))
      await tx.directory!.putDirectoryRecord(s, 'enrolment', EnrolmentSchema.parse({ id: 'e1', siteId: s, beneficiaryId: 'c1', schoolId: 'school', classId: 'ce1', from: '2026-09-01' }))
    })
    const facts = await storage.transaction(s, (tx) => loadBookingFacts(tx))
    expect(facts.children.map((c) => [c.id, c.groupIds])).toEqual([['c1', ['ce1', 'school']]])
  })
})

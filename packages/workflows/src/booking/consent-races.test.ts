import { isEcoleError, type ConsentRecordInput } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { heldOpenAfter, within } from '../test-support/held-open'
import { serverStorage } from '../test-support/server-storage'
import { acceptBookingConsent, consentAcceptancesPage, consentShownVersion, deleteConsent, listConsents, saveConsent, storedBookingConsents, type BookingSiteSettings } from './index'

// Staff delete or edit a stored consent while parents accept it from the portal, on a real
// PostgreSQL server (PGlite runs one transaction at a time, so only a server shows a race).
const url = process.env['ECOLE_PG_URL']
const clock = { now: () => new Date('2027-02-08T07:30:00Z') }
const consent = (siteId: string, text = "J'accepte que mon enfant soit photographié."): ConsentRecordInput => ({
  id: 'photos', siteId, label: 'Photos de classe', texts: { fr: text }, validity: { from: '2026-09-01' }, scope: { kind: 'site' },
})
const settingsOf = async (storage: StoragePorts, siteId: string): Promise<BookingSiteSettings> => ({
  timeZone: 'Europe/Paris', billingOfficeId: 'regie', services: [], offers: [], consents: await storedBookingConsents({ storage }, siteId),
})
const acceptancesOf = async (storage: StoragePorts, siteId: string, version = 1) => (await consentAcceptancesPage({ storage }, { siteId, consentId: 'photos', version, limit: 100 })).items

describe.skipIf(!url)('a stored consent deleted or edited while parents accept it, on a PostgreSQL server', () => {
  const storage = serverStorage(url!, 16)
  const site = (what: string) => `consent-race-${what}-${process.pid}-${Date.now()}`
  /** A stored consent, and g1's acceptance of it written and held open inside its transaction. */
  async function acceptanceHeldOpen(siteId: string) {
    await saveConsent({ storage }, consent(siteId), { create: true })
    const settings = await settingsOf(storage, siteId)
    const slow = heldOpenAfter(storage, 'bookings', 'acceptConsent')
    // (audited, as the portal does: the acceptance and its audit entry in one transaction)
    const accepting = acceptBookingConsent({ storage: slow.storage, clock }, settings, { siteId, consentId: 'photos', guardianId: 'g1' }, { audit: { entryId: `${siteId}-a1` } })
    await within(slow.written, 'the acceptance was written inside its transaction')
    return { accepting, slow }
  }

  it('refuses the deletion (CONSENT_ACCEPTED) of a consent whose acceptance is being written: the deletion waits for it, then sees it', async () => {
    const siteId = site('delete')
    const { accepting, slow } = await acceptanceHeldOpen(siteId)
    const deleting = deleteConsent({ storage }, { siteId, consentId: 'photos' }).then(() => 'deleted', (e: unknown) => e)
    // the deletion is waiting for the consent's lock (before the fix, it read no acceptance and deleted)
    await new Promise((r) => setTimeout(r, 300))
    slow.release()
    expect(await accepting).toBe('created')
    const deleted = await deleting
    expect(isEcoleError(deleted, 'CONSENT_ACCEPTED')).toBe(true)
    expect(await storage.directory!.getDirectoryRecord(siteId, 'consent', 'photos')).toBeDefined()
    expect((await acceptancesOf(storage, siteId)).map((a) => a.guardianId)).toEqual(['g1'])
  })

  it("makes a new version of a consent edited while a guardian's acceptance is being written: the acceptance keeps the text the guardian read", async () => {
    const siteId = site('edit')
    const { accepting, slow } = await acceptanceHeldOpen(siteId)
    const editing = saveConsent({ storage }, consent(siteId, "J'accepte que mon enfant soit photographié et filmé."))
    await new Promise((r) => setTimeout(r, 300))
    slow.release()
    expect(await accepting).toBe('created')
    // before the fix, the edit saw no acceptance and changed version 1's text under the guardian's acceptance
    const edited = await editing
    expect([edited.newVersion, edited.record.version]).toEqual([true, 2])
    expect((await acceptancesOf(storage, siteId, 1)).map((a) => a.guardianId)).toEqual(['g1'])
    expect(await acceptancesOf(storage, siteId, 2)).toEqual([])
  })

  it('refuses (RECORD_CHANGED) an acceptance of a version that an edit replaced while the acceptance waited for the consent', async () => {
    const siteId = site('stale')
    await saveConsent({ storage }, consent(siteId), { create: true })
    await acceptBookingConsent({ storage, clock }, await settingsOf(storage, siteId), { siteId, consentId: 'photos', guardianId: 'g1' })
    const shown = await settingsOf(storage, siteId)
    // the edit makes version 2 (g1 accepted version 1); g2 accepts version 1 from the page shown before
    await saveConsent({ storage }, consent(siteId, "J'accepte que mon enfant soit filmé."))
    const refused = await acceptBookingConsent({ storage, clock }, shown, { siteId, consentId: 'photos', guardianId: 'g2' }).then(() => undefined, (e: unknown) => e)
    expect(isEcoleError(refused, 'RECORD_CHANGED') && refused.details).toMatchObject({ kind: 'consent', id: 'photos', expectedVersion: 1, actualVersion: 2 })
    expect((await acceptancesOf(storage, siteId, 1)).map((a) => a.guardianId)).toEqual(['g1'])
  })

  it('over rounds of 12 parents accepting while staff delete: a deletion succeeds only when no acceptance is stored, and a consent created again with the id starts with none', async () => {
    const outcomes = new Set<string>()
    for (let round = 0; round < 8; round++) {
      const siteId = site(`round${round}`)
      await saveConsent({ storage }, consent(siteId), { create: true })
      const settings = await settingsOf(storage, siteId)
      const guardians = Array.from({ length: 12 }, (_, g) => `g${g}`)
      const [deleted, ...accepted] = await Promise.allSettled([
        (async () => { await new Promise((r) => setTimeout(r, round % 4)); return deleteConsent({ storage }, { siteId, consentId: 'photos' }) })(),
        ...guardians.map((guardianId) => acceptBookingConsent({ storage, clock }, settings, { siteId, consentId: 'photos', guardianId })),
      ])
      for (const a of accepted) if (a.status === 'rejected') throw a.reason
      const stored = await storage.directory!.getDirectoryRecord(siteId, 'consent', 'photos')
      if (deleted.status === 'fulfilled') {
        expect(stored).toBeUndefined()
        // acceptances that came after the deletion (from a page shown before it) never count for a consent created again
        const again = await saveConsent({ storage }, consent(siteId), { create: true })
        expect(again.record.version).toBe(1)
        expect(await acceptancesOf(storage, siteId)).toEqual([])
        outcomes.add('deleted')
      } else {
        expect(isEcoleError(deleted.reason, 'CONSENT_ACCEPTED')).toBe(true)
        expect(stored).toBeDefined()
        expect((await acceptancesOf(storage, siteId)).length).toBeGreaterThan(0)
        outcomes.add('refused')
      }
    }
    expect(outcomes.size).toBeGreaterThan(0)
  }, 120_000)

  it.each([
    ['deleted', 'deleteDirectoryRecord'],
    ['edited in place', 'putDirectoryRecord'],
  ] as const)('refuses (RECORD_CHANGED) the acceptances of 12 parents that waited for a consent being %s: none is stored', async (what, method) => {
    const siteId = site(`held-${method}`)
    await saveConsent({ storage }, consent(siteId), { create: true })
    const settings = await settingsOf(storage, siteId)
    const shownVersion = consentShownVersion((await listConsents({ storage }, siteId))[0]!)
    // the staff change is written and held open inside its transaction, with the consent's lock
    const slow = heldOpenAfter(storage, 'directory', method)
    const changing = what === 'deleted'
      ? deleteConsent({ storage: slow.storage }, { siteId, consentId: 'photos' })
      : saveConsent({ storage: slow.storage }, consent(siteId, "J'accepte que mon enfant soit filmé."))
    await within(slow.written, `the consent ${what} inside its transaction`)
    const accepting = Array.from({ length: 12 }, (_, g) =>
      acceptBookingConsent({ storage, clock }, settings, { siteId, consentId: 'photos', guardianId: `g${g}`, shownVersion }).then(() => 'created', (e: unknown) => e))
    await new Promise((r) => setTimeout(r, 300))
    slow.release()
    await changing
    // before the fix, each acceptance found the consent deleted (stored for a consent that no longer
    // exists) or at version 1 (stored as accepting a text the parent never read)
    for (const outcome of await Promise.all(accepting)) expect(isEcoleError(outcome, 'RECORD_CHANGED')).toBe(true)
    expect(await acceptancesOf(storage, siteId)).toEqual([])
  })

  it('over rounds of 12 parents accepting the version their page showed while staff delete or edit in place: no acceptance outlives a deletion, and none is of a text the parent did not read', async () => {
    const outcomes = new Set<string>()
    for (let round = 0; round < 8; round++) {
      const siteId = site(`shown${round}`)
      const original = "J'accepte que mon enfant soit photographié."
      await saveConsent({ storage }, consent(siteId, original), { create: true })
      const settings = await settingsOf(storage, siteId)
      const shownVersion = consentShownVersion((await listConsents({ storage }, siteId))[0]!)
      const deleting = round % 2 === 0
      const guardians = Array.from({ length: 12 }, (_, g) => `g${g}`)
      const [staff, ...accepted] = await Promise.allSettled([
        (async () => {
          await new Promise((r) => setTimeout(r, round < 4 ? 0 : round % 4))
          return deleting ? deleteConsent({ storage }, { siteId, consentId: 'photos' }) : saveConsent({ storage }, consent(siteId, "J'accepte que mon enfant soit filmé."))
        })(),
        // the first four rounds let the staff start first, the others the parents, spread over a few milliseconds
        ...guardians.map(async (guardianId, g) => {
          await new Promise((r) => setTimeout(r, round < 4 ? 2 + g : g % 3))
          return acceptBookingConsent({ storage, clock }, settings, { siteId, consentId: 'photos', guardianId, shownVersion })
        }),
      ])
      for (const a of accepted) if (a.status === 'rejected' && !isEcoleError(a.reason, 'RECORD_CHANGED')) throw a.reason
      const createdBy = guardians.filter((_, i) => accepted[i]!.status === 'fulfilled').sort()
      const stored = await storage.directory!.getDirectoryRecord(siteId, 'consent', 'photos')
      const version1 = (await acceptancesOf(storage, siteId, 1)).map((a) => a.guardianId).sort()
      // every acceptance stored is one the caller was told was recorded, and the refused ones stored nothing
      expect(version1).toEqual(createdBy)
      if (deleting && staff.status === 'fulfilled') {
        expect(stored).toBeUndefined()
        expect(version1).toEqual([]) // before the fix: the acceptances after the deletion were stored, for a consent that no longer exists
        outcomes.add('deleted')
      } else if (deleting) {
        expect(staff.status === 'rejected' && isEcoleError(staff.reason, 'CONSENT_ACCEPTED')).toBe(true)
        expect(version1.length).toBeGreaterThan(0)
        outcomes.add('deletion refused')
      } else {
        if (staff.status === 'rejected') throw staff.reason
        const edited = staff.value as Awaited<ReturnType<typeof saveConsent>>
        if (edited.newVersion) {
          // accepted before the edit: version 1 keeps the text they read, the edit made version 2
          expect(version1.length).toBeGreaterThan(0)
          outcomes.add('new version')
        } else {
          // edited in place: nobody had accepted, and nobody accepted the new text from the old page
          expect(version1).toEqual([])
          expect(consentShownVersion(stored as never)).not.toBe(shownVersion)
          outcomes.add('edited in place')
        }
      }
    }
    expect(outcomes.size).toBeGreaterThan(1)
  }, 120_000)
})

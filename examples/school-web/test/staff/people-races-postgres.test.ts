import { ChildSchema, CustomAttributeSchema, defineFamilyQuotients, defineSepaMandate, GuardianSchema, InsuranceSchema, setSepaMandateSuspended } from '@ecole/core'
import { lockRecords } from '@ecole/workflows'
import type { StorageTransaction } from '@ecole/core/ports'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peopleSite } from './people-support'
import { Client, host } from './support'

// Two secretaries racing through the people screens on a real PostgreSQL server (PGlite runs one
// transaction at a time, so only a server shows a race). Each test has a site of its own.
const url = process.env['ECOLE_PG_URL']

/**
 * Runs `write` in a transaction and holds it open, uncommitted, until `release()`: another writer
 * of the same record, caught between its write and its commit. Resolves once `write` is done.
 */
async function heldOpen(storage: PostgresStorage, siteId: string, write: (tx: StorageTransaction) => Promise<void>): Promise<{ done: Promise<void>; release: () => void }> {
  let release!: () => void
  let written!: () => void
  const gate = new Promise<void>((r) => { release = r })
  const writtenP = new Promise<void>((r) => { written = r })
  const done = storage.transaction(siteId, async (tx) => {
    await write(tx)
    written()
    await gate
  })
  await Promise.race([writtenP, done])
  return { done, release }
}

describe.skipIf(!url)('the people screens racing other writers on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it("two secretaries enrolling at once never go beyond the site's licence limit: with room for one more pupil, two new pupils enrolled at the same moment give one enrolment and one refusal", async () => {
    for (let round = 0; round < 3; round++) {
      const siteId = `staff-people-races-${process.pid}-${Date.now()}-${round}`
      // Léo is the one pupil; the licence allows two
      await peopleSite(storage, siteId, { maxPupils: 2 })
      for (const id of ['k2', 'k3']) {
        await storage.directory!.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id, siteId, firstName: id, lastName: 'Roux', birthDate: '2020-01-01', guardians: [{ guardianId: 'g2', relationship: 'mother' }] }))
      }
      const { ctx, app } = await host(storage, siteId)
      const a = new Client(app, ctx)
      const b = new Client(app, ctx)
      await a.login('secretariat@jaures.example')
      await b.login('bo-admin@jaures.example')
      const [ra, rb] = await Promise.all([
        a.post('/staff/children/k2/enrol', { enrolmentId: 'e-k2', classId: 'ce1', from: '2026-09-01' }),
        b.post('/staff/children/k3/enrol', { enrolmentId: 'e-k3', classId: 'ce1', from: '2026-09-01' }),
      ])
      expect([ra.status, rb.status].sort()).toEqual([303, 400])
      const loser = ra.status === 400 ? ra : rb
      expect(loser.text).toContain('la licence du site est limitée à 2 élèves et le site en compte déjà 2')
      const enrolments = await storage.directory!.listDirectoryRecords(siteId, 'enrolment')
      expect(enrolments.items).toHaveLength(2)
    }
  }, 120_000)

  it('a SEPA mandate amended by the régie while a direct-debit return suspends it keeps the suspension and takes the new IBAN: the amendment waits for the return, then amends the mandate as the return left it', async () => {
    const siteId = `staff-mandate-race-${process.pid}-${Date.now()}`
    await peopleSite(storage, siteId)
    await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'mandate-g2', siteId, debtorId: 'g2', rum: 'RUM-G2', signatureDate: '2026-09-01', debtorName: 'Paul Roux', iban: 'FR7630006000011234567890189' }))
    const { ctx, app } = await host(storage, siteId)
    const cashier = new Client(app, ctx)
    await cashier.login('regisseur@jaures.example')
    // a return as the library writes it (recordDirectDebitReturn: the mandate locked, read, suspended), its transaction held open
    const { done: returning, release } = await heldOpen(storage, siteId, async (tx) => {
      await lockRecords(tx, siteId, [{ kind: 'sepaMandate', id: 'mandate-g2' }])
      const mandate = (await tx.directory!.getDirectoryRecord(siteId, 'sepaMandate', 'mandate-g2'))!
      await tx.directory!.putDirectoryRecord(siteId, 'sepaMandate', setSepaMandateSuspended(mandate, true))
    })
    const amending = cashier.post('/staff/guardians/g2/mandate', { debtorName: 'Paul Roux', iban: 'FR7610107001011234567890129', bic: '', rum: 'RUM-G2', signatureDate: '2026-09-01' })
    await new Promise((r) => setTimeout(r, 300))
    release()
    await returning
    expect((await amending).status).toBe(303)
    // before the fix, the form wrote back the mandate it read before the return committed: active again
    const mandate = (await storage.directory!.getDirectoryRecord(siteId, 'sepaMandate', 'mandate-g2'))!
    expect([mandate.status, mandate.iban]).toEqual(['suspended', 'FR7610107001011234567890129'])
  }, 60_000)
  it("two family quotients saved at once for one guardian both stay: the second waits for the first, then ends the first's period the day before its own", async () => {
    const siteId = `staff-quotient-race-${process.pid}-${Date.now()}`
    await peopleSite(storage, siteId)
    const { ctx, app } = await host(storage, siteId)
    const secretary = new Client(app, ctx)
    await secretary.login('secretariat@jaures.example')
    // another secretary's save as the host writes it (the record locked, read, written), its transaction held open
    const { done: first, release } = await heldOpen(storage, siteId, async (tx) => {
      await lockRecords(tx, siteId, [{ kind: 'familyQuotient', id: 'g2' }])
      await tx.directory!.putDirectoryRecord(siteId, 'familyQuotient', defineFamilyQuotients({ id: 'g2', siteId, quotients: [{ quotient: '700', from: '2027-01-01' }] }))
    })
    const second = secretary.post('/staff/guardians/g2/quotient', { quotient: '910', from: '2027-03-01' })
    await new Promise((r) => setTimeout(r, 300))
    release()
    await first
    expect((await second).status).toBe(303)
    // before the fix, the second save wrote back the record it read before the first committed: the January QF lost
    expect((await storage.directory!.getDirectoryRecord(siteId, 'familyQuotient', 'g2'))?.quotients).toEqual([
      { quotient: '700', from: '2027-01-01', to: '2027-02-28' },
      { quotient: '910', from: '2027-03-01' },
    ])
  }, 60_000)
  it('two secretaries opening the same rights of a child at once give one subscription and one refusal (no overlapping rights)', async () => {
    for (let round = 0; round < 3; round++) {
      const siteId = `staff-subscribe-race-${process.pid}-${Date.now()}-${round}`
      await peopleSite(storage, siteId)
      await storage.directory!.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: 'k2', siteId, firstName: 'Zoé', lastName: 'Roux', birthDate: '2020-01-01', guardians: [{ guardianId: 'g2', relationship: 'mother' }] }))
      const { ctx, app } = await host(storage, siteId)
      const [a, b] = [new Client(app, ctx), new Client(app, ctx)]
      await a.login('secretariat@jaures.example')
      await b.login('bo-admin@jaures.example')
      const statuses = await Promise.all([a, b].map(async (c, n) => (await c.post('/staff/children/k2/subscribe', { subscriptionId: `d-k2-${n}`, serviceId: 'cantine', subscribeFrom: '2026-09-01' })).status))
      expect(statuses.sort()).toEqual([303, 400])
      expect((await storage.directory!.listDirectoryRecords(siteId, 'subscription')).items.filter((x) => x.beneficiaryId === 'k2')).toHaveLength(1)
    }
  }, 120_000)

  async function insuranceSite(siteId: string, guardians: number) {
    await peopleSite(storage, siteId)
    const d = storage.directory!
    await d.putDirectoryRecord(siteId, 'insurance', InsuranceSchema.parse({ id: 'ins-maif', siteId, label: 'MAIF Scolaire', visible: true }))
    for (let n = 3; n < 3 + guardians; n++) await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: `g${n}`, siteId, householdId: 'h2', firstName: `Parent${n}`, lastName: 'Roux' }))
  }
  const holders = async (siteId: string) => (await storage.directory!.listDirectoryRecords(siteId, 'guardian', { limit: 1000 })).items.filter((g) => g.insurances.some((i) => i.insuranceId === 'ins-maif')).map((g) => g.id).sort()
  const insuranceExists = async (siteId: string) => (await storage.directory!.getDirectoryRecord(siteId, 'insurance', 'ins-maif')) !== undefined

  it("an insurance added to a guardian's file while its deletion is being committed is refused once the deletion commits: no file keeps an insurance the list no longer has", async () => {
    const siteId = `staff-insurance-race-a-${process.pid}-${Date.now()}`
    await insuranceSite(siteId, 0)
    const { ctx, app } = await host(storage, siteId)
    const secretary = new Client(app, ctx)
    await secretary.login('secretariat@jaures.example')
    // the deletion as the host writes it (the insurance locked, no holder, deleted), its transaction held open
    const { done: deleting, release } = await heldOpen(storage, siteId, async (tx) => {
      await lockRecords(tx, siteId, [{ kind: 'insurance', id: 'ins-maif' }])
      await tx.directory!.deleteDirectoryRecord(siteId, 'insurance', 'ins-maif')
    })
    const adding = secretary.post('/staff/guardians/g2/insurances', { insuranceId: 'ins-maif', policyNumber: 'P-1' })
    await new Promise((r) => setTimeout(r, 300))
    release()
    await deleting
    const r = await adding
    // before the fix, the form read the insurance before the deletion committed and stored it on Paul's file
    expect(r.status).toBe(409)
    expect(r.text).toContain('n&#39;est plus dans la liste')
    expect([await insuranceExists(siteId), await holders(siteId)]).toEqual([false, []])
  }, 60_000)

  it("an insurance deleted from the list while it is being added to a guardian's file is refused once the addition commits, naming the guardian", async () => {
    const siteId = `staff-insurance-race-b-${process.pid}-${Date.now()}`
    await insuranceSite(siteId, 0)
    const { ctx, app } = await host(storage, siteId)
    const direction = new Client(app, ctx)
    await direction.login('direction@jaures.example')
    // the addition as the host writes it (the insurance locked, Paul's file written), its transaction held open
    const { done: adding, release } = await heldOpen(storage, siteId, async (tx) => {
      await lockRecords(tx, siteId, [{ kind: 'insurance', id: 'ins-maif' }])
      const paul = (await tx.directory!.getDirectoryRecord(siteId, 'guardian', 'g2'))!
      await tx.directory!.putDirectoryRecord(siteId, 'guardian', { ...paul, insurances: [{ insuranceId: 'ins-maif', policyNumber: 'P-1' }] })
    })
    const deleting = direction.post('/staff/admin/insurances/ins-maif/delete', {})
    await new Promise((r) => setTimeout(r, 300))
    release()
    await adding
    const r = await deleting
    // before the fix, the holders were read before the addition committed: the insurance was deleted and stayed on Paul's file
    expect(r.status).toBe(400)
    expect(r.text).toContain('est sur la fiche de : Paul Roux')
    expect([await insuranceExists(siteId), await holders(siteId)]).toEqual([true, ['g2']])
  }, 60_000)

  it('six secretaries adding an insurance to six files while the direction deletes it, five rounds: either the insurance stays with its holders, or it is gone from every file', async () => {
    for (let round = 0; round < 5; round++) {
      const siteId = `staff-insurance-race-c-${process.pid}-${Date.now()}-${round}`
      await insuranceSite(siteId, 6)
      const { ctx, app } = await host(storage, siteId)
      const secretaries = await Promise.all(Array.from({ length: 6 }, async () => {
        const c = new Client(app, ctx)
        await c.login('secretariat@jaures.example')
        return c
      }))
      const direction = new Client(app, ctx)
      await direction.login('direction@jaures.example')
      const [deleted, ...added] = await Promise.all([
        direction.post('/staff/admin/insurances/ins-maif/delete', {}),
        ...secretaries.map((c, n) => c.post(`/staff/guardians/g${n + 3}/insurances`, { insuranceId: 'ins-maif', policyNumber: `P-${n}` })),
      ])
      const kept = await holders(siteId)
      const exists = await insuranceExists(siteId)
      if (exists) {
        // the deletion was refused: every addition went through, each on its guardian's file
        expect(deleted!.status).toBe(400)
        expect(added.map((r) => r.status)).toEqual(added.map(() => 303))
        expect(kept).toEqual(added.map((_, n) => `g${n + 3}`).sort())
      } else {
        expect(deleted!.status).toBe(303)
        expect(kept).toEqual([])
        expect(added.every((r) => r.status === 303 || r.status === 409)).toBe(true)
      }
    }
  }, 180_000)

  it("a criterion's value set on a child while that value is being taken off the criterion's list is refused once the edit commits: no child keeps a value the criterion no longer offers", async () => {
    for (let round = 0; round < 3; round++) {
      const siteId = `staff-criteria-race-${process.pid}-${Date.now()}-${round}`
      await peopleSite(storage, siteId)
      const regime = CustomAttributeSchema.parse({ id: 'regime', siteId, label: 'Régime', appliesTo: 'child', allowedValues: ['sans porc', 'végétarien'] })
      await storage.directory!.putDirectoryRecord(siteId, 'customAttribute', regime)
      const { ctx, app } = await host(storage, siteId)
      const secretary = new Client(app, ctx)
      await secretary.login('secretariat@jaures.example')
      // the criterion's edit as the host writes it (the criterion locked, its values changed), its transaction held open
      const { done: editing, release } = await heldOpen(storage, siteId, async (tx) => {
        await lockRecords(tx, siteId, [{ kind: 'customAttribute', id: 'regime' }])
        await tx.directory!.putDirectoryRecord(siteId, 'customAttribute', { ...regime, allowedValues: ['sans porc'] })
      })
      const setting = secretary.post('/staff/children/k1/criteria', { 'criterion.regime': 'végétarien' })
      await new Promise((r) => setTimeout(r, 300))
      release()
      await editing
      const r = await setting
      // before the lock, the value was checked against the list read before the edit committed, and stored
      expect(r.status).toBe(409)
      expect((await storage.directory!.getDirectoryRecord(siteId, 'child', 'k1'))?.attributes).toEqual({})
    }
  }, 120_000)
})

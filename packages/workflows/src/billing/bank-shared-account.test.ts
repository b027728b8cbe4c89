import { parseCamt053, testCamt053, type TestCamtEntry } from '@ecole/bank'
import { isEcoleError, walletAccountId, type Invoice, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import * as fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, importBankStatement, previewBankStatement, validateDrafts, type BillingDeps } from './index'

// Two billing offices of one site (a canteen office and a crèche) share one bank account: a
// statement of that account pays invoices of both and tops up wallets of both.
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
let sites = 0
const IBAN = 'BE68539007547034'
const G1_REF = 'RF18539007547034' // g1's wallet reference: the same at every office
const G2_REF = 'RF7111AA'

async function twoOffices(storage: StoragePorts) {
  const deps: BillingDeps = { storage, clock }
  const siteId = `shared-${process.pid}-${++sites}`
  const invoices: Record<'cantine' | 'creche', Invoice[]> = { cantine: [], creche: [] }
  for (const [office, siteCode, cents] of [['cantine', '042', 830n], ['creche', '043', 2500n]] as const) {
    const charges: InvoiceChargeLine[] = ['g1', 'g2'].map((payerId, p) => ({
      chargeId: `${payerId}|${office}`, debtorId: payerId, beneficiaryId: `k${p}`, serviceId: office, date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: cents, amountMinor: cents,
    }))
    await createInvoiceBatch(deps, { batch: { id: office, siteId, billingOfficeId: office, period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: [office], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
    invoices[office] = await validateDrafts(deps, { siteId, batchId: office, issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode } })
  }
  const of = (office: 'cantine' | 'creche', debtor: string) => invoices[office].find((i) => i.debtorId === debtor)!
  return { storage, deps, of, siteId }
}

const pays = (ref: string, invoice: Invoice, cents: bigint): TestCamtEntry => ({ ref, cents, credit: true, date: '2027-01-16', structured: { reference: invoice.paymentReference!, issuer: 'ISO' } })
const topUp = (ref: string, reference: string, cents: bigint): TestCamtEntry => ({ ref, cents, credit: true, date: '2027-01-16', structured: { reference, issuer: 'ISO' } })
const offices = ['cantine', 'creche'] as const

async function walletBalance(deps: BillingDeps, siteId: string, payer: string, office: string): Promise<bigint> {
  const [wallet] = await deps.storage.ledger!.getBalances(siteId, [walletAccountId(payer, office)])
  return wallet?.posted ?? 0n
}

function onStorage(name: string, create: () => Promise<StoragePorts>, runs: number) {
  let opened: Promise<StoragePorts> | undefined
  const open = () => (opened ??= create())
  afterAll(async () => { if (opened) await (await opened).close() })

  describe(`importBankStatement over several billing offices sharing one bank account, on ${name}`, () => {
    // opened before the tests (PGlite takes seconds to start, more than a test's time on a busy machine)
    beforeAll(async () => { await open() }, 120_000)
    it('pays each invoice in the office that issued it, and tops up the wallet of the office where the payer has one', async () => {
      const { deps, storage, of, siteId } = await twoOffices(await open())
      const statements = parseCamt053(testCamt053(IBAN, [pays('E1', of('cantine', 'g1'), 830n), pays('E2', of('creche', 'g2'), 2500n), topUp('E3', G2_REF, 4000n)]))
      const report = await importBankStatement(deps, {
        siteId, billingOfficeId: [...offices], statements, wallets: [{ payerId: 'g2', reference: G2_REF, billingOfficeId: 'creche' }],
      })
      expect(report.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[`${IBAN}|E1`, 'invoicePayment'], [`${IBAN}|E2`, 'invoicePayment'], [`${IBAN}|E3`, 'walletTopUp']])
      const paid = (await storage.payments!.listPayments(siteId, {})).items.map((p) => [p.id, p.billingOfficeId, p.payerId, p.allocations.map((a) => a.invoiceId)])
      expect(paid).toEqual([
        [`bank:${IBAN}|E1`, 'cantine', 'g1', [of('cantine', 'g1').id]],
        [`bank:${IBAN}|E2`, 'creche', 'g2', [of('creche', 'g2').id]],
        [`bank:${IBAN}|E3`, 'creche', 'g2', []],
      ])
      expect(await walletBalance(deps, siteId, 'g2', 'creche')).toBe(4000n)
      expect(await walletBalance(deps, siteId, 'g2', 'cantine')).toBe(0n)
    })

    it('keeps for review a top-up whose payer has a wallet at both offices, naming both, and credits neither', async () => {
      const { deps, storage, siteId } = await twoOffices(await open())
      const statements = parseCamt053(testCamt053(IBAN, [topUp('E1', G1_REF, 1500n)]))
      const report = await importBankStatement(deps, {
        siteId, billingOfficeId: [...offices], statements,
        wallets: offices.map((billingOfficeId) => ({ payerId: 'g1', reference: G1_REF, billingOfficeId })),
      })
      expect(report.imported.map((l) => l.outcome)).toEqual([expect.objectContaining({ kind: 'review', reason: 'AMBIGUOUS', candidates: ['wallet:g1@cantine', 'wallet:g1@creche'] })])
      expect((await storage.payments!.listPayments(siteId, {})).items).toEqual([])
      expect([await walletBalance(deps, siteId, 'g1', 'cantine'), await walletBalance(deps, siteId, 'g1', 'creche')]).toEqual([0n, 0n])
    })

    it('keeps what a payment pays beyond its invoice in that invoice\'s office: its wallet there, never the open invoice of the other office', async () => {
      const { deps, storage, of, siteId } = await twoOffices(await open())
      const statements = parseCamt053(testCamt053(IBAN, [pays('E1', of('cantine', 'g1'), 5000n)]))
      await importBankStatement(deps, { siteId, billingOfficeId: [...offices], statements, wallets: offices.map((billingOfficeId) => ({ payerId: 'g1', reference: G1_REF, billingOfficeId })) })
      const payment = (await storage.payments!.getPayment(siteId, `bank:${IBAN}|E1`))!
      expect(payment.billingOfficeId).toBe('cantine')
      expect(payment.allocations).toEqual([{ invoiceId: of('cantine', 'g1').id, amountMinor: 830n }])
      expect(payment.walletCreditMinor).toBe(4170n)
      expect([await walletBalance(deps, siteId, 'g1', 'cantine'), await walletBalance(deps, siteId, 'g1', 'creche')]).toEqual([4170n, 0n])
    })

    it('previews a top-up with the office it would credit', async () => {
      const { deps, siteId } = await twoOffices(await open())
      const statements = parseCamt053(testCamt053(IBAN, [topUp('E1', G2_REF, 1000n)]))
      const preview = await previewBankStatement(deps, { siteId, billingOfficeId: [...offices], statements, wallets: [{ payerId: 'g2', reference: G2_REF, billingOfficeId: 'creche' }] })
      expect(preview.lines.map((l) => l.proposal)).toEqual([{ kind: 'walletTopUp', payerId: 'g2', billingOfficeId: 'creche' }])
    })

    it('reads a one-office import as before: an office id alone, its wallets with no office named', async () => {
      const { deps, of, siteId } = await twoOffices(await open())
      const statements = parseCamt053(testCamt053(IBAN, [pays('E1', of('creche', 'g1'), 2500n), topUp('E2', G2_REF, 700n)]))
      const report = await importBankStatement(deps, { siteId, billingOfficeId: 'cantine', statements, wallets: [{ payerId: 'g2', reference: G2_REF }] })
      // the crèche's invoice is not the cantine's: left for review; the top-up goes to the cantine
      expect(report.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[`${IBAN}|E1`, 'review'], [`${IBAN}|E2`, 'walletTopUp']])
      expect(await walletBalance(deps, siteId, 'g2', 'cantine')).toBe(700n)
    })

    it.each([
      [{ billingOfficeId: [] }, 'billingOfficeId'],
      [{ billingOfficeId: ['cantine', 'cantine'] }, 'billingOfficeId'],
      [{ billingOfficeId: ['cantine', ''] }, 'billingOfficeId'],
      [{ billingOfficeId: [...offices], wallets: [{ payerId: 'g2', reference: G2_REF }] }, 'wallets[0].billingOfficeId'],
      [{ billingOfficeId: 'cantine', wallets: [{ payerId: 'g2', reference: G2_REF, billingOfficeId: 'creche' }] }, 'wallets[0].billingOfficeId'],
      [{ billingOfficeId: 'cantine', wallets: 'g2' }, 'wallets'],
      [{ billingOfficeId: 'cantine', wallets: [null] }, 'wallets[0]'],
      [{ billingOfficeId: 'cantine', wallets: [{ payerId: 'g2' }] }, 'wallets[0]'],
    ])('refuses %j with INVALID_INPUT naming %s, and records nothing', async (options, field) => {
      const { deps, storage, of, siteId } = await twoOffices(await open())
      const statements = parseCamt053(testCamt053(IBAN, [pays('E1', of('cantine', 'g1'), 830n)]))
      const error = await importBankStatement(deps, { siteId, statements, ...(options as { billingOfficeId: string[] }) }).then(() => undefined, (e: unknown) => e)
      expect(isEcoleError(error, 'INVALID_INPUT') && error.details).toMatchObject({ issues: [{ path: field }] })
      expect((await storage.payments!.listPayments(siteId, {})).items).toEqual([])
      expect((await storage.bankImports!.listBankEntries(siteId, {})).items).toEqual([])
    })
  })

  describe(`money of a shared account stays in its office (property), on ${name}`, () => {
    it('for any entries paying either office\'s invoices or topping up, each payment is its invoice\'s office, allocates only that office\'s invoices, and allocations plus wallet credit equal the amount', async () => {
      await fc.assert(fc.asyncProperty(
        fc.array(fc.record({ office: fc.constantFrom(...offices), debtor: fc.constantFrom('g1', 'g2'), kind: fc.constantFrom('invoice', 'topUp'), cents: fc.bigInt({ min: 1n, max: 9_000n }) }), { minLength: 1, maxLength: 8 }),
        async (lines) => {
          const { deps, storage, of, siteId } = await twoOffices(await open())
          const entries = lines.map((l, i) => (l.kind === 'invoice' ? pays(`P${i}`, of(l.office, l.debtor), l.cents) : topUp(`P${i}`, l.debtor === 'g1' ? G1_REF : G2_REF, l.cents)))
          // g1 has a wallet at both offices (its top-ups are kept for review), g2 at the crèche only
          const wallets = [...offices.map((billingOfficeId) => ({ payerId: 'g1', reference: G1_REF, billingOfficeId })), { payerId: 'g2', reference: G2_REF, billingOfficeId: 'creche' }]
          const report = await importBankStatement(deps, { siteId, billingOfficeId: [...offices], statements: parseCamt053(testCamt053(IBAN, entries)), wallets })
          const officeOf = new Map([...offices].flatMap((o) => ['g1', 'g2'].map((d) => [of(o, d).id, o] as const)))
          for (const p of (await storage.payments!.listPayments(siteId, {}, { limit: 100 })).items) {
            for (const a of p.allocations) expect(officeOf.get(a.invoiceId)).toBe(p.billingOfficeId)
            expect(p.allocations.reduce((s, a) => s + a.amountMinor, 0n) + p.walletCreditMinor).toBe(p.amountMinor)
          }
          lines.forEach((l, i) => {
            const outcome = report.imported.find((x) => x.entryReference === `${IBAN}|P${i}`)!.outcome
            if (l.kind === 'topUp') expect(outcome.kind).toBe(l.debtor === 'g1' ? 'review' : 'walletTopUp')
            else expect(outcome.kind).toBe('invoicePayment')
          })
          const credited = (await storage.payments!.listPayments(siteId, {}, { limit: 100 })).items.filter((p) => p.billingOfficeId === 'cantine').reduce((s, p) => s + p.walletCreditMinor, 0n)
          expect(await walletBalance(deps, siteId, 'g1', 'cantine') + await walletBalance(deps, siteId, 'g2', 'cantine')).toBe(credited)
        },
      ), { numRuns: runs })
    })
  })
}

onStorage('storage-memory', async () => createMemoryStorage(), 25)
onStorage('storage-postgres on PGlite', () => createPostgresStorage(), 8)
const url = process.env['ECOLE_PG_URL']
if (url) onStorage('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url, poolSize: 4 }), 8)

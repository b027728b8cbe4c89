import { parseCamt053, testCamt053, type TestCamtEntry } from '@ecole/bank'
import { walletAccountId } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { importBankStatement, recordPayment, type BillingDeps } from './index'
import { storageForFile } from '../test-support/storage-for-file'

// The bank's answers to one of our direct debits: the settlement credit (money in, naming the
// debit by its end-to-end id) and the return (money out). A debit is settled once, by a credit of
// its amount, and returned once: a credit of another amount, a second credit, a second return are
// money the bank moved that the debit does not explain, kept for a person, never applied.
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const IBAN = 'BE68539007547034'
const k = (ref: string) => `${IBAN}|${ref}`
let sites = 0

const credit = (ref: string, cents: bigint, date = '2027-01-12'): TestCamtEntry => ({ ref, cents, credit: true, date, endToEndId: 'E2E-1' })
const returned = (ref: string, code: string, date: string): TestCamtEntry => ({ ref, cents: 3000n, credit: false, date, endToEndId: 'E2E-1', returnCode: code })

function onStorage(name: string, create: () => Promise<StoragePorts>) {
  const open = storageForFile(create)

  /** A site where g1's 30.00 direct debit `dd:E2E-1` was collected (no invoice to pay: all of it credited to g1's wallet). */
  async function site() {
    const storage = await open()
    const deps: BillingDeps = { storage, clock }
    const siteId = `settlements-${process.pid}-${++sites}`
    await recordPayment(deps, { id: 'dd:E2E-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'directDebit', endToEndId: 'E2E-1', date: '2027-01-10', amount: '30.00' })
    const imp = (entries: TestCamtEntry[]) => importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(testCamt053(IBAN, entries)) })
    const payments = async () => (await storage.payments!.listPayments(siteId, {}, { limit: 100 })).items.map((p) => [p.id, p.status, p.amountMinor, p.refusal?.reasonCode ?? null])
    const review = async () => (await storage.bankImports!.listBankEntries(siteId, { outcome: 'review' }, { limit: 100 })).items
      .map((e) => [e.entryReference, e.amountMinor, e.outcome.kind === 'review' ? e.outcome.rule : null, e.outcome.kind === 'review' ? e.outcome.candidates : null])
    const wallet = async () => (await storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')]))[0]?.posted ?? 0n
    return { storage, deps, siteId, imp, payments, review, wallet }
  }
  const outcomes = (...reports: Array<Awaited<ReturnType<typeof importBankStatement>>>) => reports.flatMap((r) => r.imported.map((l) => [l.entryReference, l.outcome.kind]))

  describe(`importBankStatement, direct-debit settlement credits, on ${name}`, () => {
    it('keeps for review a settlement credit short of its direct debit (25.00 for 30.00), naming the debit and posting nothing', async () => {
      const s = await site()
      const report = await s.imp([credit('S1', 2500n)])
      expect(outcomes(report)).toEqual([[k('S1'), 'review']])
      expect(await s.review()).toEqual([[k('S1'), 2500n, 'SETTLEMENT_AMOUNT_DIFFERS', ['directDebit:E2E-1']]])
      expect([report.payments, await s.payments(), await s.wallet()]).toEqual([[], [['dd:E2E-1', 'recorded', 3000n, null]], 3000n])
    })

    it('keeps for review a settlement credit beyond its direct debit (35.00 for 30.00): the extra money is never lost', async () => {
      const s = await site()
      const report = await s.imp([credit('S1', 3500n)])
      expect(outcomes(report)).toEqual([[k('S1'), 'review']])
      expect(await s.review()).toEqual([[k('S1'), 3500n, 'SETTLEMENT_AMOUNT_DIFFERS', ['directDebit:E2E-1']]])
      expect([report.payments, await s.wallet()]).toEqual([[], 3000n])
    })

    it('settles a direct debit once: a second credit of its amount in the same statement is kept for review as already settled', async () => {
      const s = await site()
      const report = await s.imp([credit('S1', 3000n), credit('S2', 3000n, '2027-01-13')])
      expect(report.imported.map((l) => [l.entryReference, l.outcome])).toEqual([
        [k('S1'), { kind: 'directDebitSettled', paymentIds: ['dd:E2E-1'] }],
        [k('S2'), { kind: 'review', reason: 'AMBIGUOUS', candidates: ['directDebit:E2E-1'], rule: 'ALREADY_SETTLED', suggestions: [{ kind: 'directDebit', id: 'E2E-1', amountMinor: 3000n }] }],
      ])
      expect([report.payments, await s.wallet()]).toEqual([[], 3000n])
    })

    it('keeps for review a credit for a direct debit an earlier import settled, and importing either file again changes nothing', async () => {
      const s = await site()
      const first = await s.imp([credit('S1', 3000n)])
      const second = await s.imp([credit('S9', 3000n, '2027-01-14')])
      expect(outcomes(first, second)).toEqual([[k('S1'), 'directDebitSettled'], [k('S9'), 'review']])
      expect(await s.review()).toEqual([[k('S9'), 3000n, 'ALREADY_SETTLED', ['directDebit:E2E-1']]])
      const again = [await s.imp([credit('S1', 3000n)]), await s.imp([credit('S9', 3000n, '2027-01-14')])]
      expect(again.map((r) => [r.imported, r.duplicates])).toEqual([[[], [k('S1')]], [[], [k('S9')]]])
      expect((await s.review()).length).toBe(1)
    })

    it('for any sequence of settlement credits of random amounts, some repeated, over one or several statements, at most one credit of the exact amount settles the debit and every other is under review with its own amount', async () => {
      const one = fc.record({ cents: fc.oneof(fc.constant(3000n), fc.constantFrom(2500n, 3500n, 1n, 6000n)), split: fc.boolean() })
      await fc.assert(fc.asyncProperty(fc.array(one, { minLength: 1, maxLength: 5 }), async (list) => {
        const s = await site()
        // each credit in its own statement, or in the same one as the previous credit
        const files: TestCamtEntry[][] = []
        list.forEach((c, i) => { const e = credit(`S${i}`, c.cents, `2027-01-1${i}`); if (c.split || files.length === 0) files.push([e]); else files.at(-1)!.push(e) })
        const reports = []
        for (const f of files) reports.push(await s.imp(f))
        const settled = reports.flatMap((r) => r.imported).filter((l) => l.outcome.kind === 'directDebitSettled')
        const first = list.findIndex((c) => c.cents === 3000n)
        expect(settled.map((l) => [l.entryReference, l.amountMinor])).toEqual(first < 0 ? [] : [[k(`S${first}`), 3000n]])
        const review = await s.review()
        expect(review.map((r) => r[0]).sort()).toEqual(list.map((_, i) => k(`S${i}`)).filter((_, i) => i !== first).sort())
        const underReview = review.reduce((a, r) => a + (r[1] as bigint), 0n)
        expect(underReview + (first < 0 ? 0n : 3000n)).toBe(list.reduce((a, c) => a + c.cents, 0n))
        expect(reports.flatMap((r) => r.payments)).toEqual([])
      }), { numRuns: name === 'memory' ? 40 : 8 })
    }, 120_000)
  })

  describe(`importBankStatement, direct-debit returns, on ${name}`, () => {
    it('applies one return of a direct debit: a second return of it in the same statement is kept for review as already returned, the first reason standing', async () => {
      const s = await site()
      const report = await s.imp([returned('R1', 'AM04', '2027-01-12'), returned('R2', 'MD06', '2027-01-13')])
      expect(report.imported.map((l) => [l.entryReference, l.outcome])).toEqual([
        [k('R1'), { kind: 'directDebitReturn', paymentId: 'dd:E2E-1', reasonCode: 'AM04' }],
        [k('R2'), { kind: 'review', reason: 'AMBIGUOUS', candidates: ['directDebit:E2E-1'], rule: 'ALREADY_RETURNED', suggestions: [{ kind: 'directDebit', id: 'E2E-1', amountMinor: 3000n }] }],
      ])
      expect([await s.payments(), await s.wallet()]).toEqual([[['dd:E2E-1', 'refused', 3000n, 'AM04']], 0n])
    })

    it('keeps a second return of a direct debit for review whether it comes in the same statement or a later one, applying the return once', async () => {
      const same = await site()
      const both = await same.imp([returned('R1', 'AM04', '2027-01-12'), returned('R2', 'MD06', '2027-01-13')])
      const later = await site()
      const r1 = await later.imp([returned('R1', 'AM04', '2027-01-12')])
      const r2 = await later.imp([returned('R2', 'MD06', '2027-01-13')])
      expect(outcomes(both)).toEqual(outcomes(r1, r2))
      expect(outcomes(both)).toEqual([[k('R1'), 'directDebitReturn'], [k('R2'), 'review']])
      for (const s of [same, later]) {
        expect([await s.payments(), await s.wallet(), (await s.review()).map((r) => [r[0], r[1]])]).toEqual([[['dd:E2E-1', 'refused', 3000n, 'AM04']], 0n, [[k('R2'), 3000n]]])
      }
    })
  })
}

onStorage('memory', async () => createMemoryStorage())
onStorage('PGlite', () => createPostgresStorage())

import { parseCamt053, testCamt053 } from '@ecole/bank'
import { invoiceBalance, isEcoleError, type Actor, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, decideHeldStatement, importBankStatement, validateDrafts, type BillingDeps } from './index'

const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const batch = (siteId: string): InvoiceBatchInput => ({
  id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
  dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
})
const charges: InvoiceChargeLine[] = ['g1', 'g2'].flatMap((payerId, p) => [1, 2].map((d) => {
  const date = `2026-12-0${d}` as LocalDate
  return { chargeId: `${payerId}|k${p}|meal|${date}`, debtorId: payerId, beneficiaryId: `k${p}`, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 415n, amountMinor: 415n }
}))
const actor = (siteId: string, permissions: Actor['permissions'] = ['payments.write']): Actor => ({
  userId: 'u-compta', siteId, profile: 'staff', permissions, scope: { schoolIds: 'all', serviceIds: 'all' },
})

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (e) {
    return isEcoleError(e) ? e.code : String(e)
  }
  return undefined
}

let sites = 0
/** A site with two validated invoices of 8.30 EUR (payment references RF...), and a statement paying both whose opening balance is wrong. */
async function seeded(storage: StoragePorts) {
  const siteId = `review-${process.pid}-${Date.now()}-${++sites}`
  const d: BillingDeps = { storage, clock }
  await createInvoiceBatch(d, { batch: batch(siteId), charges })
  const invoices = await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
  const xml = testCamt053('FR7630006000011234567890189', invoices.map((inv, i) => ({
    ref: `BQ-${siteId}-${i}`, cents: 830n, credit: true, date: '2027-01-16' as const, structured: { reference: inv.paymentReference!, issuer: 'ISO' as const },
  })))
  // the bank states an opening balance of 1.00 while the closing balance is computed from 0.00: the figures disagree
  const statements = parseCamt053(xml.replace('<Amt Ccy="EUR">0.00</Amt>', '<Amt Ccy="EUR">1.00</Amt>'))
  const outstanding = async () => {
    const out: bigint[] = []
    for (const inv of invoices) {
      const stored = (await storage.invoicing!.getInvoice(siteId, inv.id))!
      const paid = (await storage.payments!.listPayments(siteId, { payerId: inv.debtorId })).items
      out.push(invoiceBalance(stored, [], paid).outstandingMinor)
    }
    return out
  }
  return { d, siteId, statements, outstanding }
}

function reviewScenarios(name: string, create: () => Promise<StoragePorts>) {
  describe(`a statement whose checks disagree, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('is held with its checks and nothing posted; accepted by a permitted user (who and when kept), it is reconciled once', async () => {
      const { d, siteId, statements, outstanding } = await seeded(storage)
      const first = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements })
      expect([first.imported, first.payments]).toEqual([[], []])
      expect(first.held.map((h) => [h.code, h.statementId, h.status, h.heldNow, h.disagreements.map((c) => c.figure)])).toEqual([
        ['STATEMENT_HELD_FOR_REVIEW', 'STMT-1', 'held', true, ['closing balance CLBD']],
      ])
      expect(await outstanding()).toEqual([830n, 830n])
      const stored = (await storage.bankImports!.listHeldStatements(siteId, { status: 'held' })).items
      expect(stored.map((h) => [h.key, h.entryCount, h.checks.length])).toEqual([['camt.053|FR7630006000011234567890189|STMT-1', 2, 1]])
      // imported again while held: nothing changes
      const again = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements })
      expect([again.imported, again.held.map((h) => [h.status, h.heldNow])]).toEqual([[], [['held', false]]])

      expect(await codeOf(decideHeldStatement(d, { siteId, billingOfficeId: 'regie', key: first.held[0]!.key, actor: actor(siteId, ['invoices.read']), decision: 'accept' }))).toBe('PERMISSION_DENIED')
      expect(await codeOf(decideHeldStatement(d, { siteId, billingOfficeId: 'regie', key: first.held[0]!.key, actor: actor('another-site'), decision: 'accept' }))).toBe('PERMISSION_DENIED')
      const accepted = await decideHeldStatement(d, { siteId, billingOfficeId: 'regie', key: first.held[0]!.key, actor: actor(siteId), decision: 'accept', reason: 'opening balance typo at the bank' })
      expect([accepted.alreadyDecided, accepted.statement.status, accepted.statement.decision]).toEqual([
        false, 'accepted', { status: 'accepted', decidedBy: 'u-compta', decidedAt: '2027-01-20T09:00:00.000Z', reason: 'opening balance typo at the bank' },
      ])
      expect(accepted.report.imported.map((l) => l.outcome.kind)).toEqual(['invoicePayment', 'invoicePayment'])
      expect(await outstanding()).toEqual([0n, 0n])

      // accepted twice, imported again: nothing doubled
      const twice = await decideHeldStatement(d, { siteId, billingOfficeId: 'regie', key: first.held[0]!.key, actor: actor(siteId), decision: 'accept' })
      expect([twice.alreadyDecided, twice.report.imported]).toEqual([true, []])
      const third = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements })
      expect([third.imported, third.payments, third.held.map((h) => [h.status, h.heldNow])]).toEqual([[], [], [['accepted', false]]])
      expect(await outstanding()).toEqual([0n, 0n])
      expect(await codeOf(decideHeldStatement(d, { siteId, billingOfficeId: 'regie', key: first.held[0]!.key, actor: actor(siteId), decision: 'reject' }))).toBe('STATEMENT_ALREADY_DECIDED')
    })

    it('rejected, nothing is ever posted, even when the file is imported again', async () => {
      const { d, siteId, statements, outstanding } = await seeded(storage)
      const first = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements })
      const rejected = await decideHeldStatement(d, { siteId, billingOfficeId: 'regie', key: first.held[0]!.key, actor: actor(siteId), decision: 'reject', reason: 'not our account' })
      expect([rejected.statement.status, rejected.report]).toEqual(['rejected', { imported: [], duplicates: [], payments: [] }])
      const again = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements })
      expect([again.imported, again.held.map((h) => h.status)]).toEqual([[], ['rejected']])
      expect(await outstanding()).toEqual([830n, 830n])
      expect((await storage.bankImports!.listBankEntries(siteId, {})).items).toEqual([])
      expect(await codeOf(decideHeldStatement(d, { siteId, billingOfficeId: 'regie', key: 'nope', actor: actor(siteId), decision: 'accept' }))).toBe('NOT_FOUND')
    })

    it('a statement whose checks agree imports as before', async () => {
      const { d, siteId, statements, outstanding } = await seeded(storage)
      const fixed = statements.map((s) => ({ ...s, checks: s.checks.filter((c) => c.severity !== 'disagreement') }))
      const report = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: fixed })
      expect([report.held, report.imported.length]).toEqual([[], 2])
      expect(await outstanding()).toEqual([0n, 0n])
    })

    it('of several concurrent acceptances, one posts and the others find it decided: nothing doubled', async () => {
      const { d, siteId, statements, outstanding } = await seeded(storage)
      const first = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements })
      const results = await Promise.all(Array.from({ length: 6 }, () => decideHeldStatement(d, { siteId, billingOfficeId: 'regie', key: first.held[0]!.key, actor: actor(siteId), decision: 'accept' })))
      expect(results.filter((r) => !r.alreadyDecided)).toHaveLength(1)
      expect(results.flatMap((r) => r.report.payments)).toHaveLength(2)
      expect(await outstanding()).toEqual([0n, 0n])
    })
  })
}

reviewScenarios('storage-memory', async () => createMemoryStorage())
reviewScenarios('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) reviewScenarios('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the statement review on a PostgreSQL server is skipped')

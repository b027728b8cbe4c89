import { parseCamt053, testCamt053 } from '@ecole/bank'
import type { InvoiceChargeLine, LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createInvoiceBatch, importBankStatement, previewBankStatement, validateDrafts, type BillingDeps } from './index'

const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const IBAN = 'FR7630006000011234567890189'
const charges: InvoiceChargeLine[] = ['g1', 'g2'].map((payerId, p) => ({
  chargeId: `${payerId}|meal`, debtorId: payerId, beneficiaryId: `k${p}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 830n, amountMinor: 830n,
}))

async function site() {
  const storage = createMemoryStorage()
  const deps: BillingDeps = { storage, clock }
  const siteId = 'preview'
  await createInvoiceBatch(deps, { batch: { id: 'b', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
  const invoices = await validateDrafts(deps, { siteId, batchId: 'b', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
  const xml = testCamt053(IBAN, [
    { ref: 'E1', cents: 830n, credit: true, date: '2027-01-16', structured: { reference: invoices[0]!.paymentReference!, issuer: 'ISO' } },
    { ref: 'E2', cents: 2000n, credit: true, date: '2027-01-16', structured: { reference: 'RF18539007547034', issuer: 'ISO' } },
    { ref: 'E3', cents: 1234n, credit: true, date: '2027-01-16', text: 'cantine' },
  ])
  return { storage, deps, siteId, invoices, statements: parseCamt053(xml) }
}

describe('previewBankStatement: the reconciliation shown before an import, nothing written', () => {
  it('proposes the invoice paid, the wallet topped up by its structured communication and the unmatched entry for review, and writes nothing', async () => {
    const { deps, siteId, invoices, statements, storage } = await site()
    const preview = await previewBankStatement(deps, { siteId, billingOfficeId: 'regie', statements, wallets: [{ payerId: 'g2', reference: 'RF18539007547034' }] })
    expect(preview.lines.map((l) => [l.entryReference, l.proposal])).toEqual([
      [`${IBAN}|E1`, { kind: 'invoicePayment', invoiceId: invoices[0]!.id, debtorId: invoices[0]!.debtorId }],
      [`${IBAN}|E2`, { kind: 'walletTopUp', payerId: 'g2', billingOfficeId: 'regie' }],
      [`${IBAN}|E3`, { kind: 'review', reason: 'UNMATCHED', candidates: [] }],
    ])
    expect(preview.disagreeing).toEqual([])
    expect((await storage.payments!.listPayments(siteId, {})).items).toEqual([])
    expect((await storage.bankImports!.listBankEntries(siteId, {})).items).toEqual([])
  })

  it('marks every entry of a statement imported before as already imported', async () => {
    const { deps, siteId, statements } = await site()
    await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
    const preview = await previewBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
    expect(preview.lines.map((l) => l.proposal.kind)).toEqual(['alreadyImported', 'alreadyImported', 'alreadyImported'])
  })
})

describe('previewBankStatement proposes what importBankStatement then does (property)', () => {
  it('for any statement mixing payments of open invoices, wallet top-ups and unknown transfers, each entry is imported as the preview said', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.constantFrom('invoice0', 'invoice1', 'wallet', 'unknown'), { minLength: 1, maxLength: 6 }),
      async (kinds) => {
        const { deps, siteId, invoices } = await site()
        const entries = kinds.map((k, i) => {
          const ref = `P${i}`
          if (k === 'wallet') return { ref, cents: 500n, credit: true, date: '2027-01-16', structured: { reference: 'RF18539007547034', issuer: 'ISO' as const } }
          if (k === 'unknown') return { ref, cents: 777n, credit: true, date: '2027-01-16', text: 'virement' }
          const inv = invoices[k === 'invoice0' ? 0 : 1]!
          return { ref, cents: 830n, credit: true, date: '2027-01-16', structured: { reference: inv.paymentReference!, issuer: 'ISO' as const } }
        })
        const statements = parseCamt053(testCamt053(IBAN, entries))
        const options = { siteId, billingOfficeId: 'regie', statements, wallets: [{ payerId: 'g2', reference: 'RF18539007547034' }] }
        const preview = await previewBankStatement(deps, options)
        const report = await importBankStatement(deps, options)
        const imported = new Map(report.imported.map((l) => [l.entryReference, l.outcome.kind]))
        for (const line of preview.lines) {
          const expected = line.proposal.kind === 'ignored' || line.proposal.kind === 'alreadyImported' ? 'ignored' : line.proposal.kind
          expect([line.entryReference, imported.get(line.entryReference)]).toEqual([line.entryReference, expected])
        }
      },
    ), { numRuns: 15 })
  })
})

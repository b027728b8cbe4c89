import { parseCamt053, testCamt053 as camt053 } from '@ecole/bank'
import { isEcoleError, walletAccountId, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { adjustDraft, createDeposit, createInvoiceBatch, importBankStatement, issueInvoiceCreditNote, recordPayment, validateDrafts, type BillingDeps } from './index'

const siteId = 'site-1'
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const batchInput: InvoiceBatchInput = {
  id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
  dueDate: '2027-01-15', directDebitDate: null, portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
}

/** One meal a day at 25.00 for `days` days, for payers g1..g`payers`: invoices of 100.00 for 4 days. */
function charges(payers: number, days = 4): InvoiceChargeLine[] {
  const out: InvoiceChargeLine[] = []
  for (let p = 1; p <= payers; p++) {
    for (let d = 1; d <= days; d++) {
      const date = `2026-12-0${d}` as LocalDate
      out.push({ chargeId: `g${p}|k${p}|meal|${date}`, debtorId: `g${p}`, beneficiaryId: `k${p}`, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n })
    }
  }
  return out
}

async function drafts(payers = 2): Promise<BillingDeps> {
  const d: BillingDeps = { storage: createMemoryStorage(), clock }
  await createInvoiceBatch(d, { batch: batchInput, charges: charges(payers) })
  return d
}

async function validated(payers = 2): Promise<BillingDeps> {
  const d = await drafts(payers)
  await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
  return d
}

async function conflictOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return isEcoleError(e) ? { code: e.code, fields: e.details['fields'] } : e
  }
  return undefined
}

describe('replays of money-moving commands', () => {
  const note = (amount: string) => ({ siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20' as LocalDate, creditNote: { id: 'cn-1', reason: 'Grève', scope: { kind: 'amount' as const, amount } } })

  it('answers a credit note issued again with the same request with the stored note, and with another amount with IDEMPOTENCY_CONFLICT naming it', async () => {
    const d = await validated()
    const first = await issueInvoiceCreditNote(d, note('25.00'))
    expect(await issueInvoiceCreditNote(d, note('25.00'))).toEqual(first)
    expect(await conflictOf(issueInvoiceCreditNote(d, note('30.00')))).toEqual({ code: 'IDEMPOTENCY_CONFLICT', fields: ['amountMinor'] })
    expect(await conflictOf(issueInvoiceCreditNote(d, { ...note('25.00'), creditNote: { ...note('25.00').creditNote, reason: 'Autre' } }))).toEqual({ code: 'IDEMPOTENCY_CONFLICT', fields: ['reason'] })
    // the same id on another invoice is another note: refused too, by the store
    expect(await conflictOf(issueInvoiceCreditNote(d, { ...note('25.00'), invoiceId: 'b-2026-12:g2' }))).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' })
    expect(await d.storage.invoicing!.listCreditNotes(siteId)).toEqual([first])
  })

  it('answers a payment recorded again with the same request as not created, and with another amount or method with IDEMPOTENCY_CONFLICT naming them', async () => {
    const d = await validated()
    const request = { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12' as LocalDate, amount: '40.00', invoiceId: 'b-2026-12:g1' }
    const first = await recordPayment(d, request)
    const again = await recordPayment(d, request)
    expect([again.created, again.payment]).toEqual([false, first.payment])
    expect(await conflictOf(recordPayment(d, { ...request, amount: '50.00' }))).toEqual({ code: 'IDEMPOTENCY_CONFLICT', fields: ['amount'] })
    expect(await conflictOf(recordPayment(d, { ...request, method: 'cash', date: '2027-01-13' }))).toEqual({ code: 'IDEMPOTENCY_CONFLICT', fields: ['date', 'method'] })
    expect((await d.storage.payments!.listPayments(siteId, {})).items).toEqual([first.payment])
  })

  it('answers a deposit created again with the same payments with the stored deposit, and with another bank account with IDEMPOTENCY_CONFLICT', async () => {
    const d = await validated()
    await recordPayment(d, { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', invoiceId: 'b-2026-12:g1' })
    const request = { siteId, deposit: { id: 'dep-1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-13' as LocalDate }, paymentIds: ['p1'] }
    const first = await createDeposit(d, request)
    expect(await createDeposit(d, request)).toEqual(first)
    expect(await conflictOf(createDeposit(d, { ...request, deposit: { ...request.deposit, bankAccountId: 'acc-2' } }))).toEqual({ code: 'IDEMPOTENCY_CONFLICT', fields: ['bankAccountId'] })
  })

  it('answers an adjustment added again with the draft unchanged, and another adjustment under its id with IDEMPOTENCY_CONFLICT', async () => {
    const d = await drafts()
    const add = { id: 'reduc-1', kind: 'reduction' as const, reason: 'Sortie', amount: '5.00' }
    const first = await adjustDraft(d, { siteId, invoiceId: 'b-2026-12:g1', change: { add } })
    expect(first.totalMinor).toBe(9_500n)
    expect(await adjustDraft(d, { siteId, invoiceId: 'b-2026-12:g1', change: { add } })).toEqual(first)
    expect(await conflictOf(adjustDraft(d, { siteId, invoiceId: 'b-2026-12:g1', change: { add: { ...add, amount: '6.00' } } }))).toEqual({
      code: 'IDEMPOTENCY_CONFLICT', fields: ['amountMinor', 'value.amountMinor'],
    })
    expect((await d.storage.invoicing!.getInvoice(siteId, 'b-2026-12:g1'))!.totalMinor).toBe(9_500n)
  })

  it('answers a statement imported again with an entry whose amount changed with IDEMPOTENCY_CONFLICT, and imports nothing of it', async () => {
    const d = await validated()
    const xml = (cents: bigint) => camt053('FR7630006000019876543210123', [{ ref: 'E4', cents, credit: true, date: '2027-01-15', text: 'cantine janvier' }])
    const first = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml(999n)) })
    expect(first.imported.map((l) => l.entryReference)).toEqual(['FR7630006000019876543210123|E4'])
    expect((await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml(999n)) })).duplicates).toEqual(['FR7630006000019876543210123|E4'])
    expect(await conflictOf(importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml(1999n)) }))).toEqual({ code: 'IDEMPOTENCY_CONFLICT', fields: ['amountMinor'] })
    expect((await d.storage.bankImports!.listBankEntries(siteId, {})).items.map((e) => e.amountMinor)).toEqual([999n])
  })
})

describe('concurrent writers of one invoice', () => {
  it('never credits more than the invoice when ten credit notes of 60.00 race on a 100.00 invoice', async () => {
    const d = await validated(1)
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => issueInvoiceCreditNote(d, { siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20', creditNote: { id: `cn-${i}`, reason: 'Grève', scope: { kind: 'amount', amount: '60.00' } } })),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const notes = await d.storage.invoicing!.listCreditNotes(siteId)
    expect(notes.map((n) => [n.number, n.amountMinor])).toEqual([['AV2027-000001', 6_000n]])
  })

  it('allocates ten racing payments of 100.00 on a 100.00 invoice once, the next open invoice of the payer second, and credits the rest to the payer\'s wallet', async () => {
    const d = await validated(1)
    // an older invoice of the same payer, due first
    await createInvoiceBatch(d, { batch: { ...batchInput, id: 'b-2026-11', period: { from: '2026-11-01', to: '2026-11-30' }, dueDate: '2026-12-15' }, charges: charges(1, 2).map((c) => ({ ...c, chargeId: `nov|${c.chargeId}`, date: c.date.replace('-12-', '-11-') as LocalDate })) })
    await validateDrafts(d, { siteId, batchId: 'b-2026-11', issueDate: '2026-12-01' })
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => recordPayment(d, { id: `pay-${i}`, siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', amount: '100.00', invoiceId: 'b-2026-12:g1' })),
    )
    const payments = results.map((r) => r.payment)
    const to = (invoiceId: string) => payments.flatMap((p) => p.allocations).filter((a) => a.invoiceId === invoiceId).reduce((s, a) => s + a.amountMinor, 0n)
    expect(to('b-2026-12:g1')).toBe(10_000n)
    expect(to('b-2026-11:g1')).toBe(5_000n)
    for (const p of payments) expect(p.allocations.reduce((s, a) => s + a.amountMinor, 0n) + p.walletCreditMinor).toBe(10_000n)
    const [wallet] = await d.storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')])
    expect(wallet?.posted).toBe(100_000n - 15_000n)
  })
})

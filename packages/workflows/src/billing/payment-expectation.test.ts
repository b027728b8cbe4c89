import { isEcoleError, walletAccountId, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { createInvoiceBatch, issueInvoiceCreditNote, recordPayment, validateDrafts, type BillingDeps } from './index'

const siteId = 'site-1'
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const invoiceId = 'dec:g1'

/** One validated invoice of 100.00 (four meals at 25.00) for payer g1. */
async function oneInvoice(): Promise<BillingDeps> {
  const deps: BillingDeps = { storage: createMemoryStorage(), clock }
  const charges: InvoiceChargeLine[] = [1, 2, 3, 4].map((d) => ({
    chargeId: `meal-${d}`, debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: `2026-12-0${d}` as LocalDate, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n,
  }))
  await createInvoiceBatch(deps, {
    batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' },
    charges,
  })
  await validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04' })
  return deps
}

const pay = (id: string, amount = '100.00') => ({ id, siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', amount, invoiceId })

async function codeOf(p: Promise<unknown>): Promise<{ code: string; details: unknown } | undefined> {
  try {
    await p
    return undefined
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, details: e.details }
    throw e
  }
}

describe('a payment entered against what the invoice owed (two cashiers, one invoice)', () => {
  it('records the payment when the invoice still owes what the form showed', async () => {
    const deps = await oneInvoice()
    const { payment } = await recordPayment(deps, pay('p1'), { expectOutstandingMinor: 10_000n })
    expect(payment.allocations).toEqual([{ invoiceId, amountMinor: 10_000n }])
  })

  it('refuses the second cashier with INVOICE_BALANCE_CHANGED, saying the invoice owes nothing now, and writes nothing', async () => {
    const deps = await oneInvoice()
    await recordPayment(deps, pay('p1'), { expectOutstandingMinor: 10_000n })
    const refused = await codeOf(recordPayment(deps, pay('p2'), { expectOutstandingMinor: 10_000n }))
    expect(refused).toEqual({ code: 'INVOICE_BALANCE_CHANGED', details: { invoiceId, expectedMinor: 10_000n, outstandingMinor: 0n } })
    expect(await deps.storage.payments!.getPayment(siteId, 'p2')).toBeUndefined()
    const [wallet] = await deps.storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')])
    expect(wallet?.posted ?? 0n).toBe(0n)
  })

  it('refuses a payment entered before a credit note changed what the invoice owes', async () => {
    const deps = await oneInvoice()
    await issueInvoiceCreditNote(deps, { siteId, invoiceId, issueDate: '2027-01-10', creditNote: { id: 'cn1', reason: 'Grève', scope: { kind: 'amount', amount: '25.00' } } })
    const refused = await codeOf(recordPayment(deps, pay('p1'), { expectOutstandingMinor: 10_000n }))
    expect(refused?.code).toBe('INVOICE_BALANCE_CHANGED')
    expect((refused?.details as { outstandingMinor: bigint }).outstandingMinor).toBe(7_500n)
  })

  it('lets exactly one of ten cashiers racing on the same balance record their payment', async () => {
    const deps = await oneInvoice()
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => recordPayment(deps, pay(`p${i}`), { expectOutstandingMinor: 10_000n })))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const codes = results.flatMap((r) => (r.status === 'rejected' && isEcoleError(r.reason) ? [r.reason.code] : []))
    expect(codes).toEqual(new Array<string>(9).fill('INVOICE_BALANCE_CHANGED'))
  })

  it('answers a replay of the recorded payment with it, unchanged, whatever the expectation', async () => {
    const deps = await oneInvoice()
    await recordPayment(deps, pay('p1'), { expectOutstandingMinor: 10_000n })
    const again = await recordPayment(deps, pay('p1'), { expectOutstandingMinor: 10_000n })
    expect(again.created).toBe(false)
  })
})

describe('a payment at the desk credited to the wallet only (seed 001: créditer le compte d\'un responsable)', () => {
  it('credits the whole amount to the payer\'s wallet and leaves the open invoice unpaid', async () => {
    const deps = await oneInvoice()
    const { payment } = await recordPayment(deps, { id: 'topup-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-12', amount: '20.00' }, { walletOnly: true })
    expect([payment.allocations, payment.walletCreditMinor]).toEqual([[], 2_000n])
    const [wallet] = await deps.storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')])
    expect(wallet?.posted).toBe(2_000n)
  })

  it('names the payment on the wallet\'s transfer (links.paymentId), so a statement line leads back to its method, product and billing office', async () => {
    const deps = await oneInvoice()
    await recordPayment(deps, { id: 'topup-2', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', product: 'Caisse 1', date: '2027-01-12', amount: '20.00' }, { walletOnly: true })
    const transfer = await deps.storage.ledger!.getTransfer(siteId, 'payment:topup-2')
    expect(transfer?.transfer.links).toEqual({ paymentId: 'topup-2' })
    const payment = await deps.storage.payments!.getPayment(siteId, 'topup-2')
    expect([payment?.billingOfficeId, payment?.product, payment?.method]).toEqual(['regie', 'Caisse 1', 'cash'])
  })

  it('refuses a wallet-only payment that names an invoice, naming the field', async () => {
    const deps = await oneInvoice()
    const refused = await codeOf(recordPayment(deps, pay('p1', '20.00'), { walletOnly: true }))
    expect(refused?.code).toBe('INVALID_INPUT')
    expect(await deps.storage.payments!.getPayment(siteId, 'p1')).toBeUndefined()
  })
})

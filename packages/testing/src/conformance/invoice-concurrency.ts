import {
  defineInvoiceNumbering, isEcoleError, issueCreditNote, openInvoicesOf, recordInvoicePayment, type CreditNote, type Invoice, type Payment,
} from '@ecole/core'
import type { StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { draftInvoice, validatedInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

const numbering = defineInvoiceNumbering()

/** A validated invoice of one line worth `totalMinor`, stored in `site` (number `n`). */
async function seedInvoice(storage: StoragePorts, site: string, id: string, totalMinor: bigint, n: number, over: Partial<Invoice> = {}): Promise<Invoice> {
  const base = draftInvoice(site, id, [`${id}:c0`], over)
  const draft: Invoice = {
    ...base,
    lines: base.lines.map((l) => ({ ...l, unitPriceMinor: totalMinor, amountMinor: totalMinor })),
    linesTotalMinor: totalMinor,
    totalMinor,
  }
  const invoicing = need(storage.invoicing, 'invoicing')
  await invoicing.createDrafts(site, [draft])
  const validated = validatedInvoice(draft, n)
  await invoicing.markValidated(site, [validated])
  return validated
}

function codeOf(reason: unknown): string {
  return isEcoleError(reason) ? reason.code : String(reason)
}

/** The codes of the rejected results, and the fulfilled values. */
function split<T>(results: ReadonlyArray<PromiseSettledResult<T>>): { done: T[]; refused: string[] } {
  const done: T[] = []
  const refused: string[] = []
  for (const r of results) {
    if (r.status === 'fulfilled') done.push(r.value)
    else refused.push(codeOf(r.reason))
  }
  return { done, refused }
}

/** Issues a credit note of `amount` in `tx` the way a workflow does: read (after locking the invoice when `lock`), check, number, save. */
async function creditIn(tx: StorageTransaction, site: string, invoiceId: string, noteId: string, amount: string, lock = false): Promise<CreditNote> {
  const invoicing = need(tx.invoicing, 'invoicing')
  const invoice = lock ? (await invoicing.lockInvoices(site, [invoiceId]))[0] : await invoicing.getInvoice(site, invoiceId)
  if (!invoice) throw new Error(`invoice ${invoiceId} vanished`)
  const earlier = await invoicing.listCreditNotes(site, [invoiceId])
  const input = { id: noteId, reason: 'Repas non servi', scope: { kind: 'amount' as const, amount } }
  issueCreditNote(invoice, earlier, input, { issueDate: '2026-04-20', sequence: 1, numbering })
  const sequence = await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'office-1/creditNote/2026', 1)
  const note = issueCreditNote(invoice, earlier, input, { issueDate: '2026-04-20', sequence, numbering })
  await invoicing.createCreditNote(site, note)
  return note
}

/** Records a payment of `amount` against `invoiceId` in `tx` the way a workflow does: read the payer's accounts (after locking them when `lock`), allocate, save. */
async function payIn(tx: StorageTransaction, site: string, invoiceId: string, paymentId: string, amount: string, lock = false): Promise<Payment> {
  const invoicing = need(tx.invoicing, 'invoicing')
  const payments = need(tx.payments, 'payments')
  let invoices = (await invoicing.listInvoices(site, { debtorId: 'g-1', status: 'validated' }, { limit: 1000 })).items
  if (lock) invoices = await invoicing.lockInvoices(site, invoices.map((i) => i.id))
  const notes = await invoicing.listCreditNotes(site, invoices.map((i) => i.id))
  const recorded = (await payments.listPayments(site, { payerId: 'g-1', status: 'recorded' }, { limit: 1000 })).items
  const payment = recordInvoicePayment(
    { id: paymentId, siteId: site, billingOfficeId: 'office-1', payerId: 'g-1', method: 'cheque', date: '2026-04-20', amount, invoiceId },
    openInvoicesOf(invoices, notes, recorded),
  )
  await payments.createPayment(site, payment)
  return payment
}

function allocatedTo(payments: readonly Payment[], invoiceId: string): bigint {
  let sum = 0n
  for (const p of payments) for (const a of p.allocations) if (a.invoiceId === invoiceId) sum += a.amountMinor
  return sum
}

/**
 * Concurrent writers of one invoice: credit notes and payments never take it beyond its total,
 * whatever the interleaving. @internal
 */
export function describeInvoiceConcurrency(ctx: ConformanceContext): void {
  describe('invoicing under concurrency', () => {
    it('never stores credit notes beyond their invoice total, even when every writer read the notes before the others committed', async () => {
      const storage = ctx.storage()
      const site = freshSiteId()
      await seedInvoice(storage, site, 'inv-100', 10_000n, 1)
      const n = ctx.concurrency
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) => storage.transaction(site, (tx) => creditIn(tx, site, 'inv-100', `cn-${i}`, '60.00'))),
      )
      const { done, refused } = split(results)
      expect(done).toHaveLength(1)
      expect(refused).toEqual(new Array<string>(n - 1).fill('CREDIT_EXCEEDS_INVOICE'))
      const stored = await need(storage.invoicing, 'invoicing').listCreditNotes(site, ['inv-100'])
      expect(stored.reduce((sum, c) => sum + c.amountMinor, 0n)).toBe(6_000n)
    })

    it('never allocates to an invoice more than it still owes at commit time, even when every writer read the balances before the others committed', async () => {
      const storage = ctx.storage()
      const site = freshSiteId()
      await seedInvoice(storage, site, 'inv-100', 10_000n, 1)
      const n = ctx.concurrency
      // each writer builds its payment from what it read; a stale read must not over-allocate
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) => storage.transaction(site, (tx) => payIn(tx, site, 'inv-100', `pay-${i}`, '100.00'))),
      )
      const { done, refused } = split(results)
      // a writer that decided on a stale balance is refused, never stored
      expect(new Set(refused)).toEqual(new Set(refused.length === 0 ? [] : ['PAYMENT_EXCEEDS_INVOICE']))
      const stored = (await need(storage.payments, 'payments').listPayments(site, { status: 'recorded' }, { limit: 1000 })).items
      expect(stored.length).toBe(done.length)
      expect(done.length).toBeGreaterThanOrEqual(1)
      expect(allocatedTo(stored, 'inv-100')).toBeLessThanOrEqual(10_000n)
      for (const p of stored) expect(p.allocations.reduce((sum, a) => sum + a.amountMinor, 0n) + p.walletCreditMinor).toBe(p.amountMinor)
    })

    it('decides credit notes one after the other when each writer locks the invoice before reading: their sum never exceeds the total, numbers stay gapless', async () => {
      const storage = ctx.storage()
      const site = freshSiteId()
      await seedInvoice(storage, site, 'inv-100', 10_000n, 1)
      const n = ctx.concurrency
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) => storage.transaction(site, (tx) => creditIn(tx, site, 'inv-100', `cn-${i}`, '30.00', true))),
      )
      const { done, refused } = split(results)
      expect(done).toHaveLength(Math.min(n, 3))
      expect(refused).toEqual(new Array<string>(Math.max(0, n - 3)).fill('CREDIT_EXCEEDS_INVOICE'))
      const stored = await need(storage.invoicing, 'invoicing').listCreditNotes(site, ['inv-100'])
      expect(stored.reduce((sum, c) => sum + c.amountMinor, 0n)).toBe(3_000n * BigInt(Math.min(n, 3)))
      expect(stored.map((c) => c.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: Math.min(n, 3) }, (_, i) => i + 1))
    })

    it('records every payment made in parallel on one invoice when each writer locks the payer\'s invoices first: the invoice gets what it owes, the excess goes to the next open invoice, then to wallet credit', async () => {
      const storage = ctx.storage()
      const site = freshSiteId()
      await seedInvoice(storage, site, 'inv-a', 10_000n, 1, { dueDate: '2026-04-15' })
      await seedInvoice(storage, site, 'inv-b', 5_000n, 2, { dueDate: '2026-05-15' })
      const n = ctx.concurrency
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) => storage.transaction(site, (tx) => payIn(tx, site, 'inv-a', `pay-${i}`, '100.00', true))),
      )
      const { done, refused } = split(results)
      expect(refused).toEqual([])
      expect(done).toHaveLength(n)
      const stored = (await need(storage.payments, 'payments').listPayments(site, { status: 'recorded' }, { limit: 1000 })).items
      expect(stored).toHaveLength(n)
      const paid = 10_000n * BigInt(n)
      const toA = paid < 10_000n ? paid : 10_000n
      const toB = paid - toA < 5_000n ? paid - toA : 5_000n
      expect(allocatedTo(stored, 'inv-a')).toBe(toA)
      expect(allocatedTo(stored, 'inv-b')).toBe(toB)
      expect(stored.reduce((sum, p) => sum + p.walletCreditMinor, 0n)).toBe(paid - toA - toB)
      for (const p of stored) {
        expect(p.allocations.reduce((sum, a) => sum + a.amountMinor, 0n) + p.walletCreditMinor).toBe(p.amountMinor)
        // the order of the documented allocation: its own invoice first, then the other open one, then the wallet
        const order = p.allocations.map((a) => a.invoiceId)
        expect(order).toEqual([...order].sort((x, y) => (x === 'inv-a' ? -1 : y === 'inv-a' ? 1 : 0)))
      }
    })
  })
}

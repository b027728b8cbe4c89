import { isEcoleError, type Invoice, type Payment } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { draftInvoice, validatedInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

/** A payment by `payerId` of `amountMinor`, allocated whole to `invoiceId`. */
function paying(siteId: string, id: string, payerId: string, invoiceId: string, amountMinor: bigint): Payment {
  return {
    id, siteId, billingOfficeId: 'office-1', payerId, method: 'transfer', product: null, date: '2026-04-02', currency: 'EUR',
    amountMinor, invoiceId, status: 'recorded', depositId: null, allocations: [{ invoiceId, amountMinor }],
    walletCreditMinor: 0n, mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null,
  }
}

/** A validated invoice of one line worth `totalMinor`, billed to g-1 (the conformance drafts' debtor). */
async function seedInvoice(storage: StoragePorts, site: string, id: string, totalMinor: bigint): Promise<Invoice> {
  const base = draftInvoice(site, id, [`${id}:c0`])
  const draft: Invoice = { ...base, lines: base.lines.map((l) => ({ ...l, unitPriceMinor: totalMinor, amountMinor: totalMinor })), linesTotalMinor: totalMinor, totalMinor }
  const invoicing = need(storage.invoicing, 'invoicing')
  await invoicing.createDrafts(site, [draft])
  const validated = validatedInvoice(draft, 1)
  await invoicing.markValidated(site, [validated])
  return validated
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(() => undefined, (error: unknown) => error)
  return isEcoleError(e) ? e.code : e === undefined ? undefined : String(e)
}

/**
 * Payments: what an invoice still owes counts every recorded payment allocated to it, whoever the
 * payment's payer (a payment stored before its invoice reached the store is not checked against
 * the invoice's debtor), not only its debtor's payments. @internal
 */
export function describePaymentsOfOtherPayers(ctx: ConformanceContext): void {
  describe('payments: allocations by another payer than the debtor', () => {
    it.runIf(ctx.has('invoicing'))('counts a payment allocated to an invoice by another payer than its debtor (stored before the invoice): createPayment and createPayments refuse what it no longer owes, and store nothing', async () => {
      const storage = ctx.storage()
      const store = need(storage.payments, 'payments')
      const site = freshSiteId()
      // 60.00 allocated to inv-1 by someone who is not its debtor: a payment stored before the invoice reached this
      // store (taken over from another system, say), which the allocation rule could not check then
      expect(await store.createPayment(site, paying(site, 'by-grandma', 'grandma', 'inv-1', 6_000n))).toBe('created')
      const invoice = await seedInvoice(storage, site, 'inv-1', 10_000n)
      expect(invoice.debtorId).not.toBe('grandma')
      // the debtor's 60.00 no longer fits, alone or in a batch
      expect(await codeOf(store.createPayment(site, paying(site, 'by-debtor', invoice.debtorId, 'inv-1', 6_000n)))).toBe('PAYMENT_EXCEEDS_INVOICE')
      expect(await codeOf(store.createPayments(site, [paying(site, 'by-debtor', invoice.debtorId, 'inv-1', 6_000n)]))).toBe('PAYMENT_EXCEEDS_INVOICE')
      expect((await store.listPayments(site, {}, { limit: 100 })).items.map((p) => p.id)).toEqual(['by-grandma'])
      // what it still owes (40.00) fits exactly, then nothing more
      expect(await store.createPayments(site, [paying(site, 'rest', invoice.debtorId, 'inv-1', 4_000n)])).toEqual([{ id: 'rest', status: 'created' }])
      expect(await codeOf(store.createPayment(site, paying(site, 'one-more', invoice.debtorId, 'inv-1', 1n)))).toBe('PAYMENT_EXCEEDS_INVOICE')
      expect(await codeOf(store.createPayments(site, [paying(site, 'one-more', invoice.debtorId, 'inv-1', 1n)]))).toBe('PAYMENT_EXCEEDS_INVOICE')
      // once the other payer's payment is refused (a returned transfer), its 60.00 is owed again
      await store.refusePayment(site, 'by-grandma', { reasonCode: 'AM04', date: '2026-04-25', action: 'retry' })
      expect(await store.createPayment(site, paying(site, 'again', invoice.debtorId, 'inv-1', 6_000n))).toBe('created')
    })
  })
}

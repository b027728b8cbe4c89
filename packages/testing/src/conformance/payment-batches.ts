import { isEcoleError, type Invoice, type Payment } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { draftInvoice, validatedInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

function payment(siteId: string, id: string, over: Partial<Payment> = {}): Payment {
  return {
    id, siteId, billingOfficeId: 'office-1', payerId: 'g-1', method: 'transfer', product: null, date: '2026-04-02', currency: 'EUR',
    amountMinor: 1245n, invoiceId: null, status: 'recorded', depositId: null, allocations: [],
    walletCreditMinor: 1245n, mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null, ...over,
  }
}

/** A payment of `amountMinor` allocated whole to `invoiceId`. */
function paying(siteId: string, id: string, invoiceId: string, amountMinor: bigint, over: Partial<Payment> = {}): Payment {
  return payment(siteId, id, { invoiceId, amountMinor, allocations: [{ invoiceId, amountMinor }], walletCreditMinor: 0n, ...over })
}

/** A validated invoice of one line worth `totalMinor`, billed to g-1, stored in `site` (number `n`). */
async function seedInvoice(storage: StoragePorts, site: string, id: string, totalMinor: bigint, n: number): Promise<Invoice> {
  const base = draftInvoice(site, id, [`${id}:c0`])
  const draft: Invoice = { ...base, lines: base.lines.map((l) => ({ ...l, unitPriceMinor: totalMinor, amountMinor: totalMinor })), linesTotalMinor: totalMinor, totalMinor }
  const invoicing = need(storage.invoicing, 'invoicing')
  await invoicing.createDrafts(site, [draft])
  const validated = validatedInvoice(draft, n)
  await invoicing.markValidated(site, [validated])
  return validated
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  )
  return isEcoleError(e) ? e.code : e === undefined ? undefined : String(e)
}

async function allStored(storage: StoragePorts, site: string): Promise<Payment[]> {
  return (await need(storage.payments, 'payments').listPayments(site, {}, { limit: 1000 })).items
}

/**
 * `createPayments`: a batch of payments written at once, all or none, each answered `created` or
 * `exists`, the rules of a single payment holding across the batch and against concurrent batches. @internal
 */
export function describePaymentBatches(ctx: ConformanceContext): void {
  describe('payment batches (createPayments)', () => {
    it('stores a batch and answers each payment in order: created, or exists for a replay stored before or earlier in the same batch', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      const p0 = payment(site, 'p0', { bankEntryReference: 'BANK-0' })
      expect(await store.createPayment(site, p0)).toBe('created')
      const p1 = payment(site, 'p1', { bankEntryReference: 'BANK-1' })
      const p2 = payment(site, 'p2', { method: 'directDebit', endToEndId: 'E2E-2' })
      expect(await store.createPayments(site, [p1, p0, p2, p1])).toEqual([
        { id: 'p1', status: 'created' }, { id: 'p0', status: 'exists' }, { id: 'p2', status: 'created' }, { id: 'p1', status: 'exists' },
      ])
      expect(await store.getPayment(site, 'p1')).toEqual(p1)
      expect(await store.getPayment(site, 'p2')).toEqual(p2)
      expect((await store.listPayments(site, { endToEndId: 'E2E-2' })).items.map((p) => p.id)).toEqual(['p2'])
      // the whole batch again: nothing new
      expect((await store.createPayments(site, [p0, p1, p2])).map((r) => r.status)).toEqual(['exists', 'exists', 'exists'])
      expect(await store.createPayments(site, [])).toEqual([])
      // another site sees none of them
      expect(await store.getPayment(freshSiteId(), 'p1')).toBeUndefined()
    })

    it('stores none of a batch when one payment is refused: other content under a stored id, a bank entry used twice, allocations that do not add up', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      const p0 = payment(site, 'p0', { bankEntryReference: 'BANK-0' })
      await store.createPayment(site, p0)
      const fresh = payment(site, 'fresh')
      expect(await codeOf(store.createPayments(site, [fresh, { ...p0, amountMinor: 1n, walletCreditMinor: 1n }]))).toBe('IDEMPOTENCY_CONFLICT')
      expect(await codeOf(store.createPayments(site, [fresh, payment(site, 'again', { bankEntryReference: 'BANK-0' })]))).toBe('ID_CONFLICT')
      expect(await codeOf(store.createPayments(site, [fresh, payment(site, 'x1', { bankEntryReference: 'BANK-9' }), payment(site, 'x2', { bankEntryReference: 'BANK-9' })]))).toBe('ID_CONFLICT')
      expect(await codeOf(store.createPayments(site, [fresh, payment(site, 'bad', { walletCreditMinor: 1n })]))).toBe('INVALID_INPUT')
      expect(await codeOf(store.createPayments(site, [fresh, { ...fresh, amountMinor: 2n, walletCreditMinor: 2n }]))).toBe('IDEMPOTENCY_CONFLICT')
      expect((await allStored(ctx.storage(), site)).map((p) => p.id)).toEqual(['p0'])
    })

    it.runIf(ctx.has('invoicing'))('counts the earlier payments of the batch: allocations beyond what an invoice owes are refused and nothing of the batch is stored, even inside a transaction that goes on', async () => {
      const storage = ctx.storage()
      const store = need(storage.payments, 'payments')
      const site = freshSiteId()
      await seedInvoice(storage, site, 'inv-1', 10_000n, 1)
      await store.createPayment(site, paying(site, 'before', 'inv-1', 3_000n))
      // 3,000 stored + 4,000 + 4,000 in the batch > 10,000
      const batch = [paying(site, 'a', 'inv-1', 4_000n), paying(site, 'b', 'inv-1', 4_000n)]
      expect(await codeOf(store.createPayments(site, batch))).toBe('PAYMENT_EXCEEDS_INVOICE')
      await storage.transaction(site, async (tx) => {
        expect(await codeOf(need(tx.payments, 'payments').createPayments(site, batch))).toBe('PAYMENT_EXCEEDS_INVOICE')
        await need(tx.payments, 'payments').createPayment(site, payment(site, 'kept'))
      })
      expect((await allStored(storage, site)).map((p) => p.id)).toEqual(['before', 'kept'])
      // a refused payment's allocations count for nothing: then the batch fits exactly
      await store.refusePayment(site, 'before', { reasonCode: 'AM04', date: '2026-04-25', action: 'retry' })
      expect((await store.createPayments(site, [...batch, paying(site, 'c', 'inv-1', 2_000n)])).map((r) => r.status)).toEqual(['created', 'created', 'created'])
      expect(await codeOf(store.createPayments(site, [paying(site, 'd', 'inv-1', 1n)]))).toBe('PAYMENT_EXCEEDS_INVOICE')
    })

    it.runIf(ctx.has('invoicing'))('never allocates beyond an invoice when batches on it run at once: the same batch twice is stored once, competing batches one of them', async () => {
      const storage = ctx.storage()
      const store = need(storage.payments, 'payments')
      const site = freshSiteId()
      await seedInvoice(storage, site, 'inv-1', 10_000n, 1)
      await seedInvoice(storage, site, 'inv-2', 10_000n, 2)
      const n = Math.max(2, Math.min(ctx.concurrency, 8))
      // the same import twice (or n times) at once: each payment stored once, every call answered
      const same = [paying(site, 's1', 'inv-1', 6_000n, { bankEntryReference: 'BANK-S1' }), paying(site, 's2', 'inv-2', 6_000n, { bankEntryReference: 'BANK-S2' })]
      const replays = await Promise.allSettled(Array.from({ length: n }, () => storage.transaction(site, (tx) => need(tx.payments, 'payments').createPayments(site, same))))
      expect(replays.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown)).toEqual([])
      const statuses = replays.flatMap((r) => (r.status === 'fulfilled' ? r.value.map((x) => x.status) : []))
      expect(statuses.filter((s) => s === 'created')).toHaveLength(2)
      expect(statuses.filter((s) => s === 'exists')).toHaveLength(2 * (n - 1))
      // competing batches, each wanting what is left of both invoices (4,000 each): one wins whole, the others store nothing
      const competing = await Promise.allSettled(Array.from({ length: n }, (_, i) => storage.transaction(site, (tx) =>
        need(tx.payments, 'payments').createPayments(site, [paying(site, `c${i}-2`, 'inv-2', 4_000n), paying(site, `c${i}-1`, 'inv-1', 4_000n)]))))
      expect(competing.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const refused = competing.flatMap((r) => (r.status === 'rejected' ? [isEcoleError(r.reason) ? r.reason.code : String(r.reason)] : []))
      expect(refused).toEqual(new Array<string>(n - 1).fill('PAYMENT_EXCEEDS_INVOICE'))
      const stored = await allStored(storage, site)
      for (const inv of ['inv-1', 'inv-2']) {
        const total = stored.flatMap((p) => p.allocations).filter((a) => a.invoiceId === inv).reduce((s, a) => s + a.amountMinor, 0n)
        expect(total, inv).toBe(10_000n)
      }
      expect(stored).toHaveLength(4)
    })
  })
}

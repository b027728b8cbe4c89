import { isEcoleError, type Deposit, type Payment } from '@ecole/core'
import type { ImportedBankEntry } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/** A recorded cheque payment of 12.45 EUR on invoice `i1`. @internal */
export function payment(siteId: string, id: string, over: Partial<Payment> = {}): Payment {
  return {
    id, siteId, billingOfficeId: 'office-1', payerId: 'g-1', method: 'cheque', product: null, date: '2026-04-02', currency: 'EUR',
    amountMinor: 1245n, invoiceId: 'i1', status: 'recorded', depositId: null, allocations: [{ invoiceId: 'i1', amountMinor: 1245n }],
    walletCreditMinor: 0n, mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null, ...over,
  }
}

/** A cheque deposit of `paymentIds` (12.45 EUR each). @internal */
export function deposit(siteId: string, id: string, paymentIds: string[]): Deposit {
  return { id, siteId, method: 'cheque', bankAccountId: 'bank-1', date: '2026-04-03', paymentIds, totalMinor: 1245n * BigInt(paymentIds.length), totalsByProduct: {}, currency: 'EUR', locked: false }
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  )
  return isEcoleError(e) ? e.code : e === undefined ? undefined : String(e)
}

/** Payments, deposits, mandates. @internal */
export function describePayments(ctx: ConformanceContext): void {
  describe('payments', () => {
    it('stores a payment idempotently; the same id with other content, or a bank entry used twice, is refused', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      const p = payment(site, 'p1', { bankEntryReference: 'BANKREF-1', method: 'transfer' })
      expect(await store.createPayment(site, p)).toBe('created')
      expect(await store.createPayment(site, p)).toBe('exists')
      expect(await codeOf(store.createPayment(site, { ...p, amountMinor: 1n }))).toBe('IDEMPOTENCY_CONFLICT')
      expect(await codeOf(store.createPayment(site, payment(site, 'p2', { bankEntryReference: 'BANKREF-1' })))).toBe('ID_CONFLICT')
      expect(await store.getPayment(site, 'p2')).toBeUndefined()
      expect(await store.getPayment(site, 'p1')).toEqual(p)
      expect(await store.getPayment(freshSiteId(), 'p1')).toBeUndefined()
    })

    it('keeps the day a payment was recorded (recordedOn: a return cannot be dated before it), read back by id and in lists, and absent when not given', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      const collected = payment(site, 'dd-1', { method: 'directDebit', mandateId: 'RUM-1', endToEndId: 'E2E-R1', date: '2026-05-05', recordedOn: '2026-04-28' })
      expect(await store.createPayment(site, collected)).toBe('created')
      expect(await store.createPayment(site, payment(site, 'p-plain'))).toBe('created')
      expect(await store.getPayment(site, 'dd-1')).toEqual(collected)
      expect((await store.listPayments(site, { endToEndId: 'E2E-R1' })).items).toEqual([collected])
      expect(await store.getPayment(site, 'p-plain')).not.toHaveProperty('recordedOn')
      // a replay with another recorded day is other content
      expect(await codeOf(store.createPayment(site, { ...collected, recordedOn: '2026-04-29' }))).toBe('IDEMPOTENCY_CONFLICT')
    })

    it('keeps amounts above 2^53 minor units exact (bigint, never a float), by id and in lists', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      const big = 2n ** 53n + 1n
      const p = payment(site, 'big', { amountMinor: 2n * big, allocations: [{ invoiceId: 'i1', amountMinor: big }], walletCreditMinor: big })
      expect(await store.createPayment(site, p)).toBe('created')
      expect(await store.getPayment(site, 'big')).toEqual(p)
      expect((await store.listPayments(site, {})).items).toEqual([p])
    })

    it('frees the bank entry reference of a deleted payment: the entry can pay again (a payment recorded on the wrong family, deleted and recorded again)', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      await store.createPayment(site, payment(site, 'wrong', { bankEntryReference: 'BANKREF-DEL', method: 'transfer', payerId: 'g-9' }))
      await store.deletePayment(site, 'wrong')
      expect(await store.getPayment(site, 'wrong')).toBeUndefined()
      expect(await store.createPayment(site, payment(site, 'right', { bankEntryReference: 'BANKREF-DEL', method: 'transfer' }))).toBe('created')
    })

    it('refuses a payment once, and filters by invoice, status and deposit', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      await store.createPayment(site, payment(site, 'p1'))
      await store.createPayment(site, payment(site, 'p2', { invoiceId: null, allocations: [{ invoiceId: 'i2', amountMinor: 1245n }], method: 'directDebit', endToEndId: 'E2E-2' }))
      const refusal = { reasonCode: 'AM04', date: '2026-04-25' as const, action: 'retry' as const }
      await store.refusePayment(site, 'p2', refusal)
      expect(await codeOf(store.refusePayment(site, 'p2', refusal))).toBe('PAYMENT_ALREADY_REFUSED')
      expect(await codeOf(store.refusePayment(site, 'nope', refusal))).toBe('NOT_FOUND')
      expect(await store.getPayment(site, 'p2')).toMatchObject({ status: 'refused', refusal })
      const ids = async (f: Parameters<typeof store.listPayments>[1]) => (await store.listPayments(site, f)).items.map((p) => p.id)
      expect(await ids({ invoiceId: 'i2' })).toEqual(['p2'])
      expect(await ids({ status: 'recorded' })).toEqual(['p1'])
      expect(await ids({ endToEndId: 'E2E-2' })).toEqual(['p2'])
      expect(await ids({ method: 'cheque', inDeposit: false })).toEqual(['p1'])
    })

    it('keeps deposits holding their payments, and a locked deposit unchanged', async () => {
      const store = need(ctx.storage().payments, 'payments')
      const site = freshSiteId()
      for (const id of ['p1', 'p2', 'p3']) await store.createPayment(site, payment(site, id))
      await store.createDeposit(site, deposit(site, 'd1', ['p1', 'p2']))
      expect(await codeOf(store.createDeposit(site, deposit(site, 'd2', ['p2', 'p3'])))).toBe('PAYMENT_IN_DEPOSIT')
      expect((await store.getPayment(site, 'p3'))?.depositId).toBeNull()
      expect(await codeOf(store.createDeposit(site, deposit(site, 'd1', ['p3'])))).toBe('IDEMPOTENCY_CONFLICT')
      expect(await codeOf(store.deletePayment(site, 'p1'))).toBe('PAYMENT_IN_DEPOSIT')
      expect((await store.listPayments(site, { depositId: 'd1' })).items.map((p) => p.id)).toEqual(['p1', 'p2'])
      await store.deleteDeposit(site, 'd1')
      expect((await store.getPayment(site, 'p1'))?.depositId).toBeNull()
      await store.createDeposit(site, deposit(site, 'd3', ['p1']))
      await store.lockDeposit(site, 'd3')
      expect(await codeOf(store.deleteDeposit(site, 'd3'))).toBe('DEPOSIT_LOCKED')
      expect(await store.getDeposit(site, 'd3')).toEqual({ ...deposit(site, 'd3', ['p1']), locked: true })
      await store.deletePayment(site, 'p3')
      expect(await store.getPayment(site, 'p3')).toBeUndefined()
    })

    it('creates a deposit sent several times at once once and answers the others exists; the same id with other payments at once, IDEMPOTENCY_CONFLICT', async () => {
      const store = need(ctx.storage().payments, 'payments')
      for (let round = 0; round < 3; round++) {
        const site = freshSiteId()
        for (const id of ['p1', 'p2', 'p3', 'p4']) await store.createPayment(site, payment(site, id))
        const outcome = (r: PromiseSettledResult<string>) => (r.status === 'fulfilled' ? r.value : isEcoleError(r.reason) ? r.reason.code : String(r.reason))
        // the same deposit: whoever waited for the first one's payments finds it stored, not its payments taken
        const same = await Promise.allSettled(Array.from({ length: 4 }, () => store.createDeposit(site, deposit(site, 'd1', ['p1', 'p2']))))
        expect(same.map(outcome).sort()).toEqual(['created', 'exists', 'exists', 'exists'])
        // one id, two sets of payments that share none: one is stored, the other told so (never a raw storage error)
        const other = await Promise.allSettled([store.createDeposit(site, deposit(site, 'd2', ['p3'])), store.createDeposit(site, deposit(site, 'd2', ['p4']))])
        expect(other.map(outcome).sort()).toEqual(['IDEMPOTENCY_CONFLICT', 'created'])
        const stored = await store.getDeposit(site, 'd2')
        expect((await store.listPayments(site, { depositId: 'd2' })).items.map((p) => p.id)).toEqual(stored?.paymentIds)
        expect((await store.listPayments(site, { depositId: 'd1' })).items.map((p) => p.id)).toEqual(['p1', 'p2'])
      }
    })
  })
}

/** Bank imports: idempotent on the entry reference. @internal */
export function describeBankImports(ctx: ConformanceContext): void {
  describe('bank imports', () => {
    const entry = (ref: string, outcome: ImportedBankEntry['outcome']): ImportedBankEntry => ({
      entryReference: ref, accountIban: 'FR7630006000011234567890189', bookingDate: '2026-04-02', amountMinor: 7055n, currency: 'EUR',
      direction: 'credit', counterpartyName: 'Martin', remittance: 'RF18539007547034', outcome,
    })

    it('records an entry once: importing the same statement twice changes nothing', async () => {
      const store = need(ctx.storage().bankImports, 'bankImports')
      const site = freshSiteId()
      const e = entry('REF-1', { kind: 'invoicePayment', paymentId: 'bank:REF-1', invoiceId: 'i1' })
      expect(await store.createBankEntry(site, e)).toBe('created')
      expect(await store.createBankEntry(site, { ...e, outcome: { kind: 'ignored', reason: 'again' } })).toBe('exists')
      expect((await store.listBankEntries(site, {})).items).toEqual([e])
      expect(await store.importedEntryReferences(site, ['REF-1', 'REF-2'])).toEqual(new Set(['REF-1']))
      expect(await store.importedEntryReferences(freshSiteId(), ['REF-1'])).toEqual(new Set())
    })

    it('reads imported entries by reference, as recorded, leaving out references never imported and other sites\' entries', async () => {
      const store = need(ctx.storage().bankImports, 'bankImports')
      const site = freshSiteId()
      const e = entry('REF-1', { kind: 'invoicePayment', paymentId: 'bank:REF-1', invoiceId: 'i1' })
      const other = { ...entry('FR76|REF-2', { kind: 'ignored', reason: 'debit' }), accountIban: 'BE68539007547034', amountMinor: 1n, counterpartyName: null, remittance: null }
      await store.createBankEntry(site, e)
      await store.createBankEntry(site, other)
      await store.createBankEntry(freshSiteId(), entry('REF-3', { kind: 'ignored', reason: 'debit' }))
      expect(await store.getBankEntries(site, ['REF-1', 'FR76|REF-2', 'REF-3', 'NEVER'])).toEqual(new Map([['REF-1', e], ['FR76|REF-2', other]]))
      expect(await store.getBankEntries(site, [])).toEqual(new Map())
    })

    it('lists entries of one outcome, by reference, a page at a time', async () => {
      const store = need(ctx.storage().bankImports, 'bankImports')
      const site = freshSiteId()
      for (const ref of ['R3', 'R1', 'R2', 'R4']) {
        await store.createBankEntry(site, entry(ref, ref === 'R4' ? { kind: 'ignored', reason: 'fee' } : { kind: 'review', reason: 'UNMATCHED', candidates: [] }))
      }
      const seen: string[] = []
      let page = await store.listBankEntries(site, { outcome: 'review' }, { limit: 2 })
      seen.push(...page.items.map((e) => e.entryReference))
      while (page.next) {
        page = await store.listBankEntries(site, { outcome: 'review' }, { limit: 2, after: page.next })
        seen.push(...page.items.map((e) => e.entryReference))
      }
      expect(seen).toEqual(['R1', 'R2', 'R3'])
    })
  })
}

import { isEcoleError, type CreditNote, type Invoice, type InvoiceBatch } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/** A draft of `lines.length` lines, one charge each. @internal */
export function draftInvoice(siteId: string, id: string, chargeIds: string[], over: Partial<Invoice> = {}): Invoice {
  const lines = chargeIds.map((c, i) => ({
    id: `${id}:l${i}`,
    beneficiaryId: 'child-1',
    serviceId: 'lunch',
    unitPriceMinor: 415n,
    quantity: 1,
    amountMinor: 415n,
    chargeIds: [c],
    dates: ['2026-03-02' as const],
    from: '2026-03-02' as const,
    to: '2026-03-02' as const,
  }))
  const total = 415n * BigInt(lines.length)
  return {
    id,
    siteId,
    billingOfficeId: 'office-1',
    batchId: 'batch-2026-03',
    debtorId: 'g-1',
    jointDebtorIds: [],
    status: 'draft',
    number: null,
    sequence: null,
    issueDate: null,
    periodFrom: '2026-03-01',
    periodTo: '2026-03-31',
    dueDate: '2026-04-15',
    directDebitDate: null,
    portalDisplayDate: '2026-04-01',
    comment: null,
    currency: 'EUR',
    lines,
    adjustments: [],
    linesTotalMinor: total,
    adjustmentsTotalMinor: 0n,
    totalMinor: total,
    previousBalanceMinor: 0n,
    instalments: [],
    paymentReference: null,
    ...over,
  }
}

/** The validated version of a draft, numbered `n` of the series. @internal */
export function validatedInvoice(draft: Invoice, n: number): Invoice {
  return { ...draft, status: 'validated', number: `F2026-${String(n).padStart(6, '0')}`, sequence: n, issueDate: '2026-04-01' }
}

/** A batch of March 2026 for the drafts of {@link draftInvoice}. @internal */
export function batch(siteId: string, id = 'batch-2026-03'): InvoiceBatch {
  return {
    id,
    siteId,
    billingOfficeId: 'office-1',
    period: { from: '2026-03-01', to: '2026-03-31' },
    serviceIds: ['lunch'],
    currency: 'EUR',
    dueDate: '2026-04-15',
    directDebitDate: null,
    portalDisplayDate: '2026-04-01',
    minimumMinor: 500n,
    label: 'Mars 2026',
  }
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  )
  return isEcoleError(e) ? e.code : e === undefined ? undefined : String(e)
}

/** Invoicing: charges billed once, validated invoices immutable, gapless concurrent validation. @internal */
export function describeInvoicing(ctx: ConformanceContext): void {
  describe('invoicing', () => {
    it('stores a batch idempotently and refuses its id with other content', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      expect(await store.createInvoiceBatch(site, batch(site))).toBe('created')
      expect(await store.createInvoiceBatch(site, batch(site))).toBe('exists')
      expect(await codeOf(store.createInvoiceBatch(site, { ...batch(site), minimumMinor: 600n }))).toBe('ID_CONFLICT')
      expect(await store.getInvoiceBatch(site, 'batch-2026-03')).toEqual(batch(site))
      expect(await store.getInvoiceBatch(freshSiteId(), 'batch-2026-03')).toBeUndefined()
    })

    it('bills a charge once: a draft repeating a billed charge is refused and nothing is written', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      await store.createDrafts(site, [draftInvoice(site, 'i1', ['c1', 'c2'])])
      expect(await codeOf(store.createDrafts(site, [draftInvoice(site, 'i2', ['c3']), draftInvoice(site, 'i3', ['c2'])]))).toBe('CHARGE_ALREADY_BILLED')
      expect(await store.getInvoice(site, 'i2')).toBeUndefined()
      expect([...(await store.billedChargeIds(site, ['c1', 'c2', 'c3']))].sort()).toEqual(['c1', 'c2'])
      expect(await codeOf(store.createDrafts(site, [draftInvoice(site, 'i1', ['c9'])]))).toBe('ID_CONFLICT')
      expect(await store.getInvoice(site, 'i1')).toEqual(draftInvoice(site, 'i1', ['c1', 'c2']))
    })

    it('frees the charges of a deleted draft', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      await store.createDrafts(site, [draftInvoice(site, 'i1', ['c1'])])
      expect(await store.deleteDrafts(site, ['i1', 'unknown'])).toBe(1)
      expect((await store.billedChargeIds(site, ['c1'])).size).toBe(0)
      await store.createDrafts(site, [draftInvoice(site, 'i2', ['c1'])])
      expect((await store.billedChargeIds(site, ['c1'])).size).toBe(1)
    })

    it('never changes or deletes a validated invoice', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      const d = draftInvoice(site, 'i1', ['c1'])
      await store.createDrafts(site, [d])
      await store.updateDraft(site, { ...d, comment: 'Merci' })
      await store.markValidated(site, [validatedInvoice({ ...d, comment: 'Merci' }, 1)])
      expect(await codeOf(store.updateDraft(site, { ...d, comment: 'x' }))).toBe('INVOICE_NOT_DRAFT')
      expect(await codeOf(store.deleteDrafts(site, ['i1']))).toBe('INVOICE_NOT_DRAFT')
      expect(await codeOf(store.markValidated(site, [validatedInvoice(d, 2)]))).toBe('INVOICE_NOT_DRAFT')
      expect(await store.getInvoice(site, 'i1')).toEqual(validatedInvoice({ ...d, comment: 'Merci' }, 1))
      expect(await codeOf(store.updateDraft(site, draftInvoice(site, 'nope', ['c5'])))).toBe('NOT_FOUND')
    })

    it('sets the portal display date of drafts and validated invoices and changes nothing else of them', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      const d1 = draftInvoice(site, 'i1', ['c1'])
      const d2 = draftInvoice(site, 'i2', ['c2'])
      await store.createDrafts(site, [d1, d2])
      const v1 = validatedInvoice(d1, 1)
      await store.markValidated(site, [v1])
      expect(await store.setPortalDisplayDate(site, ['i1', 'i2', 'i1'], '2027-02-03')).toBe(2)
      expect(await store.getInvoice(site, 'i1')).toEqual({ ...v1, portalDisplayDate: '2027-02-03' })
      expect(await store.getInvoice(site, 'i2')).toEqual({ ...d2, portalDisplayDate: '2027-02-03' })
      // a validated invoice with its date moved stays immutable otherwise
      expect(await codeOf(store.updateDraft(site, { ...d1, comment: 'x' }))).toBe('INVOICE_NOT_DRAFT')
    })

    it('sets no portal display date at all when one of the invoices does not exist', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      const d1 = draftInvoice(site, 'i1', ['c1'])
      await store.createDrafts(site, [d1])
      expect(await codeOf(store.setPortalDisplayDate(site, ['i1', 'nope'], '2027-02-03'))).toBe('NOT_FOUND')
      expect(await store.getInvoice(site, 'i1')).toEqual(d1)
      expect(await store.setPortalDisplayDate(site, [], '2027-02-03')).toBe(0)
      // another site's invoice of the same id is not this site's
      expect(await codeOf(store.setPortalDisplayDate(freshSiteId(), ['i1'], '2027-02-03'))).toBe('NOT_FOUND')
      expect(await store.getInvoice(site, 'i1')).toEqual(d1)
    })

    it('numbers N concurrent validations of N drafts 1..N without gap or duplicate', async () => {
      const s = ctx.storage()
      const store = need(s.invoicing, 'invoicing')
      const site = freshSiteId()
      const n = ctx.concurrency
      const drafts = Array.from({ length: n }, (_, i) => draftInvoice(site, `i${String(i).padStart(3, '0')}`, [`c${i}`]))
      await store.createDrafts(site, drafts)
      await Promise.all(
        drafts.map((d) =>
          s.transaction(site, async (tx) => {
            const first = await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'office-1/2026', 1)
            await need(tx.invoicing, 'invoicing').markValidated(site, [validatedInvoice(d, first)])
          }),
        ),
      )
      const page = await store.listInvoices(site, { status: 'validated' }, { limit: 1000 })
      expect(page.items.map((i) => i.sequence).sort((a, b) => a! - b!)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    })

    it('gives the numbers back when two transactions race to validate the same draft', async () => {
      const s = ctx.storage()
      const site = freshSiteId()
      const d = draftInvoice(site, 'i1', ['c1'])
      await need(s.invoicing, 'invoicing').createDrafts(site, [d])
      const outcomes = await Promise.allSettled(
        [0, 1, 2].map(() =>
          s.transaction(site, async (tx) => {
            const first = await need(tx.invoiceNumbers, 'invoiceNumbers').nextNumbers(site, 'office-1/2026', 1)
            await need(tx.invoicing, 'invoicing').markValidated(site, [validatedInvoice(d, first)])
            return first
          }),
        ),
      )
      expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual([1])
      expect(outcomes.filter((o) => o.status === 'rejected' && isEcoleError(o.reason) && o.reason.code === 'INVOICE_NOT_DRAFT')).toHaveLength(2)
      expect(await need(s.invoiceNumbers, 'invoiceNumbers').lastNumber(site, 'office-1/2026')).toBe(1)
    })

    it('filters and paginates invoices by id', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      await store.createDrafts(site, [
        draftInvoice(site, 'b', ['c1'], { debtorId: 'g-2' }),
        draftInvoice(site, 'a', ['c2'], { dueDate: '2026-04-01' }),
        draftInvoice(site, 'c', ['c3'], { batchId: 'other' }),
        draftInvoice(site, 'd', ['c4']),
      ])
      const ids = async (f: Parameters<typeof store.listInvoices>[1]) => (await store.listInvoices(site, f)).items.map((i) => i.id)
      expect(await ids({ batchId: 'batch-2026-03' })).toEqual(['a', 'b', 'd'])
      expect(await ids({ debtorId: 'g-2' })).toEqual(['b'])
      expect(await ids({ dueBefore: '2026-04-15' })).toEqual(['a'])
      const seen: string[] = []
      let page = await store.listInvoices(site, {}, { limit: 3 })
      seen.push(...page.items.map((i) => i.id))
      while (page.next) {
        page = await store.listInvoices(site, {}, { limit: 3, after: page.next })
        seen.push(...page.items.map((i) => i.id))
      }
      expect(seen).toEqual(['a', 'b', 'c', 'd'])
    })

    it('stores credit notes idempotently and keeps reminder levels', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      const site = freshSiteId()
      const draft = draftInvoice(site, 'i1', ['c1'])
      await store.createDrafts(site, [draft])
      await store.markValidated(site, [validatedInvoice(draft, 1)])
      const note: CreditNote = {
        id: 'cn-1', siteId: site, billingOfficeId: 'office-1', invoiceId: 'i1', debtorId: 'g-1', number: 'A2026-000001', sequence: 1,
        issueDate: '2026-04-10', reason: 'Absence justifiée', currency: 'EUR', amountMinor: 415n, lines: [{ lineId: 'i1:l0', amountMinor: 415n }],
      }
      expect(await store.createCreditNote(site, note)).toBe('created')
      expect(await store.createCreditNote(site, note)).toBe('exists')
      expect(await codeOf(store.createCreditNote(site, { ...note, amountMinor: 1n }))).toBe('IDEMPOTENCY_CONFLICT')
      expect(await codeOf(store.createCreditNote(site, { ...note, id: 'cn-2', number: 'A2026-000002' }))).toBe('CREDIT_EXCEEDS_INVOICE')
      expect(await codeOf(store.createCreditNote(site, { ...note, id: 'cn-3', number: 'A2026-000003', invoiceId: 'nope' }))).toBe('NOT_FOUND')
      expect(await store.listCreditNotes(site, ['i1'])).toEqual([note])
      expect(await store.listCreditNotes(site, ['i2'])).toEqual([])
      await store.recordReminders(site, [
        { invoiceId: 'i1', level: 1, date: '2026-04-20', onPortal: true },
        { invoiceId: 'i1', level: 2, date: '2026-05-05', onPortal: false },
      ])
      expect(await store.lastReminderLevels(site, ['i1', 'i2'])).toEqual(new Map([['i1', 2]]))
    })
  })
}

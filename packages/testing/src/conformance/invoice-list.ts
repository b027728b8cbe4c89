import { invoiceBalances, isEcoleError, isReminderCandidate, type CreditNote, type Invoice, type LocalDate } from '@ecole/core'
import type { InvoiceFilter, InvoiceSort, InvoiceSortKey, InvoiceStore, InvoiceWithBalance } from '@ecole/core/ports'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { payment } from './invoice-balances'
import { batch, draftInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

/** One invoice of a generated list: validated or not, its number, due day, total, debtor and what was paid on it. */
interface Spec {
  validated: boolean
  number: string
  dueDate: LocalDate
  totalMinor: bigint
  debtorId: string
  paidMinor: bigint
}

/** Stores the specs as invoices of site `s` (ids `inv-00`, `inv-01`...; numbers unique), the paid part as one recorded payment each. */
async function store(invoicing: InvoiceStore, payments: NonNullable<ReturnType<ConformanceContext['storage']>['payments']>, s: string, specs: readonly Spec[]): Promise<void> {
  await invoicing.createInvoiceBatch(s, batch(s))
  const drafts = specs.map((x, k) => draftInvoice(s, `inv-${String(k).padStart(2, '0')}`, [`c-${k}`], { debtorId: x.debtorId, totalMinor: x.totalMinor, dueDate: x.dueDate }))
  await invoicing.createDrafts(s, drafts)
  const validated = drafts.flatMap((d, k) => (specs[k]!.validated ? [{ ...d, status: 'validated' as const, number: specs[k]!.number, sequence: k + 1, issueDate: `2026-04-${String(1 + (k % 9)).padStart(2, '0')}` as LocalDate }] : []))
  if (validated.length > 0) await invoicing.markValidated(s, validated)
  for (const [k, x] of specs.entries()) {
    if (x.validated && x.paidMinor > 0n) await payments.createPayment(s, payment(s, `p-${k}`, [[drafts[k]!.id, x.paidMinor]], x.debtorId))
  }
}

async function everyPage(read: (after: string | undefined) => Promise<{ items: InvoiceWithBalance[]; next?: string | undefined }>): Promise<InvoiceWithBalance[]> {
  const out: InvoiceWithBalance[] = []
  let after: string | undefined
  for (let guard = 0; guard < 1000; guard++) {
    const page = await read(after)
    out.push(...page.items)
    if (page.next === undefined) return out
    after = page.next
  }
  throw new Error('more than 1000 pages')
}

/** The order the list promises, written out: the key (a draft's number and issue day are empty), then the id, both reversed when descending. */
function expectedOrder(rows: readonly InvoiceWithBalance[], sort: InvoiceSort): string[] {
  const key = (i: Invoice): string | bigint => ({ id: i.id, number: i.number ?? '', issueDate: i.issueDate ?? '', dueDate: i.dueDate, total: i.totalMinor })[sort.by]
  const cmp = (a: string | bigint, b: string | bigint) => (a < b ? -1 : a > b ? 1 : 0)
  return [...rows]
    .sort((a, b) => {
      const c = cmp(key(a.invoice), key(b.invoice)) || cmp(a.invoice.id, b.invoice.id)
      return sort.direction === 'desc' ? -c : c
    })
    .map((r) => r.invoice.id)
}

async function codeOf(p: Promise<unknown>): Promise<[string | undefined, string]> {
  const e = await p.then(() => undefined, (x: unknown) => x)
  return [isEcoleError(e) ? e.code : undefined, e instanceof Error ? e.message : String(e)]
}

const SORT_KEYS: readonly InvoiceSortKey[] = ['id', 'number', 'issueDate', 'dueDate', 'total']

/**
 * Invoicing: the back office's invoice list (seed 001, « FACTURES », « État facture : à relancer »):
 * balance states, a search by number or debtor, and keyset pages under every order. @internal
 */
export function describeInvoiceList(ctx: ConformanceContext): void {
  describe('invoicing: the invoice list by balance state, search and order', () => {
    it('lists as open, settled and to remind exactly the validated invoices the balances say, to remind being validated, due before today and still owing', async () => {
      const storage = ctx.storage()
      const invoicing = need(storage.invoicing, 'invoicing')
      const payments = need(storage.payments, 'payments')
      const s = freshSiteId()
      await store(invoicing, payments, s, [
        { validated: true, number: 'F2026-000001', dueDate: '2026-04-10', totalMinor: 1000n, debtorId: 'g-1', paidMinor: 0n }, // to remind
        { validated: true, number: 'F2026-000002', dueDate: '2026-04-10', totalMinor: 1000n, debtorId: 'g-1', paidMinor: 1000n }, // settled
        { validated: true, number: 'F2026-000003', dueDate: '2026-04-15', totalMinor: 1000n, debtorId: 'g-2', paidMinor: 400n }, // due today: open, not yet to remind
        { validated: true, number: 'F2026-000004', dueDate: '2026-04-01', totalMinor: 1000n, debtorId: 'g-2', paidMinor: 0n }, // credited in full below: settled
        { validated: true, number: 'F2026-000005', dueDate: '2026-04-20', totalMinor: 500n, debtorId: 'g-3', paidMinor: 0n }, // open, due later
        { validated: false, number: '', dueDate: '2026-04-01', totalMinor: 700n, debtorId: 'g-3', paidMinor: 0n }, // a draft: never in a balance state
      ])
      const note: CreditNote = {
        id: 'cn-1', siteId: s, billingOfficeId: 'office-1', invoiceId: 'inv-03', debtorId: 'g-2', number: 'A2026-000001', sequence: 1,
        issueDate: '2026-04-10', reason: 'Erreur de facturation', currency: 'EUR', amountMinor: 1000n, lines: [{ lineId: 'inv-03:l0', amountMinor: 1000n }],
      }
      await invoicing.createCreditNote(s, note)
      const today = '2026-04-15' as LocalDate
      const ids = async (filter: InvoiceFilter) => (await invoicing.listInvoicesWithBalances(s, filter)).items.map((r) => r.invoice.id)
      expect(await ids({ balance: 'toRemind', today })).toEqual(['inv-00'])
      expect(await ids({ balance: 'open' })).toEqual(['inv-00', 'inv-02', 'inv-04'])
      expect(await ids({ balance: 'settled' })).toEqual(['inv-01', 'inv-03'])
      // the next day, the invoice due today is to remind too; listInvoices filters the same way
      expect((await invoicing.listInvoices(s, { balance: 'toRemind', today: '2026-04-16' })).items.map((i) => i.id)).toEqual(['inv-00', 'inv-02'])
      // the same as the library's rule over every invoice, credit note and payment of the site
      const all = (await invoicing.listInvoices(s, {})).items
      const balances = invoiceBalances(all, await invoicing.listCreditNotes(s), (await payments.listPayments(s, {})).items)
      for (const day of ['2026-04-01', '2026-04-11', '2026-04-21'] as LocalDate[]) {
        const expected = all.filter((i) => isReminderCandidate(i, balances.get(i.id)!.outstandingMinor, day)).map((i) => i.id)
        expect(await ids({ balance: 'toRemind', today: day }), day).toEqual(expected)
      }
    })

    it('finds invoices by the start of their number in any case of ASCII letters, or by debtor, either one matching; drafts only by debtor', async () => {
      const storage = ctx.storage()
      const invoicing = need(storage.invoicing, 'invoicing')
      const payments = need(storage.payments, 'payments')
      const s = freshSiteId()
      await store(invoicing, payments, s, [
        { validated: true, number: 'F2026-000010', dueDate: '2026-04-10', totalMinor: 1000n, debtorId: 'g-1', paidMinor: 0n },
        { validated: true, number: 'F2026-000011', dueDate: '2026-04-10', totalMinor: 1000n, debtorId: 'g-2', paidMinor: 0n },
        { validated: true, number: 'F2026-000020', dueDate: '2026-04-10', totalMinor: 1000n, debtorId: 'g-3', paidMinor: 0n },
        { validated: true, number: 'AV2026-1', dueDate: '2026-04-10', totalMinor: 1000n, debtorId: 'g-3', paidMinor: 0n },
        { validated: false, number: '', dueDate: '2026-04-10', totalMinor: 1000n, debtorId: 'g-3', paidMinor: 0n },
      ])
      const ids = async (filter: InvoiceFilter) => (await invoicing.listInvoices(s, filter)).items.map((i) => i.id)
      expect(await ids({ search: { numberPrefix: 'f2026-00001' } })).toEqual(['inv-00', 'inv-01'])
      expect(await ids({ search: { numberPrefix: 'F2026-000011' } })).toEqual(['inv-01'])
      expect(await ids({ search: { numberPrefix: 'av' } })).toEqual(['inv-03'])
      expect(await ids({ search: { numberPrefix: '2026' } })).toEqual([])
      // a prefix is not a pattern: % and _ match themselves only
      expect(await ids({ search: { numberPrefix: 'F%' } })).toEqual([])
      expect(await ids({ search: { numberPrefix: 'F2026_' } })).toEqual([])
      expect(await ids({ search: { debtorIds: ['g-3'] } })).toEqual(['inv-02', 'inv-03', 'inv-04'])
      expect(await ids({ search: { numberPrefix: 'F2026-000010', debtorIds: ['g-2'] } })).toEqual(['inv-00', 'inv-01'])
      expect(await ids({ search: { debtorIds: [] } })).toEqual([])
      expect(await ids({ search: { debtorIds: ['g-3'] }, status: 'validated' })).toEqual(['inv-02', 'inv-03'])
      expect((await invoicing.listInvoices(freshSiteId(), { search: { debtorIds: ['g-3'] } })).items).toEqual([])
    })

    it('pages every order, ascending and descending, with no row twice and none missing, in the order of its key then the id', async () => {
      const storage = ctx.storage()
      const invoicing = need(storage.invoicing, 'invoicing')
      const payments = need(storage.payments, 'payments')
      const spec = fc.record({
        validated: fc.boolean(),
        dueDate: fc.constantFrom<LocalDate>('2026-04-01', '2026-04-10', '2026-04-15', '2026-05-01'),
        totalMinor: fc.constantFrom(100n, 500n, 500n, 2000n, 90071992547409930n),
        debtorId: fc.constantFrom('g-1', 'g-2', 'g-3'),
        paidShare: fc.constantFrom(0n, 1n, 2n),
      })
      await fc.assert(
        fc.asyncProperty(
          fc.array(spec, { minLength: 1, maxLength: 9 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom(...SORT_KEYS), fc.boolean(),
          fc.constantFrom<InvoiceFilter>({}, { balance: 'open' }, { balance: 'settled' }, { balance: 'toRemind', today: '2026-04-12' }, { search: { numberPrefix: 'f2026-a', debtorIds: ['g-2'] } }),
          async (raw, limit, by, desc, filter) => {
            const s = freshSiteId()
            // numbers of two series, in either case of letter, so that the number order is not the id order
            const specs: Spec[] = raw.map((x, k) => ({ ...x, number: `${k % 2 === 0 ? 'F2026-B' : 'f2026-a'}${String(9 - k)}`, paidMinor: (x.totalMinor * x.paidShare) / 2n }))
            await store(invoicing, payments, s, specs)
            const sort: InvoiceSort = { by, direction: desc ? 'desc' : 'asc' }
            const everything = (await invoicing.listInvoicesWithBalances(s, filter, { limit: 1000 })).items
            const paged = await everyPage((after) => invoicing.listInvoicesWithBalances(s, filter, { limit, sort, ...(after === undefined ? {} : { after }) }))
            expect(paged.map((r) => r.invoice.id)).toEqual(expectedOrder(everything, sort))
            // listInvoices pages the same rows in the same order
            const plain: string[] = []
            let after: string | undefined
            do {
              const page = await invoicing.listInvoices(s, filter, { limit, sort, ...(after === undefined ? {} : { after }) })
              plain.push(...page.items.map((i) => i.id))
              after = page.next
            } while (after !== undefined)
            expect(plain).toEqual(paged.map((r) => r.invoice.id))
          },
        ),
        { numRuns: ctx.numRuns },
      )
    })

    it('refuses a balance state it does not know, to remind without today, today without to remind, an unknown order and a cursor of another order, naming the field', async () => {
      const invoicing = need(ctx.storage().invoicing, 'invoicing')
      const s = freshSiteId()
      const cases: Array<[Promise<unknown>, string]> = [
        [invoicing.listInvoices(s, { balance: 'late' } as never), 'filter.balance'],
        [invoicing.listInvoices(s, { balance: 'toRemind' }), 'filter.today'],
        [invoicing.listInvoicesWithBalances(s, { today: '2026-04-15' }), 'filter.today'],
        [invoicing.listInvoices(s, { balance: 'toRemind', today: '15/04/2026' as LocalDate }), 'filter.today'],
        [invoicing.listInvoices(s, { search: { numberPrefix: '' } }), 'filter.search.numberPrefix'],
        [invoicing.listInvoices(s, { search: { name: 'Martin' } } as never), 'filter.search.name'],
        [invoicing.listInvoices(s, {}, { sort: { by: 'payer' } as never }), 'page.sort.by'],
        [invoicing.listInvoices(s, {}, { sort: { by: 'total', direction: 'down' } as never }), 'page.sort.direction'],
        [invoicing.listInvoicesWithBalances(s, {}, { sort: { by: 'total' }, after: 'inv-01' }), 'page.after'],
      ]
      for (const [p, field] of cases) {
        const [code, message] = await codeOf(p)
        expect([code, message.includes(field)], field).toEqual(['INVALID_INPUT', true])
      }
    })
  })
}

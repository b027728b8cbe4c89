import { PGlite } from '@electric-sql/pglite'
import type { Invoice } from '@ecole/core'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeDocument } from './documents'
import { DEBTOR_BALANCES_SQL } from './invoice-store'
import { createPostgresStorage } from './postgres-storage'

function draft(siteId: string, id: string, totalMinor: bigint, currency: string): Invoice {
  return {
    id, siteId, billingOfficeId: 'office-1', batchId: 'batch-2026-03', debtorId: 'g-1', jointDebtorIds: [], status: 'draft', number: null, sequence: null,
    issueDate: null, periodFrom: '2026-03-01', periodTo: '2026-03-31', dueDate: '2026-04-15', directDebitDate: null, portalDisplayDate: '2026-04-01',
    comment: null, currency,
    lines: [{ id: `${id}:l0`, beneficiaryId: 'child-1', serviceId: 'lunch', unitPriceMinor: totalMinor, quantity: 1, amountMinor: totalMinor, chargeIds: [`${id}:c0`], dates: ['2026-03-02'], from: '2026-03-02', to: '2026-03-02' }],
    adjustments: [], linesTotalMinor: totalMinor, adjustmentsTotalMinor: 0n, totalMinor, previousBalanceMinor: 0n, instalments: [], paymentReference: null,
  }
}

// Issue 18: `total_minor` and `currency` of ecole_invoices are a copy of the JSON body, written by the same statement.
describe('the total and currency columns of an invoice', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('always equal its body, after every write path of the invoice store (draft created, edited, validated, dated on the portal, filed)', async () => {
    const storage = await createPostgresStorage({ pglite })
    const invoicing = storage.invoicing!
    const columnsEqualBody = async (siteId: string, step: string) => {
      const rows = (await pglite.query<{ total: string | null; currency: string | null; body: unknown }>('SELECT total_minor::text AS total, currency, body FROM ecole_invoices WHERE site_id = $1', [siteId])).rows
      expect(rows.length, step).toBeGreaterThan(0)
      for (const r of rows) {
        const body = decodeDocument<Invoice>(r.body)
        expect({ total: r.total, currency: r.currency }, step).toEqual({ total: body.totalMinor.toString(), currency: body.currency })
      }
    }
    const total = fc.bigInt({ min: 0n, max: 10n ** 20n })
    const currency = fc.constantFrom('EUR', 'CHF', 'XOF')
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.tuple(total, currency), fc.tuple(total, currency), fc.tuple(total, currency), async ([t1, c1], [t2, c2], [t3, c3]) => {
        const s = `s-${++n}`
        const created = [draft(s, 'i1', t1, c1), draft(s, 'i2', t2, c2)]
        await invoicing.createDrafts(s, created)
        await columnsEqualBody(s, 'createDrafts')
        const edited = { ...created[0]!, totalMinor: t2, currency: c2, comment: 'edited' }
        await invoicing.updateDraft(s, edited)
        await columnsEqualBody(s, 'updateDraft')
        await invoicing.markValidated(s, [{ ...edited, status: 'validated', number: `F-${n}-1`, sequence: 1, issueDate: '2026-04-01', totalMinor: t3, currency: c3 }])
        await columnsEqualBody(s, 'markValidated')
        await invoicing.setPortalDisplayDate(s, ['i1', 'i2'], '2026-04-03')
        await columnsEqualBody(s, 'setPortalDisplayDate')
        await invoicing.fileInvoices(s, ['i1'], null)
        await columnsEqualBody(s, 'fileInvoices')
      }),
      { numRuns: 25 },
    )
    await storage.close()
  }, 120_000)

  it("reads an office's validated invoices for the debtor list from the index ecole_invoices_debtor_balances, not from their bodies", async () => {
    const storage = await createPostgresStorage({ pglite })
    // 4,000 validated invoices of 4,000 debtors in two offices, a few drafts, analysed
    await pglite.query(`INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body, total_minor, currency)
      SELECT 'p1', 'i-' || i, 'b1', 'g-' || i, 'office-' || (i % 2), CASE WHEN i % 100 = 1 THEN 'draft' ELSE 'validated' END, CASE WHEN i % 100 = 1 THEN NULL ELSE 'F-' || i END, '2027-01-20',
        jsonb_build_object('id', 'i-' || i, 'debtorId', 'g-' || i, 'currency', 'EUR', 'totalMinor', jsonb_build_object('$bigint', (1000 + i)::text)), 1000 + i, 'EUR'
      FROM generate_series(1, 4000) AS i`)
    await pglite.query('VACUUM ANALYZE ecole_invoices')
    const plan = (await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${DEBTOR_BALANCES_SQL}`, ['p1', 'office-1', null, 25, 0])).rows.map((r) => r['QUERY PLAN']).join('\n')
    expect(plan).toMatch(/Index Only Scan using ecole_invoices_debtor_balances on ecole_invoices/)
    expect(plan).not.toMatch(/Seq Scan on ecole_invoices/)
    const page = await storage.invoicing!.listDebtorBalances('p1', { billingOfficeId: 'office-1' }, { limit: 2 })
    expect(page.items).toEqual([
      { debtorId: 'g-3999', currency: 'EUR', outstandingMinor: 4999n, openInvoices: 1 },
      { debtorId: 'g-3997', currency: 'EUR', outstandingMinor: 4997n, openInvoices: 1 },
    ])
    expect(page.totals).toEqual([{ currency: 'EUR', debtors: 1960, outstandingMinor: [...Array(4000).keys()].map((k) => k + 1).filter((i) => i % 2 === 1 && i % 100 !== 1).reduce((a, i) => a + BigInt(1000 + i), 0n) }])
    await storage.close()
  }, 120_000)
})

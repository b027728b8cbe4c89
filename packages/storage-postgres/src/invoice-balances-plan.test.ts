import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { INVOICES_WITH_BALANCES_SQL } from './invoice-store'
import { createPostgresStorage } from './postgres-storage'

// Issue 17: the invoices page's balances read the payments allocated to the page's invoices
// through migration 31's GIN index, not by reading every payment of the site.
describe('invoices with their balances on a site of many payments', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it("finds the page's payments through the GIN index on their allocations and still sums them exactly", async () => {
    const storage = await createPostgresStorage({ pglite })
    // 4,000 validated invoices of 4,000 debtors, each paid by two payments (one refused), analysed
    await pglite.query(`INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body)
      SELECT 's1', 'i-' || i, 'b1', 'g-' || i, 'office-1', 'validated', 'F-' || i, '2027-01-20',
        jsonb_build_object('id', 'i-' || i, 'siteId', 's1', 'debtorId', 'g-' || i, 'status', 'validated', 'currency', 'EUR', 'lines', '[]'::jsonb, 'jointDebtorIds', '[]'::jsonb,
          'totalMinor', jsonb_build_object('$bigint', '90071992547409930'))
      FROM generate_series(1, 4000) AS i`)
    await pglite.query(`INSERT INTO ecole_payments (site_id, id, payer_id, method, status, body)
      SELECT 's1', 'p-' || i || '-' || k, 'g-' || i, 'transfer', CASE WHEN k = 2 THEN 'refused' ELSE 'recorded' END,
        jsonb_build_object('allocations', jsonb_build_array(jsonb_build_object('invoiceId', 'i-' || i, 'amountMinor', jsonb_build_object('$bigint', (90071992547409000 + k)::text))))
      FROM generate_series(1, 4000) AS i, generate_series(1, 2) AS k`)
    await pglite.query('ANALYZE ecole_invoices')
    await pglite.query('ANALYZE ecole_payments')
    const params = ['s1', null, null, 'g-42', 'validated', null, null, null, 501, null]
    const plan = (await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${INVOICES_WITH_BALANCES_SQL}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n')
    expect(plan).toContain('ecole_payments_by_invoice')
    expect(plan).not.toMatch(/Seq Scan on ecole_payments/)
    const { items } = await storage.invoicing!.listInvoicesWithBalances('s1', { debtorId: 'g-42', status: 'validated' })
    // the recorded payment only, summed as numeric beyond 2^53 (no float on the way)
    expect(items.map((r) => [r.invoice.id, r.balance.paidMinor])).toEqual([['i-42', 90071992547409001n]])
    await storage.close()
  }, 120_000)
})

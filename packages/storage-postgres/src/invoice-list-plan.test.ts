import { checkInvoicePage } from '@ecole/core/ports'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { invoiceListQuery } from './invoice-store'
import { createPostgresStorage } from './postgres-storage'

// Issue 18: the « à relancer » list of one billing office reads the office's validated invoices due
// before today from migration 34's index, not every invoice body of the site.
describe('the to-remind invoices of one office on a site of many invoices', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it("reads the office's invoices due before today through ecole_invoices_validated_by_due, computes only their balances and answers them exactly", async () => {
    const storage = await createPostgresStorage({ pglite })
    // 8,000 validated invoices of 4 offices, 40 due each day from 2027-01-01: 20 of office-1 due before 2027-01-03
    await pglite.query(`INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body, total_minor, currency)
      SELECT 's1', 'i-' || i, 'b1', 'g-' || i, 'office-' || (i % 4), 'validated', 'F-' || i, DATE '2027-01-01' + (i / 40),
        jsonb_build_object('id', 'i-' || i, 'siteId', 's1', 'debtorId', 'g-' || i, 'status', 'validated', 'number', 'F-' || i, 'dueDate', to_char(DATE '2027-01-01' + (i / 40), 'YYYY-MM-DD'),
          'currency', 'EUR', 'lines', '[]'::jsonb, 'jointDebtorIds', '[]'::jsonb, 'totalMinor', jsonb_build_object('$bigint', '90071992547409930')),
        90071992547409930, 'EUR'
      FROM generate_series(1, 8000) AS i`)
    // the invoices of the other offices paid in full (6,000 payments), and i-5 of office-1: 19 are to remind
    await pglite.query(`INSERT INTO ecole_payments (site_id, id, payer_id, method, status, body)
      SELECT 's1', 'p-' || i, 'g-' || i, 'transfer', 'recorded',
        jsonb_build_object('allocations', jsonb_build_array(jsonb_build_object('invoiceId', 'i-' || i, 'amountMinor', jsonb_build_object('$bigint', '90071992547409930'))))
      FROM generate_series(1, 8000) AS i WHERE i % 4 <> 1 OR i = 5`)
    await pglite.query('ANALYZE ecole_invoices')
    await pglite.query('ANALYZE ecole_payments')
    const filter = { billingOfficeId: 'office-1', balance: 'toRemind', today: '2027-01-03' } as const
    const q = invoiceListQuery('s1', filter, checkInvoicePage({ sort: { by: 'number' } }), 50)
    const plan = (await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.sql}`, q.params)).rows.map((r) => r['QUERY PLAN']).join('\n')
    expect(plan).toContain('ecole_invoices_validated_by_due')
    expect(plan).not.toMatch(/Seq Scan on ecole_invoices/)
    expect(plan).not.toMatch(/Seq Scan on ecole_payments/)
    const { items } = await storage.invoicing!.listInvoicesWithBalances('s1', filter, { sort: { by: 'number' } })
    // office-1 holds i ≡ 1 (mod 4); due before 2027-01-03 means i < 80; i-5 is paid
    const expected = Array.from({ length: 20 }, (_, k) => 1 + 4 * k).filter((i) => i !== 5).map((i) => `i-${i}`).sort()
    expect(items.map((r) => r.invoice.id)).toEqual(expected)
    expect(items.every((r) => r.balance.outstandingMinor === 90071992547409930n)).toBe(true)
    await storage.close()
  }, 120_000)
})

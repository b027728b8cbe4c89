import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

describe('migration 35: the allocations of recorded payments as rows', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('backfills one row per allocation of each recorded payment (a bigint beyond 2^53 exactly, a plain number too), none for a refused one, and the debtor list reads them', async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 35))
    const invoice = (id: string, debtor: string, total: number) =>
      JSON.stringify({ id, siteId: 's1', debtorId: debtor, billingOfficeId: 'regie', status: 'validated', currency: 'EUR', totalMinor: { $bigint: String(total) }, lines: [], jointDebtorIds: [] })
    await pglite.query(
      `INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body, total_minor, currency) VALUES
        ('s1', 'i1', 'b1', 'g1', 'regie', 'validated', 'F1', '2027-01-15', $1::jsonb, 90071992547409931, 'EUR'),
        ('s1', 'i2', 'b1', 'g2', 'regie', 'validated', 'F2', '2027-01-15', $2::jsonb, 5000, 'EUR')`,
      [invoice('i1', 'g1', 0).replace('"0"', '"90071992547409931"'), invoice('i2', 'g2', 5000)],
    )
    const payment = (id: string, allocations: unknown[]) => JSON.stringify({ id, siteId: 's1', allocations })
    await pglite.query(
      `INSERT INTO ecole_payments (site_id, id, payer_id, method, status, body) VALUES
        ('s1', 'p1', 'g1', 'cheque', 'recorded', $1::jsonb),
        ('s1', 'p2', 'g2', 'cheque', 'recorded', $2::jsonb),
        ('s1', 'p3', 'g2', 'directDebit', 'refused', $3::jsonb)`,
      [
        payment('p1', [{ invoiceId: 'i1', amountMinor: { $bigint: '90071992547409930' } }, { invoiceId: 'i2', amountMinor: 1000 }]),
        payment('p2', [{ invoiceId: 'i2', amountMinor: { $bigint: '1500' } }]),
        payment('p3', [{ invoiceId: 'i2', amountMinor: { $bigint: '2500' } }]),
      ],
    )
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 35))).applied).toEqual([35])
    const rows = (await pglite.query('SELECT payment_id, position, invoice_id, amount_minor::text AS amount FROM ecole_payment_allocations ORDER BY payment_id, position')).rows
    expect(rows).toEqual([
      { payment_id: 'p1', position: 0, invoice_id: 'i1', amount: '90071992547409930' },
      { payment_id: 'p1', position: 1, invoice_id: 'i2', amount: '1000' },
      { payment_id: 'p2', position: 0, invoice_id: 'i2', amount: '1500' },
    ])
    await runMigrations(db, MIGRATIONS)
    const storage = await createPostgresStorage({ pglite, migrate: false })
    const page = await storage.invoicing!.listDebtorBalances('s1', { billingOfficeId: 'regie' })
    expect(page.items).toEqual([
      { debtorId: 'g2', currency: 'EUR', outstandingMinor: 2500n, openInvoices: 1 },
      { debtorId: 'g1', currency: 'EUR', outstandingMinor: 1n, openInvoices: 1 },
    ])
  })
})

import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

describe('migration 33: an invoice keeps its total and currency in columns', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('backfills total_minor and currency from the bodies stored before it (a bigint beyond 2^53 exactly, a plain number too) and the debtor list reads them', async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 33))
    const body = (id: string, debtor: string, total: unknown, currency: string) =>
      JSON.stringify({ id, siteId: 's1', debtorId: debtor, billingOfficeId: 'regie', status: 'validated', currency, totalMinor: total, lines: [], jointDebtorIds: [] })
    await pglite.query(
      `INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body) VALUES
        ('s1', 'i1', 'b1', 'g1', 'regie', 'validated', 'F1', '2027-01-15', $1::jsonb),
        ('s1', 'i2', 'b1', 'g2', 'regie', 'validated', 'F2', '2027-01-15', $2::jsonb)`,
      [body('i1', 'g1', { $bigint: '90071992547409931' }, 'EUR'), body('i2', 'g2', 1234, 'CHF')],
    )
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 33))).applied).toEqual([33])
    const rows = (await pglite.query<{ id: string; total: string; currency: string }>('SELECT id, total_minor::text AS total, currency FROM ecole_invoices ORDER BY id')).rows
    expect(rows).toEqual([{ id: 'i1', total: '90071992547409931', currency: 'EUR' }, { id: 'i2', total: '1234', currency: 'CHF' }])
    // the debtor list of today's store reads the later migrations' tables too (35: payment allocations)
    await runMigrations(db, MIGRATIONS)
    const storage = await createPostgresStorage({ pglite, migrate: false })
    const page = await storage.invoicing!.listDebtorBalances('s1', { billingOfficeId: 'regie' })
    expect(page.items).toEqual([
      { debtorId: 'g1', currency: 'EUR', outstandingMinor: 90071992547409931n, openInvoices: 1 },
      { debtorId: 'g2', currency: 'CHF', outstandingMinor: 1234n, openInvoices: 1 },
    ])
  })
})

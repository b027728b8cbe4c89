import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

describe('migration 39: each number series keeps its latest issue date', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('backfills the latest issue date of each invoice and credit-note series from the documents issued before it, and the store continues from it', async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 39))
    const invoice = (id: string, office: string, status: string, issueDate: string | null) =>
      [id, office, status, status === 'validated' ? id.toUpperCase() : null, JSON.stringify({ id, siteId: 's1', billingOfficeId: office, status, issueDate })]
    for (const [id, office, status, number, body] of [
      invoice('i1', 'regie', 'validated', '2026-12-20'), invoice('i2', 'regie', 'validated', '2027-01-10'), invoice('i3', 'regie', 'validated', '2027-01-04'),
      invoice('i4', 'regie/nord', 'validated', '2027-02-01'), invoice('i5', 'regie', 'draft', null),
    ]) {
      await pglite.query(`INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body) VALUES ('s1', $1, 'b', 'g', $2, $3, $4, '2027-02-15', $5::jsonb)`, [id, office, status, number, body])
    }
    await pglite.query(`INSERT INTO ecole_credit_notes (site_id, id, invoice_id, billing_office_id, number, body) VALUES ('s1', 'cn1', 'i2', 'regie', 'AV1', $1::jsonb)`, [JSON.stringify({ id: 'cn1', issueDate: '2027-01-12' })])
    await pglite.query(`INSERT INTO ecole_invoice_number_counters (site_id, series_key, last_number) VALUES
      ('s1', 'regie/invoice/2027', 2), ('s1', 'regie/invoice/2026', 1), ('s1', 'regie/nord/invoice/2027', 1), ('s1', 'regie/invoice/0', 4),
      ('s1', 'regie/creditNote/2027', 1), ('s1', 'payment-reference/094', 3), ('s2', 'regie/invoice/2027', 7)`)
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 39))).applied).toEqual([39])
    const rows = (await pglite.query<{ site_id: string; series_key: string; d: string | null }>(
      `SELECT site_id, series_key, to_char(last_issue_date, 'YYYY-MM-DD') AS d FROM ecole_invoice_number_counters ORDER BY site_id, series_key`,
    )).rows
    expect(rows.map((r) => [r.site_id, r.series_key, r.d])).toEqual([
      ['s1', 'payment-reference/094', null],
      ['s1', 'regie/creditNote/2027', '2027-01-12'],
      ['s1', 'regie/invoice/0', '2027-01-10'],
      ['s1', 'regie/invoice/2026', '2026-12-20'],
      ['s1', 'regie/invoice/2027', '2027-01-10'],
      ['s1', 'regie/nord/invoice/2027', '2027-02-01'],
      ['s2', 'regie/invoice/2027', null],
    ])
    await runMigrations(db, MIGRATIONS)
    const storage = await createPostgresStorage({ pglite, migrate: false })
    const reserved = await storage.transaction('s1', (tx) => tx.invoiceNumbers!.reserveNumbers('s1', 'regie/invoice/2027', 1, '2027-01-05'))
    expect(reserved).toEqual({ first: 3, latestIssueDate: '2027-01-10' })
  })
})

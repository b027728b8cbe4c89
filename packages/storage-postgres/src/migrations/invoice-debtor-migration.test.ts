import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

describe('migration 24: an invoice names its debtor debtorId', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('rewrites an invoice stored before it (payerId in its body) so that it reads back with debtorId and is found by the debtorId filter', async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 24))
    // the body as the invoice store wrote it before 0.1.0 (bigints encoded as the store encodes them)
    const old = {
      id: 'b1:g1', siteId: 's1', billingOfficeId: 'regie', batchId: 'b1', payerId: 'g1', jointDebtorIds: ['g2'], status: 'draft',
      number: null, sequence: null, issueDate: null, periodFrom: '2026-12-01', periodTo: '2026-12-31', dueDate: '2027-01-15',
    }
    await pglite.query(
      `INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body) VALUES ('s1', 'b1:g1', 'b1', 'g1', 'regie', 'draft', NULL, '2027-01-15', $1::jsonb)`,
      [JSON.stringify(old)],
    )
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 24))).applied).toEqual([24])
    const body = (await pglite.query<{ body: Record<string, unknown> }>(`SELECT body FROM ecole_invoices WHERE id = 'b1:g1'`)).rows[0]!.body
    expect(body).toEqual({ ...Object.fromEntries(Object.entries(old).filter(([k]) => k !== 'payerId')), debtorId: 'g1' })
    const storage = await createPostgresStorage({ pglite, migrate: false })
    const found = (await storage.invoicing!.listInvoices('s1', { debtorId: 'g1' })).items
    expect(found.map((i) => [i.id, i.debtorId])).toEqual([['b1:g1', 'g1']])
    expect((await storage.invoicing!.listInvoices('s1', { debtorOrJointDebtorId: 'g2' })).items.map((i) => i.id)).toEqual(['b1:g1'])
    expect(found[0]).not.toHaveProperty('payerId')
  })
})

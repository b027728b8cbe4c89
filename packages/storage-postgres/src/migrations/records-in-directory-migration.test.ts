import { defineSepaMandate, RoleSchema } from '@ecole/core'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

describe('migration 25: SEPA mandates, invoice folders and roles become records of the directory', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('keeps the mandates stored by the payments port before it, readable by id and by debtor through the directory after it', async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 25))
    const m1 = { ...defineSepaMandate({ id: 'm1', siteId: 's1', payerId: 'g1', rum: 'RUM-1', signatureDate: '2026-09-01', debtorName: 'Claire Martin', iban: 'FR7630006000011234567890189' }), nextSequence: 'RCUR' as const }
    const m2 = defineSepaMandate({ id: 'm2', siteId: 's1', payerId: 'g2', rum: 'RUM-2', signatureDate: '2026-09-02', debtorName: 'Paul Durand', iban: 'FR7630006000011234567890189' })
    // the rows as the payments port wrote them
    for (const m of [m1, m2]) {
      await pglite.query('INSERT INTO ecole_sepa_mandates (site_id, id, payer_id, body) VALUES ($1, $2, $3, $4::jsonb)', [m.siteId, m.id, m.payerId, JSON.stringify(m)])
    }
    const folder = { id: 'f-2026', name: '2026', parentId: null }
    await pglite.query(`INSERT INTO ecole_invoice_folders (site_id, id, body) VALUES ('s1', 'f-2026', $1::jsonb)`, [JSON.stringify(folder)])
    const role = RoleSchema.parse({ id: 'cashier', siteId: 's1', label: 'Régisseur', permissions: ['payments.write'] })
    // the row as the access port wrote it (kind 'role')
    await pglite.query(`INSERT INTO ecole_records (site_id, kind, id, body) VALUES ('s1', 'role', 'cashier', $1::jsonb)`, [JSON.stringify(role)])
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 25))).applied).toEqual([25])
    const storage = await createPostgresStorage({ pglite, migrate: false })
    expect(await storage.directory!.getDirectoryRecord('s1', 'sepaMandate', 'm1')).toEqual(m1)
    expect(await storage.directory!.listSepaMandatesOf('s1', ['g2'])).toEqual([m2])
    expect((await storage.directory!.listDirectoryRecords('s1', 'sepaMandate')).items).toEqual([m1, m2])
    expect((await pglite.query('SELECT count(*)::int AS n FROM ecole_sepa_mandates')).rows).toEqual([{ n: 0 }])
    expect(await storage.directory!.getDirectoryRecord('s1', 'invoiceFolder', 'f-2026')).toEqual(folder)
    expect((await pglite.query('SELECT count(*)::int AS n FROM ecole_invoice_folders')).rows).toEqual([{ n: 0 }])
    expect(await storage.directory!.getDirectoryRecord('s1', 'role', 'cashier')).toEqual(role)
    expect((await pglite.query(`SELECT count(*)::int AS n FROM ecole_records WHERE kind = 'role'`)).rows).toEqual([{ n: 0 }])
  })
})

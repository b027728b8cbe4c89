import { defineSepaMandate, type CreditNote, type SepaMandate } from '@ecole/core'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeDocument } from '../documents'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

/** A record as stored before 0.1.0: its debtor under `payerId`. */
const beforeRename = <T extends { debtorId: string }>(r: T) => {
  const { debtorId, ...rest } = r
  return { ...rest, payerId: debtorId }
}

describe('migration 26: a credit note and a SEPA mandate name their debtor debtorId', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('rewrites the credit notes and mandates stored before it (payerId in their bodies): they read back with debtorId, the mandates are found by debtor; other records and bodies already renamed are left as they are', async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 26))
    const note: CreditNote = {
      id: 'cn1', siteId: 's1', billingOfficeId: 'regie', invoiceId: 'b1:g1', debtorId: 'g1', number: 'AV2027-000001', sequence: 1,
      issueDate: '2027-01-20', reason: 'Cantine fermée (grève)', currency: 'EUR', amountMinor: 415n, lines: [{ lineId: 'b1:g1:1', amountMinor: 415n }],
    }
    // the rows as the invoice store and the directory wrote them before 0.1.0 (bigints encoded as the store encodes them)
    await pglite.query(
      `INSERT INTO ecole_credit_notes (site_id, id, invoice_id, billing_office_id, number, body) VALUES ('s1', 'cn1', 'b1:g1', 'regie', 'AV2027-000001', $1::jsonb)`,
      [encodeDocument(beforeRename(note))],
    )
    const m1: SepaMandate = { ...defineSepaMandate({ id: 'm1', siteId: 's1', debtorId: 'g1', rum: 'RUM-1', signatureDate: '2026-09-01', debtorName: 'Claire Martin', iban: 'FR7630006000011234567890189' }), nextSequence: 'RCUR' }
    const m2 = defineSepaMandate({ id: 'm2', siteId: 's1', debtorId: 'g2', rum: 'RUM-2', signatureDate: '2026-09-02', debtorName: 'Paul Durand', iban: 'FR7630006000011234567890189' })
    const m3 = defineSepaMandate({ id: 'm3', siteId: 's1', debtorId: 'g3', rum: 'RUM-3', signatureDate: '2026-09-03', debtorName: 'Anne Petit', iban: 'FR7630006000011234567890189' })
    for (const [id, body] of [['m1', beforeRename(m1)], ['m2', beforeRename(m2)], ['m3', m3]] as const) {
      await pglite.query(`INSERT INTO ecole_records (site_id, kind, id, body) VALUES ('s1', 'directory:sepaMandate', $1, $2::jsonb)`, [id, encodeDocument(body)])
    }
    // a record of another kind that happens to hold a payerId key: not a mandate, not touched
    const other = { id: 'x1', payerId: 'g9', note: 'not a mandate' }
    await pglite.query(`INSERT INTO ecole_records (site_id, kind, id, body) VALUES ('s1', 'directory:insurance', 'x1', $1::jsonb)`, [JSON.stringify(other)])

    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 26))).applied).toEqual([26])

    const storage = await createPostgresStorage({ pglite, migrate: false })
    const notes = await storage.invoicing!.listCreditNotes('s1', ['b1:g1'])
    expect(notes).toEqual([note])
    expect(notes[0]).not.toHaveProperty('payerId')
    expect(await storage.directory!.listSepaMandatesOf('s1', ['g2', 'g1'])).toEqual([m1, m2])
    expect(await storage.directory!.listSepaMandatesOf('s1', ['g3'])).toEqual([m3])
    expect(await storage.directory!.getDirectoryRecord('s1', 'sepaMandate', 'm1')).not.toHaveProperty('payerId')
    const left = await pglite.query<{ body: unknown }>(`SELECT body FROM ecole_records WHERE site_id = 's1' AND kind = 'directory:insurance' AND id = 'x1'`)
    expect(left.rows).toEqual([{ body: other }])
    // run again (a database that recorded 26 skips it; its statement alone changes nothing either)
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 26))).applied).toEqual([])
    await pglite.exec(MIGRATIONS.find((m) => m.version === 26)!.sql)
    expect(await storage.invoicing!.listCreditNotes('s1')).toEqual([note])
    expect(await storage.directory!.listSepaMandatesOf('s1', ['g1', 'g2', 'g3'])).toEqual([m1, m2, m3])
    // PGlite builds the whole schema first: tens of seconds on a loaded 2-core machine
  }, 180_000)
})

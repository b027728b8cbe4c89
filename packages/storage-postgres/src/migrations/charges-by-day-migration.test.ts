import { PGlite } from '@electric-sql/pglite'
import { chargeDayKey } from '@ecole/core/ports'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from '../driver'
import { storedDayKey } from '../invoice-store'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

/** Inserts charge rows as a release before migration 40 wrote them (no day key). */
async function insertCharges(pglite: PGlite, site: string, rows: ReadonlyArray<readonly [chargeId: string, invoiceId: string]>): Promise<void> {
  await pglite.query('INSERT INTO ecole_invoice_charges (site_id, charge_id, invoice_id) SELECT $1, v.c, v.i FROM unnest($2::text[], $3::text[]) AS v(c, i)', [
    site, rows.map((r) => r[0]), rows.map((r) => r[1]),
  ])
}

/** The day key the store writes for a charge id (what the backfill must give). */
const expectedKey = (chargeId: string): string | null => {
  const day = chargeDayKey(chargeId)
  return day === undefined ? null : (storedDayKey(day) ?? null)
}

describe('migration 40: each billed charge keeps its day, indexed by site and day', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('backfills the day of the charges billed before it (plain and escaped ids, host ids without a day) and the store then finds them by day', async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 40))
    const invoice = (site: string, id: string, debtor: string) =>
      pglite.query(`INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body) VALUES ($1, $2, 'b', $3, 'regie', 'draft', NULL, '2026-10-15', $4::jsonb)`, [
        site, id, debtor, JSON.stringify({ id, siteId: site, debtorId: debtor, status: 'draft' }),
      ])
    await invoice('s1', 'i-mum', 'mum')
    await invoice('s1', 'i-martin', 'martin|anna')
    await invoice('s2', 'i-other', 'mum')
    await insertCharges(pglite, 's1', [
      ['mum|lea|cantine|service|2026-09-07', 'i-mum'],
      ['mum|lea|cantine|service|2026-09-08', 'i-mum'],
      ['martin\\|anna|lea|cantine|service|2026-09-07', 'i-martin'],
      ['host-charge-1', 'i-mum'],
    ])
    await insertCharges(pglite, 's2', [['mum|lea|cantine|service|2026-09-07', 'i-other']])
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 40))).applied).toEqual([40])
    const rows = (await pglite.query<{ site_id: string; charge_id: string; day_key: string | null }>('SELECT site_id, charge_id, day_key FROM ecole_invoice_charges ORDER BY site_id, charge_id')).rows
    expect(rows.map((r) => [r.site_id, r.charge_id, r.day_key])).toEqual([
      ['s1', 'host-charge-1', null],
      ['s1', 'martin\\|anna|lea|cantine|service|2026-09-07', 'lea|cantine|service|2026-09-07'],
      ['s1', 'mum|lea|cantine|service|2026-09-07', 'lea|cantine|service|2026-09-07'],
      ['s1', 'mum|lea|cantine|service|2026-09-08', 'lea|cantine|service|2026-09-08'],
      ['s2', 'mum|lea|cantine|service|2026-09-07', 'lea|cantine|service|2026-09-07'],
    ])
    // the function that parsed the ids is gone: nothing else calls it
    expect((await pglite.query(`SELECT 1 FROM pg_proc WHERE proname = 'ecole_charge_day_key'`)).rows).toEqual([])
    await runMigrations(db, MIGRATIONS)
    const storage = await createPostgresStorage({ pglite, migrate: false })
    const day = chargeDayKey('dad|lea|cantine|service|2026-09-07')!
    expect(await storage.invoicing!.billedChargeIdsByDay!('s1', [day])).toEqual(new Map([[day, ['martin\\|anna|lea|cantine|service|2026-09-07', 'mum|lea|cantine|service|2026-09-07']]]))
  })

  it('backfills every charge id with the day chargeDayOf reads from it, whatever characters its fields hold (| \\ spaces, newlines, empty fields)', async () => {
    // the migration's SQL parser against core's: ids of billing's form (escaped when a field holds
    // `|`), the same with a stray backslash, trailing backslash or one field more or less, and any text
    const field = fc.string({ unit: fc.constantFrom('a', 'b', '|', '\\', ' ', '\n', 'é', '-'), maxLength: 6 })
    const escape = (f: string) => f.replaceAll('\\', '\\\\').replaceAll('|', '\\|')
    const billingId = fc.array(field, { minLength: 5, maxLength: 5 }).map((fs) => (fs.some((f) => f.includes('|')) ? fs.map(escape).join('|') : fs.join('|')))
    const anyId = fc.oneof(
      billingId,
      billingId.map((id) => `${id}\\`),
      billingId.map((id) => `${id}|x`),
      fc.array(field, { minLength: 1, maxLength: 7 }).map((fs) => fs.map(escape).join('|')),
      fc.string({ unit: fc.constantFrom('a', '|', '\\', 'b'), maxLength: 14 }),
    )
    const ids = [...new Set(fc.sample(anyId, { numRuns: 3000, seed: 40 }))]
    const db2 = new PGlite()
    try {
      await runMigrations(pgliteDatabase(db2, false), MIGRATIONS.filter((m) => m.version < 40))
      await db2.query(`INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body) VALUES ('s1', 'i1', 'b', 'g', 'regie', 'draft', NULL, '2026-10-15', '{}'::jsonb)`)
      await insertCharges(db2, 's1', ids.map((id) => [id, 'i1'] as const))
      await runMigrations(pgliteDatabase(db2, false), MIGRATIONS.filter((m) => m.version <= 40))
      const rows = (await db2.query<{ charge_id: string; day_key: string | null }>('SELECT charge_id, day_key FROM ecole_invoice_charges')).rows
      expect(rows.length).toBe(ids.length)
      const wrong = rows.filter((r) => r.day_key !== expectedKey(r.charge_id)).map((r) => ({ id: r.charge_id, sql: r.day_key, ts: expectedKey(r.charge_id) }))
      expect(wrong).toEqual([])
      // the sample reaches every branch of the parser
      expect(rows.some((r) => r.day_key === null)).toBe(true)
      expect(rows.some((r) => r.day_key !== null && r.charge_id.split('|').length > 5)).toBe(true)
      expect(rows.some((r) => r.day_key !== null && r.charge_id.split('|').length === 5 && r.charge_id.includes('\\'))).toBe(true)
    } finally {
      await db2.close()
    }
  })
})

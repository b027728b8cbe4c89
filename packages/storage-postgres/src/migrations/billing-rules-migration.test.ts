import { BillingRuleSchema } from '@ecole/core'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { pgliteDatabase } from '../driver'
import { runMigrations } from '../migrate'
import { createPostgresStorage } from '../postgres-storage'
import { MIGRATIONS } from './index'

describe('migration 27: billing rules become records of the directory', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('keeps the rules stored by the billing rules port before it, readable by id, by site and by beneficiary through the directory after it (and by beneficiary after migration 37), and leaves the old table empty', async () => {
    const db = pgliteDatabase(pglite, false)
    await runMigrations(db, MIGRATIONS.filter((m) => m.version < 27))
    const stopped = BillingRuleSchema.parse({
      id: 'r-lea', from: '2026-09-01', to: '2027-06-30', criterion: { kind: 'isoParity', parity: 'even', week53: 'odd' },
      payers: [{ guardianId: 'mum', weight: 1 }, { guardianId: 'dad', weight: 2 }], covers: [{ beneficiaryId: 'lea', serviceId: 'lunch' }, { beneficiaryId: 'tom', serviceId: 'care' }], jointDebtorIds: ['gran'],
    })
    const open = BillingRuleSchema.parse({ id: 'r-sam', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'sam', serviceId: 'lunch' }] })
    const other = BillingRuleSchema.parse({ ...open, id: 'r-lea' })
    // the rows as the billing rules port wrote them (the dates copied into columns)
    for (const [site, r] of [['s1', stopped], ['s1', open], ['s2', other]] as const) {
      await pglite.query('INSERT INTO ecole_billing_rules (site_id, id, from_date, to_date, body) VALUES ($1, $2, $3::date, $4::date, $5::jsonb)', [site, r.id, r.from, r.to ?? null, JSON.stringify(r)])
    }
    expect((await runMigrations(db, MIGRATIONS.filter((m) => m.version <= 27))).applied).toEqual([27])
    const storage = await createPostgresStorage({ pglite, migrate: false })
    const directory = storage.directory!
    expect(await directory.getDirectoryRecord('s1', 'billingRule', 'r-lea')).toEqual(stopped)
    expect((await directory.listDirectoryRecords('s1', 'billingRule')).items).toEqual([stopped, open])
    // by beneficiary: through the index of migration 37, which the adapter's query needs
    await runMigrations(db, MIGRATIONS)
    expect(await directory.listBillingRulesOf('s1', ['tom'])).toEqual([stopped])
    expect(await directory.listBillingRulesOf('s1', ['sam', 'lea'])).toEqual([stopped, open])
    expect(await directory.listBillingRulesOf('s2', ['sam'])).toEqual([other])
    expect(await directory.listBillingRulesOf('s2', ['lea', 'tom'])).toEqual([])
    expect((await pglite.query('SELECT count(*)::int AS n FROM ecole_billing_rules')).rows).toEqual([{ n: 0 }])
    // two migration runs and an adapter on a fresh PGlite: 10 s alone, past 60 s beside the full
    // conformance run on a loaded machine (2 cores, load 27)
  }, 180_000)
})

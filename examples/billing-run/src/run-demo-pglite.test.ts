import { createPostgresStorage } from '@ecole/storage-postgres'
import { expect, it } from 'vitest'
import { runDemo } from './run-demo'

it('runs the same demo on embedded PostgreSQL (PGlite), the default storage', async () => {
  const storage = await createPostgresStorage({ pglite: {} })
  try {
    const r = await runDemo({ storage, log: () => {} })
    const all = [...r.decemberInvoices, ...r.januaryInvoices]
    expect(all.map((i) => i.sequence)).toEqual(all.map((_, i) => i + 1))
    expect(r.rebilledDrafts).toBe(0)
    expect(r.reimport.imported).toEqual([])
    expect(r.returnedPaymentStatus).toBe('refused')
    expect(r.week53Payers.find((w) => w.week === '2026-W53')?.payer).toBe('Paul Moreau')
  } finally {
    await storage.close()
  }
}, 120_000)

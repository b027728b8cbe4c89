import { afterAll, describe, expect, it } from 'vitest'
import { isEcoleError, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { invoice } from '../test-support/records'
import { exportPesTitles, PES_V2_BORDEREAU_FORMAT, PES_V2_FORMAT, type ExportPesTitlesInput } from '.'

const regie = { siret: '21750001600019', postCode: '075000', collectivityCode: '001', budgetCode: '00', productCode: 'CANT', nature: '7067', issuer: { name: 'Ville', software: '@ecole/france' }, titleObject: 'Restauration scolaire' }
const debtors = { 'g-1': { lastName: 'Dupont', address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } } }
const inv = (n: number) => invoice({ id: `inv-${n}`, number: `F2027-${String(n).padStart(6, '0')}`, issueDate: '2027-01-31' as LocalDate, lines: [{ serviceId: 'canteen', amountMinor: 1000n + BigInt(n) }] })
// each export is its own bordereau: its own number and file name (Hélios refuses a number it knows)
const BORDEREAU_NUMBERS: Record<string, number> = { 'pes-1': 12, 'pes-2': 13, 'pes-1-fix': 14, 'pes-1-fix2': 15 }
const input = (exportId: string, ns: number[], extra: Partial<ExportPesTitlesInput> = {}): ExportPesTitlesInput => ({
  siteId: 'site-1', exportId, exportedBy: 'user-1', exportedAt: '2027-02-01T09:00:00.000Z', regie,
  bordereau: { fileName: `${exportId}.xml`, year: 2027, number: BORDEREAU_NUMBERS[exportId] ?? 99, firstTitleNumber: 431, issueDate: '2027-02-01', period: '1' },
  titles: ns.map((n) => ({ invoice: inv(n) })), debtors, ...extra,
})

describe('exportPesTitles', () => {
  it('records the invoices it sent, and a later export leaves them out with a warning', async () => {
    const storage = createMemoryStorage()
    const first = await exportPesTitles({ storage }, input('pes-1', [1, 2]))
    expect(first.status).toBe('created')
    const second = await exportPesTitles({ storage }, input('pes-2', [2, 3]))
    if (second.status !== 'created') throw new Error(second.status)
    expect(second.file.titles.map((t) => t.invoiceId)).toEqual(['inv-3'])
    expect(second.file.warnings.filter((w) => w.code === 'ALREADY_EXPORTED_LEFT_OUT').map((w) => w.ref)).toEqual(['inv-2'])
    expect(await storage.exportRegister!.currentExports('site-1', PES_V2_FORMAT, ['inv-1', 'inv-2', 'inv-3'])).toEqual(new Map([['inv-1', 'pes-1'], ['inv-2', 'pes-1'], ['inv-3', 'pes-2']]))
  })

  it('says there is nothing to export when every invoice was sent before', async () => {
    const storage = createMemoryStorage()
    await exportPesTitles({ storage }, input('pes-1', [1]))
    const again = await exportPesTitles({ storage }, input('pes-2', [1]))
    expect(again.status).toBe('nothing-to-export')
  })

  it('returns the same bytes on a replay of the same export id', async () => {
    const storage = createMemoryStorage()
    const first = await exportPesTitles({ storage }, input('pes-1', [1, 2]))
    const replay = await exportPesTitles({ storage }, input('pes-1', [1, 2]))
    if (first.status === 'nothing-to-export' || replay.status === 'nothing-to-export') throw new Error('expected a file')
    expect(replay.status).toBe('exists')
    expect(Buffer.from(replay.file.bytes).equals(Buffer.from(first.file.bytes))).toBe(true)
  })

  it('sends a title again only as an explicit re-issue of its current export', async () => {
    const storage = createMemoryStorage()
    await exportPesTitles({ storage }, input('pes-1', [1, 2]))
    const fix = await exportPesTitles({ storage }, input('pes-1-fix', [2], { reissue: { corrects: 'pes-1', reason: 'rejected by the comptable: wrong address' } }))
    expect(fix.status).toBe('created')
    await expect(exportPesTitles({ storage }, input('pes-1-fix2', [2], { reissue: { corrects: 'pes-1', reason: 'again' } }))).rejects.toSatisfy((e) => isEcoleError(e, 'REISSUE_NOT_CURRENT'))
  })

  it('refuses bad input before recording anything', async () => {
    const storage = createMemoryStorage()
    await expect(exportPesTitles({ storage }, input('pes-1', [1], { regie: { ...regie, siret: '' } }))).rejects.toThrow(/regie\.siret/)
    expect((await storage.exportRegister!.listExports('site-1', {})).items).toEqual([])
  })
})

describe('exportPesTitles: a bordereau number and a file name are sent once', () => {
  const reusing = (exportId: string, ns: number[], bordereau: Partial<ExportPesTitlesInput['bordereau']>, extra: Partial<ExportPesTitlesInput> = {}) => {
    const base = input(exportId, ns, extra)
    return { ...base, bordereau: { ...base.bordereau, ...bordereau } }
  }

  it('refuses a second export that reuses bordereau 12 of 2027, naming bordereau.number and the export that took it, and records nothing', async () => {
    const storage = createMemoryStorage()
    await exportPesTitles({ storage }, reusing('pes-1', [1], { number: 12, fileName: 'PES_2027_12.xml' }))
    const e = await exportPesTitles({ storage }, reusing('pes-2', [2], { number: 12, fileName: 'PES_2027_12b.xml' })).then(() => undefined, (error: unknown) => error)
    expect(isEcoleError(e, 'INVALID_INPUT'), String(e)).toBe(true)
    expect((e as Error).message).toMatch(/^\[ecole\] bordereau\.number: .*pes-1/)
    expect((await storage.exportRegister!.listExports('site-1', { format: PES_V2_FORMAT })).items.map((r) => r.id)).toEqual(['pes-1'])
    expect(await storage.exportRegister!.currentExports('site-1', PES_V2_FORMAT, ['inv-2'])).toEqual(new Map())
  })

  it('refuses a second export that reuses a file name (NomFic), naming bordereau.fileName', async () => {
    const storage = createMemoryStorage()
    await exportPesTitles({ storage }, reusing('pes-1', [1], { number: 12, fileName: 'PES_2027_12.xml' }))
    await expect(exportPesTitles({ storage }, reusing('pes-2', [2], { number: 13, fileName: 'PES_2027_12.xml' }))).rejects.toThrow(/bordereau\.fileName: .*pes-1/)
  })

  it('refuses a re-issue that reuses the bordereau number of the export it corrects: it is a new bordereau', async () => {
    const storage = createMemoryStorage()
    await exportPesTitles({ storage }, reusing('pes-1', [1], { number: 12 }))
    await expect(exportPesTitles({ storage }, reusing('pes-1-fix', [1], { number: 12 }, { reissue: { corrects: 'pes-1', reason: 'rejected' } }))).rejects.toThrow(/bordereau\.number/)
  })

  it('takes the same number again in another year or another budget, where the comptable numbers apart', async () => {
    const storage = createMemoryStorage()
    await exportPesTitles({ storage }, reusing('pes-1', [1], { number: 12, year: 2027 }))
    expect((await exportPesTitles({ storage }, reusing('pes-2', [2], { number: 12, year: 2028 }))).status).toBe('created')
    expect((await exportPesTitles({ storage }, reusing('pes-3', [3], { number: 12, year: 2027 }, { regie: { ...regie, budgetCode: '01' } }))).status).toBe('created')
  })

  it('keeps a replay of the same export idempotent: exists, the same bytes, one bordereau recorded', async () => {
    const storage = createMemoryStorage()
    const first = await exportPesTitles({ storage }, input('pes-1', [1]))
    const replay = await exportPesTitles({ storage }, input('pes-1', [1]))
    expect(replay.status).toBe('exists')
    if (first.status === 'nothing-to-export' || replay.status === 'nothing-to-export') throw new Error('expected a file')
    expect(Buffer.from(replay.file.bytes).equals(Buffer.from(first.file.bytes))).toBe(true)
    expect((await storage.exportRegister!.listExports('site-1', { format: PES_V2_BORDEREAU_FORMAT })).items.map((r) => r.id)).toEqual(['pes-1/bordereau'])
  })
})

/** Exports of overlapping invoices at once, from two adapters of one store: each invoice is sent at most once. */
async function race(a: StoragePorts, b: StoragePorts): Promise<void> {
  const site = `pes-race-${process.pid}-${Date.now()}`
  const invoices = Array.from({ length: 20 }, (_, n) => inv(n))
  const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) =>
    exportPesTitles({ storage: i % 2 === 0 ? a : b }, {
      ...input(`pes-${i}`, []), siteId: site,
      bordereau: { fileName: `pes-${i}.xml`, year: 2027, number: i + 1, firstTitleNumber: 1 + 100 * i, issueDate: '2027-02-01', period: '1' },
      titles: invoices.slice(i % 3, 12 + (i % 5)).map((invoice) => ({ invoice })),
    })))
  for (const r of results) if (r.status === 'rejected') expect(isEcoleError(r.reason, 'ALREADY_EXPORTED'), String(r.reason)).toBe(true)
  const created = results.flatMap((r) => (r.status === 'fulfilled' && r.value.status === 'created' ? [r.value] : []))
  expect(created.length).toBeGreaterThan(0)
  const sent = created.flatMap((c) => c.file.titles.map((t) => t.invoiceId))
  expect(new Set(sent).size).toBe(sent.length)
  const current = await a.exportRegister!.currentExports(site, PES_V2_FORMAT, invoices.map((i) => i.id))
  expect([...current.keys()].sort()).toEqual([...sent].sort())
}

describe('exportPesTitles, concurrent exports of overlapping invoices', () => {
  it('send each invoice in at most one bordereau (memory)', async () => {
    const storage = createMemoryStorage()
    await race(storage, storage)
  })

  // two adapters (two pools, as two application servers would have) on one PostgreSQL server
  const url = process.env['ECOLE_PG_URL']
  if (url) {
    const opened: Array<{ close(): Promise<void> }> = []
    afterAll(async () => {
      for (const s of opened) await s.close()
    })
    it('send each invoice in at most one bordereau (two processes on a PostgreSQL server), whatever the interleaving', async () => {
      const a = await createPostgresStorage({ connectionString: url })
      const b = await createPostgresStorage({ connectionString: url })
      opened.push(a, b)
      await race(a, b)
    })
  } else if (process.env['CI']) {
    it('runs on a PostgreSQL server in CI, where ECOLE_PG_URL must name one', () => {
      expect.fail('[ecole] CI is set but ECOLE_PG_URL is not: the PES export race on a PostgreSQL server must run in CI')
    })
  } else {
    console.log('[ecole] ECOLE_PG_URL is not set: the PES export race on a PostgreSQL server is skipped')
  }
})

import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { codeOf } from '../test-support/error-code'
import { invoice } from '../test-support/records'
import { exportFec, FEC_FORMAT, fecItemKey, type ExportFecInput } from '.'

const settings = {
  siren: '123456789',
  period: { from: '2026-01-01', to: '2026-12-31' },
  validatedOn: '2027-01-15',
  billingOffices: [{ id: 'regie', name: 'Régie cantine', journalPrefix: 'C' }],
}
const data = { invoices: [invoice({ id: 'i1', number: 'F2026-000001', issueDate: '2026-02-01', lines: [{ serviceId: 'canteen', amountMinor: 7055n }] })], debtors: { 'g-1': { name: 'DUPONT Marie' } } }
const input = (exportId: string, extra: Partial<ExportFecInput> = {}): ExportFecInput => ({ siteId: 'site-1', exportId, exportedBy: 'u-compta', exportedAt: '2027-01-20T09:00:00.000Z', settings, data, ...extra })

describe('exportFec: the FEC of a fiscal period, recorded in the export register', () => {
  it('records the file under the entity and its period, with the file name and the checksum of its bytes', async () => {
    const storage = createMemoryStorage()
    const r = await exportFec({ storage }, input('fec-2026'))
    expect(r.status).toBe('created')
    expect(r.record.itemKeys).toEqual(['123456789|2026-01-01..2026-12-31'])
    expect(r.record.file.id).toBe('123456789FEC20261231.txt')
    expect(r.record.file.checksum).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(await storage.exportRegister!.currentExports('site-1', FEC_FORMAT, [fecItemKey('123456789', settings.period)])).toEqual(new Map([['123456789|2026-01-01..2026-12-31', 'fec-2026']]))
  })

  it('answers a replay of the same export with the same bytes, and refuses a second plain export of the period with ALREADY_EXPORTED', async () => {
    const storage = createMemoryStorage()
    const first = await exportFec({ storage }, input('fec-2026'))
    const again = await exportFec({ storage }, input('fec-2026'))
    expect(again.status).toBe('exists')
    expect(again.file.bytes).toEqual(first.file.bytes)
    expect(await codeOf(exportFec({ storage }, input('fec-2026-bis')))).toBe('ALREADY_EXPORTED')
    expect((await storage.exportRegister!.listExports('site-1', {})).items.map((e) => e.id)).toEqual(['fec-2026'])
  })

  it('takes a corrected FEC as a re-issue of the current export only, which then becomes the period’s current export', async () => {
    const storage = createMemoryStorage()
    await exportFec({ storage }, input('fec-2026'))
    const fixed = await exportFec({ storage }, input('fec-2026-v2', { reissue: { corrects: 'fec-2026', reason: 'an invoice was validated late' } }))
    expect(fixed.status).toBe('created')
    expect(await codeOf(exportFec({ storage }, input('fec-2026-v3', { reissue: { corrects: 'fec-2026', reason: 'again' } })))).toBe('REISSUE_NOT_CURRENT')
    expect(await storage.exportRegister!.currentExports('site-1', FEC_FORMAT, ['123456789|2026-01-01..2026-12-31'])).toEqual(new Map([['123456789|2026-01-01..2026-12-31', 'fec-2026-v2']]))
  })

  it('keeps another fiscal period independent, and records nothing when the settings are wrong', async () => {
    const storage = createMemoryStorage()
    await exportFec({ storage }, input('fec-2026'))
    const next = { ...settings, period: { from: '2027-01-01', to: '2027-12-31' }, validatedOn: '2028-01-15' }
    expect((await exportFec({ storage }, input('fec-2027', { settings: next, data: { invoices: [], debtors: {} } }))).status).toBe('created')
    expect(await codeOf(exportFec({ storage }, input('fec-bad', { settings: { ...settings, siren: '12345' } })))).toBe('INVALID_INPUT')
    expect((await storage.exportRegister!.listExports('site-1', {})).items.map((e) => e.id).sort()).toEqual(['fec-2026', 'fec-2027'])
  })

  it('needs the exportRegister port: PORT_MISSING from an adapter without it', async () => {
    const storage = createMemoryStorage({ without: ['exportRegister'] })
    expect(await codeOf(exportFec({ storage }, input('fec-2026')))).toBe('PORT_MISSING')
  })
})

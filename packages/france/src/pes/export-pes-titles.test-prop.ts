import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isEcoleError, type LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { invoice } from '../test-support/records'
import { exportPesTitles } from '.'

const regie = { siret: '21750001600019', postCode: '075000', collectivityCode: '001', budgetCode: '00', productCode: 'CANT', nature: '7067', issuer: { name: 'Ville', software: '@ecole/france' }, titleObject: 'Restauration scolaire' }
const debtors = { 'g-1': { lastName: 'Dupont', address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } } }

/** Exports of one invoice each, with bordereau numbers, years and file names drawn from small sets so that they collide. */
const exportsArb = fc.array(fc.record({ number: fc.integer({ min: 1, max: 4 }), year: fc.constantFrom(2027, 2028), file: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 8 })

test.prop([exportsArb], { numRuns: 40 })('the register never holds two exports of one bordereau number (in a year) or of one file name, and refuses the later one naming the field', async (specs) => {
  const storage = createMemoryStorage()
  const created: Array<{ number: number; year: number; file: number }> = []
  for (const [i, s] of specs.entries()) {
    const inv = invoice({ id: `inv-${i}`, number: `F2027-${String(i).padStart(6, '0')}`, issueDate: '2027-01-31' as LocalDate, lines: [{ serviceId: 'canteen', amountMinor: 1000n }] })
    const run = exportPesTitles({ storage }, {
      siteId: 's', exportId: `pes-${i}`, exportedBy: 'u', exportedAt: '2027-02-01T09:00:00.000Z', regie, debtors, titles: [{ invoice: inv }],
      bordereau: { fileName: `PES_${s.file}.xml`, year: s.year, number: s.number, firstTitleNumber: 1, issueDate: '2027-02-01', period: '1' },
    })
    const clash = created.find((c) => (c.number === s.number && c.year === s.year) || c.file === s.file)
    if (clash === undefined) {
      expect((await run).status).toBe('created')
      created.push(s)
    } else {
      const e = await run.then(() => undefined, (error: unknown) => error)
      expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
      expect((e as Error).message).toMatch(/bordereau\.(number|fileName): /)
    }
  }
  const records = (await storage.exportRegister!.listExports('s', { format: 'pes-v2' })).items
  expect(new Set(records.map((r) => r.file.id)).size).toBe(records.length)
  expect(records).toHaveLength(created.length)
})

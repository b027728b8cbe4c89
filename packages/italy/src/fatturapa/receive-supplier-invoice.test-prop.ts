import { fc, test } from '@fast-check/vitest'
import { SiteSchema } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect } from 'vitest'
import { writeFatturaPA, type ModelBody, type ModelFile } from '../test-support/write-fatturapa'
import { receiveSupplierInvoice } from './receive-supplier-invoice'

const SITE_VAT = 'IT09876543210'
const line = fc.record({
  description: fc.constantFrom('PASTI MENSA', 'MERENDE', 'TRASPORTO'),
  quantity: fc.constantFrom('1.00', '20.00', '250.00'),
  unitPriceMinor: fc.bigInt({ min: 1n, max: 100_000n }),
  rate: fc.constantFrom('22.00' as const, '10.00' as const, '4.00' as const),
})
const body: fc.Arbitrary<ModelBody> = fc.record({
  type: fc.constantFrom('TD01', 'TD04', 'TD24'),
  number: fc.stringMatching(/^[A-Z0-9]{1,6}$/),
  date: fc.constantFrom('2027-01-15', '2027-01-31', '2027-02-15'),
  lines: fc.array(line, { minLength: 1, maxLength: 3 }),
  withTotal: fc.boolean(),
  payments: fc.constant([]),
})
/** A file whose bodies include, at `at`, one more body repeating the type, number and date of the body `of` (its lines may differ). */
const repeating = fc.record({ bodies: fc.array(body, { minLength: 1, maxLength: 3 }), extra: body, of: fc.nat(), at: fc.nat() }).map(({ bodies, extra, of, at }): ModelFile => {
  const original = bodies[of % bodies.length]!
  const copy = { ...extra, type: original.type, number: original.number, date: original.date }
  const all = [...bodies]
  all.splice(at % (bodies.length + 1), 0, copy)
  return { format: 'FPR12', supplierVat: 'IT01234567890', customerVat: SITE_VAT, supplierName: 'RISTORAZIONE ALPHA SRL', progressive: '00001', bodies: all }
})

describe('receiveSupplierInvoice properties', () => {
  test.prop([repeating, fc.integer({ min: 1, max: 3 })], { numRuns: 40 })('a file that carries an invoice twice is kept and refused, as a value, every time it comes, and stores no purchase', async (model, times) => {
    const storage = createMemoryStorage()
    const site = SiteSchema.parse({ id: 'plesso-1', name: 'Plesso', country: 'IT', vatNumber: SITE_VAT, options: { supplierEInvoices: true } })
    await storage.directory!.putSite('plesso-1', { ...site, smtp: null })
    const bytes = new Uint8Array(Buffer.from(writeFatturaPA(model)))
    for (let i = 0; i < times; i++) {
      const r = await receiveSupplierInvoice(storage, 'plesso-1', { fileName: 'IT01234567890_00001.xml', bytes, receivedAt: '2027-03-01T08:00:00Z' })
      expect(r).toMatchObject({ status: 'refused', code: 'DUPLICATE_INVOICE_IN_FILE', duplicate: i > 0 })
      expect((await storage.purchases!.getReceivedFile('plesso-1', r.fileSha256))?.outcome).toMatchObject({ kind: 'refused', code: 'DUPLICATE_INVOICE_IN_FILE' })
    }
    expect((await storage.purchases!.listPurchases('plesso-1')).items).toEqual([])
  })
})

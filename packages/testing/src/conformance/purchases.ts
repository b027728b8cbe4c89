import { isEcoleError } from '@ecole/core'
import type { Purchase, ReceivedInvoiceFile } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

/** A purchase of the shape a FatturaPA reader stores. @internal */
function purchase(id: string, overrides: Partial<Purchase> = {}): Purchase {
  return {
    id, fileSha256: 'a'.repeat(64), bodyIndex: 0, format: 'FPR12',
    supplier: { vatNumber: 'IT01234567890', fiscalCode: null, name: 'SOCIETA ALPHA SRL' },
    number: id.split('|')[2] ?? '1', date: '2014-12-18', documentType: 'TD01', currency: 'EUR',
    lines: [{ number: 1, description: 'LA DESCRIZIONE DELLA FORNITURA', quantity: '5.00', unit: null, unitPrice: '1.00', total: '5.00', vatRate: '22.00', nature: null }],
    vatSummary: [{ vatRate: '22.00', nature: null, taxable: { minor: 500n, currency: 'EUR' }, tax: { minor: 110n, currency: 'EUR' }, chargeability: 'I' }],
    total: { minor: 610n, currency: 'EUR' },
    paymentTerms: [{ condition: 'TP01', details: [{ method: 'MP01', dueDate: '2015-01-30', amount: { minor: 610n, currency: 'EUR' }, iban: null }] }],
    receivedAt: '2027-01-18T08:00:00.000Z', signer: null, ...overrides,
  }
}

function file(sha256: string, overrides: Partial<ReceivedInvoiceFile> = {}): ReceivedInvoiceFile {
  return {
    sha256, fileName: 'IT01234567890_FPR01.xml', contentBase64: Buffer.from(`<x>${sha256}</x>\u0000\u00ff`, 'latin1').toString('base64'),
    receivedAt: '2027-01-18T08:00:00.000Z', outcome: { kind: 'accepted', purchaseIds: ['IT01234567890|TD01|123|2014-12-18'] }, ...overrides,
  }
}

/** Purchases and received files: kept once, byte for byte, per site. @internal */
export function describePurchases(ctx: ConformanceContext): void {
  describe('purchases (supplier invoices) and received files', () => {
    it('keeps a received file byte for byte, once: receiving it again changes nothing', async () => {
      const store = need(ctx.storage().purchases, 'purchases')
      const site = freshSiteId()
      const f = file('b'.repeat(64))
      expect(await store.createReceivedFile(site, f)).toBe('created')
      expect(await store.createReceivedFile(site, { ...f, fileName: 'other.xml', outcome: { kind: 'refused', code: 'OPTION_OFF', message: 'off' } })).toBe('exists')
      expect(await store.getReceivedFile(site, f.sha256)).toEqual(f)
      expect(await store.getReceivedFile(freshSiteId(), f.sha256)).toBeUndefined()
    })

    it(`stores a file once when ${ctx.concurrency} receptions of it run at the same time`, async () => {
      const store = need(ctx.storage().purchases, 'purchases')
      const site = freshSiteId()
      const f = file('c'.repeat(64))
      const results = await Promise.all(Array.from({ length: ctx.concurrency }, () => store.createReceivedFile(site, f)))
      expect(results.filter((r) => r === 'created')).toHaveLength(1)
      expect((await store.listReceivedFiles(site)).items).toEqual([f])
    })

    it('creates a purchase once; a replay with the same content is `exists`, with other content IDEMPOTENCY_CONFLICT naming the field', async () => {
      const store = need(ctx.storage().purchases, 'purchases')
      const site = freshSiteId()
      const p = purchase('IT01234567890|TD01|123|2014-12-18')
      expect(await store.createPurchase(site, p)).toBe('created')
      expect(await store.createPurchase(site, { ...p, receivedAt: '2027-02-01T08:00:00.000Z' })).toBe('exists')
      const err = await store.createPurchase(site, { ...p, total: { minor: 611n, currency: 'EUR' } }).catch((e: unknown) => e)
      expect(isEcoleError(err, 'IDEMPOTENCY_CONFLICT')).toBe(true)
      expect((err as { details: { fields: string[] } }).details.fields).toEqual(['total.minor'])
      expect(await store.getPurchase(site, p.id)).toEqual(p)
      expect(await store.getPurchase(freshSiteId(), p.id)).toBeUndefined()
    })

    it(`of ${ctx.concurrency} concurrent creations of one purchase exactly one is created`, async () => {
      const store = need(ctx.storage().purchases, 'purchases')
      const site = freshSiteId()
      const p = purchase('IT01234567890|TD01|9|2014-12-18')
      const results = await Promise.all(Array.from({ length: ctx.concurrency }, () => store.createPurchase(site, p)))
      expect(results.filter((r) => r === 'created')).toHaveLength(1)
      expect(results.filter((r) => r === 'exists')).toHaveLength(ctx.concurrency - 1)
    })

    it('lists purchases and files by key, a page at a time', async () => {
      const store = need(ctx.storage().purchases, 'purchases')
      const site = freshSiteId()
      for (const n of ['3', '1', '2']) await store.createPurchase(site, purchase(`IT01234567890|TD01|${n}|2014-12-18`))
      const first = await store.listPurchases(site, { limit: 2 })
      expect(first.items.map((p) => p.number)).toEqual(['1', '2'])
      const second = await store.listPurchases(site, { limit: 2, after: first.next! })
      expect(second.items.map((p) => p.number)).toEqual(['3'])
      expect(second.next).toBeUndefined()
      for (const s of ['e', 'd']) await store.createReceivedFile(site, file(s.repeat(64)))
      expect((await store.listReceivedFiles(site, { limit: 1 })).items.map((f) => f.sha256)).toEqual(['d'.repeat(64)])
    })

    it('keeps what the callback wrote inside a rolled-back transaction out of the store', async () => {
      const storage = ctx.storage()
      need(storage.purchases, 'purchases')
      const site = freshSiteId()
      const p = purchase('IT01234567890|TD01|7|2014-12-18')
      await expect(storage.transaction(site, async (tx) => {
        await tx.purchases!.createReceivedFile(site, file('f'.repeat(64)))
        await tx.purchases!.createPurchase(site, p)
        throw new Error('boom')
      })).rejects.toThrow('boom')
      expect(await storage.purchases!.getPurchase(site, p.id)).toBeUndefined()
      expect(await storage.purchases!.getReceivedFile(site, 'f'.repeat(64))).toBeUndefined()
    })
  })
}

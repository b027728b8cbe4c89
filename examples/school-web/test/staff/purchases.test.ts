import { createHash } from 'node:crypto'
import { SiteSchema } from '@ecole/core'
import type { Purchase } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { Client, host, pgliteForFile, smallSite } from './support'

// The purchases screen (issue 20) through HTTP, on the host's embedded PGlite: the supplier
// e-invoices a plesso received, shown only when the site's option is on.
const db = pgliteForFile()
let site = 0

const XML = '<?xml version="1.0" encoding="UTF-8"?><p:FatturaElettronica versione="FPR12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"/>'
const SHA = createHash('sha256').update(XML).digest('hex')

/** A site with the option on or off, holding one received file and its purchase. */
async function fresh(optionOn: boolean) {
  const siteId = `staff-purchases-${++site}`
  await smallSite(db.storage, siteId)
  await db.storage.transaction(siteId, async (tx) => {
    await tx.directory!.putSite(siteId, {
      ...SiteSchema.parse({ id: siteId, name: 'Plesso Garibaldi', country: 'IT', vatNumber: 'IT09876543210', options: { supplierEInvoices: optionOn } }), smtp: null,
    })
    await tx.purchases!.createReceivedFile(siteId, {
      sha256: SHA, fileName: 'IT01234567890_FPR01.xml', contentBase64: Buffer.from(XML).toString('base64'), receivedAt: '2027-01-20T09:00:00Z',
      outcome: { kind: 'accepted', purchaseIds: ['IT01234567890|TD01|123|2027-01-15'] },
    })
    const purchase: Purchase = {
      id: 'IT01234567890|TD01|123|2027-01-15', fileSha256: SHA, bodyIndex: 0, format: 'FPR12',
      supplier: { vatNumber: 'IT01234567890', fiscalCode: null, name: 'MENSA SERVIZI SRL' }, number: '123', date: '2027-01-15', documentType: 'TD01', currency: 'EUR',
      lines: [{ number: 1, description: 'Pasti gennaio', quantity: '100.00', unit: null, unitPrice: '3.00', total: '300.00', vatRate: '4.00', nature: null }],
      vatSummary: [{ vatRate: '4.00', nature: null, taxable: { minor: 30000n, currency: 'EUR' }, tax: { minor: 1200n, currency: 'EUR' }, chargeability: 'I' }],
      total: { minor: 31200n, currency: 'EUR' }, paymentTerms: [], receivedAt: '2027-01-20T09:00:00Z', signer: null,
    }
    await tx.purchases!.createPurchase(siteId, purchase)
  })
  const { ctx, app } = await host(db.storage, siteId)
  return { ctx, client: () => new Client(app, ctx) }
}

describe('the purchases screen (supplier e-invoices)', () => {
  it('lists each purchase with its supplier, number, date, type and total, and a link to the original file', async () => {
    const { client } = await fresh(true)
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    expect((await cashier.get('/staff')).text).toContain('href="/staff/purchases"')
    const list = await cashier.get('/staff/purchases')
    expect(list.status).toBe(200)
    for (const text of ['MENSA SERVIZI SRL', 'IT01234567890', '123', '15/01/2027', 'TD01', '312,00']) expect(list.text).toContain(text)
    expect(list.text).toContain(`href="/staff/purchases/files/${SHA}"`)
  })

  it('serves the original file as received, under its own name', async () => {
    const { client } = await fresh(true)
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    const file = await cashier.get(`/staff/purchases/files/${SHA}`)
    expect(file.status).toBe(200)
    expect(file.text).toBe(XML)
    expect((await cashier.get(`/staff/purchases/files/${'0'.repeat(64)}`)).status).toBe(404)
  })

  it('refuses the list and the files with a sentence naming the option when the site\'s option is off', async () => {
    const { client } = await fresh(false)
    const cashier = client()
    await cashier.login('regisseur@jaures.example')
    const list = await cashier.get('/staff/purchases')
    expect(list.status).toBe(403)
    expect(list.text).toContain('l&#39;option « factures fournisseurs » est désactivée')
    expect(list.text).not.toContain('MENSA SERVIZI SRL')
    expect((await cashier.get(`/staff/purchases/files/${SHA}`)).status).toBe(403)
  })

  it('refuses a role without invoices.read, naming the permission, and hides the menu entry', async () => {
    const { client } = await fresh(true)
    const animateur = client()
    await animateur.login('animateur@jaures.example')
    expect((await animateur.get('/staff')).text).not.toContain('href="/staff/purchases"')
    const r = await animateur.get('/staff/purchases')
    expect(r.status).toBe(403)
    expect(r.text).toContain('invoices.read')
    expect(r.text).not.toContain('MENSA SERVIZI SRL')
  })
})

import { validateDrafts } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { Client, host, pgliteForFile, smallSite } from './support'

// Invoice folders of the back office (seed 001, Facturation) through HTTP: a tree of folders,
// created and moved (never inside itself), and a filtered set of invoices filed after a
// confirmation that says how many and where.
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-folders-${++site}`
  await smallSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  const folders = async () => (await db.storage.directory!.listDirectoryRecords(siteId, 'invoiceFolder')).items
  const filed = async (folderId: string) => (await db.storage.invoicing!.listInvoices(siteId, { folderId })).items.map((i) => i.id)
  return { ctx, siteId, as, folders, filed }
}

const CASHIER = 'regisseur@jaures.example'

describe('invoice folders as a tree (seed 001, « dossiers de factures »)', () => {
  it('creates a year and a month inside it, shows them as a tree linked to their invoices, and refuses a folder inside itself, beside the field', async () => {
    const { as, folders } = await fresh()
    const cashier = await as(CASHIER)
    expect((await cashier.post('/staff/invoice-folders', { id: 'y2027', name: '2027', parentId: '' })).location).toBe('/staff/invoice-folders?done=saved')
    expect((await cashier.post('/staff/invoice-folders', { id: 'm01', name: 'Janvier', parentId: 'y2027' })).status).toBe(303)
    const page = (await cashier.get('/staff/invoice-folders?done=saved')).text
    expect(page).toContain('Le dossier est enregistré.')
    expect(page).toMatch(/<li data-folder="y2027"><a href="\/staff\/invoices\?folderId=y2027">2027<\/a>.*<ul class="folder-tree"><li data-folder="m01"><a href="\/staff\/invoices\?folderId=m01">Janvier<\/a>/s)
    const cycle = await cashier.post('/staff/invoice-folders', { id: 'y2027', name: '2027', parentId: 'm01', editing: '1' })
    expect(cycle.status).toBe(400)
    expect(cycle.text).toContain('id="f-parentId-error" class="field-error">Dans le dossier : un dossier ne peut pas être rangé dans lui-même')
    const blank = await cashier.post('/staff/invoice-folders', { id: 'x', name: '', parentId: '' })
    expect(blank.status).toBe(400)
    expect(blank.text).toContain('id="f-name-error"')
    expect((await folders()).map((f) => [f.id, f.parentId])).toEqual([['m01', 'y2027'], ['y2027', null]])
  })
})

describe('filing a filtered set of invoices (seed 001)', () => {
  it('says how many invoices the filter selects and into which folder before filing them', async () => {
    const { as, ctx, siteId, filed } = await fresh()
    await validateDrafts({ storage: ctx.storage, clock: ctx.clock }, { siteId, batchId: 'dec', issueDate: '2027-01-04' })
    const cashier = await as(CASHIER)
    await cashier.post('/staff/invoice-folders', { id: 'y2027', name: '2027', parentId: '' })
    await cashier.post('/staff/invoice-folders', { id: 'm01', name: 'Janvier', parentId: 'y2027' })
    const confirm = await cashier.get('/staff/invoice-folders/file?status=validated&batchId=dec&debtorId=&folderId=m01')
    expect(confirm.text).toContain('Classer 2 facture(s) dans « 2027 / Janvier » ?')
    expect(await filed('m01')).toEqual([])
    const r = await cashier.post('/staff/invoice-folders/file', { status: 'validated', batchId: 'dec', folderId: 'm01' })
    expect(r.location).toBe('/staff/invoice-folders?done=filed&count=2')
    expect(await filed('m01')).toEqual(['dec:g1', 'dec:g2'])
    // the invoices list shows the folder's invoices
    expect((await cashier.get('/staff/invoices?folderId=m01')).text).toContain('href="/staff/invoices/dec%3Ag2"')
    // and one payer's invoice taken out of any folder
    expect((await cashier.get('/staff/invoice-folders/file?debtorId=g1&folderId=')).text).toContain('Retirer 1 facture(s) de leur dossier ?')
    await cashier.post('/staff/invoice-folders/file', { debtorId: 'g1', folderId: '' })
    expect(await filed('m01')).toEqual(['dec:g2'])
  })

  it('refuses to file with no filter at all, and says so', async () => {
    const { as, filed } = await fresh()
    const cashier = await as(CASHIER)
    await cashier.post('/staff/invoice-folders', { id: 'y2027', name: '2027', parentId: '' })
    const r = await cashier.get('/staff/invoice-folders/file?status=&batchId=&debtorId=&folderId=y2027')
    expect(r.status).toBe(400)
    expect(r.text).toContain('Choisissez au moins un filtre')
    expect((await cashier.post('/staff/invoice-folders/file', { folderId: 'y2027' })).status).toBe(400)
    expect(await filed('y2027')).toEqual([])
  })
})

describe('who may file invoices (permission invoices.write)', () => {
  it('lets the secretary see the folders but not create one or file invoices, naming the permission', async () => {
    const { as, folders } = await fresh()
    const secretary = await as('secretariat@jaures.example')
    const page = await secretary.get('/staff/invoice-folders')
    expect(page.status).toBe(200)
    expect(page.text).not.toContain('id="folder-form"')
    for (const r of [await secretary.post('/staff/invoice-folders', { id: 'x', name: 'X', parentId: '' }), await secretary.get('/staff/invoice-folders/file?batchId=dec&folderId=x')]) {
      expect(r.status).toBe(403)
      expect(r.text).toContain('il vous manque la permission « invoices.write »')
    }
    expect(await folders()).toEqual([])
  })
})

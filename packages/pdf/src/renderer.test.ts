import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SiteSchema, documentsForGuardian, isEcoleError } from '@ecole/core'
import type { DocumentSink, RenderProgress } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { afterAll, describe, expect, it } from 'vitest'
import { createPdfRenderer, type PdfRequest } from './renderer'
import { familyDocumentSink, folderSink, memorySink } from './sinks'
import { invoiceRequest, reminderRequest, sampleInvoice } from './test-support/fixtures'
import { pdfText, qpdfCheck } from './test-support/tools'

const dir = mkdtempSync(join(tmpdir(), 'ecole-pdf-batch-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const base = sampleInvoice()
const invoices = (n: number): PdfRequest[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'invoice', data: invoiceRequest({ ...base, id: `inv-${i}`, number: `F2027-${String(i + 1).padStart(6, '0')}` }) }))

describe('createPdfRenderer (the PdfRenderer port)', () => {
  const renderer = createPdfRenderer()

  it('writes a batch to a folder, one file per document, reporting progress count / total after each', async () => {
    const progress: RenderProgress[] = []
    const sink = folderSink(join(dir, 'out'))
    const result = await renderer.renderBatch(invoices(12), sink, { total: 12, onProgress: (p) => progress.push(p) })
    expect(result.count).toBe(12)
    expect(progress.map((p) => `${p.done}/${p.total}`)).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}/12`))
    const files = readdirSync(join(dir, 'out')).sort()
    expect(files).toHaveLength(12)
    expect(files[0]).toBe('invoice-F2027-000001.pdf')
    expect(files.reduce((s, f) => s + statSync(join(dir, 'out', f)).size, 0)).toBe(result.bytes)
    expect(pdfText(new Uint8Array(readFileSync(join(dir, 'out', files[11]!))))).toContain('F2027-000012')
  })

  it('hands documents to the sink one at a time, in order, waiting for each write to finish', async () => {
    let active = 0
    let most = 0
    const order: number[] = []
    const sink: DocumentSink = {
      async write(info, chunks) {
        active++
        most = Math.max(most, active)
        for await (const _ of chunks) await new Promise((r) => setTimeout(r, 1))
        order.push(info.index)
        active--
      },
    }
    await renderer.renderBatch(invoices(5), sink)
    expect(most).toBe(1)
    expect(order).toEqual([0, 1, 2, 3, 4])
  })

  it('takes requests from an async stream whose length is unknown (total undefined)', async () => {
    async function* stream() {
      for (const r of invoices(3)) yield r
    }
    const totals: Array<number | undefined> = []
    const sink = memorySink()
    await renderer.renderBatch(stream(), sink, { onProgress: (p) => totals.push(p.total) })
    expect(sink.documents).toHaveLength(3)
    expect(totals).toEqual([undefined, undefined, undefined])
    for (const d of sink.documents) expect(qpdfCheck(d.bytes)).toContain('No syntax or stream encoding errors')
  })

  it('stops at a bad request with an EcoleError naming its field; the documents before it are written, not that one', async () => {
    const requests = invoices(4)
    requests[2] = { kind: 'invoice', data: { ...(requests[2]!.data as object), language: 'xx' } } as unknown as PdfRequest
    const sink = memorySink()
    const error = await renderer.renderBatch(requests, sink).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
    expect((error as Error).message).toContain('invoice.language')
    expect(sink.documents.map((d) => d.info.index)).toEqual([0, 1])
  })

  it('stops when asked to through an AbortSignal', async () => {
    const controller = new AbortController()
    const sink = memorySink()
    const error = await renderer.renderBatch(invoices(5), sink, { onProgress: (p) => (p.done === 2 ? controller.abort() : undefined), signal: controller.signal }).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('ABORTED')
    expect(sink.documents).toHaveLength(2)
  })

  it('render and renderTo give the same bytes for the same request (reproducible output)', async () => {
    const [request] = invoices(1)
    const a = await renderer.render(request!)
    const sink = memorySink()
    const info = await renderer.renderTo(request!, sink)
    expect(info).toMatchObject({ kind: 'invoice', fileName: 'invoice-F2027-000001.pdf', mediaType: 'application/pdf', index: 0 })
    expect(Buffer.from(sink.documents[0]!.bytes).equals(Buffer.from(a))).toBe(true)
  })
})

describe('familyDocumentSink ("Enregistrer dans les fiches")', () => {
  it("stores each reminder as a document of the payer, shown on the portal only within its window", async () => {
    const storage = createMemoryStorage()
    await storage.directory!.putSite('site-1', { ...SiteSchema.parse({ id: 'site-1', name: 'Saint-Gilles', country: 'BE' }), smtp: null })
    const sink = familyDocumentSink(storage, { siteId: 'site-1', audienceOf: () => ({ kind: 'guardian', guardianId: 'g1' }), available: { from: '2027-02-20', to: '2027-04-30' } })
    await createPdfRenderer().renderBatch([{ kind: 'reminder', data: reminderRequest() }], sink)
    expect(sink.stored).toHaveLength(1)
    const { items } = await storage.documents!.listDocuments('site-1')
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ name: 'Rappel n° 2', mediaType: 'application/pdf', audience: { kind: 'guardian', guardianId: 'g1' }, available: { from: '2027-02-20', to: '2027-04-30' } })
    const bytes = await storage.documents!.readDocumentBytes('site-1', items[0]!.id)
    expect(bytes!.length).toBe(items[0]!.sizeBytes)
    expect(pdfText(bytes!)).toContain('Rappel n° 2')
    const viewer = { guardianId: 'g1', children: [] }
    expect(documentsForGuardian(items, viewer, '2027-03-01')).toHaveLength(1)
    expect(documentsForGuardian(items, viewer, '2027-05-01')).toHaveLength(0)
    expect(documentsForGuardian(items, { guardianId: 'g2', children: [] }, '2027-03-01')).toHaveLength(0)
  })

  it("stops with STORAGE_QUOTA_EXCEEDED when the site's licence has no room", async () => {
    const storage = createMemoryStorage()
    await storage.directory!.putSite('site-1', { ...SiteSchema.parse({ id: 'site-1', name: 'Saint-Gilles', country: 'BE', licence: { maxStorageGb: '0.000001' } }), smtp: null })
    const sink = familyDocumentSink(storage, { siteId: 'site-1', audienceOf: () => ({ kind: 'site' }), available: { from: '2027-02-20' } })
    const error = await createPdfRenderer().renderBatch([{ kind: 'reminder', data: reminderRequest() }], sink).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('STORAGE_QUOTA_EXCEEDED')
    expect((await storage.documents!.listDocuments('site-1')).items).toHaveLength(0)
  })
})

import { describe, expect, it } from 'vitest'
import { SchoolSchema, SiteSchema, documentsForGuardian } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import {
  DOCUMENT_UPLOAD_LIMITS, changeDocumentWindow, checkUpload, putSiteImage, readSiteImage, removePortalDocument, removeSiteImage, uploadPortalDocument,
} from './documents'

// The back office's uploads (issue 18, seed 001 « Documents », seeds 000 and 003 logo and stamp)
// over the reference storage adapter.
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n')
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const GIF = new TextEncoder().encode('GIF89a....')

async function site(maxStorageGb?: string) {
  const storage = createMemoryStorage()
  await storage.directory!.putSite('s1', { ...SiteSchema.parse({ id: 's1', name: 'École', country: 'FR', ...(maxStorageGb ? { licence: { maxStorageGb } } : {}) }), smtp: null })
  await storage.directory!.putDirectoryRecord('s1', 'school', SchoolSchema.parse({ id: 'sc', siteId: 's1', name: 'École Jaurès' }))
  return storage
}

const family = (id: string) => ({ id, name: `Document ${id}`, key: `s1/${id}`, audience: { kind: 'guardian' as const, guardianId: 'g1' }, available: { from: '2027-01-20' } })

describe('uploading a document', () => {
  it('reads the media type from the bytes, not from what the browser says', async () => {
    const storage = await site()
    const r = await uploadPortalDocument(storage, { siteId: 's1', input: family('d1'), bytes: PDF })
    expect(r).toMatchObject({ ok: true, document: { mediaType: 'application/pdf', sizeBytes: PDF.length } })
    expect(await storage.documents!.readDocumentBytes('s1', 'd1')).toEqual(PDF)
  })

  it('refuses an HTML page named .pdf, an empty file and a file above the size limit, naming the file and storing nothing', async () => {
    const storage = await site()
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>')
    await expect(uploadPortalDocument(storage, { siteId: 's1', input: family('d1'), bytes: html })).rejects.toThrow(/file: must be a PDF, PNG, JPEG, GIF, WebP file \(its bytes are none of these\)/)
    await expect(uploadPortalDocument(storage, { siteId: 's1', input: family('d1'), bytes: new Uint8Array() })).rejects.toThrow(/file: is empty/)
    const big = new Uint8Array(DOCUMENT_UPLOAD_LIMITS.maxBytes + 1)
    big.set(PDF)
    await expect(uploadPortalDocument(storage, { siteId: 's1', input: family('d1'), bytes: big })).rejects.toThrow(/file: has 10000001 bytes; at most 10000000 bytes are accepted/)
    expect(await storage.documents!.usedBytes('s1')).toBe(0)
  })

  it('takes only the types its limits accept: a GIF is refused where only PDF is', () => {
    expect(() => checkUpload(GIF, { maxBytes: 100, mediaTypes: ['application/pdf'] })).toThrow(/file: must be a PDF file \(its bytes are a GIF\)/)
    expect(checkUpload(GIF, DOCUMENT_UPLOAD_LIMITS)).toBe('image/gif')
  })

  it('refuses an upload beyond the storage licence with the used, asked and limit bytes, and stores nothing', async () => {
    // 0.0000001 GB = 100 bytes
    const storage = await site('0.0000001')
    const bytes = new Uint8Array(60)
    bytes.set(PDF.slice(0, 8))
    expect((await uploadPortalDocument(storage, { siteId: 's1', input: family('a'), bytes })).ok).toBe(true)
    expect(await uploadPortalDocument(storage, { siteId: 's1', input: family('b'), bytes })).toEqual({ ok: false, refusal: { code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: 60, addedBytes: 60, limitBytes: 100 } })
    expect(await storage.documents!.getDocument('s1', 'b')).toBeUndefined()
  })
})

describe('changing and deleting a document', () => {
  it('changes the portal window and keeps the bytes; a window ending before it starts is refused naming document.available.to', async () => {
    const storage = await site()
    await uploadPortalDocument(storage, { siteId: 's1', input: family('d1'), bytes: PDF })
    const changed = await changeDocumentWindow(storage, { siteId: 's1', documentId: 'd1', available: { from: '2027-02-01', to: '2027-02-28' } })
    expect(changed.available).toEqual({ from: '2027-02-01', to: '2027-02-28' })
    expect(await storage.documents!.readDocumentBytes('s1', 'd1')).toEqual(PDF)
    await expect(changeDocumentWindow(storage, { siteId: 's1', documentId: 'd1', available: { from: '2027-03-01', to: '2027-02-01' } })).rejects.toThrow(/document\.available\.to: must be on or after from/)
    expect((await storage.documents!.getDocument('s1', 'd1'))!.available).toEqual({ from: '2027-02-01', to: '2027-02-28' })
    await expect(changeDocumentWindow(storage, { siteId: 's1', documentId: 'nope', available: { from: '2027-03-01' } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('deletes a document and gives its bytes back to the licence; deleting it again answers undefined', async () => {
    const storage = await site()
    await uploadPortalDocument(storage, { siteId: 's1', input: family('d1'), bytes: PDF })
    expect((await removePortalDocument(storage, { siteId: 's1', documentId: 'd1' }))?.id).toBe('d1')
    expect(await storage.documents!.usedBytes('s1')).toBe(0)
    expect(await removePortalDocument(storage, { siteId: 's1', documentId: 'd1' })).toBeUndefined()
  })
})

describe('the logo and the stamp', () => {
  it('stores a school stamp as an internal document the portal never shows, counted in the licence, and points the school at it', async () => {
    const storage = await site()
    const r = await putSiteImage(storage, { siteId: 's1', target: { use: 'schoolStamp', schoolId: 'sc' }, bytes: PNG, name: 'tampon.png', today: '2027-01-20' })
    expect(r).toMatchObject({ ok: true, image: { mediaType: 'image/png', sizeBytes: PNG.length } })
    const school = await storage.directory!.getDirectoryRecord('s1', 'school', 'sc')
    expect(school!.stamp).toEqual({ key: 's1/images/image-stamp-sc', mediaType: 'image/png', sizeBytes: PNG.length })
    expect(await storage.documents!.usedBytes('s1')).toBe(PNG.length)
    const all = (await storage.documents!.listDocuments('s1')).items
    expect(documentsForGuardian(all, { guardianId: 'g1', children: [] }, '2027-01-21')).toEqual([])
    expect(await readSiteImage(storage, { siteId: 's1', target: { use: 'schoolStamp', schoolId: 'sc' } })).toEqual({ bytes: PNG, mediaType: 'image/png' })
    // an image is not deleted as a document: nothing would point at missing bytes
    await expect(removePortalDocument(storage, { siteId: 's1', documentId: 'image-stamp-sc' })).rejects.toThrow(/documentId: image-stamp-sc is an image/)
    expect(await removeSiteImage(storage, { siteId: 's1', target: { use: 'schoolStamp', schoolId: 'sc' } })).toBe(true)
    expect((await storage.directory!.getDirectoryRecord('s1', 'school', 'sc'))!.stamp).toBeNull()
    expect(await storage.documents!.usedBytes('s1')).toBe(0)
    expect(await removeSiteImage(storage, { siteId: 's1', target: { use: 'schoolStamp', schoolId: 'sc' } })).toBe(false)
  })

  it('refuses a GIF stamp (PNG or JPEG only) and a logo that is a PDF, storing nothing', async () => {
    const storage = await site()
    await expect(putSiteImage(storage, { siteId: 's1', target: { use: 'schoolStamp', schoolId: 'sc' }, bytes: GIF, name: 't.gif', today: '2027-01-20' })).rejects.toThrow(/file: must be a PNG, JPEG file \(its bytes are a GIF\)/)
    await expect(putSiteImage(storage, { siteId: 's1', target: { use: 'siteLogo' }, bytes: PDF, name: 'logo.pdf', today: '2027-01-20' })).rejects.toThrow(/file: must be a PNG, JPEG, GIF, WebP file/)
    expect(await storage.documents!.usedBytes('s1')).toBe(0)
    expect((await storage.directory!.getSite('s1'))!.logo).toBeNull()
  })

  it('sets the site logo, replaces it giving the old size back, and refuses one beyond the licence with nothing changed', async () => {
    const storage = await site('0.00000003') // 30 bytes
    expect((await putSiteImage(storage, { siteId: 's1', target: { use: 'siteLogo' }, bytes: PNG, name: 'logo.png', today: '2027-01-20' })).ok).toBe(true)
    const bigger = new Uint8Array(25)
    bigger.set(PNG)
    expect((await putSiteImage(storage, { siteId: 's1', target: { use: 'siteLogo' }, bytes: bigger, name: 'logo.png', today: '2027-01-20' })).ok).toBe(true)
    expect((await storage.directory!.getSite('s1'))!.logo!.sizeBytes).toBe(25)
    const r = await putSiteImage(storage, { siteId: 's1', target: { use: 'schoolLogo', schoolId: 'sc' }, bytes: PNG, name: 'l.png', today: '2027-01-20' })
    expect(r).toEqual({ ok: false, refusal: { code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: 25, addedBytes: 12, limitBytes: 30 } })
    expect((await storage.directory!.getDirectoryRecord('s1', 'school', 'sc'))!.logo).toBeNull()
  })
})

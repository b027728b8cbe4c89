import { describe, expect, it } from 'vitest'
import { GuardianSchema, SiteSchema, isEcoleError } from '@ecole/core'
import type { MailPayload } from '../messaging/mail-outbox'
import { createMemoryStorage } from '@ecole/storage-memory'
import { saveFamilyDocuments, type FamilyDocumentToSave } from './family-documents'

// Tax certificates and reminder letters saved into the families' files (issue 18, seed 001),
// with the optional notice queued in the same transaction, over the reference adapter.
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n')
const notify = { timeZone: 'Europe/Paris', locale: 'fr' as const, sender: { from: '"École" <no-reply@ecole.example>' }, portalUrl: 'https://portail.example' }

async function site(maxStorageGb?: string) {
  const storage = createMemoryStorage()
  await storage.directory!.putSite('s1', { ...SiteSchema.parse({ id: 's1', name: 'École', country: 'FR', ...(maxStorageGb ? { licence: { maxStorageGb } } : {}) }), smtp: null })
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'g1', siteId: 's1', householdId: 'h1', firstName: 'Claire', lastName: 'Martin', email: 'claire@example.fr', attributes: {} }))
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'g2', siteId: 's1', householdId: 'h1', firstName: 'Paul', lastName: 'Martin', attributes: {} }))
  return storage
}

const certificate = (id: string, guardianId = 'g1'): FamilyDocumentToSave => ({
  kind: 'taxCertificate', reference: '2026', recipientIds: [guardianId], bytes: PDF,
  input: { id, name: 'Attestation fiscale 2026', key: `s1/documents/${id}.pdf`, mediaType: 'application/pdf', audience: { kind: 'guardian', guardianId }, available: { from: '2027-01-15' } },
})
const mails = async (storage: ReturnType<typeof createMemoryStorage>) => (await storage.outbox!.list('s1', {})).items.map((m) => ({ id: m.id, to: (m.payload as MailPayload).to, subject: (m.payload as MailPayload).subject }))

describe('saveFamilyDocuments', () => {
  it('saves each PDF as a document of the family and queues one notice per recipient with an e-mail', async () => {
    const storage = await site()
    const r = await saveFamilyDocuments(storage, { siteId: 's1', documents: [certificate('tax-2026-g1-k1'), certificate('tax-2026-g2-k1', 'g2')], notify })
    expect(r).toMatchObject({ ok: true, alreadySaved: [] })
    if (!r.ok) return
    expect(r.saved.map((d) => [d.id, d.sizeBytes])).toEqual([['tax-2026-g1-k1', PDF.length], ['tax-2026-g2-k1', PDF.length]])
    expect(await storage.documents!.readDocumentBytes('s1', 'tax-2026-g1-k1')).toEqual(PDF)
    // Paul has no e-mail: his certificate is on the portal all the same, without a mail
    expect(await mails(storage)).toEqual([{ id: 'notice:taxCertificate:tax-2026-g1-k1:g1', to: ['claire@example.fr'], subject: 'Votre attestation fiscale 2026 est disponible' }])
  })

  it('saves nothing twice and queues no second notice when it runs again', async () => {
    const storage = await site()
    await saveFamilyDocuments(storage, { siteId: 's1', documents: [certificate('tax-2026-g1-k1')], notify })
    const again = await saveFamilyDocuments(storage, { siteId: 's1', documents: [certificate('tax-2026-g1-k1'), certificate('tax-2026-g1-k2')], notify })
    expect(again).toMatchObject({ ok: true, alreadySaved: ['tax-2026-g1-k1'], queuedMailIds: ['notice:taxCertificate:tax-2026-g1-k2:g1'] })
    expect(await storage.documents!.usedBytes('s1')).toBe(2 * PDF.length)
    expect((await mails(storage)).length).toBe(2)
  })

  it('saves none of them and queues nothing beyond the storage licence', async () => {
    const storage = await site('0.00000005') // 50 bytes: one PDF fits, two do not
    const r = await saveFamilyDocuments(storage, { siteId: 's1', documents: [certificate('a'), certificate('b')], notify })
    expect(r).toEqual({ ok: false, refusal: { code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: 0, addedBytes: 2 * PDF.length, limitBytes: 50 } })
    expect(await storage.documents!.usedBytes('s1')).toBe(0)
    expect(await mails(storage)).toEqual([])
  })

  it('refuses a document without a first portal day, or the same id twice, naming the field, and saves nothing', async () => {
    const storage = await site()
    const bad = { ...certificate('x'), input: { ...certificate('x').input, available: { from: '2027-02-30' } } }
    const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (isEcoleError(e) ? `${e.code} ${e.message}` : String(e)))
    expect(await code(saveFamilyDocuments(storage, { siteId: 's1', documents: [certificate('ok'), bad] }))).toMatch(/^INVALID_INPUT .*available\.from/)
    expect(await code(saveFamilyDocuments(storage, { siteId: 's1', documents: [certificate('d'), certificate('d')] }))).toMatch(/^INVALID_INPUT \[ecole\] documents\.1\.id: is given twice/)
    expect(await storage.documents!.usedBytes('s1')).toBe(0)
  })
})

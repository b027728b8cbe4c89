import { EcoleError, PortalDocumentSchema, checkOptions, checkStorageQuota, parseInput, type OptionKinds, type PortalDocument, type PortalDocumentInput } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { queueNoticesInTransaction, type DocumentNotify, type NoticeDocumentKind } from '../messaging/notifications'
import { asUseCaseError } from '../use-case-error'

/**
 * One PDF the library made for a family (a tax certificate, a reminder letter, an information
 * sheet) to save into its file: the portal document's record, its bytes, and who is told.
 *
 * @example
 * const doc: FamilyDocumentToSave = {
 *   kind: 'taxCertificate', reference: '2026', recipientIds: ['g1'], bytes,
 *   input: { id: 'tax-2026-g1-k1', name: 'Attestation fiscale 2026', key: 's1/documents/tax-2026-g1-k1.pdf', mediaType: 'application/pdf', audience: { kind: 'guardian', guardianId: 'g1' }, available: { from: '2027-01-15' } },
 * }
 */
export interface FamilyDocumentToSave {
  /** What the document is (the notice names it so). */
  kind: NoticeDocumentKind
  /** The portal document: its `id` makes saving idempotent (an id already stored is not saved again). */
  input: Omit<PortalDocumentInput, 'siteId' | 'sizeBytes'>
  /** The PDF. */
  bytes: Uint8Array
  /** Its number or name as families read it, for the notice. */
  reference: string
  /** The guardians told when `notify` is given (those without an e-mail get no mail). */
  recipientIds: readonly string[]
  /** An amount the notice states (a reminder's outstanding amount). */
  amount?: { minor: bigint; currency: string } | undefined
}

/** What {@link saveFamilyDocuments} answers: the saved and the already-saved ids, or the storage licence refusal (nothing saved). */
/**
 * The documents {@link saveFamilyDocuments} stores, and how families are told.
 *
 * @example
 * const args: SaveFamilyDocumentsArgs = { siteId: 's1', documents: [{ kind: 'invoice', input, bytes, reference: 'F-2027-0042', recipientIds: ['g1'] }], notify }
 */
export interface SaveFamilyDocumentsArgs {
  /** The site. */
  siteId: string
  /** The documents. */
  documents: readonly FamilyDocumentToSave[]
  /** Queue a notice to each recipient with an e-mail (none when absent). */
  notify?: DocumentNotify | undefined
}

const ARGS_KINDS: OptionKinds<SaveFamilyDocumentsArgs> = { siteId: 'any', documents: 'any', notify: 'object?' }
const DOCUMENT_KINDS: OptionKinds<FamilyDocumentToSave> = { kind: 'any', input: 'any', bytes: 'any', reference: 'any', recipientIds: 'any', amount: 'object?' }
const NOTIFY_KINDS: OptionKinds<DocumentNotify> = { timeZone: 'any', locale: 'any', sender: 'object', portalUrl: 'any', recipient: 'function?', attachment: 'function?' }
const SENDER_KINDS: OptionKinds<DocumentNotify['sender']> = { from: 'any', replyTo: 'string?' }

export type SaveFamilyDocumentsResult =
  | { ok: true; saved: PortalDocument[]; alreadySaved: string[]; queuedMailIds: string[] }
  | { ok: false; refusal: { code: 'STORAGE_QUOTA_EXCEEDED'; usedBytes: number; addedBytes: number; limitBytes: number } }

/**
 * Saves documents the library printed into the families' files (seed 001: reminder letters and tax
 * certificates « enregistrés dans les dossiers des familles », with an optional notification), in
 * one transaction: documents whose id is already stored are left as they are (running it twice
 * saves nothing twice), the new ones are counted together against the site's storage licence
 * (all refused with `STORAGE_QUOTA_EXCEEDED` beyond it, nothing saved), stored, and, with
 * `notify`, one notice per new document and recipient is queued in the outbox in the same
 * transaction (from the document's first portal day).
 *
 * @example
 * const r = await saveFamilyDocuments(storage, { siteId: 's1', documents: [doc], notify })
 * if (r.ok) r.saved.length //=> 1 (0 the second time: r.alreadySaved lists it)
 * @throws EcoleError `INVALID_INPUT` naming the field (`documents.0.available.from`...), `NOT_FOUND` for an unknown site, `PORT_MISSING`.
 */
export async function saveFamilyDocuments(
  storage: StoragePorts,
  args: SaveFamilyDocumentsArgs,
): Promise<SaveFamilyDocumentsResult> {
  try {
    if (typeof args === 'object' && args !== null) checkOptions<SaveFamilyDocumentsArgs>('saveFamilyDocuments', 'args', args, ARGS_KINDS)
    if (typeof args !== 'object' || args === null || typeof args.siteId !== 'string' || !Array.isArray(args.documents)) {
      throw EcoleError.invalidInput('documents', 'must be { siteId: string, documents: FamilyDocumentToSave[] }')
    }
    if (args.notify !== undefined) {
      const notify = checkOptions<DocumentNotify>('saveFamilyDocuments', 'args.notify', args.notify, NOTIFY_KINDS)
      checkOptions<DocumentNotify['sender']>('saveFamilyDocuments', 'args.notify.sender', notify.sender, SENDER_KINDS)
    }
    const docs = args.documents.map((d, i) => {
      if (typeof d !== 'object' || d === null || !(d.bytes instanceof Uint8Array) || !Array.isArray(d.recipientIds)) throw EcoleError.invalidInput(`documents.${i}`, 'must carry bytes (Uint8Array) and recipientIds')
      checkOptions<FamilyDocumentToSave>('saveFamilyDocuments', `args.documents.${i}`, d, DOCUMENT_KINDS)
      return { ...d, record: parseInput(PortalDocumentSchema, { ...d.input, siteId: args.siteId, sizeBytes: d.bytes.length }, `documents.${i}`) }
    })
    const ids = new Set<string>()
    for (const [i, d] of docs.entries()) {
      if (ids.has(d.record.id)) throw EcoleError.invalidInput(`documents.${i}.id`, `is given twice (${d.record.id})`)
      ids.add(d.record.id)
    }
    return await storage.transaction(args.siteId, async (tx) => {
      if (!tx.directory || !tx.documents) throw new EcoleError('PORT_MISSING', 'saveFamilyDocuments needs the directory and documents storage ports', { details: { port: tx.directory ? 'documents' : 'directory' } })
      await tx.documents.lockDocumentQuota(args.siteId)
      const site = await tx.directory.getSite(args.siteId)
      if (!site) throw new EcoleError('NOT_FOUND', `site ${JSON.stringify(args.siteId)} does not exist`, { details: { siteId: args.siteId } })
      const fresh: typeof docs = []
      const alreadySaved: string[] = []
      for (const d of docs) {
        if (await tx.documents.getDocument(args.siteId, d.record.id)) alreadySaved.push(d.record.id)
        else fresh.push(d)
      }
      const addedBytes = fresh.reduce((s, d) => s + d.record.sizeBytes, 0)
      const quota = checkStorageQuota({ usedBytes: await tx.documents.usedBytes(args.siteId), addedBytes, maxStorageGb: site.licence.maxStorageGb })
      if (!quota.ok) return { ok: false, refusal: quota.refusal }
      for (const d of fresh) await tx.documents.putDocument(args.siteId, d.record, d.bytes)
      const queuedMailIds = args.notify && fresh.length > 0
        ? await queueNoticesInTransaction(tx, args.siteId, args.notify, fresh.map((d) => ({
          kind: d.kind, documentId: d.record.id, reference: d.reference, displayDate: d.record.available.from, recipientIds: d.recipientIds, ...(d.amount ? { amount: d.amount } : {}),
        })))
        : []
      return { ok: true, saved: fresh.map((d) => d.record), alreadySaved, queuedMailIds }
    })
  } catch (error) {
    throw asUseCaseError(error, 'saveFamilyDocuments', { storage: [storage, 'object', 'the storage’s ports'], args: [args, 'object', 'the documents ({ siteId, documents })'] })
  }
}

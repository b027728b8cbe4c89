import {
  EcoleError, IMAGE_LIMITS, PortalDocumentSchema, checkOptions, checkStorageQuota, parseInput, removeSchoolImage, setSchoolImage, sniffDocumentType,
  type ImageRef, type OptionKinds, type PortalDocument, type PortalDocumentInput, type SniffedMediaType,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { asUseCaseError } from '../use-case-error'

/** What {@link addPortalDocument} answers: the stored record, or the storage licence refusal. */
/**
 * A portal document to store: its record (without the site and size, taken from the call and the bytes) and its bytes.
 *
 * @example
 * const args: AddPortalDocumentArgs = { siteId: 's1', input: { id: 'd1', name: 'Menu', key: 's1/d1', mediaType: 'application/pdf', audience: { kind: 'all' }, available: { from: '2027-01-20' } }, bytes }
 */
export interface AddPortalDocumentArgs {
  /** The site. */
  siteId: string
  /** The document's record (checked with `PortalDocumentSchema`). */
  input: Omit<PortalDocumentInput, 'siteId' | 'sizeBytes'>
  /** The file. */
  bytes: Uint8Array
}

/**
 * A file uploaded from a form: {@link AddPortalDocumentArgs} without the media type (sniffed from
 * the bytes), and the limits it is checked against.
 *
 * @example
 * const args: UploadPortalDocumentArgs = { siteId: 's1', input: { id: 'd1', name: 'Certificat', key: 's1/d1', audience: { kind: 'guardian', guardianId: 'g1' }, available: { from: '2027-01-20' } }, bytes }
 */
export interface UploadPortalDocumentArgs {
  /** The site. */
  siteId: string
  /** The document's record, without its media type. */
  input: Omit<PortalDocumentInput, 'siteId' | 'sizeBytes' | 'mediaType'>
  /** The file. */
  bytes: Uint8Array
  /** The largest file and the types accepted ({@link DOCUMENT_UPLOAD_LIMITS} when absent). */
  limits?: UploadLimits | undefined
}

/**
 * The days a stored document is shown on the portal.
 *
 * @example
 * const args: DocumentWindowArgs = { siteId: 's1', documentId: 'd1', available: { from: '2027-01-20', to: '2027-06-30' } }
 */
export interface DocumentWindowArgs {
  /** The site. */
  siteId: string
  /** The stored document. */
  documentId: string
  /** The first day shown and (optionally) the last. */
  available: { from: string; to?: string | undefined }
}

/**
 * A stored portal document, by id.
 *
 * @example
 * const args: PortalDocumentRef = { siteId: 's1', documentId: 'd1' }
 */
export interface PortalDocumentRef {
  /** The site. */
  siteId: string
  /** The stored document. */
  documentId: string
}

/**
 * An image of the site or a school to store.
 *
 * @example
 * const args: PutSiteImageArgs = { siteId: 's1', target: { use: 'schoolLogo', schoolId: 'sc1' }, bytes, name: 'logo.png', today: '2027-01-20' }
 */
export interface PutSiteImageArgs {
  /** The site. */
  siteId: string
  /** Whose image: the site's logo, a school's logo or stamp. */
  target: ImageTarget
  /** The file. */
  bytes: Uint8Array
  /** Its name, as uploaded. */
  name: string
  /** The day it is stored (its document is available from then). */
  today: string
}

/**
 * An image of the site or a school, by use.
 *
 * @example
 * const args: SiteImageRef = { siteId: 's1', target: { use: 'siteLogo' } }
 */
export interface SiteImageRef {
  /** The site. */
  siteId: string
  /** Whose image. */
  target: ImageTarget
}

const ADD_KINDS: OptionKinds<AddPortalDocumentArgs> = { siteId: 'any', input: 'any', bytes: 'any' }
const UPLOAD_KINDS: OptionKinds<UploadPortalDocumentArgs> = { ...ADD_KINDS, limits: 'any' }
const WINDOW_KINDS: OptionKinds<DocumentWindowArgs> = { siteId: 'any', documentId: 'any', available: 'object' }
const AVAILABLE_KINDS: OptionKinds<DocumentWindowArgs['available']> = { from: 'any', to: 'any' }
const REF_KINDS: OptionKinds<PortalDocumentRef> = { siteId: 'any', documentId: 'any' }
const PUT_IMAGE_KINDS: OptionKinds<PutSiteImageArgs> = { siteId: 'any', target: 'object', bytes: 'any', name: 'any', today: 'any' }
const IMAGE_REF_KINDS: OptionKinds<SiteImageRef> = { siteId: 'any', target: 'object' }

export type AddDocumentResult =
  | { ok: true; document: PortalDocument }
  | { ok: false; refusal: { code: 'STORAGE_QUOTA_EXCEEDED'; usedBytes: number; addedBytes: number; limitBytes: number } }

/**
 * Adds (or replaces) a portal document (seed 001 "ajouter un document"): for a guardian, a child,
 * the whole site or groups, with its availability dates. In one transaction, the bytes are counted
 * against the site's storage licence (`licence.maxStorageGb`; a replaced document's old size is
 * given back first) and refused with `STORAGE_QUOTA_EXCEEDED` beyond it; otherwise record and
 * bytes are stored together.
 *
 * @example
 * await addPortalDocument(storage, { siteId: 's1', input: { id: 'menu-oct', name: 'Menus d’octobre', key: 's1/menu-oct.pdf', mediaType: 'application/pdf', audience: { kind: 'site' }, available: { from: '2026-10-01', to: '2026-10-31' } }, bytes })
 * @throws EcoleError `INVALID_INPUT` naming the field, `NOT_FOUND` for an unknown site, `PORT_MISSING` without directory or document storage.
 */
export async function addPortalDocument(
  storage: StoragePorts,
  args: AddPortalDocumentArgs,
): Promise<AddDocumentResult> {
  try {
    checkOptions<AddPortalDocumentArgs>('addPortalDocument', 'args', args, ADD_KINDS)
    const record = parseInput(PortalDocumentSchema, { ...args.input, siteId: args.siteId, sizeBytes: args.bytes.length }, 'document')
    return await storage.transaction(args.siteId, async (tx) => {
      if (!tx.directory || !tx.documents) throw new EcoleError('PORT_MISSING', 'addPortalDocument needs the directory and documents storage ports', { details: { port: tx.directory ? 'documents' : 'directory' } })
      await tx.documents.lockDocumentQuota(args.siteId)
      const site = await tx.directory.getSite(args.siteId)
      if (!site) throw new EcoleError('NOT_FOUND', `site ${JSON.stringify(args.siteId)} does not exist`, { details: { siteId: args.siteId } })
      const previous = await tx.documents.getDocument(args.siteId, record.id)
      const usedBytes = (await tx.documents.usedBytes(args.siteId)) - (previous?.sizeBytes ?? 0)
      const quota = checkStorageQuota({ usedBytes, addedBytes: record.sizeBytes, maxStorageGb: site.licence.maxStorageGb })
      if (!quota.ok) return { ok: false, refusal: quota.refusal }
      await tx.documents.putDocument(args.siteId, record, args.bytes)
      return { ok: true, document: record }
    })
  } catch (error) {
    throw asUseCaseError(error, 'addPortalDocument', { storage: [storage, 'object', 'the storage’s ports'], args: [args, 'object', 'the document ({ siteId, input, bytes })'] })
  }
}

/**
 * What an upload of the back office accepts: the largest file and the media types, recognised
 * from the bytes ({@link sniffDocumentType}), never from the name or what the browser says.
 *
 * @example
 * const limits: UploadLimits = { maxBytes: 5 * 1024 * 1024, mediaTypes: ['application/pdf'] }
 */
export interface UploadLimits {
  /** The largest file, in bytes. */
  maxBytes: number
  /** The media types accepted. */
  mediaTypes: readonly SniffedMediaType[]
}

/**
 * The default limits of a family or group document: 10 MB (decimal, as the storage licence
 * counts), a PDF or an image (PNG, JPEG, GIF, WebP).
 *
 * @example
 * DOCUMENT_UPLOAD_LIMITS.maxBytes //=> 10000000
 */
export const DOCUMENT_UPLOAD_LIMITS: UploadLimits = Object.freeze({
  maxBytes: 10_000_000,
  mediaTypes: Object.freeze(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const),
})

const UPLOAD_LIMIT_KINDS: OptionKinds<UploadLimits> = { maxBytes: 'number', mediaTypes: 'array' }

const TYPE_NAMES: Record<SniffedMediaType, string> = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP' }

/**
 * Checks an uploaded file against `limits` and answers its media type, read from its bytes.
 *
 * @example
 * checkUpload(new TextEncoder().encode('%PDF-1.7\n...'), DOCUMENT_UPLOAD_LIMITS) //=> 'application/pdf'
 * @throws EcoleError `INVALID_INPUT` naming `file`: empty, larger than `limits.maxBytes` (both sizes
 * given), or of a type that is not accepted (the accepted ones listed); naming the key of `limits`
 * when it is not an object, has an unknown or misspelt key (`maxbytes`: did you mean `maxBytes`?),
 * a `maxBytes` that is not a number or a media type the library cannot recognise.
 */
export function checkUpload(bytes: Uint8Array, limits: UploadLimits): SniffedMediaType {
  if (limits === undefined) throw EcoleError.invalidInput('limits', 'must be { maxBytes, mediaTypes }, got undefined', { function: 'checkUpload' })
  limits = checkOptions<UploadLimits>('checkUpload', 'limits', limits, UPLOAD_LIMIT_KINDS)
  const unknownType = limits.mediaTypes.findIndex((m) => !sniffable.has(m))
  if (unknownType >= 0) {
    throw EcoleError.invalidInput(`limits.mediaTypes.${unknownType}`, `must be one of ${[...sniffable].join(', ')}`, { function: 'checkUpload' })
  }
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw EcoleError.invalidInput('file', 'is empty: choose a file to upload')
  if (bytes.length > limits.maxBytes) {
    throw EcoleError.invalidInput('file', `has ${bytes.length} bytes; at most ${limits.maxBytes} bytes are accepted`, { sizeBytes: bytes.length, maxBytes: limits.maxBytes })
  }
  const type = sniffDocumentType(bytes)
  const accepted: readonly SniffedMediaType[] = limits.mediaTypes
  if (type === undefined || !accepted.includes(type)) {
    throw EcoleError.invalidInput('file', `must be a ${accepted.map((m) => TYPE_NAMES[m]).join(', ')} file (its bytes are ${type ? `a ${TYPE_NAMES[type]}` : 'none of these'})`, { mediaType: type ?? null })
  }
  return type
}

/**
 * Uploads a document from the back office (seed 001 « Documents » of a family's file, or a group
 * document): the media type is read from the bytes and checked with the size against `limits`
 * (default {@link DOCUMENT_UPLOAD_LIMITS}), then the document is added as by
 * {@link addPortalDocument} (counted against the storage licence, serialised per site).
 *
 * @example
 * const r = await uploadPortalDocument(storage, { siteId: 's1', input: { id: 'd1', name: 'Certificat', key: 's1/d1', audience: { kind: 'guardian', guardianId: 'g1' }, available: { from: '2027-01-20' } }, bytes })
 * if (!r.ok) console.log(r.refusal.usedBytes, r.refusal.addedBytes, r.refusal.limitBytes)
 * @throws EcoleError `INVALID_INPUT` naming `file` (empty, too large, type not accepted) or the record's field.
 */
export async function uploadPortalDocument(
  storage: StoragePorts,
  args: UploadPortalDocumentArgs,
): Promise<AddDocumentResult> {
  try {
    checkOptions<UploadPortalDocumentArgs>('uploadPortalDocument', 'args', args, UPLOAD_KINDS)
    const mediaType = checkUpload(args.bytes, args.limits ?? DOCUMENT_UPLOAD_LIMITS)
    return await addPortalDocument(storage, { siteId: args.siteId, input: { ...args.input, mediaType }, bytes: args.bytes })
  } catch (error) {
    throw asUseCaseError(error, 'uploadPortalDocument', { storage: [storage, 'object', 'the storage’s ports'], args: [args, 'object', 'the upload ({ siteId, input, bytes })'] })
  }
}

/**
 * Changes the days a stored document is shown on the portal (its bytes and everything else kept).
 *
 * @example
 * await changeDocumentWindow(storage, { siteId: 's1', documentId: 'd1', available: { from: '2027-01-20', to: '2027-06-30' } })
 * @throws EcoleError `NOT_FOUND` for an unknown document; `INVALID_INPUT` naming `document.available.to` when it is before `from`.
 */
export async function changeDocumentWindow(
  storage: StoragePorts,
  args: DocumentWindowArgs,
): Promise<PortalDocument> {
  try {
    checkOptions<DocumentWindowArgs>('changeDocumentWindow', 'args', args, WINDOW_KINDS)
    checkOptions<DocumentWindowArgs['available']>('changeDocumentWindow', 'args.available', args.available, AVAILABLE_KINDS)
    return await storage.transaction(args.siteId, async (tx) => {
      if (!tx.documents) throw new EcoleError('PORT_MISSING', 'changeDocumentWindow needs the documents storage port', { details: { port: 'documents' } })
      const previous = await tx.documents.getDocument(args.siteId, args.documentId)
      const bytes = previous ? await tx.documents.readDocumentBytes(args.siteId, args.documentId) : undefined
      if (!previous || !bytes) throw new EcoleError('NOT_FOUND', `document ${JSON.stringify(args.documentId)} does not exist`, { details: { documentId: args.documentId } })
      const record = parseInput(PortalDocumentSchema, { ...previous, available: { from: args.available.from, to: args.available.to || undefined } }, 'document')
      await tx.documents.putDocument(args.siteId, record, bytes)
      return record
    })
  } catch (error) {
    throw asUseCaseError(error, 'changeDocumentWindow', { storage: [storage, 'object', 'the storage’s ports'], args: [args, 'object', 'the document and its window ({ siteId, documentId, available })'] })
  }
}

/**
 * Deletes a stored document (its bytes leave the storage licence's count); answers the deleted
 * record, `undefined` when there was none. A site logo or a school's logo or stamp is removed
 * with {@link removeSiteImage} instead, so that nothing points at missing bytes.
 *
 * @example
 * await removePortalDocument(storage, { siteId: 's1', documentId: 'd1' })
 * @throws EcoleError `INVALID_INPUT` naming `documentId` for the bytes of a site or school image.
 */
export async function removePortalDocument(storage: StoragePorts, args: PortalDocumentRef): Promise<PortalDocument | undefined> {
  try {
    checkOptions<PortalDocumentRef>('removePortalDocument', 'args', args, REF_KINDS)
    return await storage.transaction(args.siteId, async (tx) => {
      if (!tx.documents) throw new EcoleError('PORT_MISSING', 'removePortalDocument needs the documents storage port', { details: { port: 'documents' } })
      const previous = await tx.documents.getDocument(args.siteId, args.documentId)
      if (!previous) return undefined
      if (previous.id.startsWith(IMAGE_PREFIX)) {
        throw EcoleError.invalidInput('documentId', `${previous.id} is an image of the site or a school: remove it with removeSiteImage`, { documentId: previous.id })
      }
      await tx.documents.deleteDocument(args.siteId, args.documentId)
      return previous
    })
  } catch (error) {
    throw asUseCaseError(error, 'removePortalDocument', { storage: [storage, 'object', 'the storage’s ports'], args: [args, 'object', 'the document ({ siteId, documentId })'] })
  }
}

const IMAGE_PREFIX = 'image-'

/**
 * Where an image of the back office goes: the site's logo (seed 000), or a school's logo or stamp
 * (seed 003).
 *
 * @example
 * const target: ImageTarget = { use: 'schoolStamp', schoolId: 'ecole-jaures' }
 */
export type ImageTarget = { use: 'siteLogo' } | { use: 'schoolLogo' | 'schoolStamp'; schoolId: string }

/** The document id an image is stored under. */
function imageDocumentId(target: ImageTarget): string {
  return target.use === 'siteLogo' ? `${IMAGE_PREFIX}site-logo` : `${IMAGE_PREFIX}${target.use === 'schoolLogo' ? 'logo' : 'stamp'}-${target.schoolId}`
}

/** What {@link putSiteImage} answers. */
export type PutImageResult =
  | { ok: true; image: ImageRef; document: PortalDocument }
  | { ok: false; refusal: { code: 'STORAGE_QUOTA_EXCEEDED'; usedBytes: number; addedBytes: number; limitBytes: number } }

/**
 * Uploads the site's logo or a school's logo or stamp: its type (from the bytes) and size are
 * checked against `IMAGE_LIMITS` of its use; the bytes are stored through the documents port as
 * an `internal` document (never shown on the portal, counted in the storage licence, replacing the
 * previous image) and the site or school record points at them, in one transaction.
 *
 * @example
 * await putSiteImage(storage, { siteId: 's1', target: { use: 'schoolStamp', schoolId: 'ecole-jaures' }, bytes: png, name: 'tampon.png', today: '2027-01-20' })
 * @throws EcoleError `INVALID_INPUT` naming `file` (empty, too large, type not accepted), `NOT_FOUND` for an unknown site or school.
 */
export async function putSiteImage(
  storage: StoragePorts,
  args: PutSiteImageArgs,
): Promise<PutImageResult> {
  try {
    checkOptions<PutSiteImageArgs>('putSiteImage', 'args', args, PUT_IMAGE_KINDS)
    const limit = IMAGE_LIMITS[args.target.use]
    const mediaType = checkUpload(args.bytes, { maxBytes: limit.maxBytes, mediaTypes: limit.mediaTypes.filter((m): m is SniffedMediaType => sniffable.has(m)) })
    const id = imageDocumentId(args.target)
    const image: ImageRef = { key: `${args.siteId}/images/${id}`, mediaType, sizeBytes: args.bytes.length }
    const record = parseInput(PortalDocumentSchema, {
      id, siteId: args.siteId, name: args.name.trim() || id, key: image.key, mediaType, sizeBytes: args.bytes.length, audience: { kind: 'internal' }, available: { from: args.today },
    }, 'document')
    return await storage.transaction(args.siteId, async (tx) => {
      if (!tx.directory || !tx.documents) throw new EcoleError('PORT_MISSING', 'putSiteImage needs the directory and documents storage ports', { details: { port: tx.directory ? 'documents' : 'directory' } })
      await tx.documents.lockDocumentQuota(args.siteId)
      const site = await tx.directory.getSite(args.siteId)
      if (!site) throw new EcoleError('NOT_FOUND', `site ${JSON.stringify(args.siteId)} does not exist`, { details: { siteId: args.siteId } })
      const school = args.target.use === 'siteLogo' ? undefined : await tx.directory.getDirectoryRecord(args.siteId, 'school', args.target.schoolId)
      if (args.target.use !== 'siteLogo' && !school) throw new EcoleError('NOT_FOUND', `school ${JSON.stringify(args.target.schoolId)} does not exist`, { details: { schoolId: args.target.schoolId } })
      const previous = await tx.documents.getDocument(args.siteId, id)
      const quota = checkStorageQuota({ usedBytes: (await tx.documents.usedBytes(args.siteId)) - (previous?.sizeBytes ?? 0), addedBytes: record.sizeBytes, maxStorageGb: site.licence.maxStorageGb })
      if (!quota.ok) return { ok: false, refusal: quota.refusal }
      await tx.documents.putDocument(args.siteId, record, args.bytes)
      if (school) {
        const out = setSchoolImage(school, args.target.use === 'schoolLogo' ? 'logo' : 'stamp', image)
        if (!out.ok) throw EcoleError.invalidInput('file', out.refusal.code === 'IMAGE_REFUSED' ? out.refusal.reasons.map((r) => r.code).join(', ') : out.refusal.code)
        await tx.directory.putDirectoryRecord(args.siteId, 'school', out.school)
      } else {
        await tx.directory.putSite(args.siteId, { ...site, logo: image })
      }
      return { ok: true, image, document: record }
    })
  } catch (error) {
    throw asUseCaseError(error, 'putSiteImage', { storage: [storage, 'object', 'the storage’s ports'], args: [args, 'object', 'the image ({ siteId, target, bytes, name, today })'] })
  }
}

const sniffable = new Set<string>(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'])

/**
 * Removes the site's logo or a school's logo or stamp: the record no longer points at it and its
 * bytes leave the storage (and the licence's count). Answers whether there was one.
 *
 * @example
 * await removeSiteImage(storage, { siteId: 's1', target: { use: 'siteLogo' } }) //=> true
 * @throws EcoleError `NOT_FOUND` for an unknown site or school; `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function removeSiteImage(storage: StoragePorts, args: SiteImageRef): Promise<boolean> {
  try {
    checkOptions<SiteImageRef>('removeSiteImage', 'args', args, IMAGE_REF_KINDS)
    const id = imageDocumentId(args.target)
    return await storage.transaction(args.siteId, async (tx) => {
      if (!tx.directory || !tx.documents) throw new EcoleError('PORT_MISSING', 'removeSiteImage needs the directory and documents storage ports', { details: { port: tx.directory ? 'documents' : 'directory' } })
      const site = await tx.directory.getSite(args.siteId)
      if (!site) throw new EcoleError('NOT_FOUND', `site ${JSON.stringify(args.siteId)} does not exist`, { details: { siteId: args.siteId } })
      let had: boolean
      if (args.target.use === 'siteLogo') {
        had = site.logo !== null
        if (had) await tx.directory.putSite(args.siteId, { ...site, logo: null })
      } else {
        const school = await tx.directory.getDirectoryRecord(args.siteId, 'school', args.target.schoolId)
        if (!school) throw new EcoleError('NOT_FOUND', `school ${JSON.stringify(args.target.schoolId)} does not exist`, { details: { schoolId: args.target.schoolId } })
        const use = args.target.use === 'schoolLogo' ? 'logo' : 'stamp'
        had = school[use] !== null
        if (had) await tx.directory.putDirectoryRecord(args.siteId, 'school', removeSchoolImage(school, use))
      }
      const deleted = await tx.documents.deleteDocument(args.siteId, id)
      return had || deleted
    })
  } catch (error) {
    throw asUseCaseError(error, 'removeSiteImage', { storage: [storage, 'object', 'the storage’s ports'], args: [args, 'object', 'the image ({ siteId, target })'] })
  }
}

/**
 * The bytes of the site's logo or a school's logo or stamp, with their media type, to print on a
 * PDF (`issuer.logo` of `@ecole/pdf`); `undefined` when there is none.
 *
 * @example
 * const logo = await readSiteImage(storage, { siteId: 's1', target: { use: 'siteLogo' } })
 */
export async function readSiteImage(storage: StoragePorts, args: SiteImageRef): Promise<{ bytes: Uint8Array; mediaType: string } | undefined> {
  try {
    checkOptions<SiteImageRef>('readSiteImage', 'args', args, IMAGE_REF_KINDS)
    if (!storage.documents) throw new EcoleError('PORT_MISSING', 'readSiteImage needs the documents storage port', { details: { port: 'documents' } })
    const id = imageDocumentId(args.target)
    const record = await storage.documents.getDocument(args.siteId, id)
    const bytes = record ? await storage.documents.readDocumentBytes(args.siteId, id) : undefined
    return record && bytes ? { bytes, mediaType: record.mediaType } : undefined
  } catch (error) {
    throw asUseCaseError(error, 'readSiteImage', { storage: [storage, 'object', 'the storage’s ports'], args: [args, 'object', 'the image ({ siteId, target })'] })
  }
}

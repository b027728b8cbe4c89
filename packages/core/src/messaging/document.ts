import * as z from 'zod'
import { EcoleError } from '../errors'
import { LocalDateSchema, inRange, type LocalDate } from '../time'
import { RecordIdSchema, optionalString, optionalText, requiredString } from '../directory/fields'
import { asInputError } from '../input-error'
import { checkOptions, type OptionKinds } from '../check-options'
import { describeValue } from '../describe-value'

/**
 * Who a document is for (seed 001): one guardian, one child, the whole site, or groups (structures
 * or classes, by id); `internal` is the back office's own file (a site logo, a school's stamp):
 * stored and counted in the storage licence like the others, never shown on the portal.
 */
export const DocumentAudienceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('guardian'), guardianId: RecordIdSchema }),
  z.strictObject({ kind: z.literal('child'), childId: RecordIdSchema }),
  z.strictObject({ kind: z.literal('site') }),
  z.strictObject({ kind: z.literal('groups'), groupIds: z.array(RecordIdSchema).min(1, 'must name at least one structure or group') }),
  z.strictObject({ kind: z.literal('internal') }),
])
/** Who a document is for. */
export type DocumentAudience = z.output<typeof DocumentAudienceSchema>

/**
 * Schema of a document's record (the bytes are in the document store under `key`): name,
 * description, audience, and the days it is available on the portal.
 *
 * @example
 * PortalDocumentSchema.parse({ id: 'd1', siteId: 's1', name: 'Menus de septembre', key: 's1/d1.pdf', mediaType: 'application/pdf', sizeBytes: 81234, audience: { kind: 'site' }, available: { from: '2026-09-01', to: '2026-09-30' } })
 */
export const PortalDocumentSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** Name shown on the portal. */
  name: requiredString(200),
  /** Description. */
  description: optionalString(1000),
  /** Where the bytes are stored. */
  key: requiredString(500),
  /** Media type. */
  mediaType: requiredString(100),
  /** Size in bytes (counted against the site's storage licence). */
  sizeBytes: z.number().int().nonnegative(),
  /** Who it is for. */
  audience: DocumentAudienceSchema,
  /** Days it is shown on the portal (inclusive; open-ended when `to` is absent). */
  available: z
    .strictObject({ from: LocalDateSchema, to: optionalText(LocalDateSchema) })
    .refine((v) => v.to === undefined || v.from <= v.to, { message: 'must be on or after from', path: ['to'] }),
})
/** A document record as its form sends it. */
export type PortalDocumentInput = z.input<typeof PortalDocumentSchema>
/** A document record. */
export type PortalDocument = z.output<typeof PortalDocumentSchema>

/** A portal viewer: a guardian, and their children with their groups on the day. */
export interface DocumentViewer {
  /** The guardian. */
  guardianId: string
  /** Their children and each child's groups (structure and class ids) on the day. */
  children: ReadonlyArray<{ childId: string; groupIds: readonly string[] }>
}

/**
 * The documents a guardian sees on the portal on `today`: available that day, and addressed to
 * them, to one of their children, to the whole site, or to a group of one of their children.
 *
 * @example
 * documentsForGuardian(docs, { guardianId: 'marie', children: [{ childId: 'lea', groupIds: ['sc1', 'cpa'] }] }, '2026-09-15')
 */
export function documentsForGuardian(documents: readonly PortalDocument[], viewer: DocumentViewer, today: LocalDate): PortalDocument[] {
  try {
    const childIds = new Set(viewer.children.map((c) => c.childId))
    const groups = new Set(viewer.children.flatMap((c) => c.groupIds))
    return documents.filter((d) => {
      if (!inRange(today, d.available)) return false
      const a = d.audience
      switch (a.kind) {
        case 'guardian':
          return a.guardianId === viewer.guardianId
        case 'child':
          return childIds.has(a.childId)
        case 'site':
          return true
        case 'groups':
          return a.groupIds.some((g) => groups.has(g))
        case 'internal':
          return false
        default: {
          const never: never = a
          return never
        }
      }
    })
  } catch (error) {
    throw asInputError(error, 'documentsForGuardian', {
      documents: [documents, 'array', 'the portal documents'],
      viewer: [viewer, 'object', 'the viewer ({ guardianId, children })'],
      today: [today, 'date', 'the day'],
    })
  }
}

/**
 * Which documents a listing keeps (`DocumentStore.listDocuments`): those whose audience is of one
 * of `audienceKinds`, and, with `addressedTo`, those addressed to one of these guardians or
 * children (a family's file: its guardians and children). Both given: both must hold.
 *
 * @example
 * const familyFile: DocumentFilter = { addressedTo: { guardianIds: ['g1', 'g2'], childIds: ['k1'] } }
 */
export interface DocumentFilter {
  /** Keep only these kinds of audience. */
  audienceKinds?: ReadonlyArray<DocumentAudience['kind']> | undefined
  /** Keep only the documents of these guardians or children. */
  addressedTo?: { guardianIds: readonly string[]; childIds: readonly string[] } | undefined
}

/** The keys a {@link DocumentFilter} may have (an adapter refuses any other). */
export const DOCUMENT_FILTER_KEYS: readonly string[] = Object.freeze(['audienceKinds', 'addressedTo'])

/**
 * Checks a {@link DocumentFilter} before an adapter compiles it: no unknown key, audience kinds
 * among the known ones, ids as arrays of strings.
 *
 * @example
 * checkDocumentFilter({ audienceKinds: ['groups'] }) // passes
 * checkDocumentFilter({ guardianId: 'g1' } as never) // throws INVALID_INPUT naming filter.guardianId
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function checkDocumentFilter(filter: DocumentFilter | undefined): void {
  if (filter === undefined) return
  if (typeof filter !== 'object' || filter === null) throw EcoleError.invalidInput('filter', 'must be an object')
  for (const key of Object.keys(filter)) {
    if (!DOCUMENT_FILTER_KEYS.includes(key)) throw EcoleError.invalidInput(`filter.${key}`, `is not a document filter key (${DOCUMENT_FILTER_KEYS.join(', ')})`)
  }
  const kinds = new Set<string>(DOCUMENT_AUDIENCE_KINDS)
  if (filter.audienceKinds !== undefined) {
    if (!Array.isArray(filter.audienceKinds) || filter.audienceKinds.some((k) => !kinds.has(k))) {
      throw EcoleError.invalidInput('filter.audienceKinds', `must be a list of ${DOCUMENT_AUDIENCE_KINDS.join(', ')}`)
    }
  }
  if (filter.addressedTo !== undefined) {
    const a = filter.addressedTo
    const ids = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string')
    if (typeof a !== 'object' || a === null || !ids(a.guardianIds) || !ids(a.childIds)) {
      throw EcoleError.invalidInput('filter.addressedTo', 'must be { guardianIds: string[], childIds: string[] }')
    }
  }
}

/**
 * The kinds of document audience, in the schema's order.
 *
 * @example
 * DOCUMENT_AUDIENCE_KINDS.includes('internal') //=> true
 */
export const DOCUMENT_AUDIENCE_KINDS = ['guardian', 'child', 'site', 'groups', 'internal'] as const satisfies ReadonlyArray<DocumentAudience['kind']>

/**
 * Whether a document passes a {@link DocumentFilter} (what adapters without a query language
 * apply while listing).
 *
 * @example
 * matchesDocumentFilter(doc, { audienceKinds: ['guardian', 'child'] })
 * @throws EcoleError `INVALID_INPUT` naming the field when the document or the filter is not one.
 */
export function matchesDocumentFilter(document: PortalDocument, filter: DocumentFilter | undefined): boolean {
  if (typeof document !== 'object' || document === null || typeof document.audience !== 'object' || document.audience === null) throw EcoleError.invalidInput('document.audience', 'must be a document with its audience')
  if (!filter) return true
  if (typeof filter !== 'object') throw EcoleError.invalidInput('filter', 'must be a document filter')
  if (filter.audienceKinds !== undefined && !Array.isArray(filter.audienceKinds)) throw EcoleError.invalidInput('filter.audienceKinds', 'must be a list of audience kinds')
  if (filter.addressedTo !== undefined && (typeof filter.addressedTo !== 'object' || filter.addressedTo === null || !Array.isArray(filter.addressedTo.guardianIds) || !Array.isArray(filter.addressedTo.childIds))) {
    throw EcoleError.invalidInput('filter.addressedTo', 'must name guardianIds and childIds')
  }
  const a = document.audience
  if (filter.audienceKinds && !filter.audienceKinds.includes(a.kind)) return false
  if (filter.addressedTo) {
    if (a.kind === 'guardian') return filter.addressedTo.guardianIds.includes(a.guardianId)
    if (a.kind === 'child') return filter.addressedTo.childIds.includes(a.childId)
    return false
  }
  return true
}

/** What {@link sniffDocumentType} recognises. */
export type SniffedMediaType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'

/**
 * The media type of a file from its first bytes (its signature), never from its name or what a
 * browser claims: PDF, PNG, JPEG, GIF or WebP; `undefined` for anything else (an SVG, an HTML
 * page, an executable renamed `.pdf`).
 *
 * @example
 * sniffDocumentType(new TextEncoder().encode('%PDF-1.7\n')) //=> 'application/pdf'
 * sniffDocumentType(new TextEncoder().encode('<svg/>')) //=> undefined
 * @throws EcoleError `INVALID_INPUT` when `bytes` is not a `Uint8Array`.
 */
export function sniffDocumentType(bytes: Uint8Array): SniffedMediaType | undefined {
  if (!(bytes instanceof Uint8Array)) throw EcoleError.invalidInput('bytes', 'must be a Uint8Array')
  const starts = (sig: readonly number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b)
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf' // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (starts([0x47, 0x49, 0x46, 0x38, 0x37, 0x61]) || starts([0x47, 0x49, 0x46, 0x38, 0x39, 0x61])) return 'image/gif'
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'
  return undefined
}

/** Bytes in a GB of the storage licence (decimal gigabytes, 10^9 bytes). */
export const BYTES_PER_GB = 1_000_000_000

/** What {@link checkStorageQuota} answers. */
export type StorageQuotaCheck =
  | { ok: true; remainingBytes: number | null }
  | { ok: false; refusal: { code: 'STORAGE_QUOTA_EXCEEDED'; usedBytes: number; addedBytes: number; limitBytes: number } }

/** The sizes {@link checkStorageQuota} compares. */
type StorageQuotaArgs = Parameters<typeof checkStorageQuota>[0]

// `maxStorageGb` is a number or `null`: checked by `checkQuotaArgs`
const QUOTA_ARG_KINDS: OptionKinds<StorageQuotaArgs> = { usedBytes: 'number', addedBytes: 'number', maxStorageGb: 'any' }

function checkQuotaArgs(args: unknown): StorageQuotaArgs {
  if (args === undefined) throw EcoleError.invalidInput('args', 'must be an object ({ usedBytes, addedBytes, maxStorageGb }), got undefined', { function: 'checkStorageQuota' })
  const checked = checkOptions<StorageQuotaArgs>('checkStorageQuota', 'args', args, QUOTA_ARG_KINDS)
  const max: unknown = checked.maxStorageGb
  if (max === null || (typeof max === 'number' && Number.isFinite(max) && max >= 0)) return checked
  const message = `must be a number of GB from 0, or null for no limit, got ${describeValue(max)}`
  throw new EcoleError('INVALID_INPUT', `checkStorageQuota: args.maxStorageGb: ${message}`, {
    details: { function: 'checkStorageQuota', issues: [{ path: 'args.maxStorageGb', code: 'invalid_type', message }] },
  })
}

/**
 * Whether a new document of `addedBytes` fits in the site's storage licence (`maxStorageGb`,
 * `null` = unlimited) given what is already stored.
 *
 * @example
 * checkStorageQuota({ usedBytes: 999_900_000, addedBytes: 200_000, maxStorageGb: 1 })
 * //=> { ok: false, refusal: { code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: 999900000, addedBytes: 200000, limitBytes: 1000000000 } }
 * @throws EcoleError `INVALID_INPUT` naming the key when `args` has a misspelt key (`maxStorageGB`),
 *   a size that is not a number or a limit that is neither a number from 0 nor `null` (`'0'`).
 */
export function checkStorageQuota(args: { usedBytes: number; addedBytes: number; maxStorageGb: number | null }): StorageQuotaCheck {
  try {
    args = checkQuotaArgs(args)
    if (args.maxStorageGb === null) return { ok: true, remainingBytes: null }
    const limitBytes = Math.round(args.maxStorageGb * BYTES_PER_GB)
    const after = args.usedBytes + args.addedBytes
    if (after > limitBytes) return { ok: false, refusal: { code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: args.usedBytes, addedBytes: args.addedBytes, limitBytes } }
    return { ok: true, remainingBytes: limitBytes - after }
  } catch (error) {
    throw asInputError(error, 'checkStorageQuota', { args: [args, 'object', 'the sizes ({ usedBytes, addedBytes, maxStorageGb })'] })
  }
}

/**
 * Total bytes of a site's documents.
 *
 * @example
 * storageUsed([{ sizeBytes: 10 }, { sizeBytes: 32 }]) //=> 42
 */
export function storageUsed(documents: ReadonlyArray<{ sizeBytes: number }>): number {
  try {
    return documents.reduce((sum, d) => sum + d.sizeBytes, 0)
  } catch (error) {
    throw asInputError(error, 'storageUsed', { documents: [documents, 'array', 'the documents ({ sizeBytes })'] })
  }
}

/**
 * Whether a document is shown on the portal on a day.
 *
 * @example
 * isDocumentAvailable(menu, '2026-10-01') //=> false
 */
export function isDocumentAvailable(document: Pick<PortalDocument, 'available'>, today: LocalDate): boolean {
  try {
    return inRange(today, document.available)
  } catch (error) {
    throw asInputError(error, 'isDocumentAvailable', { document: [document, 'object', 'a portal document'], today: [today, 'date', 'the day'] })
  }
}

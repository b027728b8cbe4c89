import * as z from 'zod'
import { LocalDateSchema, inRange, type LocalDate } from '../time'
import { RecordIdSchema, optionalString, optionalText, requiredString } from '../directory/fields'

/**
 * Who a document is for (seed 001): one guardian, one child, the whole site, or groups (structures
 * or classes, by id).
 */
export const DocumentAudienceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('guardian'), guardianId: RecordIdSchema }),
  z.strictObject({ kind: z.literal('child'), childId: RecordIdSchema }),
  z.strictObject({ kind: z.literal('site') }),
  z.strictObject({ kind: z.literal('groups'), groupIds: z.array(RecordIdSchema).min(1, 'must name at least one structure or group') }),
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
      default: {
        const never: never = a
        return never
      }
    }
  })
}

/** Bytes in a GB of the storage licence (decimal gigabytes, 10^9 bytes). */
export const BYTES_PER_GB = 1_000_000_000

/** What {@link checkStorageQuota} answers. */
export type StorageQuotaCheck =
  | { ok: true; remainingBytes: number | null }
  | { ok: false; refusal: { code: 'STORAGE_QUOTA_EXCEEDED'; usedBytes: number; addedBytes: number; limitBytes: number } }

/**
 * Whether a new document of `addedBytes` fits in the site's storage licence (`maxStorageGb`,
 * `null` = unlimited) given what is already stored.
 *
 * @example
 * checkStorageQuota({ usedBytes: 999_900_000, addedBytes: 200_000, maxStorageGb: 1 })
 * //=> { ok: false, refusal: { code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: 999900000, addedBytes: 200000, limitBytes: 1000000000 } }
 */
export function checkStorageQuota(args: { usedBytes: number; addedBytes: number; maxStorageGb: number | null }): StorageQuotaCheck {
  if (args.maxStorageGb === null) return { ok: true, remainingBytes: null }
  const limitBytes = Math.round(args.maxStorageGb * BYTES_PER_GB)
  const after = args.usedBytes + args.addedBytes
  if (after > limitBytes) return { ok: false, refusal: { code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: args.usedBytes, addedBytes: args.addedBytes, limitBytes } }
  return { ok: true, remainingBytes: limitBytes - after }
}

/**
 * Total bytes of a site's documents.
 *
 * @example
 * storageUsed([{ sizeBytes: 10 }, { sizeBytes: 32 }]) //=> 42
 */
export function storageUsed(documents: ReadonlyArray<{ sizeBytes: number }>): number {
  return documents.reduce((sum, d) => sum + d.sizeBytes, 0)
}

/**
 * Whether a document is shown on the portal on a day.
 *
 * @example
 * isDocumentAvailable(menu, '2026-10-01') //=> false
 */
export function isDocumentAvailable(document: Pick<PortalDocument, 'available'>, today: LocalDate): boolean {
  return inRange(today, document.available)
}

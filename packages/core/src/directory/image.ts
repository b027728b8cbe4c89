import { EcoleError } from '../errors'
import { expectInteger, expectString } from '../describe-value'
import * as z from 'zod'
import { requiredString } from './fields'

/** What an image of a site or school is used as; each use has its own limits. */
export type ImageUse = 'siteLogo' | 'schoolLogo' | 'schoolStamp'

/** The media types and maximum size accepted for one {@link ImageUse}. */
export interface ImageLimit {
  /** Accepted media types. */
  mediaTypes: readonly string[]
  /** Largest accepted file, in bytes. */
  maxBytes: number
}

/**
 * Limits of the images a site or an establishment uploads: logos in PNG, JPEG, GIF or WebP up to
 * 1 MiB; a stamp (cachet, printed on certificates) in PNG or JPEG up to 512 KiB. SVG is refused:
 * it can carry scripts.
 */
export const IMAGE_LIMITS: Readonly<Record<ImageUse, ImageLimit>> = Object.freeze({
  siteLogo: { mediaTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'], maxBytes: 1024 * 1024 },
  schoolLogo: { mediaTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'], maxBytes: 1024 * 1024 },
  schoolStamp: { mediaTypes: ['image/png', 'image/jpeg'], maxBytes: 512 * 1024 },
})

/**
 * Schema of a reference to a stored image (the bytes live in the document store under `key`).
 *
 * @example
 * ImageRefSchema.parse({ key: 'sites/s1/logo.png', mediaType: 'image/png', sizeBytes: 20480 })
 */
export const ImageRefSchema = z.strictObject({
  /** Where the bytes are stored (document store key). */
  key: requiredString(500),
  /** Media type, e.g. `image/png`. */
  mediaType: z.string().trim().toLowerCase(),
  /** Size of the file in bytes. */
  sizeBytes: z.number().int().nonnegative(),
})
/** A reference to a stored image. */
export type ImageRef = z.output<typeof ImageRefSchema>

/** Why an image is refused. */
export type ImageRefusal =
  | { code: 'IMAGE_TYPE_NOT_ALLOWED'; mediaType: string; allowed: readonly string[] }
  | { code: 'IMAGE_TOO_LARGE'; sizeBytes: number; maxBytes: number }

/**
 * Checks an image against the limits of its use ({@link IMAGE_LIMITS}); returns every reason it is
 * refused (empty when accepted). A media type is compared case-insensitively.
 *
 * @example
 * checkImage('schoolStamp', { mediaType: 'image/gif', sizeBytes: 600_000 })
 * //=> [{ code: 'IMAGE_TYPE_NOT_ALLOWED', ... }, { code: 'IMAGE_TOO_LARGE', sizeBytes: 600000, maxBytes: 524288 }]
 */
export function checkImage(use: ImageUse, image: { mediaType: string; sizeBytes: number }): ImageRefusal[] {
  const limit = typeof use === 'string' && Object.hasOwn(IMAGE_LIMITS, use) ? IMAGE_LIMITS[use] : undefined
  if (limit === undefined) throw EcoleError.invalidInput('use', `must be one of ${Object.keys(IMAGE_LIMITS).join(', ')}`)
  if (typeof image !== 'object' || image === null) throw EcoleError.invalidInput('image', 'must be { mediaType, sizeBytes }')
  expectString(image.mediaType, 'image.mediaType')
  expectInteger(image.sizeBytes, 'image.sizeBytes', 0)
  const refusals: ImageRefusal[] = []
  const type = image.mediaType.trim().toLowerCase()
  if (!limit.mediaTypes.includes(type)) refusals.push({ code: 'IMAGE_TYPE_NOT_ALLOWED', mediaType: type, allowed: limit.mediaTypes })
  if (image.sizeBytes > limit.maxBytes) refusals.push({ code: 'IMAGE_TOO_LARGE', sizeBytes: image.sizeBytes, maxBytes: limit.maxBytes })
  return refusals
}

import { asInputError, EcoleError, IMAGE_LIMITS, type ImageUse } from '@ecole/core'
import * as z from 'zod'

/**
 * Schema of an image printed on a document (a logo, a stamp): its bytes, as read from the
 * document store. Only PNG and JPEG can be embedded in a PDF; the type is read from the bytes
 * themselves, never trusted from a file name.
 *
 * @example
 * ImageInputSchema.parse({ bytes: pngBytes })
 */
export const ImageInputSchema = z.object({ bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'must be the image bytes (a Uint8Array or Buffer)') })

/**
 * An image printed on a document.
 *
 * @example
 * const logo: ImageInput = { bytes: readFileSync('logo.png') }
 */
export type ImageInput = z.output<typeof ImageInputSchema>

/**
 * The kinds of image a PDF embeds.
 *
 * @example
 * const kind: ImageKind | undefined = sniffImage(bytes)
 */
export type ImageKind = 'png' | 'jpeg'

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
}

/**
 * What an image's bytes are: a PNG with a readable header (signature, IHDR, non-zero size), a
 * JPEG with a frame header, or `undefined` for anything else (GIF, SVG, text, a truncated file).
 *
 * @example
 * sniffImage(new TextEncoder().encode('<svg/>')) //=> undefined
 */
export function sniffImage(bytes: Uint8Array): ImageKind | undefined {
  try {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
    if (bytes.length >= 33 && png.every((v, i) => bytes[i] === v)) {
      const ihdr = String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!)
      if (ihdr === 'IHDR' && u32(bytes, 16) > 0 && u32(bytes, 20) > 0) return 'png'
      return undefined
    }
    if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
      // look for a start-of-frame marker (SOF0..SOF15 but DHT, JPG, DAC)
      let i = 2
      while (i + 4 <= bytes.length) {
        if (bytes[i] !== 0xff) return undefined
        const marker = bytes[i + 1]!
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return 'jpeg'
        const length = (bytes[i + 2]! << 8) | bytes[i + 3]!
        if (length < 2) return undefined
        i += 2 + length
      }
      return undefined
    }
    return undefined
  } catch (error) {
    throw asInputError(error, 'sniffImage', { bytes: [bytes, 'bytes', 'the image bytes'] })
  }
}

/**
 * Checks an image before any byte of a document is written: PNG or JPEG (read from the bytes),
 * within the size limit of its use (`IMAGE_LIMITS` of `@ecole/core`: 1 MiB for a logo, 512 KiB
 * for a stamp).
 *
 * @example
 * checkPrintImage(logo, 'siteLogo', 'issuer.logo') // passes, or throws naming issuer.logo
 * @throws EcoleError `INVALID_INPUT` naming `field`, with `details.refusal` `IMAGE_TYPE_NOT_ALLOWED` or `IMAGE_TOO_LARGE`.
 */
export function checkPrintImage(image: ImageInput, use: ImageUse, field: string): ImageKind {
  try {
    const limit = IMAGE_LIMITS[use]
    if (image.bytes.length > limit.maxBytes) {
      throw new EcoleError('INVALID_INPUT', `${field}: the image has ${image.bytes.length} bytes, at most ${limit.maxBytes} are allowed`, {
        details: { field, refusal: 'IMAGE_TOO_LARGE', sizeBytes: image.bytes.length, maxBytes: limit.maxBytes },
      })
    }
    const kind = sniffImage(image.bytes)
    if (!kind || (use === 'schoolStamp' && !['png', 'jpeg'].includes(kind))) {
      throw new EcoleError('INVALID_INPUT', `${field}: must be a PNG or JPEG image (the bytes are not one)`, { details: { field, refusal: 'IMAGE_TYPE_NOT_ALLOWED' } })
    }
    return kind
  } catch (error) {
    throw asInputError(error, 'checkPrintImage', { image: [image, 'object', 'the image ({ bytes })'], use: [use, 'string', 'the image\'s use (siteLogo, schoolStamp...)'], field: [field, 'string', 'the field to name'] })
  }
}

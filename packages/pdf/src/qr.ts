import { asInputError } from '@ecole/core'
import QRCode from 'qrcode'
import type { Layout } from './layout'

/**
 * Draws a QR code of `text` as vector squares (sharp at any zoom, a few hundred bytes), error
 * correction level M as EPC069-12 requires, with `x`, `y` the top-left of the code and `size` its
 * side in points (the quiet zone is left around it, blank). The text is encoded as UTF-8 bytes.
 *
 * @example
 * drawQr(layout, epcQr.payload(input), 420, 600, 110)
 */
export function drawQr(layout: Layout, text: string, x: number, y: number, size: number): void {
  try {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
    const n = qr.modules.size
    const cell = size / n
    const doc = layout.doc
    const data = qr.modules.data
    for (let row = 0; row < n; row++) {
      let col = 0
      while (col < n) {
        if (!data[row * n + col]) {
          col++
          continue
        }
        let end = col
        while (end < n && data[row * n + end]) end++
        doc.rect(x + col * cell, y + row * cell, (end - col) * cell, cell)
        col = end
      }
    }
    doc.fillColor('black').fill()
  } catch (error) {
    throw asInputError(error, 'drawQr', { layout: [layout, 'object', 'the layout being drawn'], text: [text, 'string', 'the text to encode'], x: [x, 'number'], y: [y, 'number'], size: [size, 'number'] })
  }
}

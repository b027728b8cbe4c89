import { describe, expect, it } from 'vitest'
import { documentFonts } from './fonts'
import { renderPdfBytes } from './renderer'
import { infoSheetRequest } from './test-support/fixtures'
import { pdfText } from './test-support/tools'

describe('embedded fonts', () => {
  it('have the accented Latin letters, the euro sign and the narrow no-break space amounts are written with', () => {
    const { regular, bold } = documentFonts()
    for (const ch of 'éèêëàâäîïôöùûüçÉÈÎÔœŒæÆ€\u202f\u00a0’–«»ÁÍÓÚñÑìò') {
      expect(regular.hasGlyphForCodePoint(ch.codePointAt(0)!), ch).toBe(true)
      expect(bold.hasGlyphForCodePoint(ch.codePointAt(0)!), ch).toBe(true)
    }
  })

  it('keep copied text right in later documents: a letter first met inside a composite glyph (the I of Î) is still text', async () => {
    // the issuer's name "Îlot" puts the bold Î (an I plus a circumflex) in every document before its headings
    for (let i = 0; i < 3; i++) {
      const text = pdfText(await renderPdfBytes({ kind: 'infoSheet', data: { ...infoSheetRequest(), sections: ['identity', 'enrolments'] } }))
      expect(text).toContain('Identité')
      expect(text).toContain('Inscriptions et prestations')
    }
  })
})

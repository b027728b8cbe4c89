import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { canDraw, documentFonts } from './fonts'
import { checkPrintable, notXmlCharacter, printableProblem } from './printable'

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`

describe('which texts a document can print', () => {
  it('prints Latin with its accents, Greek, Cyrillic, typographic punctuation and the currency signs', () => {
    for (const text of [
      'Marie-Hélène Dupont-Lefèvre', 'Hélène-Françoise de la Tour d’Auvergne', 'Gaëlle Lœwenbrück', 'Ludovic Ørsted-Nuñez', 'Zoë Kowalska-Łukasiewicz', 'Štěpán Dvořák', 'Şükrü Gündoğdu', 'Ærøskøbing', 'Weiß ẞ',
      'Γιώργος Παπαδόπουλος', 'Αθηνά Ιωαννίδου', 'Анна Каренина', 'Олександр Шевченко', 'Їжак Ґанок', 'Ђорђе Петровић',
      '« Repas de midi » — 4,15 €', '“quoted” ‘single’ „German“ ‹›', '12 000 € ₽ £ ¥ № 1…', 'e\u0301te\u0301 (accents typed apart)',
    ]) {
      expect(printableProblem(text), text).toBeUndefined()
    }
  })

  it('refuses every C0 control character, DEL and every C1 control character in a one-line text, naming it by its code point', () => {
    const controls = [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f, ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i)]
    for (const cp of controls) {
      const problem = printableProblem(`Léa${String.fromCharCode(cp)}Dupont`)
      expect(problem, hex(cp)).toBeDefined()
      expect(problem).toContain(hex(cp))
    }
    expect(printableProblem('Léa\u000bDupont\u0002')).toBe('must not contain the control character U+000B (pasted from another program?)')
    expect(printableProblem('Léa\nDupont')).toBe('must be on one line (a line break U+000A was found)')
  })

  it('lets a multi-line text break lines with LF or CR LF, and nothing else: a tab, a lone CR, a vertical tab are refused', () => {
    expect(printableProblem('Première ligne\nDeuxième ligne', 'multiline')).toBeUndefined()
    expect(printableProblem('Première ligne\r\nDeuxième ligne\r\n', 'multiline')).toBeUndefined()
    expect(printableProblem('a\tb', 'multiline')).toContain('U+0009')
    expect(printableProblem('a\rb', 'multiline')).toContain('not a lone CR U+000D')
    expect(printableProblem('a\u000bb', 'multiline')).toContain('U+000B')
  })

  it('refuses a lone surrogate and the noncharacters U+FFFE and U+FFFF, which XML 1.0 refuses', () => {
    expect(printableProblem('Zoë \ud83e')).toContain('lone surrogate U+D83E')
    expect(printableProblem('\udc00 Zoë')).toContain('lone surrogate U+DC00')
    expect(printableProblem('Zoë \ufffe')).toContain('U+FFFE, which is not a character')
    expect(printableProblem('Zoë \uffff')).toContain('U+FFFF, which is not a character')
  })

  it('refuses a character the embedded fonts cannot draw, naming its code point and the character itself', () => {
    expect(printableProblem('王小明')).toBe('cannot print U+738B 王: the embedded fonts (DejaVu Sans) have no glyph for it; documents print Latin, Greek and Cyrillic text')
    expect(printableProblem('Repas 🍽️')).toMatch(/^cannot print U\+1F37D 🍽: /)
    expect(printableProblem('Zoë 🦄 Kowalska')).toMatch(/^cannot print U\+1F984 🦄: /)
    expect(printableProblem('김민준')).toMatch(/^cannot print U\+AE40 김: /)
    expect(printableProblem('さくら')).toMatch(/^cannot print U\+3055 さ: /)
    expect(printableProblem('अनन्या')).toMatch(/^cannot print U\+0905 अ: /)
  })

  it('refuses right-to-left scripts (Hebrew, Arabic) and the bidirectional controls, saying they are not supported yet', () => {
    for (const [text, first] of [['محمد بن علي', 0x0645], ['דוד כהן', 0x05d3], ['Léa \u202eDupont', 0x202e], ['Léa \u200fDupont', 0x200f], ['ﻣﺤﻤﺪ', 0xfee3]] as const) {
      const problem = printableProblem(text)
      expect(problem, text).toContain(`cannot print ${hex(first)}`)
      expect(problem).toContain('right-to-left scripts (Hebrew, Arabic...) and bidirectional controls are not supported yet')
    }
  })

  it('names the first character that cannot be printed', () => {
    expect(printableProblem('Léa 王 \u000b')).toContain('U+738B')
    expect(printableProblem('Léa \u000b 王')).toContain('U+000B')
  })

  it('holds an identifier (written in the XML, never printed) to the control-character and XML rules only', () => {
    expect(printableProblem('ligne-王-1', 'identifier')).toBeUndefined()
    expect(printableProblem('ligne\u000b1', 'identifier')).toContain('U+000B')
    expect(printableProblem('ligne\ud800', 'identifier')).toContain('lone surrogate')
  })

  it('checkPrintable throws INVALID_INPUT naming the field and the character', () => {
    expect(checkPrintable('Léa', 'invoice.names.k1')).toBe('Léa')
    try {
      checkPrintable('王小明', 'invoice.names.k1')
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
      expect((e as Error).message).toMatch(/^\[ecole\] invoice\.names\.k1: cannot print U\+738B 王/)
      expect((e as { details: { issues: Array<{ path: string }> } }).details.issues[0]!.path).toBe('invoice.names.k1')
    }
  })

  it('the fonts draw exactly the code points both faces map: canDraw agrees with fontkit for every character of the Basic Multilingual Plane', () => {
    const { regular, bold } = documentFonts()
    for (let cp = 0; cp < 0x10000; cp++) {
      if (canDraw(cp) !== (regular.hasGlyphForCodePoint(cp) && bold.hasGlyphForCodePoint(cp))) expect.fail(hex(cp))
    }
    expect(canDraw(0x1f600)).toBe(regular.hasGlyphForCodePoint(0x1f600) && bold.hasGlyphForCodePoint(0x1f600))
  })

  it('accepts a directory of names in accented Latin, Greek and Cyrillic, each one (its speed is measured in pdf.bench.ts)', () => {
    const names = Array.from({ length: 1_000 }, (_, i) => `Hélène-Françoise Ωμέγα Жанна ${i}`)
    expect(names.filter((n) => printableProblem(n) !== undefined)).toEqual([])
  })
})

describe('notXmlCharacter (the Factur-X writer’s last line of defence)', () => {
  it('names the first character XML 1.0 refuses, and accepts tab, LF, CR and every other character', () => {
    expect(notXmlCharacter('Léa Dupont\t\n\r 王 🦄 محمد')).toBeUndefined()
    expect(notXmlCharacter('Léa\u000bDupont\u0002')).toBe('U+000B')
    expect(notXmlCharacter('Léa \ud83e')).toBe('U+D83E')
    expect(notXmlCharacter('Léa \uffff')).toBe('U+FFFF')
  })
})

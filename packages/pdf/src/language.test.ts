import { describe, expect, it } from 'vitest'
import { colon, label, LABELS, LANGUAGES } from './language'

describe('colon between a label and its value', () => {
  it('puts a no-break space before the colon in French, so "Montant : 12,45 €" never breaks before the colon', () => {
    expect(colon('fr')).toBe('\u00a0: ')
    expect(`${label('fr', 'compartment')}${colon('fr')}Cantine`).toBe('Compartiment\u00a0: Cantine')
  })

  it('puts no space before the colon in English, Italian and Dutch', () => {
    expect(`${label('en', 'compartment')}${colon('en')}Canteen`).toBe('Compartment: Canteen')
    expect(`${label('it', 'compartment')}${colon('it')}Mensa`).toBe('Scomparto: Mensa')
    expect(`${label('nl', 'compartment')}${colon('nl')}Refter`).toBe('Compartiment: Refter')
  })

  it('no fixed text puts an ordinary space before a colon: French puts a no-break space there, the other languages nothing', () => {
    for (const language of LANGUAGES) {
      for (const [key, entry] of Object.entries(LABELS)) {
        const text: string = entry[language]
        expect(text, `${key}.${language}`).not.toMatch(/ :/)
        expect(text, `${key}.${language}`).not.toMatch(language === 'fr' ? /[^\u00a0]:/ : /\s:/)
      }
    }
  })
})

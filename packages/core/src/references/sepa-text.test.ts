import { describe, expect, it } from 'vitest'
import { isSepaText, toSepaText } from './index'

describe('toSepaText', () => {
  it('drops accents and spells out ligatures by the EPC best practice by default', () => {
    expect(toSepaText('Hélène Œuvre-Müller')).toBe('Helene OEuvre-Muller')
    expect(toSepaText('François Ærø Çà')).toBe('Francois AEro Ca')
  })

  it('spells out typographic ligatures and the letters the EPC table writes as two (ﬁ, ﬂ, Ĳ) and drops the middle dot of Ŀ', () => {
    expect(toSepaText('ﬁnance ﬂeur')).toBe('finance fleur')
    expect(toSepaText('Ĳsbrand ĳs')).toBe('IJsbrand ijs')
    expect(toSepaText('Ŀlívia paŀlèt')).toBe('Llivia pallet')
    expect(toSepaText('Ｃantine ½')).toBe('Cantine 1/2')
  })

  it('writes umlauts as AE/OE/UE and ß as ss in the German style', () => {
    expect(toSepaText('Hélène Œuvre-Müller', { style: 'german' })).toBe('Helene OEuvre-Mueller')
    expect(toSepaText('Straße Öl Äpfel', { style: 'german' })).toBe('Strasse OEl AEpfel')
    expect(toSepaText('Straße')).toBe('Strase')
  })

  it('converts quotes, dashes and the ampersand, and unknown characters to a full stop', () => {
    expect(toSepaText('L’école « Les Pins » — cantine & garderie')).toBe("L'ecole ' Les Pins ' - cantine + garderie")
    expect(toSepaText('a@b#c')).toBe('a.b.c')
    expect(toSepaText('a@b', { replacement: ' ' })).toBe('a b')
  })

  it('collapses white space, trims and cuts to the maximum length', () => {
    expect(toSepaText('  Jean\t\n  Dupont  ')).toBe('Jean Dupont')
    expect(toSepaText('Cantine & garderie — mars', { maxLength: 20 })).toBe('Cantine + garderie -')
  })

  it('leaves SEPA text as it is', () => {
    const s = "Ecole Saint-Joseph (cantine) 03/2026 ref: 1+2?"
    expect(isSepaText(s)).toBe(true)
    expect(toSepaText(s)).toBe(s)
  })

  it('handles decomposed input (NFD) like composed input', () => {
    expect(toSepaText('He\u0301le\u0300ne')).toBe('Helene')
  })
})

import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { Money } from '../money'
import { epcQr } from './index'

const base = { bic: 'GKCCBEBB', name: 'Ecole Saint-Joseph', iban: 'BE15 7326 6455 4630' }

function issuePaths(f: () => unknown): string[] {
  try {
    f()
  } catch (e) {
    if (isEcoleError(e) && e.code === 'INVALID_INPUT') return (e.details.issues as Array<{ path: string }>).map((i) => i.path)
    throw e
  }
  throw new Error('expected an EcoleError')
}

describe('epcQr.payload (EPC069-12 version 002)', () => {
  it('writes the twelve lines in order, the OGM as twelve digits, with nothing after the last value', () => {
    const p = epcQr.payload({ ...base, amount: '6.00', reference: '+++123/4567/89002+++' })
    expect(p.split('\n')).toEqual(['BCD', '002', '1', 'SCT', 'GKCCBEBB', 'Ecole Saint-Joseph', 'BE15732664554630', 'EUR6.00', '', '123456789002'])
    expect(p.endsWith('\n')).toBe(false)
  })

  it('writes an RF reference in electronic form', () => {
    const p = epcQr.payload({ ...base, amount: { amount: '12.5', currency: 'EUR' }, reference: 'rf18 5390 0754 7034' })
    expect(p.split('\n').slice(7)).toEqual(['EUR12.50', '', 'RF18539007547034'])
  })

  it('puts unstructured text on line 11 and information on line 12, keeping empty lines in place', () => {
    const p = epcQr.payload({ name: 'Ecole', iban: 'BE15732664554630', text: 'Cantine mars', information: 'Merci' })
    expect(p.split('\n')).toEqual(['BCD', '002', '1', 'SCT', '', 'Ecole', 'BE15732664554630', '', '', '', 'Cantine mars', 'Merci'])
  })

  it('writes a purpose code on line 9', () => {
    expect(epcQr.payload({ ...base, amount: Money.of('1', 'EUR'), purpose: 'GDDS' }).split('\n').slice(7)).toEqual(['EUR1.00', 'GDDS'])
  })

  it('accepts EUR 0.01 and EUR 999999999.99, refuses 0.00, 1000000000.00, fractions of a cent and other currencies', () => {
    expect(epcQr.payload({ ...base, amount: '0.01' }).split('\n')[7]).toBe('EUR0.01')
    expect(epcQr.payload({ ...base, amount: '999999999.99' }).split('\n')[7]).toBe('EUR999999999.99')
    for (const amount of ['0.00', '1000000000.00', '12.345', { amount: '5', currency: 'CHF' }, '-1', '1e3']) {
      expect(issuePaths(() => epcQr.payload({ ...base, amount: amount as string }))).toEqual(['epcQr.amount'])
    }
  })

  it('refuses a structured reference together with text, naming the text field', () => {
    expect(issuePaths(() => epcQr.payload({ ...base, reference: 'RF18539007547034', text: 'cantine' }))).toEqual(['epcQr.text'])
  })

  it('refuses a reference that is neither an OGM nor an RF', () => {
    expect(issuePaths(() => epcQr.payload({ ...base, reference: 'INV-2026-42' }))).toEqual(['epcQr.reference'])
  })

  it('names each field over its length: name 70, text 140, information 70', () => {
    expect(issuePaths(() => epcQr.payload({ ...base, name: 'x'.repeat(71), text: 'y'.repeat(141), information: 'z'.repeat(71) }))).toEqual([
      'epcQr.name',
      'epcQr.text',
      'epcQr.information',
    ])
  })

  it('names a bad IBAN, a bad BIC and a missing name', () => {
    expect(issuePaths(() => epcQr.payload({ bic: 'GKCC1EBB', name: ' ', iban: 'BE16732664554630' }))).toEqual(['epcQr.bic', 'epcQr.name', 'epcQr.iban'])
  })

  it('accepts exactly 331 bytes and refuses 333 (UTF-8 bytes, not characters)', () => {
    // fixed part: BCD 002 1 SCT (10) + empty BIC + IBAN 16 + EUR1.00 (7) + 10 line feeds = 43 bytes
    const name = 'é'.repeat(70) // 140 bytes
    const ok = epcQr.payload({ name, iban: 'BE15732664554630', amount: '1.00', text: 'é'.repeat(74) }) // 148 bytes
    expect(new TextEncoder().encode(ok).length).toBe(331)
    try {
      epcQr.payload({ name, iban: 'BE15732664554630', amount: '1.00', text: 'é'.repeat(75) })
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code === 'EPC_QR_TOO_LONG' && e.details.bytes === 333).toBe(true)
    }
  })
})

import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { ogmDigitsArb, rfArb } from '@ecole/testing'
import { isEcoleError } from '../errors'
import { epcQr } from './index'

const inputArb = fc.record({
  name: fc.string({ minLength: 1, maxLength: 70, unit: fc.constantFrom(...'abcdeéèüœ ABC-.') }).filter((s) => s.trim().length > 0),
  cents: fc.bigInt({ min: 1n, max: 99_999_999_999n }),
  reference: fc.option(fc.oneof(ogmDigitsArb(), rfArb()), { nil: undefined }),
  information: fc.option(fc.string({ maxLength: 70, unit: fc.constantFrom(...'abc ÄÖ') }), { nil: undefined }),
})

test.prop([inputArb])('a payload has the EPC header, at most 12 lines and 331 bytes, or is refused as too long', (v) => {
  const amount = `${v.cents / 100n}.${String(v.cents % 100n).padStart(2, '0')}`
  try {
    const p = epcQr.payload({ name: v.name, iban: 'BE15732664554630', amount, reference: v.reference, information: v.information })
    const lines = p.split('\n')
    expect(lines.slice(0, 4)).toEqual(['BCD', '002', '1', 'SCT'])
    expect(lines.length).toBeLessThanOrEqual(12)
    expect(new TextEncoder().encode(p).length).toBeLessThanOrEqual(331)
    expect(lines[7]).toBe(`EUR${amount}`)
    if (v.reference !== undefined) expect(lines[9]).toBe(v.reference)
    expect(lines[lines.length - 1]).not.toBe('')
  } catch (e) {
    expect(isEcoleError(e) && e.code === 'EPC_QR_TOO_LONG').toBe(true)
  }
})

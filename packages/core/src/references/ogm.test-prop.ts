import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { ogmBaseArb, ogmDigitsArb, ogmSpellingArb, remittanceTextArb } from '@ecole/testing'
import { ogm } from './index'

/** Independent oracle: a twelve-digit OGM is valid when its last two digits = first ten mod 97 (0 -> 97). */
function oracleValid(d: string): boolean {
  if (!/^\d{12}$/.test(d)) return false
  const r = Number(BigInt(d.slice(0, 10)) % 97n)
  return Number(d.slice(10)) === (r === 0 ? 97 : r)
}

test.prop([ogmBaseArb()])('every generated communication is valid and carries its base', (base) => {
  const printed = ogm.generate(base)
  expect(printed).toMatch(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/)
  expect(ogm.isValid(printed)).toBe(true)
  expect(ogm.normalize(printed).slice(0, 10)).toBe(base)
  expect(oracleValid(ogm.normalize(printed))).toBe(true)
})

test.prop([ogmSpellingArb()])('every accepted spelling normalises to the same twelve digits and formats back', ({ digits, text }) => {
  expect(ogm.normalize(text)).toBe(digits)
  expect(ogm.normalize(ogm.format(text))).toBe(digits)
  expect(ogm.format(ogm.format(text))).toBe(ogm.format(text))
})

test.prop([ogmDigitsArb(), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 })])(
  'any single-digit change is caught',
  (d, pos, delta) => {
    const changed = d.slice(0, pos) + String((Number(d[pos]) + delta) % 10) + d.slice(pos + 1)
    expect(ogm.isValid(changed)).toBe(false)
  },
)

test.prop([ogmDigitsArb(), fc.integer({ min: 0, max: 10 })])('any transposition of two different adjacent digits is caught', (d, pos) => {
  fc.pre(d[pos] !== d[pos + 1])
  const swapped = d.slice(0, pos) + d[pos + 1] + d[pos] + d.slice(pos + 2)
  expect(ogm.isValid(swapped)).toBe(false)
})

test.prop([fc.string({ unit: fc.constantFrom(...'0123456789/+* '), maxLength: 24 })])('isValid agrees with the BigInt oracle on digit soup', (s) => {
  const compact = s.replace(/\s+/g, '')
  const m = /^(?:[+*]{1,3})?(\d{3})\/?(\d{4})\/?(\d{5})(?:[+*]{1,3})?$/.exec(compact)
  expect(ogm.isValid(s)).toBe(m !== null && oracleValid(`${m[1]}${m[2]}${m[3]}`))
})

test.prop([ogmSpellingArb(), remittanceTextArb(), remittanceTextArb()])('findIn finds a communication embedded in random text', ({ digits, text }, before, after) => {
  const found = ogm.findIn(`${before} ${text} ${after}`)
  expect(found).toContain(digits)
  for (const f of found) expect(oracleValid(f)).toBe(true)
})

test.prop([fc.bigInt({ min: 0n, max: 999_999_999n }), fc.constantFrom('+++', '***'), remittanceTextArb(), remittanceTextArb()])(
  'findIn finds a communication whose leading zeros were dropped when it stands between +++ or ***, and returns only valid ones',
  (base, mark, before, after) => {
    const digits = ogm.normalize(ogm.generate(String(base).padStart(10, '0')))
    const short = digits.replace(/^0+/, '')
    fc.pre(short.length >= 10)
    const text = `${mark}${short.slice(0, -9)}/${short.slice(-9, -5)}/${short.slice(-5)}${mark}`
    const found = ogm.findIn(`${before} ${text} ${after}`)
    expect(found).toContain(digits)
    for (const f of found) expect(oracleValid(f)).toBe(true)
  },
)

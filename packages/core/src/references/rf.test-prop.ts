import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { remittanceTextArb, rfArb, rfBodyArb } from '@ecole/testing'
import { rf } from './index'

/** Independent oracle: (body + 'RF' + check digits, letters A=10..Z=35) mod 97 = 1, check in 02..98. */
function oracleValid(s: string): boolean {
  const m = /^RF(\d{2})([A-Z0-9]{1,21})$/.exec(s)
  if (!m) return false
  const n = BigInt([...`${m[2]}RF${m[1]}`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join(''))
  return n % 97n === 1n && Number(m[1]) >= 2 && Number(m[1]) <= 98
}

test.prop([rfBodyArb()])('every generated reference is valid and ends with its body', (body) => {
  const r = rf.generate(body)
  expect(oracleValid(r)).toBe(true)
  expect(rf.isValid(r)).toBe(true)
  expect(r.slice(4)).toBe(body)
})

test.prop([rfArb()])('the generator agrees with the independently built references', (r) => {
  expect(rf.generate(r.slice(4))).toBe(r)
})

test.prop([rfArb()])('format and normalize round-trip, in any case', (r) => {
  expect(rf.normalize(rf.format(r))).toBe(r)
  expect(rf.normalize(rf.format(r).toLowerCase())).toBe(r)
  expect(rf.format(rf.format(r))).toBe(rf.format(r))
  expect(rf.format(r)).toMatch(/^(?:[A-Z0-9]{4} )*[A-Z0-9]{1,4}$/)
})

test.prop([rfArb({ numeric: true }), fc.integer({ min: 2, max: 24 }), fc.integer({ min: 1, max: 9 })])('any single-digit change is caught', (r, p, delta) => {
  const pos = 2 + (p % (r.length - 2))
  const changed = r.slice(0, pos) + String((Number(r[pos]) + delta) % 10) + r.slice(pos + 1)
  expect(rf.isValid(changed)).toBe(false)
})

test.prop([rfArb({ numeric: true }), fc.integer({ min: 2, max: 24 })])('any transposition of two different adjacent digits is caught', (r, p) => {
  // positions 2 .. length-2: check digits and body (r.length >= 5, so there are at least two)
  const pos = 2 + (p % (r.length - 3))
  fc.pre(r[pos] !== r[pos + 1])
  const swapped = r.slice(0, pos) + r[pos + 1] + r[pos] + r.slice(pos + 2)
  expect(rf.isValid(swapped)).toBe(false)
})

test.prop([fc.string({ unit: fc.constantFrom(...'RF0123456789ABZ '), maxLength: 30 })])('isValid agrees with the BigInt oracle', (s) => {
  expect(rf.isValid(s)).toBe(oracleValid(s.replace(/\s+/g, '').toUpperCase()))
})

test.prop([rfArb(), fc.boolean(), remittanceTextArb(), remittanceTextArb()])(
  'findIn finds a reference embedded in random text, in print or electronic form',
  (r, print, before, after) => {
    const found = rf.findIn(`${before} ${print ? rf.format(r) : r.toLowerCase()}, ${after}`)
    expect(found).toContain(r)
    for (const f of found) expect(oracleValid(f)).toBe(true)
  },
)

test.prop([rfArb(), fc.constantFrom(' ', '-', '/', '.'), fc.boolean(), remittanceTextArb(), remittanceTextArb()])(
  'findIn finds a reference grouped by fours with spaces, dashes, slashes or dots, with or without a gap after RF',
  (r, gap, spaced, before, after) => {
    const groups = rf.format(r).split(' ')
    const head = spaced ? `RF${gap}${groups[0]!.slice(2)}` : groups[0]!
    const found = rf.findIn(`${before} ${[head, ...groups.slice(1)].join(gap)}, ${after}`)
    expect(found).toContain(r)
    for (const f of found) expect(oracleValid(f)).toBe(true)
  },
)

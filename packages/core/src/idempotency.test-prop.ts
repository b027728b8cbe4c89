import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { contentDifferences } from './idempotency'

const leaf = fc.oneof(fc.string(), fc.bigInt(), fc.integer(), fc.boolean(), fc.constant(null))
const record = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !k.includes('.') && k !== '__proto__'), fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }).filter((k) => !k.includes('.') && k !== '__proto__'), leaf)))

test.prop([record])('a record never differs from a deep copy of itself', (r) => {
  expect(contentDifferences(r, structuredClone(r))).toEqual([])
})

test.prop([record, fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !k.includes('.') && k !== '__proto__'), leaf])(
  'changing one top-level field to a new value is reported as exactly that field',
  (r, key, value) => {
    fc.pre(r[key] !== value)
    expect(contentDifferences(r, { ...r, [key]: value })).toEqual([key])
  },
)

test.prop([record, record])('differences are symmetric', (a, b) => {
  expect(contentDifferences(a, b)).toEqual(contentDifferences(b, a))
})

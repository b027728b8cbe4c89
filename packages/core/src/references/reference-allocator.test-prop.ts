import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { referenceSpaceArb } from '@ecole/testing'
import { defineReferenceSpace, identifyPaymentReference, invoicePaymentReference, ogm, pagoPa, rf, walletPaymentReference } from './index'

const spaceAndNumbers = referenceSpaceArb().chain((input) => {
  const max = 10n ** BigInt(defineReferenceSpace(input).sequenceDigits) - 1n
  return fc.tuple(fc.constant(input), fc.bigInt({ min: 0n, max }), fc.bigInt({ min: 0n, max }))
})

test.prop([spaceAndNumbers])('an allocated reference is valid in its scheme and identifies its wallet or invoice', ([space, a]) => {
  for (const [kind, r] of [['wallet', walletPaymentReference(space, a)], ['invoice', invoicePaymentReference(space, a)]] as const) {
    const valid = space.scheme === 'ogm' ? ogm.isValid(r.display) : space.scheme === 'rf' ? rf.isValid(r.display) : pagoPa.isValidNotice(r.display)
    expect(valid).toBe(true)
    expect(identifyPaymentReference(space, r.electronic)).toEqual({ kind, sequence: a })
  }
})

test.prop([spaceAndNumbers])('different numbers or kinds never share a reference', ([space, a, b]) => {
  fc.pre(a !== b)
  const refs = new Set([walletPaymentReference(space, a), walletPaymentReference(space, b), invoicePaymentReference(space, a), invoicePaymentReference(space, b)].map((r) => r.electronic))
  expect(refs.size).toBe(4)
})

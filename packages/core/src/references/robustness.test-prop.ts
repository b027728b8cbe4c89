import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isEcoleError } from '../errors'
import { bic, creditorId, iban, ine, mandateReference, ogm, pagoPa, rf, uai } from './index'

const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: fc.constantFrom(...'0123456789RFrf+*/ -.ZA'), maxLength: 40 }))

test.prop([anyText])('every validator answers true or false for any text, never throws', (s) => {
  for (const f of [ogm.isValid, rf.isValid, pagoPa.isValidNotice, creditorId.isValid, uai.isValid, ine.isValid, iban.isValid, bic.isValid, mandateReference.isValid]) {
    expect(typeof f(s)).toBe('boolean')
  }
  expect(Array.isArray(ogm.findIn(s)) && Array.isArray(rf.findIn(s))).toBe(true)
})

test.prop([anyText])('every normaliser returns a value its validator accepts, or throws an EcoleError', (s) => {
  const pairs: Array<[(x: string) => string, (x: string) => boolean]> = [
    [ogm.normalize, ogm.isValid],
    [rf.normalize, rf.isValid],
    [pagoPa.normalizeNotice, pagoPa.isValidNotice],
    [creditorId.normalize, creditorId.isValid],
    [uai.normalize, uai.isValid],
    [iban.normalize, iban.isValid],
    [bic.normalize, bic.isValid],
  ]
  for (const [normalize, isValid] of pairs) {
    try {
      expect(isValid(normalize(s))).toBe(true)
      expect(isValid(s)).toBe(true)
    } catch (e) {
      if (!isEcoleError(e)) throw e
      expect(isValid(s)).toBe(false)
    }
  }
})

test.prop([anyText])('whatever findIn returns is valid', (s) => {
  for (const d of ogm.findIn(s)) expect(ogm.isValid(d)).toBe(true)
  for (const r of rf.findIn(s)) expect(rf.isValid(r)).toBe(true)
})

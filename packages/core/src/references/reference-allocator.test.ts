import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { defineReferenceSpace, identifyPaymentReference, invoicePaymentReference, ogm, pagoPa, rf, walletPaymentReference } from './index'

const ogmCheck = (base: string): string => {
  const r = Number(BigInt(base) % 97n)
  return String(r === 0 ? 97 : r).padStart(2, '0')
}

function errorOf(f: () => unknown): { code: string; paths: string[] } {
  try {
    f()
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, paths: ((e.details.issues as Array<{ path: string }>) ?? []).map((i) => i.path) }
    throw e
  }
  throw new Error('expected an EcoleError')
}

describe('reference allocator', () => {
  const space = { scheme: 'ogm', siteCode: '042' } as const

  it('gives wallet 17 of site 042 the OGM base 042 1 000017 with its check digits', () => {
    const r = walletPaymentReference(space, 17)
    expect(r.electronic).toBe(`0421000017${ogmCheck('0421000017')}`)
    expect(r.display).toBe(`+++042/1000/017${ogmCheck('0421000017')}+++`)
    expect(r).toMatchObject({ scheme: 'ogm', kind: 'wallet', sequence: 17n })
  })

  it('seed 004: the top-up communication of a wallet never changes, each invoice gets its own', () => {
    const wallet = walletPaymentReference(space, 42)
    const invoices = [1, 2, 3].map((n) => invoicePaymentReference(space, n).display)
    expect(walletPaymentReference(space, 42).display).toBe(wallet.display)
    expect(new Set([wallet.display, ...invoices]).size).toBe(4)
    for (const r of [wallet.display, ...invoices]) expect(r).toMatch(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/)
  })

  it('gives a wallet the same reference every time (a standing order keeps working)', () => {
    expect(walletPaymentReference(space, 17)).toEqual(walletPaymentReference(defineReferenceSpace(space), 17n))
  })

  it('gives invoices the kind digit 2, so an invoice never shares a wallet reference', () => {
    const r = invoicePaymentReference(space, 17)
    expect(r.electronic.slice(0, 10)).toBe('0422000017')
    expect(r.electronic).not.toBe(walletPaymentReference(space, 17).electronic)
  })

  it('refuses a sequence number that does not fit the space', () => {
    expect(invoicePaymentReference(space, 999_999).electronic.slice(0, 10)).toBe('0422999999')
    expect(errorOf(() => invoicePaymentReference(space, 1_000_000)).code).toBe('REFERENCE_SPACE_EXHAUSTED')
    expect(errorOf(() => invoicePaymentReference(space, -1)).code).toBe('INVALID_INPUT')
  })

  it('builds RF references with a configurable sequence width', () => {
    const r = invoicePaymentReference({ scheme: 'rf', siteCode: '042', sequenceDigits: 6 }, 5)
    expect(r.electronic.slice(4)).toBe('0422000005')
    expect(rf.isValid(r.electronic)).toBe(true)
    expect(r.display).toBe(rf.format(r.electronic))
  })

  it('builds pagoPA notices with aux digit 3 and the segregation code of the space', () => {
    const r = walletPaymentReference({ scheme: 'pagoPa', siteCode: '42', segregationCode: '01' }, 5)
    const head = '3' + '01' + '42' + '1' + '0000000005'
    expect(r.electronic).toBe(head + String(BigInt(head) % 93n).padStart(2, '0'))
    expect(pagoPa.isValidNotice(r.electronic)).toBe(true)
  })

  it('refuses a bad space, naming the field', () => {
    expect(errorOf(() => defineReferenceSpace({ scheme: 'ogm', siteCode: '1234567890' })).paths).toEqual(['referenceSpace.siteCode'])
    expect(errorOf(() => defineReferenceSpace({ scheme: 'pagoPa', siteCode: '1' })).paths).toEqual(['referenceSpace.segregationCode'])
    expect(errorOf(() => defineReferenceSpace({ scheme: 'ogm', siteCode: '1', walletKind: '3', invoiceKind: '3' })).paths).toEqual(['referenceSpace.invoiceKind'])
    expect(errorOf(() => defineReferenceSpace({ scheme: 'ogm', siteCode: '1', sequenceDigits: 4 })).paths).toEqual(['referenceSpace.sequenceDigits'])
  })

  it('reads back which wallet or invoice a reference designates, in any spelling', () => {
    const w = walletPaymentReference(space, 17)
    expect(identifyPaymentReference(space, w.display)).toEqual({ kind: 'wallet', sequence: 17n })
    expect(identifyPaymentReference(space, ogm.normalize(w.display).replace(/(\d{3})(\d{4})/, '$1 $2 '))).toEqual({ kind: 'wallet', sequence: 17n })
    expect(identifyPaymentReference(space, invoicePaymentReference(space, 3).display)).toEqual({ kind: 'invoice', sequence: 3n })
  })

  it('does not claim a reference of another site, kind digit or an invalid one', () => {
    const w = walletPaymentReference(space, 17)
    expect(identifyPaymentReference({ scheme: 'ogm', siteCode: '043' }, w.display)).toBeUndefined()
    expect(identifyPaymentReference({ scheme: 'ogm', siteCode: '042', walletKind: '5', invoiceKind: '6' }, w.display)).toBeUndefined()
    expect(identifyPaymentReference(space, '+++042/1000/01700+++')).toBeUndefined()
    expect(identifyPaymentReference({ scheme: 'rf', siteCode: '042' }, w.display)).toBeUndefined()
  })
})

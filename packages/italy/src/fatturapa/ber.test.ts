import { describe, expect, it } from 'vitest'
import { BerError, children, is, oid, readTlv, text, time, value } from './ber'

const bytes = (...b: number[]) => new Uint8Array(b)

describe('the BER reader used to walk signed envelopes', () => {
  it('reads a definite length in the short and the long form', () => {
    const short = readTlv(bytes(0x04, 0x02, 0x61, 0x62))
    expect(short).toMatchObject({ tagClass: 0, tagNumber: 4, constructed: false, valueStart: 2, valueEnd: 4, end: 4 })
    const long = new Uint8Array([0x04, 0x82, 0x01, 0x00, ...new Array<number>(256).fill(0x41)])
    expect(readTlv(long)).toMatchObject({ valueStart: 4, valueEnd: 260, end: 260, indefinite: false })
  })

  it('reads an indefinite length up to its end-of-contents octets, and joins a constructed string', () => {
    // [0] { OCTET STRING (constructed, indefinite) { "ab", "c" } }
    const der = bytes(0xa0, 0x80, 0x24, 0x80, 0x04, 0x02, 0x61, 0x62, 0x04, 0x01, 0x63, 0x00, 0x00, 0x00, 0x00)
    const outer = readTlv(der)
    expect(outer).toMatchObject({ tagClass: 2, tagNumber: 0, indefinite: true, end: der.length })
    const [inner] = children(outer)
    expect(is(inner, 0, 4, true)).toBe(true)
    expect(Buffer.from(value(inner!)).toString()).toBe('abc')
  })

  it('reads a high tag number', () => {
    expect(readTlv(bytes(0x9f, 0x81, 0x00, 0x00)).tagNumber).toBe(128)
  })

  it('refuses an element that runs past its container, an indefinite length without its end, and a cut length', () => {
    expect(() => readTlv(bytes(0x30, 0x05, 0x02, 0x01, 0x00))).toThrow(BerError)
    expect(() => readTlv(bytes(0x30, 0x80, 0x02, 0x01, 0x00))).toThrow(BerError)
    expect(() => readTlv(bytes(0x30, 0x82, 0x01))).toThrow(BerError)
    expect(() => readTlv(bytes(0x04, 0x80, 0x00, 0x00))).toThrow(BerError)
    expect(() => readTlv(bytes())).toThrow(BerError)
    expect(() => children(readTlv(bytes(0x30, 0x03, 0x02, 0x05, 0x00)))).toThrow(BerError)
  })

  it('refuses nesting deeper than 64 levels instead of overflowing the stack', () => {
    const deep = new Uint8Array(2 * 10_000 + 2)
    for (let i = 0; i < 10_000; i++) deep.set([0x30, 0x80], 2 * i)
    expect(() => readTlv(deep)).toThrow(/nested too deep/)
  })

  it('reads object identifiers, and refuses one cut short', () => {
    expect(oid(readTlv(bytes(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02)))).toBe('1.2.840.113549.1.7.2')
    expect(oid(readTlv(bytes(0x06, 0x03, 0x55, 0x04, 0x03)))).toBe('2.5.4.3')
    expect(() => oid(readTlv(bytes(0x06, 0x02, 0x55, 0x84)))).toThrow(BerError)
    expect(() => oid(readTlv(bytes(0x04, 0x01, 0x55)))).toThrow(BerError)
  })

  it('decodes the character strings of certificate names', () => {
    expect(text(readTlv(bytes(0x0c, 0x04, 0x4e, 0xc3, 0xa0, 0x41)))).toBe('NàA')
    expect(text(readTlv(bytes(0x13, 0x02, 0x49, 0x54)))).toBe('IT')
    expect(text(readTlv(bytes(0x1e, 0x04, 0x00, 0xe0, 0x00, 0x42)))).toBe('àB')
    expect(text(readTlv(bytes(0x1c, 0x04, 0x00, 0x00, 0x00, 0x41)))).toBe('A')
    expect(text(readTlv(bytes(0x02, 0x01, 0x00)))).toBeNull()
  })

  it('reads UTCTime (two-digit years: 50-99 are 19xx) and GeneralizedTime as ISO instants', () => {
    const t = (tag: number, s: string) => time(readTlv(new Uint8Array([tag, s.length, ...Buffer.from(s, 'latin1')])))
    expect(t(0x17, '181221155813Z')).toBe('2018-12-21T15:58:13.000Z')
    expect(t(0x17, '991231235959Z')).toBe('1999-12-31T23:59:59.000Z')
    expect(t(0x17, '181221155813+0100')).toBe('2018-12-21T14:58:13.000Z')
    expect(t(0x18, '20491231235959.5Z')).toBe('2049-12-31T23:59:59.500Z')
    expect(t(0x17, 'not a time')).toBeNull()
    expect(t(0x13, '181221155813Z')).toBeNull()
  })
})

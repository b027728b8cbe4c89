import { isEcoleError } from '@ecole/core'
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { parseCamt052 } from './camt/parse-camt-052'
import { parseCamt053 } from './camt/parse-camt-053'
import { parseCamt054 } from './camt/parse-camt-054'
import { parseCoda } from './coda/parse-coda'
import { parseMt940 } from './mt940/parse-mt940'
import { parsePain002 } from './pain/parse-pain-002'
import { fixtureBytes } from './test-support/fixtures'

/** Every parser of bank files, each taking bytes. */
const PARSERS: Array<[string, (input: Uint8Array) => unknown]> = [
  ['parseCamt052', parseCamt052], ['parseCamt053', parseCamt053], ['parseCamt054', parseCamt054], ['parsePain002', parsePain002], ['parseCoda', (b) => parseCoda(b)], ['parseMt940', (b) => parseMt940(b)],
]

/** Parses or refuses with an EcoleError whose message starts with [ecole]; anything else fails the property. */
function onlyEcoleErrors(parse: () => unknown): void {
  try {
    parse()
  } catch (e) {
    if (!isEcoleError(e)) throw new Error(`not an EcoleError: ${String(e)}`, { cause: e })
    expect(e.message.startsWith('[ecole]')).toBe(true)
  }
}

const FILES = [
  'genkgo-camt-camt053.v2.minimal.xml', 'genkgo-camt-camt053.v8.xml', 'genkgo-camt-camt054.v2.xml', 'oca-account-payment-test-sepa-pain-unpaid.pain.002.001.03.xml',
  'moov-iso20022-postfinance-pain002-rjct-1.xml', 'pycoda-Coda_v2_3_single_statement.txt', 'pycoda-Coda_v2_3_globalisation.txt', 'genkgo-camt-camt052.v8.xml',
  'jejik-mt940-abnamro.sta', 'jejik-mt940-rabobank-iban.sta', 'jejik-mt940-triodos.sta',
].map((f) => fixtureBytes(f))

/** A real file with one to four byte edits: a byte changed, bytes removed, random bytes inserted, a slice repeated. */
const mutatedFile = fc.constantFrom(...FILES).chain((file) =>
  fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(40), fc.uint8Array({ maxLength: 8 }), fc.constantFrom('set', 'delete', 'insert', 'repeat')), { minLength: 1, maxLength: 4 }).map((edits) => {
    let bytes = Buffer.from(file)
    for (const [where, len, ins, op] of edits) {
      const at = Math.floor(where * bytes.length)
      if (op === 'set') {
        bytes = Buffer.from(bytes)
        bytes[at] = ins[0] ?? 0
      } else if (op === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + len)])
      else if (op === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), ins, bytes.subarray(at)])
      else bytes = Buffer.concat([bytes.subarray(0, at + len), bytes.subarray(at, at + len), bytes.subarray(at + len)])
    }
    return new Uint8Array(bytes)
  }),
)

/** Random bytes, sometimes behind a byte-order mark or an XML declaration naming an encoding. */
const randomBytes = fc.tuple(
  fc.constantFrom('', '\ufeff', '<?xml version="1.0" encoding="ISO-8859-1"?>', '<?xml version="1.0" encoding="UTF-16"?>', '<?xml version="1.0" encoding="EBCDIC"?>'),
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom(new Uint8Array(), new Uint8Array([0xfe, 0xff]), new Uint8Array([0xff, 0xfe])),
).map(([head, body, bom]) => new Uint8Array(Buffer.concat([bom, Buffer.from(head), body])))

describe('fuzzing every parser: only EcoleError escapes', () => {
  test.prop([mutatedFile], { numRuns: 600, interruptAfterTimeLimit: 20_000 })('a real bank file with random byte edits, given to every parser', (bytes) => {
    for (const [, parse] of PARSERS) onlyEcoleErrors(() => parse(bytes))
  }, 60_000)

  test.prop([randomBytes], { numRuns: 1000, interruptAfterTimeLimit: 10_000 })('random bytes, with or without a byte-order mark or a declared encoding, given to every parser', (bytes) => {
    for (const [, parse] of PARSERS) onlyEcoleErrors(() => parse(bytes))
  }, 60_000)

  test.prop([fc.anything()], { numRuns: 300, interruptAfterTimeLimit: 5_000 })('any JavaScript value, given to every parser', (value) => {
    for (const [, parse] of PARSERS) onlyEcoleErrors(() => parse(value as Uint8Array))
  }, 60_000)
})

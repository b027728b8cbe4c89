import { isEcoleError } from '@ecole/core'
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { codaFile } from '../test-support/coda-records'
import { hasSharedData, sharedText } from '../test-support/shared-data'
import { parseCoda } from './parse-coda'

function parsesOrRefuses(parse: () => unknown): 'parsed' | 'refused' {
  try {
    parse()
    return 'parsed'
  } catch (e) {
    if (!isEcoleError(e)) throw new Error(`not an EcoleError: ${String(e)}`, { cause: e })
    return 'refused'
  }
}

const built = codaFile({
  openingCents: 1000n,
  movements: [
    { seq: 1, bankRef: 'A1', credit: true, cents: 4250n, structured: { type: '101', content: '123456789002' } },
    { seq: 2, bankRef: 'A2', credit: false, cents: 1000n, text: 'cantine' },
  ],
})
const samples = hasSharedData ? [built, sharedText('bank/pycoda-Coda_v2_3_single_statement.txt', 'latin1'), sharedText('bank/pycoda-Coda_v2_3_globalisation.txt', 'latin1')] : [built]

const CODA_CHARS = '0123456789 ABCXYZ+/-.\r\n\u00e9'

describe('parseCoda under fuzzing', () => {
  test.prop([fc.oneof(fc.string(), fc.uint8Array({ maxLength: 600 }), fc.anything())])('any input either parses or is refused with an EcoleError', (input) => {
    expect(['parsed', 'refused']).toContain(parsesOrRefuses(() => parseCoda(input as string)))
  }, 60_000)

  test.prop([fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...CODA_CHARS)), { minLength: 1, maxLength: 4 })], { numRuns: 400 })(
    'a CODA file with a few characters changed either parses or is refused with an EcoleError',
    (file, edits) => {
      const chars = [...file]
      for (const [at, c] of edits) chars[at % chars.length] = c
      expect(['parsed', 'refused']).toContain(parsesOrRefuses(() => parseCoda(chars.join(''))))
    },
    60_000,
  )

  test.prop([fc.array(fc.record({ credit: fc.boolean(), cents: fc.bigInt({ min: 1n, max: 10n ** 12n }) }), { maxLength: 20 }), fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n })])(
    'a statement built with consistent figures parses, and its closing balance is the opening balance plus its movements',
    (moves, opening) => {
      const file = codaFile({ openingCents: opening, movements: moves.map((m, i) => ({ seq: i + 1, bankRef: `R${i}`, credit: m.credit, cents: m.cents })) })
      const [s] = parseCoda(file)
      const expected = moves.reduce((acc, m) => acc + (m.credit ? m.cents : -m.cents), opening)
      expect(s!.balances[1]!.amount.minor).toBe(expected)
      expect(s!.entries.map((e) => e.amount.minor)).toEqual(moves.map((m) => m.cents))
    },
    60_000,
  )
})

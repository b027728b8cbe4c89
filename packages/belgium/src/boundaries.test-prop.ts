import { fc, test } from '@fast-check/vitest'
import { anyArguments, exportedFunctions, foreignError } from '@ecole/testing/arbitraries'
import { describe, expect } from 'vitest'
import * as belgium from './index'

/**
 * Exports that are not input boundaries, each with the reason. Empty: every exported function,
 * static method and namespace member is fuzzed, including those that take values the library
 * built (a tax certificate, the host's wiring): they turn a failure on a wrong value into
 * INVALID_INPUT with asInputError. A new exemption needs a reason here; an entry that no longer
 * exists fails the first test.
 */
const NOT_BOUNDARIES: Record<string, string> = {}

/** Values this package knows: a year, ids, an enterprise number, a national number, a country, a date. */
const known = [2026, 'k1', 'g1', '0123.456.749', '0203.430.576', '85073003328', 'BE', '2026-12-01', 1640n]
const args = anyArguments({ extra: known })

const list = exportedFunctions(belgium, { skip: Object.keys(NOT_BOUNDARIES) })

describe('only EcoleError escapes a public function of @ecole/belgium', () => {
  test('the index exports functions to check (and every allow-listed name still exists)', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name.split('.')[0]! in belgium, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['buildBelcotax28186', 'exportBelcotax28186', 'belcotaxItemKey', 'belcotaxFicheFromCertificate', 'enterpriseNumber.isValid', 'nationalNumber.birthDate']))
  })

  test.each(list)('%s throws nothing but EcoleError, whatever it is given', async (name, f) => {
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const e = await foreignError(f, input)
        if (e !== undefined) throw new Error(`${name}(${input.map((a) => typeof a).join(', ')}) threw ${String(e)}`)
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    )
  })
})

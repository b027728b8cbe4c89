import { fc, test } from '@fast-check/vitest'
import { anyArguments, exportedFunctions, foreignError } from '@ecole/testing/arbitraries'
import { describe, expect } from 'vitest'
import * as france from './index'

/**
 * Exports that are not input boundaries, each with the reason. Empty: every exported function,
 * static method and namespace member is fuzzed, including those that take values the library
 * built (a directory state, an import plan, checked FEC settings, the host's wiring): they turn a
 * failure on a wrong value into INVALID_INPUT with asInputError. A new exemption needs a reason
 * here; an entry that no longer exists fails the first test.
 */
const NOT_BOUNDARIES: Record<string, string> = {}

/** Values this package knows: a SIRET, a SIREN, a UAI, dates, a fiscal period, the start of a SIECLE export. */
const known = ['73282932000074', '123456789', '0750001A', 'EUR', '2026-09-01', 'Œuvre 12 €', { from: '2026-01-01', to: '2026-12-31' },
  '<?xml version="1.0" encoding="ISO-8859-15"?><BEE_ELEVES VERSION="3.3"/>', new Uint8Array([0x3c, 0x3f, 0x78])]
const args = anyArguments({ extra: known })

const list = exportedFunctions(france, { skip: Object.keys(NOT_BOUNDARIES) })

describe('only EcoleError escapes a public function of @ecole/france', () => {
  test('the index exports functions to check (and every allow-listed name still exists)', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name.split('.')[0]! in france, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['buildFec', 'exportFec', 'encodeLatin9', 'isValidSiret', 'buildPesAller', 'parseSiecleExport', 'planSiecleImport']))
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

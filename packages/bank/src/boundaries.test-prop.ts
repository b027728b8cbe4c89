import { fc, test } from '@fast-check/vitest'
import { anyArguments, exportedFunctions, foreignError } from '@ecole/testing/arbitraries'
import { describe, expect } from 'vitest'
import * as bank from './index'

/** Exports that are not input boundaries, with the reason; every other exported function is fuzzed. */
const NOT_BOUNDARIES: Record<string, string> = {}

/** Values this package reads: ISO 20022 XML documents, the start of a CODA file, an empty file. */
const xmlish = ['<Document/>', '<?xml version="1.0"?><Document><BkToCstmrStmt/></Document>', '0000001', '']
const args = anyArguments({ extra: xmlish, maxLength: 3 })

const list = exportedFunctions(bank, { skip: Object.keys(NOT_BOUNDARIES) })

describe('only EcoleError escapes a public function of @ecole/bank', () => {
  test('every allow-listed name is still exported, and there are boundaries to check', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name in bank, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['parseCamt053', 'parseCoda', 'buildPain008']))
  })

  test.each(list)('%s throws nothing but EcoleError, whatever it is given', async (name, f) => {
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const e = await foreignError(f, input)
        if (e !== undefined) throw new Error(`${name}(${input.map((a) => typeof a).join(', ')}) threw ${String(e)}`)
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100) },
    )
  })
})

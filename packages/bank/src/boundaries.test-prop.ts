import { fc, test } from '@fast-check/vitest'
import { isEcoleError } from '@ecole/core'
import { describe, expect } from 'vitest'
import * as bank from './index'

/** Exports that are not input boundaries, with the reason; every other exported function is fuzzed. */
const NOT_BOUNDARIES: Record<string, string> = {}

type Callable = (...args: unknown[]) => unknown
const isClass = (f: Callable) => /^class[\s{]/.test(Function.prototype.toString.call(f))
const isSchema = (v: unknown) => typeof v === 'object' && v !== null && '_zod' in v

const anything = fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withBoxedValues: true })
const xmlish = fc.constantFrom('<Document/>', '<?xml version="1.0"?><Document><BkToCstmrStmt/></Document>', '0000001', '')
const args = fc.array(fc.oneof(anything, xmlish, fc.constantFrom(null, undefined, 10n ** 30n)), { maxLength: 3 })

const list: Array<[string, Callable]> = []
for (const [name, value] of Object.entries(bank as Record<string, unknown>)) {
  if (name in NOT_BOUNDARIES || isSchema(value)) continue
  if (typeof value === 'function' && !isClass(value as Callable)) list.push([name, value as Callable])
}

describe('only EcoleError escapes a public function of @ecole/bank', () => {
  test('every allow-listed name is still exported, and there are boundaries to check', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name in bank, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['parseCamt053', 'parseCoda', 'buildPain008']))
  })

  test.each(list)('%s throws nothing but EcoleError, whatever it is given', async (name, f) => {
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        try {
          await f(...input)
        } catch (e) {
          if (!isEcoleError(e)) throw new Error(`${name}(${input.map((a) => typeof a).join(', ')}) threw ${String(e)}`)
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100) },
    )
  })
})

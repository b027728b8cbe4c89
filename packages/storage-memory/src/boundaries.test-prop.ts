import { fc, test } from '@fast-check/vitest'
import { anyArguments, exportedFunctions, foreignError } from '@ecole/testing/arbitraries'
import { describe, expect } from 'vitest'
import * as memory from './index'

/**
 * Exports that are not input boundaries, each with the reason. Empty: every exported function is
 * fuzzed (`createMemoryStorage` checks its options before it builds anything). A new exemption
 * needs a reason here; an entry that no longer exists fails the first test.
 */
const NOT_BOUNDARIES: Record<string, string> = {}

/** Values this package knows: options with and without capabilities, a capability, an unknown one. */
const known = [{ without: ['documents', 'access'] }, { without: ['nope'] }, { without: 'documents' }, { without: [null] }, 'documents', []]
const args = anyArguments({ extra: known })

const list = exportedFunctions(memory, { skip: Object.keys(NOT_BOUNDARIES) })

describe('only EcoleError escapes a public function of @ecole/storage-memory', () => {
  test('the index exports functions to check (and every allow-listed name still exists)', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name.split('.')[0]! in memory, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['createMemoryStorage']))
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

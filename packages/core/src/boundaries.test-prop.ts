import { fc, test } from '@fast-check/vitest'
import { anyArguments, exportedFunctions, foreignError } from '@ecole/testing/arbitraries'
import { describe, expect } from 'vitest'
import * as core from './index'
import { isEcoleError } from './errors'

/**
 * Exports that are not input boundaries, each with the reason. Empty: every exported function,
 * static method and namespace member is fuzzed, including those that take values the library
 * built (they turn a failure on a wrong value into INVALID_INPUT with asInputError). A new
 * exemption needs a reason here; an entry that no longer exists fails the first test.
 */
const NOT_BOUNDARIES: Record<string, string> = {}

const args = anyArguments({ extra: ['EUR', '2026-03-02'] })

const list = exportedFunctions(core, { skip: Object.keys(NOT_BOUNDARIES) })

describe('only EcoleError escapes a public function of @ecole/core', () => {
  test('the index exports functions to check (and every allow-listed name still exists)', () => {
    expect(list.length).toBeGreaterThan(100)
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name.split('.')[0]! in core, name).toBe(true)
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

describe('the escapes found in issue 12 now fail with EcoleError', () => {
  const codeOf = (f: () => unknown): string => {
    try {
      f()
    } catch (e) {
      if (isEcoleError(e)) return e.code
      throw e
    }
    return 'NO_ERROR'
  }

  test('Money.of(null) is INVALID_AMOUNT, not a TypeError', () => {
    expect(codeOf(() => core.Money.of(null as unknown as string, 'EUR'))).toBe('INVALID_AMOUNT')
  })

  test('formatting an amount with more than 20 decimals keeps every decimal', () => {
    const decimals = `${'1234567890'.repeat(3)}7`
    const amount = `1234.${decimals}`
    expect(core.formatMoney(core.Money.of(amount, 'EUR'), 'en')).toBe(`€1,234.${decimals}`)
    expect(core.formatMoney(core.Money.of(amount, 'EUR'), 'fr-FR')).toBe(`1\u202f234,${decimals}\u00a0€`)
  })

  test('formatting with an empty or unknown locale is INVALID_INPUT naming the locale', () => {
    expect(codeOf(() => core.formatMoney(core.Money.of('1', 'EUR'), ''))).toBe('INVALID_INPUT')
    expect(codeOf(() => core.formatMoney(core.Money.of('1', 'EUR'), 'not a locale!'))).toBe('INVALID_INPUT')
  })

  test('allocation weights that are not integers are INVALID_WEIGHTS', () => {
    expect(codeOf(() => core.allocateMinor(100n, ['1.5' as unknown as number]))).toBe('INVALID_WEIGHTS')
    expect(codeOf(() => core.Money.of('10', 'EUR').allocate([1.5, 1]))).toBe('INVALID_WEIGHTS')
  })

  test('validators and parsers given a bigint answer with EcoleError (or false), never a TypeError from JSON.stringify', () => {
    expect(core.ogm.isValid(12n as unknown as string)).toBe(false)
    expect(codeOf(() => core.ogm.normalize(12n as unknown as string))).toBe('INVALID_OGM')
    expect(codeOf(() => core.rf.format(12n as unknown as string))).toBe('INVALID_RF')
    expect(codeOf(() => core.iban.normalize(12n as unknown as string))).toBe('INVALID_IBAN')
    expect(codeOf(() => core.asLocalDate(12n as unknown as string))).toBe('INVALID_DATE')
  })

  test('a schema parsed through parseInput throws EcoleError, where its own parse throws ZodError', () => {
    expect(() => core.BillingRuleSetSchema.parse([{}])).toThrow()
    expect(codeOf(() => core.parseInput(core.BillingRuleSetSchema, [{}], 'rules'))).toBe('INVALID_INPUT')
  })
})

import { fc, test } from '@fast-check/vitest'
import { Money, isEcoleError } from '@ecole/core'
import { describe, expect } from 'vitest'
import * as arbitraries from './arbitraries/index'
import { anyArguments, exportedFunctions, foreignError, type ExportedFunction } from './arbitraries/index'
import * as root from './index'

/**
 * Exports that are not input boundaries, each with the reason. Empty: every exported function of
 * both entry points (`@ecole/testing` and `@ecole/testing/arbitraries`), static method and
 * namespace member is fuzzed. An arbitrary builder must throw nothing but EcoleError when called,
 * and neither must drawing from what it returns; the conformance runner checks its options before
 * it registers anything. A new exemption needs a reason here; an entry that no longer exists fails
 * the first test.
 */
const NOT_BOUNDARIES: Record<string, string> = {}

const isArbitrary = (v: unknown): v is fc.Arbitrary<unknown> =>
  v instanceof fc.Arbitrary || (typeof v === 'object' && v !== null && typeof (v as { generate?: unknown }).generate === 'function' && typeof (v as { shrink?: unknown }).shrink === 'function')

const args = anyArguments({ extra: [0, 1, -1, 0n, 'EUR', '2026-03-02'] })

/**
 * What a call throws that is not an EcoleError, or undefined. When the call returns an arbitrary,
 * drawing a few values from it counts too: an arbitrary built from bad options must not fail later,
 * at draw time, with a TypeError.
 */
function foreignErrorOrDrawn(f: ExportedFunction, input: unknown[], seed: number): Promise<unknown> {
  return foreignError((...a: unknown[]) => {
    const result = f(...a)
    if (isArbitrary(result)) fc.sample(result, { numRuns: 3, seed })
    return result
  }, input)
}

// the root re-exports the arbitraries: one list of both entry points, each function once
const skip = Object.keys(NOT_BOUNDARIES)
const list: Array<[string, ExportedFunction]> = []
for (const [name, f] of [...exportedFunctions(arbitraries, { skip }), ...exportedFunctions(root, { skip })]) {
  if (!list.some(([other]) => other === name)) list.push([name, f])
}

describe('only EcoleError escapes a public function of @ecole/testing', () => {
  test('both entry points export functions to check (and every allow-listed name still exists)', () => {
    for (const [name, value] of Object.entries(arbitraries)) expect((root as Record<string, unknown>)[name], name).toBe(value)
    expect(list.map(([name]) => name)).toEqual(
      expect.arrayContaining(['eurosArb', 'billingRuleArb', 'postedTransfersArb', 'referenceChargeLines', 'comparableChargeLines', 'runStorageConformance', 'freshSiteId']),
    )
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name.split('.')[0]! in root, name).toBe(true)
  })

  test.each(list)('%s throws nothing but EcoleError, whatever it is given', async (name, f) => {
    await fc.assert(
      fc.asyncProperty(args, fc.integer(), async (input, seed) => {
        const e = await foreignErrorOrDrawn(f, input, seed)
        if (e !== undefined) throw new Error(`${name}(${input.map((a) => typeof a).join(', ')}) threw ${String(e)}`)
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    )
  })
})

describe('bad options fail with INVALID_INPUT at once or when drawn, and good ones draw as before', () => {
  const failure = (f: () => unknown): { code: string; function: unknown; path: unknown } | 'NO_ERROR' => {
    try {
      f()
    } catch (e) {
      if (!isEcoleError(e)) throw e
      const issues = e.details['issues'] as Array<{ path: string }> | undefined
      return { code: e.code, function: e.details['function'], path: issues?.[0]?.path }
    }
    return 'NO_ERROR'
  }

  test('runStorageConformance refuses options without a create function before it registers a suite (here, inside a running test)', () => {
    expect(failure(() => root.runStorageConformance({ name: 'x' } as never))).toEqual({ code: 'INVALID_INPUT', function: 'runStorageConformance', path: 'options.create' })
    expect(failure(() => root.runStorageConformance(null as never))).toEqual({ code: 'INVALID_INPUT', function: 'runStorageConformance', path: 'options' })
    const create = async () => ({}) as never
    expect(failure(() => root.runStorageConformance({ name: 'x', create, concurrency: 0 }))).toEqual({ code: 'INVALID_INPUT', function: 'runStorageConformance', path: 'options.concurrency' })
    expect(failure(() => root.runStorageConformance({ name: 'x', create, skip: { model: 1 as never } }))).toEqual({ code: 'INVALID_INPUT', function: 'runStorageConformance', path: 'options.skip.model' })
    expect(failure(() => root.runStorageConformance({ name: 'x', create, faults: {} as never }))).toEqual({ code: 'INVALID_INPUT', function: 'runStorageConformance', path: 'options.faults' })
  })

  test('a bound fast-check would loop on is refused up front', () => {
    expect(failure(() => arbitraries.exactEurosArb(1e308))).toMatchObject({ code: 'INVALID_INPUT', path: 'decimals' })
    expect(failure(() => arbitraries.dateRangeArb({}, Number.MAX_VALUE))).toMatchObject({ code: 'INVALID_INPUT', path: 'maxLength' })
    expect(failure(() => arbitraries.postedTransfersArb(['a', 'a']))).toMatchObject({ code: 'INVALID_INPUT', path: 'accountIds' })
    expect(failure(() => arbitraries.postedTransfersArb(new Set(['a']) as never))).toMatchObject({ code: 'INVALID_INPUT', path: 'accountIds' })
  })

  test('options that fail only when a value is drawn fail then with INVALID_INPUT naming the builder', () => {
    // guardian ids that are not strings: the rule built from them fails BillingRuleSchema when drawn
    const rules = arbitraries.billingRuleArb({ guardianIds: [1, 2] as never })
    expect(failure(() => fc.sample(rules, { numRuns: 5, seed: 1 }))).toMatchObject({ code: 'INVALID_INPUT', function: 'billingRuleArb' })
    // and inside another arbitrary, drawn by fast-check itself
    const pairs = fc.tuple(fc.nat(), rules)
    expect(failure(() => fc.sample(pairs, { numRuns: 5, seed: 1 }))).toMatchObject({ code: 'INVALID_INPUT', function: 'billingRuleArb' })
    expect(failure(() => arbitraries.minorUnitsArb(5 as never))).toMatchObject({ code: 'INVALID_INPUT', function: 'minorUnitsArb', path: 'max' })
    expect(failure(() => arbitraries.walletAccountArb({ overdraft: {} as never }))).toMatchObject({ code: 'INVALID_INPUT', function: 'walletAccountArb', path: '' })
  })

  test('valid options draw and shrink exactly the values of the same arbitrary built without the checks', () => {
    const plain = fc.bigInt({ min: -1_000_000_000n, max: 1_000_000_000n }).map((c) => Money.fromMinor(c, 'EUR'))
    for (const seed of [1, 2, 3]) {
      expect(fc.sample(arbitraries.eurosArb(), { numRuns: 20, seed }).map(String)).toEqual(fc.sample(plain, { numRuns: 20, seed }).map(String))
    }
    const small = (m: Money) => m.toMinor() < 1_000n
    const checked = fc.check(fc.property(arbitraries.eurosArb(), small), { seed: 7 })
    const unchecked = fc.check(fc.property(plain, small), { seed: 7 })
    expect(String(checked.counterexample?.[0])).toBe(String(unchecked.counterexample?.[0]))
    expect(checked.numShrinks).toBe(unchecked.numShrinks)
  })
})

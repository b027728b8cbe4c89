import { fc, test } from '@fast-check/vitest'
import { isEcoleError } from '@ecole/core'
import { describe, expect } from 'vitest'
import * as pdf from './index'

/**
 * Exports that are not input boundaries, each with the reason. Empty: every exported function,
 * static method and namespace member is fuzzed, including those that take values the library
 * built (prepared documents, a layout, a pdfkit document, a byte stream): they turn a failure on
 * a wrong value into INVALID_INPUT with asInputError. A new exemption needs a reason here; an
 * entry that no longer exists fails the first test.
 */
const NOT_BOUNDARIES: Record<string, string> = {}

type Callable = (...args: unknown[]) => unknown
const isClass = (f: Callable) => /^class[\s{]/.test(Function.prototype.toString.call(f))
const isSchema = (v: unknown) => typeof v === 'object' && v !== null && '_zod' in v

/** Every function an index exports: plain functions, static methods of classes, members of namespace objects. */
function boundaries(module: Record<string, unknown>): Array<[string, Callable]> {
  const out: Array<[string, Callable]> = []
  for (const [name, value] of Object.entries(module)) {
    if (name in NOT_BOUNDARIES) continue
    if (typeof value === 'function') {
      const f = value as Callable
      if (!isClass(f)) out.push([name, f])
      else for (const key of Object.getOwnPropertyNames(f)) {
        const member = (f as unknown as Record<string, unknown>)[key]
        if (typeof member === 'function' && !(`${name}.${key}` in NOT_BOUNDARIES)) out.push([`${name}.${key}`, (member as Callable).bind(f)])
      }
    } else if (typeof value === 'object' && value !== null && !isSchema(value) && !Array.isArray(value)) {
      for (const [key, member] of Object.entries(value)) {
        if (typeof member === 'function' && !isClass(member as Callable) && !(`${name}.${key}` in NOT_BOUNDARIES)) {
          out.push([`${name}.${key}`, (member as Callable).bind(value)])
        }
      }
    }
  }
  return out
}

const anything = fc.anything({
  maxDepth: 2,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withBoxedValues: true,
  withSparseArray: true,
})
/** Values this package knows: languages, label keys, currencies, profiles, image uses, a PNG header, references. */
const known = fc.constantFrom('fr', 'nl', 'invoice', 'page', 'EUR', 'fr-FR', '2026-03-02', 'MINIMUM', 'EN16931', 'siteLogo', 'schoolStamp', 'R', '+++090/9337/55493+++', 'RF18539007547034', 1, 3, 12345n,
  new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 2]))
const args = fc.array(fc.oneof(anything, known, fc.constantFrom(null, undefined, NaN, Infinity, -0, 10n ** 30n, '', 'x'.repeat(100))), { maxLength: 4 })

/** What a call throws (or its promise rejects with) that is not an EcoleError, or undefined. */
async function foreignError(f: Callable, input: unknown[]): Promise<unknown> {
  try {
    const result = f(...input)
    if (result && typeof (result as Promise<unknown>).then === 'function') await result
  } catch (e) {
    if (!isEcoleError(e)) return e
  }
  return undefined
}

const list = boundaries(pdf as Record<string, unknown>)

describe('only EcoleError escapes a public function of @ecole/pdf', () => {
  test('the index exports functions to check (and every allow-listed name still exists)', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name.split('.')[0]! in pdf, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['label', 'createFormatter', 'sniffImage', 'drawInvoice', 'facturXXml', 'collect', 'preparePdf']))
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

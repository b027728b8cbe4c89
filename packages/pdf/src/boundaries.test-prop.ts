import { fc, test } from '@fast-check/vitest'
import { anyArguments, exportedFunctions, foreignError } from '@ecole/testing/arbitraries'
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

/** Values this package knows: languages, label keys, currencies, profiles, image uses, a PNG header, references. */
const known = ['fr', 'nl', 'invoice', 'page', 'EUR', 'fr-FR', '2026-03-02', 'MINIMUM', 'EN16931', 'siteLogo', 'schoolStamp', 'R', '+++090/9337/55493+++', 'RF18539007547034', 1, 3, 12345n,
  new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 2])]
const args = anyArguments({ extra: known })

const list = exportedFunctions(pdf, { skip: Object.keys(NOT_BOUNDARIES) })

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

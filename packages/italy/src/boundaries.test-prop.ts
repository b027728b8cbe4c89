import { fc, test } from '@fast-check/vitest'
import { anyArguments, exportedFunctions, foreignError } from '@ecole/testing/arbitraries'
import { describe, expect } from 'vitest'
import * as italy from './index'

/**
 * Exports that are not input boundaries, each with the reason. Empty: every exported function,
 * static method and namespace member is fuzzed, including those that take values the library
 * built (a parsed FatturaPA file, a site, a direct-debit batch): they turn a failure on a wrong
 * value into INVALID_INPUT with asInputError. A new exemption needs a reason here; an entry that
 * no longer exists fails the first test.
 */
const NOT_BOUNDARIES: Record<string, string> = {}

/** Values this package knows: a file name, a document type, a notice code, a fiscal code, the start of a FatturaPA file, a payment. */
const known = ['IT01234567890_FPR01.xml', 'TD01', '301000000000000144', '02438750586', 4250n, 'IT01234567890',
  '<?xml version="1.0"?><p:FatturaElettronica versione="FPR12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"/>',
  { noticeCode: '301000000000000144', creditorFiscalCode: '02438750586', amountMinor: 4250n }, new Uint8Array([0x30, 0x80, 0x06, 0x09])]
const args = anyArguments({ extra: known })

const list = exportedFunctions(italy, { skip: Object.keys(NOT_BOUNDARIES) })

describe('only EcoleError escapes a public function of @ecole/italy', () => {
  test('the index exports functions to check (and every allow-listed name still exists)', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name.split('.')[0]! in italy, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['parseFatturaPA', 'parseFatturaPAFileName', 'isFatturaPADocumentType', 'acceptanceOf', 'pagoPaQrPayload', 'buildCbiSdd', 'renderPagoPaNotice']))
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

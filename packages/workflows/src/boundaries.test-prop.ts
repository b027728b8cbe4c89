import { fc, test } from '@fast-check/vitest'
import { anyArguments, exportedFunctions, foreignError, type ExportedFunction } from '@ecole/testing/arbitraries'
import { describe, expect } from 'vitest'
import * as workflows from './index'

/**
 * Exports that are not input boundaries, with the reason. Empty: every exported function is
 * fuzzed, the use cases too (their first argument, the host's wiring, is checked like any input).
 */
const NOT_BOUNDARIES: Record<string, string> = {}

/** Values this package knows: stored password hashes, one with a cost too small and one too large to compute. */
const storedHashes = ['scrypt$3$8$1$AAAA$AAAA', 'scrypt$1099511627776$8$1$AAAA$AAAA']
const args = anyArguments({ extra: storedHashes, maxLength: 3 })

const list = exportedFunctions(workflows, { skip: Object.keys(NOT_BOUNDARIES) })
const box = workflows.createSecretBox({ keys: { k1: Buffer.alloc(32, 7) }, currentKeyId: 'k1' })
list.push(['secretBox.open', box.open.bind(box) as ExportedFunction], ['secretBox.seal', box.seal.bind(box) as ExportedFunction])

describe('only EcoleError escapes a public function of @ecole/workflows', () => {
  test('every allow-listed name is still exported, and there are boundaries to check', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name in workflows, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['createSecretBox', 'hashPassword', 'verifyPassword', 'secretBox.open']))
  })

  test.each(list)('%s throws nothing but EcoleError, whatever it is given', async (name, f) => {
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const e = await foreignError(f, input)
        if (e !== undefined) throw new Error(`${name}(${input.map((a) => typeof a).join(', ')}) threw ${String(e)}`)
      }),
      { numRuns: name === 'hashPassword' ? 15 : Number(process.env.FUZZ_RUNS ?? 100) },
    )
  })

  test('opening null, a string or a half sealed secret is SECRET_UNREADABLE', () => {
    for (const sealed of [null, 'abc', { keyId: 'k1' }, { ...box.seal('x'), tag: 5 }]) {
      expect(() => box.open(sealed as never)).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }))
    }
  })

  test('verifying a password against a corrupt stored hash is INVALID_PASSWORD_HASH, not a RangeError', async () => {
    for (const stored of ['scrypt$3$8$1$c2FsdA==$a2V5', 'scrypt$1099511627776$8$1$c2FsdA==$a2V5', 'scrypt$16384$0$1$c2FsdA==$a2V5', 'scrypt$16384$8$1$c2FsdA==$', 'nope']) {
      await expect(workflows.verifyPassword('pw', stored)).rejects.toMatchObject({ code: 'INVALID_PASSWORD_HASH' })
    }
    const good = await workflows.hashPassword('pw', { N: 1024, r: 8, p: 1 })
    expect(await workflows.verifyPassword('pw', good)).toBe(true)
    expect(await workflows.verifyPassword('other', good)).toBe(false)
  })
})

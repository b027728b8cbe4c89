import { fc, test } from '@fast-check/vitest'
import { isEcoleError } from '@ecole/core'
import { describe, expect } from 'vitest'
import * as workflows from './index'

/**
 * Exports that are not input boundaries, with the reason. Empty: every exported function is
 * fuzzed, the use cases too (their first argument, the host's wiring, is checked like any input).
 */
const NOT_BOUNDARIES: Record<string, string> = {}

type Callable = (...args: unknown[]) => unknown
const isClass = (f: Callable) => /^class[\s{]/.test(Function.prototype.toString.call(f))

const anything = fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withBoxedValues: true })
const args = fc.array(fc.oneof(anything, fc.constantFrom(null, undefined, NaN, 10n ** 30n, '', 'scrypt$3$8$1$AAAA$AAAA', 'scrypt$1099511627776$8$1$AAAA$AAAA')), { maxLength: 3 })

async function foreignError(f: Callable, input: unknown[]): Promise<unknown> {
  try {
    const result = f(...input)
    if (result && typeof (result as Promise<unknown>).then === 'function') await result
  } catch (e) {
    if (!isEcoleError(e)) return e
  }
  return undefined
}

const list = Object.entries(workflows as Record<string, unknown>).filter(
  (entry): entry is [string, Callable] => typeof entry[1] === 'function' && !isClass(entry[1] as Callable) && !(entry[0] in NOT_BOUNDARIES),
)
const box = workflows.createSecretBox({ keys: { k1: Buffer.alloc(32, 7) }, currentKeyId: 'k1' })
list.push(['secretBox.open', box.open.bind(box) as Callable], ['secretBox.seal', box.seal.bind(box) as Callable])

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

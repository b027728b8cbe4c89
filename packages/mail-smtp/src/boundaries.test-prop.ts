import { fc, test } from '@fast-check/vitest'
import { isEcoleError } from '@ecole/core'
import { describe, expect } from 'vitest'
import * as smtp from './index'

/**
 * Exports that are not input boundaries, each with the reason. Empty: every exported function,
 * static method and namespace member is fuzzed (an outgoing mail, a host, a mailer's options:
 * wrong options fail before any connection is opened). A new exemption needs a reason here; an
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
/** Values this package knows: hosts, ports, an outgoing mail, a server (never contacted: no valid options are built here). */
const known = fc.constantFrom('localhost', '127.0.0.1', 'smtp.example.fr', 587, { from: 'a@x.fr', to: ['b@x.fr'], subject: 'Hi' },
  { from: 'a@x.fr', to: ['b@x.fr'], subject: 'Hi\r\nBcc: evil@x.fr' }, { host: 'smtp.example.fr', port: 587, security: 'starttls' })
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

const list = boundaries(smtp as Record<string, unknown>)

describe('only EcoleError escapes a public function of @ecole/mail-smtp', () => {
  test('the index exports functions to check (and every allow-listed name still exists)', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name.split('.')[0]! in smtp, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['createSmtpMailer', 'isLoopbackHost', 'assertHeadersSafe', 'classifySmtpError']))
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

import { fc, test } from '@fast-check/vitest'
import { anyArguments, exportedFunctions, foreignError } from '@ecole/testing/arbitraries'
import { describe, expect } from 'vitest'
import * as smtp from './index'

/**
 * Exports that are not input boundaries, each with the reason. Empty: every exported function,
 * static method and namespace member is fuzzed (an outgoing mail, a host, a mailer's options:
 * wrong options fail before any connection is opened). A new exemption needs a reason here; an
 * entry that no longer exists fails the first test.
 */
const NOT_BOUNDARIES: Record<string, string> = {}

/** Values this package knows: hosts, ports, an outgoing mail, a server (never contacted: no valid options are built here). */
const known = ['localhost', '127.0.0.1', 'smtp.example.fr', 587, { from: 'a@x.fr', to: ['b@x.fr'], subject: 'Hi' },
  { from: 'a@x.fr', to: ['b@x.fr'], subject: 'Hi\r\nBcc: evil@x.fr' }, { host: 'smtp.example.fr', port: 587, security: 'starttls' }]
const args = anyArguments({ extra: known })

const list = exportedFunctions(smtp, { skip: Object.keys(NOT_BOUNDARIES) })

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

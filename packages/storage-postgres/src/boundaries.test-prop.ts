import { fc, test } from '@fast-check/vitest'
import { isEcoleError } from '@ecole/core'
import { anyArguments, exportedFunctions, foreignError, type ExportedFunction } from '@ecole/testing/arbitraries'
import { describe, expect } from 'vitest'
import * as postgres from './index'

/**
 * Exports that are not input boundaries, each with the reason. Empty: both exported functions are
 * fuzzed. They open databases, so they check their options before anything is opened, imported or
 * connected: every call here fails at that check, and this file opens no database and no
 * connection. A new exemption needs a reason here; an entry that no longer exists fails the first
 * test.
 */
const NOT_BOUNDARIES: Record<string, string> = {}

/**
 * Options createPostgresStorage accepts: none, or an object literal of its own keys only (`{}`
 * opens an embedded PGlite in memory). The fuzz leaves them out, as it must not open a database.
 */
const OPTION_KEYS = ['pglite', 'pool', 'connectionString', 'poolSize', 'migrate', 'retry']
const opensADatabase = (v: unknown): boolean =>
  v === undefined ||
  (typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null) && Object.keys(v).every((k) => OPTION_KEYS.includes(k)))

/** Options that look right but are not: each must fail before anything is opened (no valid server or folder is named here). */
const wrongOptions: unknown[] = [
  { pool: {} }, { pglite: 'memory' }, { pglite: { dataDir: 5 } }, { pglite: { dataDir: '' } }, { connectionString: 42 }, { connectionString: '' },
  { poolSize: 0 }, { poolSize: 2.5 }, { migrate: 'yes' }, { retry: null }, { retry: { maxRetries: -1 } }, { retry: { onRetry: 'log' } },
  { conectionString: 'postgresql://ecole@127.0.0.1:1/ecole' }, { pglite: {}, pool: null }, { primary: {}, replica: 'postgresql://' }, { primary: 5, replica: 5 },
  { primary: '', replica: '' }, new Date(0), new Number(1), [],
]
const garbage = anyArguments({ extra: [...wrongOptions, 'postgresql://ecole@127.0.0.1:1/ecole'], minLength: 1, maxLength: 1 })
  .map(([first]) => first)
  .filter((v) => !opensADatabase(v))
const args = fc.tuple(garbage, anyArguments({ maxLength: 2 })).map(([first, rest]) => [first, ...rest])

/** What a call lets escape that is not an EcoleError; a call that succeeds fails too, as it may have opened a database. */
const foreignErrorOrSuccess = (f: ExportedFunction, input: unknown[]): Promise<unknown> =>
  foreignError(async (...a: unknown[]) => {
    await f(...a)
    throw new Error('the call succeeded: it may have opened a database')
  }, input)

const list = exportedFunctions(postgres, { skip: Object.keys(NOT_BOUNDARIES) })

describe('only EcoleError escapes a public function of @ecole/storage-postgres', () => {
  test('the index exports functions to check (and every allow-listed name still exists)', () => {
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name in postgres, name).toBe(true)
    expect(list.map(([name]) => name)).toEqual(expect.arrayContaining(['createPostgresStorage', 'createReadYourWritesRouter']))
  })

  test.each(list)('%s throws nothing but EcoleError, whatever it is given', async (name, f) => {
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const e = await foreignErrorOrSuccess(f, input)
        if (e !== undefined) throw new Error(`${name}(${input.map((a) => typeof a).join(', ')}) threw ${String(e)}`)
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    )
  })

  test('a wrong option is INVALID_INPUT naming it, before anything is opened', async () => {
    const issue = async (options: unknown) => {
      const error = await postgres.createPostgresStorage(options as never).catch((e: unknown) => e)
      return isEcoleError(error) ? [error.code, (error.details['issues'] as Array<{ path: string }>)[0]!.path] : error
    }
    expect(await issue({ conectionString: 'postgresql://ecole@127.0.0.1:1/ecole' })).toEqual(['INVALID_INPUT', 'conectionString'])
    expect(await issue({ pglite: { dataDir: 5 } })).toEqual(['INVALID_INPUT', 'pglite.dataDir'])
    expect(await issue({ pool: {} })).toEqual(['INVALID_INPUT', 'pool'])
    expect(await issue(null)).toEqual(['INVALID_INPUT', 'options'])
    const router = await postgres.createReadYourWritesRouter({ primary: 'postgresql://ecole@127.0.0.1:1/ecole', replica: 5 } as never).catch((e: unknown) => e)
    expect(isEcoleError(router) && router.code).toBe('INVALID_INPUT')
    expect((router as Error).message).toContain('replica: must be a pg Pool or a PostgreSQL URL (a non-empty string), got a number')
  })
})

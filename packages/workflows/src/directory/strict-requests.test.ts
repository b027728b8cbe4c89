import { isEcoleError, type DirectoryState } from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, test } from 'vitest'
import { changeDirectory } from './index'

// The rule (issue 12): a misspelt key in what a caller passes is refused with INVALID_INPUT naming
// the function, the key and the nearest known key, never read as absent so that a default applies
// (a table not read, so an operation decides on an empty directory; no lock taken; no audit entry).

const siteId = 's1'
const storage = createMemoryStorage()
const unchanged = (state: DirectoryState) => ({ ok: true as const, state })

/** Gives `value` back, or a copy with the key `from` renamed `to` (a typo in the caller's code). */
type Typo = <T>(value: T) => T

interface Row {
  /** The function, as the caller wrote it. */
  fn: string
  /** The dotted path of the object the key is in. */
  param: string
  /** The key the function knows. */
  key: string
  /** The caller's misspelling of it. */
  typo: string
  /** The call, with `t` applied to the object that holds the key. */
  call: (t: Typo) => Promise<unknown> | unknown
}

const rows: Row[] = [
  { fn: 'changeDirectory', param: 'options', key: 'locks', typo: 'lock', call: (t) => changeDirectory({ storage }, siteId, { guardians: ['marie'] }, unchanged, t({ locks: ['enrolments'] })) },
  { fn: 'changeDirectory', param: 'options', key: 'withChanges', typo: 'withChange', call: (t) => changeDirectory({ storage }, siteId, { guardians: ['marie'] }, unchanged, t({ withChanges: async () => {} })) },
  { fn: 'changeDirectory', param: 'options', key: 'expected', typo: 'expect', call: (t) => changeDirectory({ storage }, siteId, { guardians: ['marie'] }, unchanged, t({ expected: [] })) },
  { fn: 'changeDirectory', param: 'reads', key: 'guardians', typo: 'guardian', call: (t) => changeDirectory({ storage }, siteId, t({ guardians: ['marie'], children: 'all' as const }), unchanged) },
  { fn: 'changeDirectory', param: 'reads()', key: 'enrolments', typo: 'enrolment', call: (t) => changeDirectory({ storage }, siteId, async (_tx: StorageTransaction) => t({ enrolments: 'all' as const }), unchanged) },
]

/** What a call gave: `ok`, or the error's code, function and paths (INVALID_INPUT). */
async function outcome(run: () => Promise<unknown> | unknown): Promise<{ code: string; fn?: unknown; paths: string[]; message: string }> {
  try {
    await run()
    return { code: 'ok', paths: [], message: '' }
  } catch (error) {
    if (!isEcoleError(error)) throw error
    const issues = (error.details['issues'] ?? []) as Array<{ path: string }>
    return { code: error.code, fn: error.details['function'], paths: issues.map((i) => i.path), message: error.message }
  }
}

function renamed(from: string, to: string): Typo {
  return <T,>(value: T): T => {
    const { [from]: v, ...rest } = value as Record<string, unknown>
    return { ...rest, [to]: v } as T
  }
}

describe('directory use cases read their reads and options strictly', () => {
  test.each(rows)('$fn refuses $typo, a misspelt $key of its $param, instead of reading $key as absent', async ({ fn, param, key, typo, call }) => {
    // the valid call goes through, or fails for another reason than that key
    const valid = await outcome(() => call((v) => v))
    expect(valid.paths.some((p) => p.startsWith(`${param}.`)), `${fn} valid: ${valid.message}`).toBe(false)
    // the misspelt key is refused, naming the function, the key and the key meant
    const wrong = await outcome(() => call(renamed(key, typo)))
    expect(wrong).toMatchObject({ code: 'INVALID_INPUT', fn })
    expect(wrong.paths).toContain(`${param}.${typo}`)
    expect(wrong.message).toContain(`did you mean \`${key}\`?`)
  })
})

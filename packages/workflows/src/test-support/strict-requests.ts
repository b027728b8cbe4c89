import { isEcoleError } from '@ecole/core'
import { describe, expect, test } from 'vitest'

// The table test of issue 12's rule, for every folder of use cases: a misspelt key in what a caller
// passes is refused with INVALID_INPUT naming the function, the key and the nearest known key,
// never read as absent so that a default applies.

/** Gives `value` back, or a copy with the key `from` renamed `to` (a typo in the caller's code). */
export type Typo = <T>(value: T) => T

/** One misspelling to try. */
export interface StrictRequestRow {
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

/**
 * Runs each row: the valid call goes through (or fails for another reason than that key), then the
 * call with the key misspelt is refused, naming the function, `<param>.<typo>` and the key meant.
 */
export function strictRequestsSuite(title: string, rows: readonly StrictRequestRow[]): void {
  describe(title, () => {
    test.each(rows)('$fn refuses $typo, a misspelt $key of its $param, instead of reading $key as absent', async ({ fn, param, key, typo, call }) => {
      const valid = await outcome(() => call((v) => v))
      expect(valid.paths.some((p) => p.startsWith(`${param}.`)), `${fn} valid: ${valid.message}`).toBe(false)
      const wrong = await outcome(() => call(renamed(key, typo)))
      expect(wrong).toMatchObject({ code: 'INVALID_INPUT', fn })
      expect(wrong.paths).toContain(`${param}.${typo}`)
      expect(wrong.message).toContain(`did you mean \`${key}\`?`)
    })
  })
}

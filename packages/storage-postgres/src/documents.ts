import { isDeepStrictEqual } from 'node:util'
import type { SqlClient } from './driver'

/** A record as jsonb text: bigint as `{"$bigint":"123"}`, undefined dropped. @internal */
export function encodeDocument(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v))
}

/** A record read back from jsonb, bigints restored. @internal */
export function decodeDocument<T>(value: unknown): T {
  return revive(value) as T
}

function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive)
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o)
    if (keys.length === 1 && keys[0] === '$bigint' && typeof o['$bigint'] === 'string') return BigInt(o['$bigint'])
    const out: Record<string, unknown> = {}
    for (const k of keys) out[k] = revive(o[k])
    return out
  }
  return v
}

/** Whether a stored record and a new one have the same content. @internal */
export function sameDocument(stored: unknown, incoming: unknown): boolean {
  return isDeepStrictEqual(decodeDocument(JSON.parse(encodeDocument(stored))), decodeDocument(JSON.parse(encodeDocument(incoming))))
}

/**
 * Runs `fn` under a savepoint: when it throws, its writes are undone (the caller's transaction
 * stays usable) and the error is rethrown. @internal
 */
export async function withSavepoint<T>(c: SqlClient, fn: () => Promise<T>): Promise<T> {
  await c.query('SAVEPOINT ecole_step')
  try {
    const result = await fn()
    await c.query('RELEASE SAVEPOINT ecole_step')
    return result
  } catch (error) {
    await c.query('ROLLBACK TO SAVEPOINT ecole_step')
    await c.query('RELEASE SAVEPOINT ecole_step')
    throw error
  }
}

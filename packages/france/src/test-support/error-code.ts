import { isEcoleError } from '@ecole/core'

/** The `EcoleError` code a promise rejects with (or the error as text), `undefined` when it resolves. */
export async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (e) {
    return isEcoleError(e) ? e.code : String(e)
  }
  return undefined
}

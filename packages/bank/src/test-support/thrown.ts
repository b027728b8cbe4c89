import { isEcoleError } from '@ecole/core'

/** The code and message of the EcoleError `f` throws (fails the test when it throws nothing or something else). */
export function thrown(f: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    f()
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, message: e.message, details: e.details }
    throw e
  }
  throw new Error('expected an EcoleError')
}

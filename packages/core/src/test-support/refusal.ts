import { isEcoleError } from '../errors'

/**
 * @internal For tests: the code, issue paths and message of the `EcoleError` that `f` throws;
 * anything else thrown is thrown again, and a call that returns fails the test.
 */
export function refusal(f: () => unknown): { code: string; paths: string[]; message: string } {
  try { f() } catch (e) {
    if (!isEcoleError(e)) throw e
    const issues = (e.details as { issues?: Array<{ path: string }> }).issues ?? []
    return { code: e.code, paths: issues.map((i) => i.path), message: e.message }
  }
  throw new Error('expected a refusal, the call returned')
}

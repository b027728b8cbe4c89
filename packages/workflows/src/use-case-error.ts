import { asInputError, isEcoleError, type ExpectedArgument } from '@ecole/core'

/**
 * @internal What a use case throws when its body failed. A runtime error (`TypeError`,
 * `RangeError`, `SyntaxError`...) is what reading a value that is not what the library builds
 * gives (the host's wiring without its storage, a request that is `null`): it becomes
 * `INVALID_INPUT` naming the argument ({@link asInputError}). Anything else passes on as it is: an
 * `EcoleError`, and the host's own errors, thrown by its callbacks (an `audit`, an `onProgress`,
 * a `withChange`...) or its storage adapter, which are not the use case's to rename (the fault
 * tests throw them and expect them back). An `INVALID_INPUT` that an inner public function built
 * this way goes through {@link asInputError} too, which tells it again for this use case when one
 * of its own arguments has the wrong kind (`uploadPortalDocument(null, ...)` names
 * `uploadPortalDocument`, not the `addPortalDocument` it calls).
 *
 * @example
 * try { ... } catch (error) { throw asUseCaseError(error, 'recordPayment', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'] }) }
 */
export function asUseCaseError(error: unknown, fn: string, args: Readonly<Record<string, ExpectedArgument>>): unknown {
  const runtime = error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError || error instanceof ReferenceError || error instanceof URIError
  const inner = isEcoleError(error, 'INVALID_INPUT') && typeof error.details['function'] === 'string'
  return runtime || inner ? asInputError(error, fn, args) : error
}

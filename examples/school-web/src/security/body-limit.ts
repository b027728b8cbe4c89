/**
 * How large a request body the host reads: a form is small, and only the few routes that take a
 * file (a document, a logo or stamp, a bank statement or a pain.002 return file) accept more.
 * A larger body is refused with 413 before it is read further than the limit, and before the
 * anti-forgery check parses any form: with a `Content-Length` over the limit nothing of the body is
 * read; without one (chunked), reading stops at the limit. The reverse proxy in front of the host
 * should cap bodies too (docs/hosting.md).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { DOCUMENT_UPLOAD_LIMITS } from '@ecole/workflows'
import type { AppEnv } from '../env'

/** The largest body each kind of request may send, in bytes. */
export interface BodyLimits {
  /** Any request that takes no file: forms, htmx posts (1 MB). */
  formBytes: number
  /** A document for a family or a group, `POST /staff/documents` (the library's 10 MB file and 1 MB for the form). */
  documentBytes: number
  /** A logo or a stamp, `POST /staff/admin/images/:use` (the library takes 1 MiB images; 2 MB). */
  imageBytes: number
  /**
   * A bank statement (`/staff/bank/preview`), the confirmation that carries it back in base64
   * (`/staff/bank/import`, a third larger than the file) and a pain.002 return file
   * (`/staff/direct-debits/returns/pain002`): 16 MB, statements up to about 10 MB.
   */
  bankFileBytes: number
}

/** Default limits. */
export const DEFAULT_BODY_LIMITS: BodyLimits = {
  formBytes: 1_000_000,
  documentBytes: DOCUMENT_UPLOAD_LIMITS.maxBytes + 1_000_000,
  imageBytes: 2_000_000,
  bankFileBytes: 16_000_000,
}

/** The routes that take a file, and which limit is theirs (POST only). */
const UPLOAD_ROUTES: ReadonlyArray<{ path: RegExp; limit: keyof BodyLimits }> = [
  { path: /^\/staff\/documents$/, limit: 'documentBytes' },
  { path: /^\/staff\/admin\/images\/[^/]+$/, limit: 'imageBytes' },
  { path: /^\/staff\/bank\/(?:preview|import)$/, limit: 'bankFileBytes' },
  { path: /^\/staff\/direct-debits\/returns\/pain002$/, limit: 'bankFileBytes' },
]

/**
 * The largest body a request may send: its upload route's limit, or the form limit.
 *
 * @example
 * bodyLimitOf('POST', '/staff/documents', DEFAULT_BODY_LIMITS) //=> 11000000
 * bodyLimitOf('POST', '/login', DEFAULT_BODY_LIMITS)           //=> 1000000
 */
export function bodyLimitOf(method: string, path: string, limits: BodyLimits): number {
  const route = method === 'POST' ? UPLOAD_ROUTES.find((r) => r.path.test(path)) : undefined
  return limits[route?.limit ?? 'formBytes']
}

/**
 * Refuses a body over its route's limit with `onTooLarge` (the host answers 413 with a page giving
 * the limit), reading nothing past the limit; runs before anything reads the body.
 */
export function bodyLimitMiddleware(limits: BodyLimits, onTooLarge: (c: Context<AppEnv>, maxBytes: number) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  const byLimit = new Map<number, MiddlewareHandler<AppEnv>>()
  return (c, next) => {
    const maxSize = bodyLimitOf(c.req.method, c.req.path, limits)
    let limit = byLimit.get(maxSize)
    if (!limit) {
      limit = bodyLimit({ maxSize, onError: (c) => onTooLarge(c as Context<AppEnv>, maxSize) }) as MiddlewareHandler<AppEnv>
      byLimit.set(maxSize, limit)
    }
    return limit(c, next)
  }
}

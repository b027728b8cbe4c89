/**
 * Security headers on every response: a Content-Security-Policy without inline script (scripts
 * and styles come from this origin only, htmx included), no framing, no MIME sniffing, a strict
 * referrer policy, and HSTS when served over HTTPS.
 */
import type { MiddlewareHandler } from 'hono'

/** The Content-Security-Policy of every page. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The middleware that sets them. They are set before the route runs, so the response the route
 * builds through the context (`c.html`, `c.text`, `c.body`, `c.redirect`) carries them from the
 * start: setting a header on a finished response makes Hono copy it, which turns the Node
 * adapter's lightweight response into a full one with a body stream (a tenth of the invoices
 * page's CPU time). A route may still replace `Cache-Control` (the static files do). A response
 * built without the context gets them afterwards, the slow way.
 */
export function securityHeaders(options: { https: boolean }): MiddlewareHandler {
  const headers: Array<[string, string]> = [
    ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'same-origin'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
    ...(options.https ? [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as [string, string]] : []),
  ]
  return async (c, next) => {
    for (const [name, value] of headers) c.header(name, value)
    c.header('Cache-Control', 'no-store')
    await next()
    if (c.res.headers.get('Content-Security-Policy') === CONTENT_SECURITY_POLICY) return
    for (const [name, value] of headers) c.header(name, value)
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
  }
}

/**
 * The session and anti-forgery middleware.
 *
 * - Every visitor gets a session (anonymous until login) in a cookie that is `HttpOnly`,
 *   `SameSite=Lax`, `Path=/`, and over HTTPS `Secure` with the `__Host-` prefix (so no subdomain or
 *   plain-HTTP page can set it).
 * - Every request that may change state (POST, PUT, PATCH, DELETE) must carry the session's
 *   anti-forgery token (form field `_csrf` or header `X-CSRF-Token`) and, when the browser sends
 *   one, an `Origin` of this host; GET requests never change state (the routes keep that rule).
 */
import { timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../env'
import { isLang, negotiate, type Lang } from '../i18n'
import type { Session } from './sessions'

/** The session cookie's name: `__Host-ecole_session` over HTTPS, `ecole_session` otherwise. */
export function sessionCookieName(https: boolean): string {
  return https ? '__Host-ecole_session' : 'ecole_session'
}

/** The language cookie's name (remembered for a year). */
export function langCookieName(https: boolean): string {
  return https ? '__Host-ecole_lang' : 'ecole_lang'
}

/** Sends the session cookie. */
export function writeSessionCookie(c: Context<AppEnv>, session: Session): void {
  const https = c.var.ctx.config.https
  setCookie(c, sessionCookieName(https), session.id, { httpOnly: true, sameSite: 'Lax', path: '/', secure: https })
}

/** Sends the language cookie. */
export function writeLangCookie(c: Context<AppEnv>, lang: Lang): void {
  const https = c.var.ctx.config.https
  setCookie(c, langCookieName(https), lang, { httpOnly: true, sameSite: 'Lax', path: '/', secure: https, maxAge: 365 * 24 * 3600 })
}

/** Finds or starts the visitor's session and language. */
export function sessionMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ctx = c.var.ctx
    const https = ctx.config.https
    let session = ctx.sessions.get(getCookie(c, sessionCookieName(https)))
    if (!session || session.siteId !== ctx.config.siteId) {
      session = ctx.sessions.create(ctx.config.siteId)
      writeSessionCookie(c, session)
    }
    const cookieLang = getCookie(c, langCookieName(https))
    const lang: Lang = session.lang ?? (isLang(cookieLang) ? cookieLang : negotiate(c.req.header('Accept-Language')))
    c.set('session', session)
    c.set('lang', lang)
    await next()
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The token a request carries (header, or the `_csrf` field of a form). */
async function tokenOf(c: Context<AppEnv>): Promise<string> {
  const header = c.req.header('X-CSRF-Token')
  if (header) return header
  const type = c.req.header('Content-Type') ?? ''
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    // a broken body (a multipart form without its boundary, cut short) carries no token: refused, not a server error
    const body = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>)
    const v = body['_csrf']
    return typeof v === 'string' ? v : ''
  }
  return ''
}

/** Refuses a state-changing request without the session's token (403), or from another origin. */
export function csrfMiddleware(onRefused: (c: Context<AppEnv>) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next()
    const origin = c.req.header('Origin')
    if (origin && origin !== 'null' && (!URL.canParse(origin) || new URL(origin).host !== c.req.header('Host'))) return onRefused(c)
    const token = await tokenOf(c)
    if (!token || !same(token, c.var.session.csrf)) return onRefused(c)
    return next()
  }
}

/** Whether a value a visitor sent holds a NUL character (PostgreSQL refuses it in text: a server error). */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some(holdsNul)
  return false
}

/**
 * Refuses with 400 a request whose path, query or form fields hold a NUL character, or whose form
 * cannot be read: no page stores or looks up such a value (it was a server error on most pages).
 */
export function readableRequestMiddleware(onRefused: (c: Context<AppEnv>) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let path: string
    try {
      path = decodeURIComponent(c.req.path)
    } catch {
      return onRefused(c) // a malformed escape (`%E0%A4%A`)
    }
    if (holdsNul(path) || Object.values(c.req.queries()).some(holdsNul)) return onRefused(c)
    const type = c.req.header('Content-Type') ?? ''
    if (c.req.method === 'POST' && (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data'))) {
      const body = await c.req.parseBody({ all: true }).catch(() => undefined)
      if (body === undefined || Object.values(body).some(holdsNul)) return onRefused(c)
    }
    return next()
  }
}

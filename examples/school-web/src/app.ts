/**
 * `createApp(context)`: the Hono application. The families' portal is mounted at `/`
 * (`portal/routes`), the back office at `/staff` (`staff/routes`); the security middleware
 * (headers, session, body size, anti-forgery) runs before both, and every error ends on a page without a
 * stack trace.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { Hono } from 'hono'
import type { AppContext } from './compose'
import type { AppEnv } from './env'
import { isLang, t } from './i18n'
import { securityHeaders } from './security/headers'
import { DEFAULT_BODY_LIMITS, bodyLimitMiddleware } from './security/body-limit'
import { csrfMiddleware, readableRequestMiddleware, sessionMiddleware, writeLangCookie } from './security/middleware'
import { siteFactsOf } from './site-facts'
import { errorPage } from './views/render'
import { formatBytes } from './staff/documents'
import { devRoutes } from './dev/routes'
import { portalRoutes } from './portal/routes'
import { staffRoutes } from './staff/routes'

const require = createRequire(import.meta.url)
const STATIC: Record<string, { type: string; body: string }> = {
  'htmx.min.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8') },
  'app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(resolve(import.meta.dirname, '..', 'static', 'app.js'), 'utf8') },
  'app.css': { type: 'text/css; charset=utf-8', body: readFileSync(resolve(import.meta.dirname, '..', 'static', 'app.css'), 'utf8') },
}

/** The Hono app of the host, over a composed context. */
export function createApp(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('*', securityHeaders({ https: ctx.config.https }))
  app.get('/static/:file', (c) => {
    const file = STATIC[c.req.param('file')]
    if (!file) return c.text('Not found', 404)
    c.header('Cache-Control', 'public, max-age=3600')
    c.header('Content-Type', file.type)
    return c.body(file.body)
  })
  app.use('*', async (c, next) => {
    c.set('ctx', ctx)
    c.set('site', await siteFactsOf(ctx))
    await next()
  })
  app.use('*', sessionMiddleware())
  // before anything reads a body (the anti-forgery check parses forms): a body over its route's limit is refused, read no further
  const bodyLimits = { ...DEFAULT_BODY_LIMITS, ...ctx.config.bodyLimits }
  app.use('*', bodyLimitMiddleware(bodyLimits, (c, maxBytes) => errorPage(c, 413, t(c.var.lang, 'error.tooLarge', { max: formatBytes(c.var.lang, maxBytes) }))))
  app.use('*', csrfMiddleware((c) => errorPage(c, 403, t(c.var.lang, 'error.csrf'))))
  app.use('*', readableRequestMiddleware((c) => errorPage(c, 400)))

  app.post('/lang', async (c) => {
    const body = await c.req.parseBody()
    if (isLang(body.lang)) {
      c.var.session.lang = body.lang
      writeLangCookie(c, body.lang)
    }
    // back to the page the form was on: a path of this host only (a Referer of `http://host//evil.example/`
    // has the path `//evil.example/`, which a browser reads as another site)
    const back = c.req.header('Referer')
    let to = '/'
    if (back && URL.canParse(back)) {
      const u = new URL(back)
      if (u.host === c.req.header('Host') && /^\/(?![/\\])/.test(u.pathname)) to = u.pathname + u.search
    }
    return c.redirect(to, 303)
  })

  if (ctx.config.devMailbox) app.route('/dev', devRoutes())
  app.route('/staff', staffRoutes())
  app.route('/', portalRoutes())

  app.notFound((c) => errorPage(c, 404))
  app.onError((err, c) => {
    const ref = randomUUID().slice(0, 8)
    ctx.log(`error ${ref} on ${c.req.method} ${c.req.path}`, err)
    if (!c.var.session) return c.text(`Error (reference ${ref})`, 500)
    return errorPage(c, 500, t(c.var.lang ?? 'fr', 'error.server', { ref }))
  })
  return app
}

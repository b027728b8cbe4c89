/**
 * The back office, mounted at `/staff` (issue 18 builds it here; this is its starting point): the
 * staff login (a user's e-mail and password, the same session, anti-forgery and rate-limit rules
 * as the portal) and a placeholder home.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { hashPassword, verifyPassword } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { t } from '../i18n'
import { writeSessionCookie } from '../security/middleware'
import { clientAddress } from '../portal/auth'
import { CsrfField, Field, Layout } from '../views/layout'
import { html } from '../views/render'

/** Lets only a logged-in staff user through. */
export function requireStaff(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const subject = c.var.session.subject
    if (!subject || subject.kind !== 'user') return c.req.method === 'GET' ? c.redirect('/staff/login', 303) : c.text('Forbidden', 403)
    return next()
  }
}

let dummy: Promise<string> | undefined

/** The staff routes. */
export function staffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const LoginPage = (p: { c: Context<AppEnv>; error?: string; login?: string }) => (
    <Layout lang={p.c.var.lang} title={t(p.c.var.lang, 'staff.login')} area={t(p.c.var.lang, 'app.staffTitle')} session={p.c.var.session} notice={p.error ? { kind: 'error', text: p.error } : undefined}>
      <form method="post" action="/staff/login" class="card">
        <CsrfField session={p.c.var.session} />
        <Field label={t(p.c.var.lang, 'login.username')} name="username" type="email" autocomplete="username" value={p.login} />
        <Field label={t(p.c.var.lang, 'login.password')} name="password" type="password" autocomplete="current-password" />
        <button type="submit">{t(p.c.var.lang, 'login.submit')}</button>
      </form>
    </Layout>
  )
  app.get('/login', (c) => html(c, <LoginPage c={c} />))
  app.post('/login', async (c) => {
    const { ctx, lang } = c.var
    const siteId = ctx.config.siteId
    const body = await c.req.parseBody()
    const login = (typeof body.username === 'string' ? body.username : '').trim().toLowerCase()
    const password = typeof body.password === 'string' ? body.password : ''
    const keys = [`staff:${login}`, `ip:${clientAddress(c)}`]
    const delay = ctx.slowDown.delayFor(keys)
    if (delay > 0) await ctx.sleep(delay)
    const users = await ctx.storage.access!.listUsers(siteId, { limit: 500 })
    const user = users.items.find((u) => u.login === login)
    const credential = user && (await ctx.storage.access!.getCredential(siteId, { kind: 'user', id: user.id }))
    const ok = credential ? await verifyPassword(password, credential.passwordHash) : (await verifyPassword(password, await (dummy ??= hashPassword('not anyone'))), false)
    if (!ok || !user) {
      ctx.slowDown.fail(keys)
      return html(c, <LoginPage c={c} error={t(lang, 'login.failed')} login={login} />, 401)
    }
    ctx.slowDown.succeed(keys[0]!)
    const session = ctx.sessions.login(c.var.session, siteId, { kind: 'user', id: user.id })
    writeSessionCookie(c, session)
    return c.redirect('/staff', 303)
  })
  app.post('/logout', (c) => {
    c.var.ctx.sessions.end(c.var.session.id)
    return c.redirect('/staff/login', 303)
  })
  app.use('*', requireStaff())
  app.get('/', async (c) => {
    const { lang, session, ctx } = c.var
    const user = await ctx.storage.access!.getUser(ctx.config.siteId, session.subject!.id)
    return html(c,
      <Layout lang={lang} title={t(lang, 'staff.home')} area={t(lang, 'app.staffTitle')} session={session} logoutAction="/staff/logout">
        <p>{user ? `${user.firstName} ${user.lastName} (${user.roleId})` : ''}</p>
        <p>{t(lang, 'staff.placeholder')}</p>
      </Layout>,
    )
  })
  return app
}


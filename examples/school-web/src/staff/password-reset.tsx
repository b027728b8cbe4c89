/**
 * A staff member who lost their login or password (seed 001, "Connexion": the login is the
 * e-mail; with it they ask for a new password and follow the mailed procedure). `/staff/forgot`
 * asks the library for a reset token mailed to that address (`requestUserPasswordReset`: the
 * same answer whether a user has the address or not), `/staff/token` sets the new password with
 * it (`setUserPasswordWithToken`: the token must be that login's, the change is audited in the same
 * transaction) and signs the person in, ending their other sessions. Attempts are slowed, as on the
 * login form, never locked out.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { requestUserPasswordReset, setUserPasswordWithToken } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { t, type MessageKey } from '../i18n'
import { clientAddress, startAttempt } from '../portal/auth'
import { writeSessionCookie } from '../security/middleware'
import { checkPassword, MIN_PASSWORD_LENGTH } from '../security/passwords'
import { CsrfField, Field, Layout } from '../views/layout'
import { html } from '../views/render'
import { noticeSender, siteMailIdentity } from '../mail-sender'

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

function ForgotPage(p: { c: Context<AppEnv>; sent?: boolean; refused?: boolean }) {
  const lang = p.c.var.lang
  return (
    <Layout lang={lang} title={t(lang, 'forgot.title')} area={t(lang, 'app.staffTitle')} session={p.c.var.session} notice={p.refused ? { kind: 'error', text: t(lang, 'error.slowDown') } : p.sent ? { kind: 'ok', text: t(lang, 'forgot.sent') } : undefined}>
      <p>{t(lang, 'staff.forgot.intro')}</p>
      <form method="post" action="/staff/forgot" class="card">
        <CsrfField session={p.c.var.session} />
        <Field label={t(lang, 'staff.forgot.email')} name="email" type="email" autocomplete="username" />
        <button type="submit">{t(lang, 'forgot.submit')}</button>
      </form>
      <p><a href="/staff/token">{t(lang, 'staff.token.link')}</a></p>
      <p><a href="/staff/login">{t(lang, 'login.title')}</a></p>
    </Layout>
  )
}

function TokenPage(p: { c: Context<AppEnv>; errors?: string[]; username?: string }) {
  const lang = p.c.var.lang
  return (
    <Layout lang={lang} title={t(lang, 'token.title')} area={t(lang, 'app.staffTitle')} session={p.c.var.session} notice={p.errors?.length ? { kind: 'error', text: p.errors.join(' ') } : undefined}>
      <p id="token-help">{t(lang, 'token.help', { min: MIN_PASSWORD_LENGTH })}</p>
      <form method="post" action="/staff/token" class="card">
        <CsrfField session={p.c.var.session} />
        <Field label={t(lang, 'login.username')} name="username" type="email" autocomplete="username" value={p.username} />
        <Field label={t(lang, 'token.token')} name="token" autocomplete="one-time-code" describedBy="token-help" />
        <Field label={t(lang, 'token.newPassword')} name="password" type="password" autocomplete="new-password" />
        <Field label={t(lang, 'token.confirm')} name="confirmation" type="password" autocomplete="new-password" />
        <button type="submit">{t(lang, 'token.submit')}</button>
      </form>
      <p><a href="/staff/forgot">{t(lang, 'staff.forgot.link')}</a></p>
    </Layout>
  )
}

/**
 * The forgotten-password routes of the back office (mounted at `/staff`, before sign-in is required).
 *
 * @example
 * app.route('/', staffPasswordRoutes()) // inside the /staff app, before requireStaff()
 */
export function staffPasswordRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/forgot', (c) => html(c, <ForgotPage c={c} />))
  app.post('/forgot', async (c) => {
    const { ctx, lang } = c.var
    const body = await c.req.parseBody()
    const email = str(body.email).trim().toLowerCase()
    // every request counts and none is forgiven (a flood is slowed); the client's address has the
    // reset requests' own budget (`forgot-ip:`, shared with the portal's), not the logins' one
    const attempt = await startAttempt(c, [`staff-forgot:${email}`, `forgot-ip:${clientAddress(c)}`])
    if (!attempt) return html(c, <ForgotPage c={c} refused />, 429)
    try {
      if (email.length > 0 && email.length <= 254) {
        await requestUserPasswordReset({ storage: ctx.storage, ids: ctx.ids }, {
          siteId: ctx.config.siteId, login: email, now: ctx.clock.now(),
          notify: { ...noticeSender(await siteMailIdentity(ctx, ctx.config.siteId)), locale: lang, portalUrl: `${ctx.config.publicUrl}/staff/token`, requestId: randomUUID() },
        })
        void ctx.flushMail().catch((e: unknown) => ctx.log('mail', e))
      }
      return html(c, <ForgotPage c={c} sent />)
    } finally {
      attempt.end()
    }
  })

  app.get('/token', (c) => html(c, <TokenPage c={c} />))
  app.post('/token', async (c) => {
    const { ctx, lang } = c.var
    const siteId = ctx.config.siteId
    const body = await c.req.parseBody()
    const username = str(body.username).trim().toLowerCase()
    const password = str(body.password)
    const confirmation = str(body.confirmation)
    // the password's rules are checked before the attempt starts: they tell nothing about the token
    const hostCodes = checkPassword(password, confirmation)
    if (hostCodes.length > 0) {
      return html(c, <TokenPage c={c} username={username} errors={hostCodes.map((code) => t(lang, `password.${code}` as MessageKey, { min: MIN_PASSWORD_LENGTH }))} />, 400)
    }
    const attempt = await startAttempt(c, [`staff-token:${username}`, `ip:${clientAddress(c)}`])
    if (!attempt) return html(c, <TokenPage c={c} username={username} errors={[t(lang, 'error.slowDown')]} />, 429)
    try {
      const outcome = await setUserPasswordWithToken({ storage: ctx.storage }, {
        siteId, login: username, token: str(body.token), password, confirmation, now: ctx.clock.now(), policy: { minLength: MIN_PASSWORD_LENGTH }, auditId: `staff:${randomUUID()}`,
      })
      if (!outcome.ok) {
        const messages = outcome.codes.map((code) => (code.startsWith('PASSWORD') ? t(lang, `password.${code}` as MessageKey, { min: MIN_PASSWORD_LENGTH }) : t(lang, `token.${code}` as MessageKey)))
        return html(c, <TokenPage c={c} username={username} errors={messages} />, outcome.codes.some((x) => x === 'TOKEN_USED' || x === 'TOKEN_EXPIRED') ? 410 : 400)
      }
      attempt.succeed()
      // a new password ends every session of this person, then this browser signs in afresh
      ctx.sessions.endAllOf(siteId, { kind: 'user', id: outcome.userId })
      const session = ctx.sessions.login(c.var.session, siteId, { kind: 'user', id: outcome.userId })
      writeSessionCookie(c, session)
      return c.redirect('/staff', 303)
    } finally {
      attempt.end()
    }
  })
  return app
}

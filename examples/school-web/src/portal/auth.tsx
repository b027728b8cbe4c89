/**
 * Logging in to the portal (seed 004): username and password; first login and reset with a
 * one-time token (username, token pasted with or without spaces, the new password twice, then
 * logged in); "forgotten password" sends a new token and answers the same whether the address
 * exists or not. Attempts are slowed, never locked out.
 */
import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { auditEntry } from '@ecole/core'
import { hashToken, mayUsePortal, requestPasswordReset, setPasswordWithToken, verifyPortalPassword } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { t, type Lang } from '../i18n'
import { MIN_PASSWORD_LENGTH, checkPassword } from '../security/passwords'
import type { Attempt } from '../security/rate-limit'
import { writeSessionCookie } from '../security/middleware'
import { portalText } from '../stored-settings'
import { CsrfField, Field, Layout } from '../views/layout'
import { html } from '../views/render'
import { noticeSender, siteMailIdentity } from '../mail-sender'

/** The client's address (for rate limits), or `unknown` outside a real server. */
export function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/**
 * Starts a rate-limited attempt of these keys (`security/rate-limit.ts`): waits the delay their
 * failures impose and returns the attempt, already counted as a failure (the route ends it in a
 * `finally`, and calls `succeed()` when it succeeded); or, while another attempt of a slowed key is
 * under way, sets `Retry-After` and returns undefined: the route answers 429.
 */
export async function startAttempt(c: Context<AppEnv>, keys: readonly string[]): Promise<Attempt | undefined> {
  const start = c.var.ctx.slowDown.begin(keys)
  if (!start.ok) {
    c.header('Retry-After', String(Math.ceil(start.retryAfterMs / 1000)))
    return undefined
  }
  try {
    if (start.delayMs > 0) await c.var.ctx.sleep(start.delayMs)
  } catch (error) {
    start.attempt.end()
    throw error
  }
  return start.attempt
}

/** The site's stored login and contact texts in a language (read before rendering the login page). */
async function loginTexts(c: Context<AppEnv>, lang: Lang): Promise<{ login: string; contact: string }> {
  return { login: await portalText(c.var.ctx, 'login', lang), contact: await portalText(c.var.ctx, 'contact', lang) }
}

const LoginPage = (p: { lang: Lang; c: Context<AppEnv>; texts: { login: string; contact: string }; error?: string; username?: string }) => (
  <Layout lang={p.lang} title={t(p.lang, 'login.title')} session={p.c.var.session} notice={p.error ? { kind: 'error', text: p.error } : undefined}>
    <p>{p.texts.login}</p>
    <form method="post" action="/login" class="card">
      <CsrfField session={p.c.var.session} />
      <Field label={t(p.lang, 'login.username')} name="username" type="email" autocomplete="username" value={p.username} />
      <Field label={t(p.lang, 'login.password')} name="password" type="password" autocomplete="current-password" />
      <button type="submit">{t(p.lang, 'login.submit')}</button>
    </form>
    <p><a href="/token">{t(p.lang, 'login.tokenLink')}</a></p>
    <p><a href="/forgot">{t(p.lang, 'login.forgotLink')}</a></p>
    <aside class="card muted">{p.texts.contact}</aside>
  </Layout>
)

const TokenPage = (p: { lang: Lang; c: Context<AppEnv>; errors?: string[]; username?: string; status?: 200 | 400 | 410 }) => (
  <Layout lang={p.lang} title={t(p.lang, 'token.title')} session={p.c.var.session} notice={p.errors?.length ? { kind: 'error', text: p.errors.join(' ') } : undefined}>
    <p id="token-help">{t(p.lang, 'token.help', { min: MIN_PASSWORD_LENGTH })}</p>
    <form method="post" action="/token" class="card">
      <CsrfField session={p.c.var.session} />
      <Field label={t(p.lang, 'login.username')} name="username" type="email" autocomplete="username" value={p.username} />
      <Field label={t(p.lang, 'token.token')} name="token" autocomplete="one-time-code" describedBy="token-help" />
      <Field label={t(p.lang, 'token.newPassword')} name="password" type="password" autocomplete="new-password" />
      <Field label={t(p.lang, 'token.confirm')} name="confirmation" type="password" autocomplete="new-password" />
      <button type="submit">{t(p.lang, 'token.submit')}</button>
    </form>
    <p><a href="/forgot">{t(p.lang, 'login.forgotLink')}</a></p>
  </Layout>
)

const ForgotPage = (p: { lang: Lang; c: Context<AppEnv>; sent?: boolean; refused?: boolean }) => (
  <Layout lang={p.lang} title={t(p.lang, 'forgot.title')} session={p.c.var.session} notice={p.refused ? { kind: 'error', text: t(p.lang, 'error.slowDown') } : p.sent ? { kind: 'ok', text: t(p.lang, 'forgot.sent') } : undefined}>
    <form method="post" action="/forgot" class="card">
      <CsrfField session={p.c.var.session} />
      <Field label={t(p.lang, 'forgot.email')} name="email" type="email" autocomplete="email" />
      <button type="submit">{t(p.lang, 'forgot.submit')}</button>
    </form>
    <p><a href="/token">{t(p.lang, 'login.tokenLink')}</a></p>
  </Layout>
)

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** The login, token and reset routes (mounted at `/`). */
export function authRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/login', async (c) => html(c, <LoginPage lang={c.var.lang} c={c} texts={await loginTexts(c, c.var.lang)} />))
  app.post('/login', async (c) => {
    const { ctx, lang } = c.var
    const body = await c.req.parseBody()
    const username = str(body.username).trim().toLowerCase()
    const attempt = await startAttempt(c, [`login:${username}`, `ip:${clientAddress(c)}`])
    if (!attempt) return html(c, <LoginPage lang={lang} c={c} texts={await loginTexts(c, lang)} error={t(lang, 'error.slowDown')} username={username} />, 429)
    try {
      const storage = ctx.storage
      // given the directory, an archived guardian is refused like a wrong password
      const result = await verifyPortalPassword({ access: storage.access!, directory: storage.directory!, siteId: ctx.config.siteId, login: username, password: str(body.password) })
      if (!result.ok) return html(c, <LoginPage lang={lang} c={c} texts={await loginTexts(c, lang)} error={t(lang, 'login.failed')} username={username} />, 401)
      attempt.succeed()
      const session = ctx.sessions.login(c.var.session, ctx.config.siteId, { kind: 'guardian', id: result.guardianId })
      writeSessionCookie(c, session)
      return c.redirect('/', 303)
    } finally {
      attempt.end()
    }
  })

  app.get('/token', (c) => html(c, <TokenPage lang={c.var.lang} c={c} />))
  app.post('/token', async (c) => {
    const { ctx, lang } = c.var
    const siteId = ctx.config.siteId
    const body = await c.req.parseBody()
    const username = str(body.username).trim().toLowerCase()
    const token = str(body.token).trim()
    // the password's rules are checked before the attempt starts: they tell nothing about the token
    const passwordCodes = checkPassword(str(body.password), str(body.confirmation))
    if (passwordCodes.length > 0) {
      return html(c, <TokenPage lang={lang} c={c} username={username} errors={passwordCodes.map((code) => t(lang, `password.${code}`, { min: MIN_PASSWORD_LENGTH }))} />, 400)
    }
    const attempt = await startAttempt(c, [`token:${username}`, `ip:${clientAddress(c)}`])
    if (!attempt) return html(c, <TokenPage lang={lang} c={c} username={username} errors={[t(lang, 'error.slowDown')]} />, 429)
    try {
      const outcome = await ctx.storage.transaction(siteId, async (tx) => {
        const access = tx.access!
        const account = await access.findPortalAccountByLogin(siteId, username)
        const record = token ? await access.findOneTimeTokenByHash(siteId, hashToken(token)) : undefined
        // a token shown with another person's username is refused without being used up
        if (record && (!account || record.subject.kind !== 'guardian' || record.subject.id !== account.guardianId)) return { ok: false as const, codes: ['WRONG_USER' as const] }
        // a guardian archived while their access stayed open: the token is refused, and not used up
        if (record && account && !(await mayUsePortal({ access, directory: tx.directory!, siteId, guardianId: account.guardianId }))) return { ok: false as const, codes: ['TOKEN_UNKNOWN' as const] }
        const result = await setPasswordWithToken({ access, siteId, token, password: str(body.password), confirmation: str(body.confirmation), now: ctx.clock.now(), policy: { minLength: MIN_PASSWORD_LENGTH } })
        // the password change is audited in its own transaction (never the password itself)
        if (result.ok && tx.audit && result.subject.kind === 'guardian') {
          const guardian = await tx.directory?.getDirectoryRecord(siteId, 'guardian', result.subject.id)
          await tx.audit.recordAuditEntries(siteId, [auditEntry({
            id: `portal:${randomUUID()}`, siteId, at: ctx.clock.now().toISOString(), actor: { kind: 'guardian', id: result.subject.id }, action: 'password.changed',
            subject: { kind: 'guardian', id: result.subject.id }, ...(guardian ? { householdId: guardian.householdId } : {}),
          })])
        }
        return result
      })
      if (!outcome.ok) {
        const messages = outcome.codes.map((code) => (code.startsWith('PASSWORD') ? t(lang, `password.${code}` as 'password.PASSWORDS_DIFFER', { min: MIN_PASSWORD_LENGTH }) : t(lang, `token.${code}` as 'token.TOKEN_USED')))
        return html(c, <TokenPage lang={lang} c={c} username={username} errors={messages} />, outcome.codes.some((x) => x === 'TOKEN_USED' || x === 'TOKEN_EXPIRED') ? 410 : 400)
      }
      attempt.succeed()
      // a new password ends every session of this person, then this browser logs in afresh
      ctx.sessions.endAllOf(siteId, { kind: 'guardian', id: outcome.subject.id })
      const session = ctx.sessions.login(c.var.session, siteId, { kind: 'guardian', id: outcome.subject.id })
      writeSessionCookie(c, session)
      return c.redirect('/', 303)
    } finally {
      attempt.end()
    }
  })

  app.get('/forgot', (c) => html(c, <ForgotPage lang={c.var.lang} c={c} />))
  app.post('/forgot', async (c) => {
    const { ctx, lang } = c.var
    const body = await c.req.parseBody()
    const email = str(body.email).trim().toLowerCase()
    // every reset request counts and none is forgiven: a flood of them is slowed, per address typed
    // and per client address; the client's address has its own budget here (`forgot-ip:`), so a
    // parent's few reset requests never slow their own login
    const attempt = await startAttempt(c, [`forgot:${email}`, `forgot-ip:${clientAddress(c)}`])
    if (!attempt) return html(c, <ForgotPage lang={lang} c={c} refused />, 429)
    try {
      if (email.length > 0 && email.length <= 254) {
        await requestPasswordReset({ storage: ctx.storage, ids: ctx.ids }, {
          siteId: ctx.config.siteId, login: email, now: ctx.clock.now(),
          notify: { ...noticeSender(await siteMailIdentity(ctx, ctx.config.siteId)), locale: lang, portalUrl: ctx.config.publicUrl, requestId: randomUUID() },
        })
        void ctx.flushMail().catch((e: unknown) => ctx.log('mail', e))
      }
      return html(c, <ForgotPage lang={lang} c={c} sent />)
    } finally {
      attempt.end()
    }
  })

  app.post('/logout', (c) => {
    c.var.ctx.sessions.end(c.var.session.id)
    return c.redirect('/login', 303)
  })
  return app
}

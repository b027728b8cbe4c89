/**
 * `/dev/mailbox`: the messages the development SMTP server received (only when `devMailbox` is on,
 * `DEV_MAILBOX=1`). The page shows every mail, password reset codes included: it answers only a
 * request that comes from the host itself (a loopback address, without a proxy's forwarding
 * header); any other gets the 404 of a page that does not exist.
 */
import type { IncomingMessage } from 'node:http'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { formatDate, t } from '../i18n'
import { Layout } from '../views/layout'
import { html } from '../views/render'

/**
 * Whether an address is a loopback one (127.0.0.0/8, `::1`, or 127.x written as an IPv4-mapped IPv6 address).
 *
 * @example
 * isLoopbackAddress('127.0.0.1') //=> true
 * isLoopbackAddress('::ffff:127.0.0.1') //=> true
 * isLoopbackAddress('192.168.1.20') //=> false
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false
  const v4 = address.toLowerCase().replace(/^::ffff:/, '')
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)
}

/** The headers a proxy adds when it forwards a request from elsewhere: such a request is not the host's own, whatever the socket says. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host']

/**
 * Whether a request comes from the host itself: its socket's peer (the Node server's
 * `incoming`) is a loopback address and no proxy forwarded it. A request with no socket (an
 * in-process `app.request`) is not.
 *
 * @example
 * app.use('/dev/*', async (c, next) => (fromLoopback(c) ? next() : c.notFound()))
 */
export function fromLoopback(c: Context<AppEnv>): boolean {
  const env = c.env as { incoming?: IncomingMessage; server?: { incoming?: IncomingMessage } } | undefined
  const incoming = env?.server?.incoming ?? env?.incoming
  if (!isLoopbackAddress(incoming?.socket?.remoteAddress)) return false
  return FORWARDING_HEADERS.every((h) => c.req.header(h) === undefined)
}

/** The development pages. */
export function devRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('*', async (c, next) => {
    if (!fromLoopback(c)) return c.notFound()
    await next()
  })
  app.get('/mailbox', (c) => {
    const { lang, session } = c.var
    const messages = c.var.ctx.mailbox?.messages ?? []
    return html(c,
      <Layout lang={lang} title={t(lang, 'mailbox.title')} session={session}>
        {messages.length === 0 ? <p>{t(lang, 'mailbox.empty')}</p> : null}
        {messages.map((m) => (
          <article class="card">
            <h2>{m.subject}</h2>
            <p class="muted">{m.to.join(', ')} · {formatDate(lang, m.receivedAt.toISOString())} {m.receivedAt.toISOString().slice(11, 19)} UTC</p>
            <pre>{m.text}</pre>
          </article>
        ))}
      </Layout>,
    )
  })
  return app
}

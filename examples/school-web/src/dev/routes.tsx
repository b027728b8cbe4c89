/** `/dev/mailbox`: the messages the development SMTP server received (only when `devMailbox` is on). */
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { formatDate, t } from '../i18n'
import { Layout } from '../views/layout'
import { html } from '../views/render'

/** The development pages. */
export function devRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
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

/**
 * The page layout and the shared components. Hono's JSX escapes every text and attribute it
 * renders; nothing here writes raw HTML. No inline script or style: `/static/app.css`,
 * `/static/app.js` (copy buttons) and htmx are files of this origin.
 */
import type { Child, FC, PropsWithChildren } from 'hono/jsx'
import { LANGUAGE_NAMES, LANGUAGES, t, type Lang } from '../i18n'
import type { Session } from '../security/sessions'

/** What every page knows. */
export interface PageProps {
  lang: Lang
  title: string
  session: Session
  /** Navigation links shown when logged in (portal or staff). */
  nav?: Array<{ href: string; label: string; current?: boolean }> | undefined
  /** Shown at the top of the main area (a result, an error), announced to screen readers. */
  notice?: { kind: 'ok' | 'error'; text: string } | undefined
  /** The area's name in the header. */
  area?: string | undefined
  /** The form that ends the session (portal or staff). */
  logoutAction?: string | undefined
}

/** The hidden anti-forgery field every form carries. */
export const CsrfField: FC<{ session: Session }> = ({ session }) => <input type="hidden" name="_csrf" value={session.csrf} />

/** A labelled input. */
export const Field: FC<{ label: string; name: string; type?: string; value?: string; autocomplete?: string; required?: boolean; inputmode?: 'text' | 'numeric' | 'email'; describedBy?: string }> = (p) => (
  <p class="field">
    <label for={`f-${p.name}`}>{p.label}</label>
    <input id={`f-${p.name}`} name={p.name} type={p.type ?? 'text'} value={p.value} autocomplete={p.autocomplete} required={p.required ?? true} inputmode={p.inputmode} aria-describedby={p.describedBy} />
  </p>
)

/** A value with a copy button (the button appears when JavaScript runs; the value can always be selected). */
export const Copyable: FC<{ lang: Lang; label: string; value: string; id: string }> = ({ lang, label, value, id }) => (
  <div class="copyable">
    <dt>{label}</dt>
    <dd>
      <code id={id}>{value}</code>{' '}
      <button type="button" class="copy" data-copy={id} data-copied={t(lang, 'copied')} hidden>
        {t(lang, 'copy')}
      </button>
    </dd>
  </div>
)

/** The page. */
export const Layout: FC<PropsWithChildren<PageProps>> = (p) => (
  <html lang={p.lang}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}' />
      <title>{`${p.title} · ${p.area ?? t(p.lang, 'app.title')}`}</title>
      <link rel="stylesheet" href="/static/app.css" />
      <script src="/static/htmx.min.js" defer></script>
      <script src="/static/app.js" defer></script>
    </head>
    <body hx-headers={JSON.stringify({ 'X-CSRF-Token': p.session.csrf })}>
      <a class="skip" href="#main">{t(p.lang, 'nav.skip')}</a>
      <header class="top">
        <span class="brand">{p.area ?? t(p.lang, 'app.title')}</span>
        {p.nav ? (
          <nav aria-label={p.area ?? t(p.lang, 'app.title')}>
            <ul>
              {p.nav.map((n) => (
                <li>
                  <a href={n.href} aria-current={n.current ? 'page' : undefined}>{n.label}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <form method="post" action="/lang" class="lang">
          <CsrfField session={p.session} />
          <label for="lang-select">{t(p.lang, 'lang.label')}</label>{' '}
          <select id="lang-select" name="lang">
            {LANGUAGES.map((l) => (
              <option value={l} selected={l === p.lang} lang={l}>{LANGUAGE_NAMES[l]}</option>
            ))}
          </select>{' '}
          <button type="submit">{t(p.lang, 'lang.choose')}</button>
        </form>
        {p.logoutAction ? (
          <form method="post" action={p.logoutAction} class="logout">
            <CsrfField session={p.session} />
            <button type="submit">{t(p.lang, 'nav.logout')}</button>
          </form>
        ) : null}
      </header>
      <main id="main" tabindex={-1}>
        <h1>{p.title}</h1>
        {p.notice ? (
          <p class={`notice ${p.notice.kind}`} role={p.notice.kind === 'error' ? 'alert' : 'status'}>
            {p.notice.text}
          </p>
        ) : null}
        {p.children as Child}
      </main>
    </body>
  </html>
)

/** An error page: a message and a reference, never a stack trace. */
export const ErrorPage: FC<{ lang: Lang; session: Session; title: string; message: string }> = (p) => (
  <Layout lang={p.lang} title={p.title} session={p.session}>
    <p>{p.message}</p>
    <p>
      <a href="/">{t(p.lang, 'nav.home')}</a>
    </p>
  </Layout>
)

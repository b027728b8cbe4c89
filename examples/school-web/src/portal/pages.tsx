/** The logged-in portal pages. */
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { t } from '../i18n'
import { portalText } from '../site-settings'
import { Layout } from '../views/layout'
import { html } from '../views/render'
import { portalNav } from './nav'

/** The pages of a logged-in guardian. */
export function pagesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/', async (c) => {
    const { lang, session, ctx } = c.var
    const guardian = await ctx.storage.directory!.getDirectoryRecord(ctx.config.siteId, 'guardian', session.subject!.id)
    return html(c,
      <Layout lang={lang} title={t(lang, 'home.title')} session={session} nav={portalNav(lang, '/')} logoutAction="/logout">
        <p>{t(lang, 'home.hello', { name: guardian ? `${guardian.firstName} ${guardian.lastName}` : '' })}</p>
        <p>{portalText('home', lang)}</p>
      </Layout>,
    )
  })
  return app
}

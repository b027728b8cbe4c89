import type { AppContext } from './compose'
import type { Lang } from './i18n'
import type { Session } from './security/sessions'
import type { SiteFacts } from './site-facts'

/** The Hono environment of every route: the context, the stored site's facts, the visitor's session and language. */
export type AppEnv = {
  Variables: {
    ctx: AppContext
    /** The stored site's name, country and time zone (`site-facts.ts`). */
    site: SiteFacts
    session: Session
    lang: Lang
  }
}

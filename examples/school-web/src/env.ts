import type { AppContext } from './compose'
import type { Lang } from './i18n'
import type { Session } from './security/sessions'

/** The Hono environment of every route: the context, the visitor's session and language. */
export type AppEnv = {
  Variables: {
    ctx: AppContext
    session: Session
    lang: Lang
  }
}

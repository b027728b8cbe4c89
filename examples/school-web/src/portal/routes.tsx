/**
 * The families' portal, mounted at `/`: the login pages (`auth`), then, for a logged-in guardian,
 * the dashboard, invoices, bookings, statement and documents. Every page reads only the logged-in
 * guardian's own records: ids in URLs and forms are always checked against them.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import { mayUsePortal } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { authRoutes } from './auth'
import { bookingRoutes } from './bookings'
import { historyRoutes } from './history'
import { consentRoutes } from './consents'
import { creditNoteRoutes } from './credit-notes'
import { pagesRoutes } from './pages'
import { statementRoutes } from './statement'

/**
 * How long a guardian's right to use the portal, once read, holds for their session (15 s): the
 * host that archives a guardian or closes their access ends their sessions at once; a guardian
 * archived by another process sharing the database (another instance of the host, a script) loses
 * the sessions opened before within this time. Reading it on every request cost the invoices page
 * a third of its rate on PGlite (`docs/performance.md`).
 */
export const PORTAL_ACCESS_RECHECK_MS = 15_000

/**
 * Lets only a logged-in guardian who may still use the portal through (`mayUsePortal`: their
 * access open and their record not archived; others go to the login page), read again at most
 * every {@link PORTAL_ACCESS_RECHECK_MS} of the session's requests: access closed or the guardian
 * archived, it ends the sessions opened before.
 */
export function requireGuardian(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = c.var.session
    const subject = session.subject
    const { ctx } = c.var
    // the session's clock: lastSeenAt is this request's instant
    const due = subject?.kind === 'guardian' && (session.portalCheckedAt === undefined || session.lastSeenAt - session.portalCheckedAt >= PORTAL_ACCESS_RECHECK_MS)
    const closed = due && !(await mayUsePortal({ access: ctx.storage.access!, directory: ctx.storage.directory!, siteId: ctx.config.siteId, guardianId: subject.id }))
    if (due && !closed) session.portalCheckedAt = session.lastSeenAt
    if (!subject || subject.kind !== 'guardian' || closed) {
      // only a guardian's session whose access was closed ends here: a staff user's session (the
      // browser asking /favicon.ico from a back-office page) is not the portal's to end
      if (closed) ctx.sessions.end(c.var.session.id)
      if (c.req.method === 'GET') return c.redirect('/login', 303)
      return c.text('Forbidden', 403)
    }
    return next()
  }
}

/** The portal's routes. */
export function portalRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.route('/', authRoutes())
  app.use('*', requireGuardian())
  app.route('/', pagesRoutes())
  app.route('/', creditNoteRoutes())
  app.route('/', bookingRoutes())
  app.route('/', consentRoutes())
  app.route('/', statementRoutes())
  app.route('/', historyRoutes())
  return app
}

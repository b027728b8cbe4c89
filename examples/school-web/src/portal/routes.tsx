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
import { pagesRoutes } from './pages'
import { statementRoutes } from './statement'

/**
 * Lets only a logged-in guardian who may still use the portal through (`mayUsePortal`: their
 * access open and their record not archived; others go to the login page). It is read on every
 * request, as the back office reads its user: access closed or the guardian archived by the
 * school (or by another host process sharing the database), it ends the sessions opened before.
 */
export function requireGuardian(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const subject = c.var.session.subject
    const { ctx } = c.var
    const closed = subject?.kind === 'guardian' && !(await mayUsePortal({ access: ctx.storage.access!, directory: ctx.storage.directory!, siteId: ctx.config.siteId, guardianId: subject.id }))
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
  app.route('/', bookingRoutes())
  app.route('/', consentRoutes())
  app.route('/', statementRoutes())
  app.route('/', historyRoutes())
  return app
}

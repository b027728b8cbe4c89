/**
 * The families' portal, mounted at `/`: the login pages (`auth`), then, for a logged-in guardian,
 * the dashboard, invoices, bookings, statement and documents. Every page reads only the logged-in
 * guardian's own records: ids in URLs and forms are always checked against them.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env'
import { authRoutes } from './auth'
import { bookingRoutes } from './bookings'
import { historyRoutes } from './history'
import { consentRoutes } from './consents'
import { pagesRoutes } from './pages'
import { statementRoutes } from './statement'

/** Lets only a logged-in guardian through (others go to the login page). */
export function requireGuardian(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const subject = c.var.session.subject
    if (!subject || subject.kind !== 'guardian') {
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

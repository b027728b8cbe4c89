import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../env'
import { t } from '../i18n'
import { ErrorPage } from './layout'

/** Answers an HTML page (with its doctype). */
export async function html(c: Context<AppEnv>, node: unknown, status: ContentfulStatusCode = 200): Promise<Response> {
  const body = await Promise.resolve(String(await (node as { toString(): string | Promise<string> }).toString()))
  return c.html(`<!doctype html>${body}`, status)
}

/** An error page for a status: the message of the visitor's language, nothing technical. */
export function errorPage(c: Context<AppEnv>, status: 400 | 403 | 404 | 413 | 429 | 500, message?: string): Promise<Response> {
  const lang = c.var.lang ?? 'fr'
  const text = message ?? t(lang, status === 400 ? 'error.badRequest' : status === 404 ? 'error.notFound' : status === 403 ? 'error.forbidden' : status === 429 ? 'error.slowDown' : 'error.server', { ref: '-' })
  return html(c, <ErrorPage lang={lang} session={c.var.session} title={t(lang, 'error.title')} message={text} />, status)
}

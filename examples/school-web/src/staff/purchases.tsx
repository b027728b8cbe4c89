/**
 * The back office's purchases (issue 20): the supplier e-invoices a plesso received (FatturaPA,
 * read by `@ecole/italy` into the library's purchase store), listed when the site's "supplier
 * e-invoices" option is on. Each row names the supplier, number, date, document type and total, and
 * links to the original file as received (XML or signed `.p7m`), kept for the audit trail.
 * Seeing them takes `invoices.read` (the gate's action `purchases.list`); with the option off the
 * pages say so instead of showing anything.
 */
import type { Context, Hono } from 'hono'
import type { AccessScope, Actor } from '@ecole/core'
import type { Purchase } from '@ecole/core/ports'
import type { AppEnv } from '../env'
import { formatAmount, formatDate, t } from '../i18n'
import { html } from '../views/render'
import type { StaffAction } from './permissions'
import { pageSizeOf } from './staff-billing'

/** What the purchases pages take from the staff routes: their page frame, the gate and the signed-in actor. */
export interface PurchasePagesKit {
  Page: (p: { c: Context<AppEnv>; title: string; current?: string; notice?: { kind: 'ok' | 'error'; text: string } | undefined; children?: unknown }) => unknown
  refused: (c: Context<AppEnv>, action: StaffAction, scope: AccessScope) => Promise<Response> | undefined
  actorOfRequest: (c: Context<AppEnv>) => Actor
}

const BASE = '/staff/purchases'

/** A file name safe in a Content-Disposition header. */
function dispositionName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_')
}

/**
 * Mounts `/staff/purchases` (the list, a page at a time) and `/staff/purchases/files/:sha256` (the
 * original file) on the staff routes.
 */
export function mountPurchases(app: Hono<AppEnv>, kit: PurchasePagesKit): void {
  const { Page, refused, actorOfRequest } = kit

  /** The refusal when the site's option is off or the storage keeps no purchases; undefined when the pages may show. */
  async function unavailable(c: Context<AppEnv>, actor: Actor): Promise<Response | undefined> {
    const { lang, ctx } = c.var
    const site = await ctx.storage.directory?.getSite(actor.siteId)
    const text = !site?.options.supplierEInvoices ? t(lang, 'staff.purchases.optionOff') : !ctx.storage.purchases ? t(lang, 'staff.purchases.noStore') : undefined
    if (text === undefined) return undefined
    const P = Page as (p: Parameters<typeof Page>[0]) => never
    return html(c, <P c={c} title={t(lang, 'staff.purchases.title')} current={BASE} notice={{ kind: 'error', text }}><p><a href="/staff">{t(lang, 'staff.home')}</a></p></P>, 403)
  }

  app.get('/purchases', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'purchases.list', { siteId: actor.siteId })
    if (denied) return denied
    const off = await unavailable(c, actor)
    if (off) return off
    const after = c.req.query('after')
    const page = await ctx.storage.purchases!.listPurchases(actor.siteId, { limit: pageSizeOf(c.req.query('limit')), ...(after ? { after } : {}) })
    const P = Page as (p: Parameters<typeof Page>[0]) => never
    return html(c,
      <P c={c} title={t(lang, 'staff.purchases.title')} current={BASE}>
        {page.items.length === 0 ? <p>{t(lang, 'staff.purchases.none')}</p> : (
          <table>
            <thead><tr>
              <th scope="col">{t(lang, 'staff.purchases.supplier')}</th><th scope="col">{t(lang, 'staff.purchases.number')}</th>
              <th scope="col">{t(lang, 'staff.purchases.date')}</th><th scope="col">{t(lang, 'staff.purchases.type')}</th>
              <th scope="col" class="num">{t(lang, 'staff.purchases.total')}</th><th scope="col">{t(lang, 'staff.purchases.file')}</th>
            </tr></thead>
            <tbody>
              {page.items.map((p: Purchase) => (
                <tr>
                  <td>{p.supplier.name}{p.supplier.vatNumber ? <small>{` ${p.supplier.vatNumber}`}</small> : null}</td>
                  <td>{p.number}</td>
                  <td>{formatDate(lang, p.date)}</td>
                  <td><code>{p.documentType}</code></td>
                  <td class="num">{formatAmount(lang, p.total.minor, p.total.currency)}</td>
                  <td><a href={`${BASE}/files/${encodeURIComponent(p.fileSha256)}`} download>{t(lang, 'staff.purchases.download')}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {page.next ? <p><a href={`${BASE}?after=${encodeURIComponent(page.next)}`} rel="next">{t(lang, 'staff.next')}</a></p> : null}
      </P>,
    )
  })

  app.get('/purchases/files/:sha256', async (c) => {
    const { ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'purchases.list', { siteId: actor.siteId })
    if (denied) return denied
    const off = await unavailable(c, actor)
    if (off) return off
    const file = await ctx.storage.purchases!.getReceivedFile(actor.siteId, c.req.param('sha256'))
    if (!file) return c.notFound()
    const bytes = Buffer.from(file.contentBase64, 'base64')
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': /\.p7m$/i.test(file.fileName) ? 'application/pkcs7-mime' : 'application/xml',
      'Content-Disposition': `attachment; filename="${dispositionName(file.fileName)}"`,
      'Cache-Control': 'no-store',
    })
  })
}

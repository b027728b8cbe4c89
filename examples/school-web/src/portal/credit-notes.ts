/**
 * A family's credit notes as PDFs (@ecole/pdf's `creditNote`): a note on one of the guardian's
 * invoices, in the reader's language, issued by the stored site and billing office. The note is
 * found through its invoice, which must be the guardian's (payer or joint debtor, on the portal):
 * another family's note is not found.
 */
import type { CreditNote, Invoice } from '@ecole/core'
import { Hono } from 'hono'
import type { AppContext } from '../compose'
import type { AppEnv } from '../env'
import type { Lang } from '../i18n'
import { errorPage } from '../views/render'
import { invoiceOf } from './family'
import { printedParties } from './invoice-pdf'

/** Renders one credit note of `invoice`, naming the invoice it corrects and its lines. */
export async function creditNotePdf(ctx: AppContext, invoice: Invoice, note: CreditNote, lang: Lang): Promise<Uint8Array> {
  const { names, payer, issuer, services } = await printedParties(ctx, invoice)
  return ctx.pdf.render({ kind: 'creditNote', data: { language: lang, issuer, printedOn: note.issueDate, creditNote: note, invoice, payer, names, services } })
}

/** The credit-note routes of the portal. */
export function creditNoteRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/invoices/:id/credit-notes/:noteId/pdf', async (c) => {
    const { lang, session, ctx } = c.var
    const view = await invoiceOf(ctx, session.subject!.id, c.req.param('id'))
    if (!view) return errorPage(c, 404)
    const note = (await ctx.storage.invoicing!.listCreditNotes(ctx.config.siteId, [view.invoice.id])).find((n) => n.id === c.req.param('noteId'))
    if (!note) return errorPage(c, 404)
    const bytes = await creditNotePdf(ctx, view.invoice, note, lang)
    c.header('Content-Type', 'application/pdf')
    c.header('Content-Disposition', `attachment; filename="${note.number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"`)
    return c.body(bytes as Uint8Array<ArrayBuffer>)
  })
  return app
}

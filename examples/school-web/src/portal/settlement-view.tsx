/**
 * How an invoice was settled, as the family reads it (see `settlement.ts`): the list's columns
 * (total, paid, credit notes, left to pay) and the invoice page's table, where every credit note is
 * named and can be downloaded, so that the figures add up on the page.
 */
import type { CreditNote } from '@ecole/core'
import { colon } from '@ecole/pdf'
import type { FC } from 'hono/jsx'
import { formatAmount, formatDate, t, type Lang } from '../i18n'
import type { InvoiceSettlement } from './settlement'

/** Where a credit note's excess went: "sur la facture FAC-2027-00034 et sur votre compte prépayé". */
export function carriedToText(lang: Lang, to: InvoiceSettlement['carriedTo']): string {
  const parts = to.numbers.map((number) => t(lang, 'invoices.carriedToInvoice', { number }))
  if (to.wallet) parts.push(t(lang, 'invoices.carriedToWallet'))
  return t(lang, 'invoices.carriedOut', { where: parts.length > 0 ? parts.join(t(lang, 'invoices.and')) : t(lang, 'invoices.carriedToOthers') })
}

/** The URL of a credit note's PDF, under the invoice it corrects. */
export function creditNotePdfHref(note: Pick<CreditNote, 'id' | 'invoiceId'>): string {
  return `/invoices/${encodeURIComponent(note.invoiceId)}/credit-notes/${encodeURIComponent(note.id)}/pdf`
}

/** The list's header cells for a settlement. */
export const SettlementHeads: FC<{ lang: Lang }> = ({ lang }) => (
  <>
    <th scope="col" class="num">{t(lang, 'invoices.total')}</th>
    <th scope="col" class="num">{t(lang, 'invoices.paidCol')}</th>
    <th scope="col" class="num">{t(lang, 'invoices.creditedCol')}</th>
    <th scope="col" class="num">{t(lang, 'invoices.leftToPay')}</th>
  </>
)

/** How many columns {@link SettlementHeads} adds. */
export const SETTLEMENT_COLUMNS = 4

/** The list's cells for one invoice: total, paid by the family, credited (and what was carried away), left to pay. */
export const SettlementCells: FC<{ lang: Lang; s: InvoiceSettlement }> = ({ lang, s }) => (
  <>
    <td class="num" data-total={String(s.totalMinor)}>{formatAmount(lang, s.totalMinor)}</td>
    <td class="num" data-paid={String(s.paidMinor)}>{formatAmount(lang, s.paidMinor)}</td>
    <td class="num" data-credited={String(s.creditedMinor)}>
      {formatAmount(lang, s.creditedMinor)}
      {s.carriedOutMinor > 0n ? <span class="reason" data-carried-out={String(s.carriedOutMinor)}>{carriedToText(lang, s.carriedTo)}{colon(lang)}{formatAmount(lang, s.carriedOutMinor)}</span> : null}
    </td>
    <td class="num" data-outstanding={String(s.outstandingMinor)}>{formatAmount(lang, s.outstandingMinor)}</td>
  </>
)

/** A credit note named as the family reads it: "Avoir AV2027-000001 du 20/01/2027 : Repas non servi". */
function noteText(lang: Lang, note: CreditNote, what: string): string {
  return `${t(lang, 'invoices.creditNoteOf', { number: note.number, date: formatDate(lang, note.issueDate) })}${colon(lang)}${what}`
}

const DownloadNote: FC<{ lang: Lang; note: CreditNote }> = ({ lang, note }) => (
  <> (<a href={creditNotePdfHref(note)} download>{t(lang, 'invoices.downloadCreditNote', { number: note.number })}</a>)</>
)

/**
 * The invoice page's settlement: its total, what the family paid, each credit note (its own, and
 * the excess of a note on an earlier invoice carried to it) with its PDF, what a note freed and
 * carried away, and what is left to pay; paid + credited − carried away = total − left to pay. A
 * joint debtor reads "Payé", not "Payé par vous": the payer's payments are not theirs.
 */
export const SettlementTable: FC<{ lang: Lang; s: InvoiceSettlement; asJointDebtor: boolean }> = ({ lang, s, asJointDebtor }) => (
  <table id="settlement">
    <caption>{t(lang, 'invoices.settlement')}</caption>
    <tbody>
      <tr><th scope="row">{t(lang, 'invoices.invoiceTotal')}</th><td class="num">{formatAmount(lang, s.totalMinor)}</td></tr>
      <tr data-row="paid"><th scope="row">{t(lang, asJointDebtor ? 'invoices.paidCol' : 'invoices.paidByYou')}</th><td class="num">{formatAmount(lang, -s.paidMinor)}</td></tr>
      {s.notes.map((note) => (
        <tr data-credit-note={note.number}><th scope="row">{noteText(lang, note, note.reason)}<DownloadNote lang={lang} note={note} /></th><td class="num">{formatAmount(lang, -note.amountMinor)}</td></tr>
      ))}
      {s.carriedIn.map((c) => (
        <tr data-carried-in={c.fromInvoiceId}>
          <th scope="row">
            {c.fromNumber === undefined || c.notes.length === 0
              ? t(lang, 'invoices.carriedInOther')
              : c.notes.map((note, i) => <>{i > 0 ? <br /> : null}{noteText(lang, note, t(lang, 'invoices.carriedIn', { invoice: c.fromNumber! }))}<DownloadNote lang={lang} note={note} /></>)}
          </th>
          <td class="num">{formatAmount(lang, -c.amountMinor)}</td>
        </tr>
      ))}
      {s.carriedOutMinor > 0n ? <tr data-row="carried-out"><th scope="row">{carriedToText(lang, s.carriedTo)}</th><td class="num">{formatAmount(lang, s.carriedOutMinor)}</td></tr> : null}
    </tbody>
    <tfoot><tr data-row="left"><th scope="row">{t(lang, 'invoices.leftToPay')}</th><td class="num">{formatAmount(lang, s.outstandingMinor)}</td></tr></tfoot>
  </table>
)

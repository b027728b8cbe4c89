/**
 * What the families' portal and the back office print for an invoice line, from the facts the
 * invoice PDF prints too (`invoiceLineFacts` of @ecole/core): the exact unit price when the line
 * has one (3,333 €), and under a line the debtor pays only part of, what the whole line costs and
 * the share ("17 × 4,15 € = 70,55 € · votre part 1/2 : 35,28 €"). A line stored before these facts
 * existed prints as it always did: its price in cents, nothing under it.
 */
import { formatMoney, invoiceLineFacts, type CurrencyCode, type InvoiceLine } from '@ecole/core'
import { formatAmount, formatQuantity, LOCALES, t, type Lang } from '../i18n'

type Line = Pick<InvoiceLine, 'quantity' | 'unitPriceMinor' | 'amountMinor' | 'share' | 'grossMinor' | 'unitPrice'>

/** Who reads the share: the debtor ("votre part", the portal) or the staff ("part de ce responsable"). */
export type ShareReader = 'debtor' | 'staff'

/** The unit price of a line: its exact price with all its decimals (3,333 €), else its price in cents (4,15 €). */
export function linePriceText(lang: Lang, line: Line, currency: CurrencyCode): string {
  const facts = invoiceLineFacts(line, currency)
  return facts.exactPrice ? formatMoney(facts.unitPrice, LOCALES[lang]) : formatAmount(lang, facts.unitPrice.toMinor(), currency)
}

/**
 * The sentence under a line the debtor pays only part of: quantity × price = what the whole line
 * costs, the share in lowest terms and what the debtor pays; `undefined` for a whole line.
 */
export function lineShareNote(lang: Lang, line: Line, currency: CurrencyCode, reader: ShareReader): string | undefined {
  const facts = invoiceLineFacts(line, currency)
  if (facts.share === undefined) return undefined
  return t(lang, reader === 'debtor' ? 'invoices.shareNote' : 'staff.invoices.shareNote', {
    quantity: formatQuantity(lang, facts.quantity),
    price: linePriceText(lang, line, currency),
    gross: formatAmount(lang, facts.share.grossMinor, currency),
    share: `${facts.share.numerator}/${facts.share.denominator}`,
    amount: formatAmount(lang, facts.amountMinor, currency),
  })
}

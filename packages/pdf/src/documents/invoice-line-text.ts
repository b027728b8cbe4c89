import { formatMoney, invoiceLineFacts, type CurrencyCode, type InvoiceLineFacts } from '@ecole/core'
import type { Formatter } from '../format'
import { colon, type Language } from '../language'

type Entry = Readonly<Record<Language, string>>

/**
 * The texts of an invoice line that a payer pays only part of, in the four languages of the
 * documents: the printed share ("votre part 1/2") and the reasons the Factur-X XML gives for the
 * line allowances that make a line add up (the other payers' part; a rounding difference).
 *
 * @internal for the invoice document and its tests.
 * @example
 * LINE_TEXTS.yourShare.fr //=> 'votre part {share}'
 */
export const LINE_TEXTS = {
  yourShare: { fr: 'votre part {share}', en: 'your share {share}', it: 'vostra quota {share}', nl: 'uw deel {share}' },
  otherDebtorShare: {
    fr: "Part à la charge d'un autre débiteur",
    en: 'Share payable by another debtor',
    it: 'Quota a carico di un altro debitore',
    nl: 'Deel ten laste van een andere schuldenaar',
  },
  rounding: { fr: 'Arrondi', en: 'Rounding', it: 'Arrotondamento', nl: 'Afronding' },
} as const satisfies Record<string, Entry>

/**
 * The unit price printed on a line: its exact price when it has one (`unitPrice`, more decimals
 * than the currency: "3,333 €"), else the price in minor units, as before ("4,15 €"). The price
 * is the one of `invoiceLineFacts` of `@ecole/core`, as every other place that shows a line.
 *
 * @internal
 * @example
 * linePriceText(f, { quantity: 3, unitPriceMinor: 333n, amountMinor: 1000n, unitPrice: '3.333' }, 'EUR') //=> '3,333 €'
 */
export function linePriceText(f: Formatter, line: LineFactsInput, currency: CurrencyCode): string {
  return priceText(f, invoiceLineFacts(line, currency))
}

type LineFactsInput = Parameters<typeof invoiceLineFacts>[0]

/** The price of `facts`: the cached minor-unit formatter for a price in minor units, the exact price with all its decimals. */
function priceText(f: Formatter, facts: InvoiceLineFacts): string {
  return facts.exactPrice ? formatMoney(facts.unitPrice, f.amountLocale) : f.money(facts.unitPrice.toMinor(), facts.unitPrice.currency)
}

/**
 * The sentence printed under a line the payer pays only part of: quantity x price = what the
 * whole line costs, then the payer's share and what it comes to ("17 × 4,15 € = 70,55 € · votre
 * part 1/2 : 35,28 €"); `undefined` for a whole line (nothing is printed under it). The facts are
 * those of `invoiceLineFacts` of `@ecole/core` (the portal and the back office show the same).
 *
 * @internal
 * @example
 * lineShareNote(f, 'fr', mumsLine, 'EUR') //=> '17 × 4,15 € = 70,55 € · votre part 1/2 : 35,28 €'
 */
export function lineShareNote(f: Formatter, language: Language, line: LineFactsInput, currency: CurrencyCode): string | undefined {
  const facts = invoiceLineFacts(line, currency)
  if (facts.share === undefined) return undefined
  const share = LINE_TEXTS.yourShare[language].replace('{share}', `${facts.share.numerator}/${facts.share.denominator}`)
  return `${f.quantity(facts.quantity)} × ${priceText(f, facts)} = ${f.money(facts.share.grossMinor, currency)} · ${share}${colon(language)}${f.money(facts.amountMinor, currency)}`
}

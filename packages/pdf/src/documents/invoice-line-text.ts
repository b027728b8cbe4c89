import { formatMoney, Money, type CurrencyCode, type InvoiceLine } from '@ecole/core'
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

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/**
 * A share as a reader reads it: the weight out of the total, in lowest terms (2 out of 4 is 1/2).
 *
 * @internal
 * @example
 * shareText({ weight: 2, totalWeight: 6 }) //=> '1/3'
 */
export function shareText(share: { weight: number; totalWeight: number }): string {
  const d = gcd(share.weight, share.totalWeight) || 1
  return `${share.weight / d}/${share.totalWeight / d}`
}

/**
 * The unit price printed on a line: its exact price when it has one (`unitPrice`, more decimals
 * than the currency: "3,333 €"), else the price in minor units, as before ("4,15 €").
 *
 * @internal
 * @example
 * linePriceText(f, { unitPriceMinor: 333n, unitPrice: '3.333' }, 'EUR') //=> '3,333 €'
 */
export function linePriceText(f: Formatter, line: Pick<InvoiceLine, 'unitPriceMinor' | 'unitPrice'>, currency: CurrencyCode): string {
  return line.unitPrice === undefined ? f.money(line.unitPriceMinor, currency) : formatMoney(Money.of(line.unitPrice, currency), f.amountLocale)
}

/**
 * The sentence printed under a line the payer pays only part of: quantity x price = what the
 * whole line costs, then the payer's share and what it comes to ("17 × 4,15 € = 70,55 € · votre
 * part 1/2 : 35,28 €"); `undefined` for a whole line (nothing is printed under it).
 *
 * @internal
 * @example
 * lineShareNote(f, 'fr', mumsLine, 'EUR') //=> '17 × 4,15 € = 70,55 € · votre part 1/2 : 35,28 €'
 */
export function lineShareNote(f: Formatter, language: Language, line: InvoiceLine, currency: CurrencyCode): string | undefined {
  if (line.share === undefined || line.grossMinor === undefined) return undefined
  const share = LINE_TEXTS.yourShare[language].replace('{share}', shareText(line.share))
  return `${f.quantity(line.quantity)} × ${linePriceText(f, line, currency)} = ${f.money(line.grossMinor, currency)} · ${share}${colon(language)}${f.money(line.amountMinor, currency)}`
}

/**
 * The amount a credit note gives back for one day (one unit) of an invoice line: what that day
 * cost the line's debtor, never more.
 */
import { EcoleError, Money, type CurrencyCode, type InvoiceLine } from '@ecole/core'

/**
 * What one unit of `line` cost its debtor, as the decimal string a credit note's line takes: the
 * line's amount divided by its units, rounded down to the cent, in integer minor units (never a
 * float). For a whole line at a price in cents it is that price (17 meals at 4.15: 4.15); for a
 * line the debtor pays half of, half a day (35.28 for 17 meals: 2.07, not the 4.15 the whole day
 * cost); for an exact price, the day as billed (3 × 3.333 = 10.00: 3.33). The days of a shared
 * or exactly priced line differ by a cent at most (3.34, 3.33, 3.33): rounding down credits at
 * most a cent less than the day, never more than the debtor paid.
 *
 * @example
 * oneDayCredit({ quantity: 17, amountMinor: 3528n }, 'EUR') //=> '2.07'
 * @throws EcoleError `INVALID_INPUT` naming `line.quantity` when it is not a whole number of units
 * above zero, or `line.amountMinor` when the line bills nothing to credit.
 */
export function oneDayCredit(line: Pick<InvoiceLine, 'quantity' | 'amountMinor'>, currency: CurrencyCode): string {
  if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
    throw EcoleError.invalidInput('line.quantity', `must be a whole number of units above zero to credit one of them, got ${String(line.quantity)}`, { function: 'oneDayCredit' })
  }
  if (typeof line.amountMinor !== 'bigint' || line.amountMinor <= 0n) {
    throw EcoleError.invalidInput('line.amountMinor', `must be an amount above zero in minor units, got ${String(line.amountMinor)}`, { function: 'oneDayCredit' })
  }
  // bigint division truncates: down, for an amount above zero
  return Money.fromMinor(line.amountMinor / BigInt(line.quantity), currency).amount
}

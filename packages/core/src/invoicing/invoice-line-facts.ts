import { describeValue } from '../describe-value'
import { EcoleError, isEcoleError } from '../errors'
import { Money, type CurrencyCode } from '../money'
import type { InvoiceLine } from './invoice'

/**
 * The part of a line a debtor pays, as a reader reads it: the share in lowest terms (a weight of
 * 2 out of 4 is 1/2) and what the whole line costs.
 *
 * @example
 * const half: InvoiceLineShareFacts = { numerator: 1, denominator: 2, grossMinor: 7055n }
 */
export interface InvoiceLineShareFacts {
  /** This debtor's weight, divided by the greatest common divisor of the weights. */
  numerator: number
  /** The rule's total weight, divided by the same divisor. */
  denominator: number
  /** What the whole line costs before the share, minor units: quantity x unit price = this. */
  grossMinor: bigint
}

/**
 * What a reader checks on an invoice line, whatever prints it (a PDF, a web page, a mail): the
 * quantity, the unit price to print, what the debtor pays, and for a line the debtor pays only
 * part of, the share and what the whole line costs.
 *
 * @example
 * const facts: InvoiceLineFacts = invoiceLineFacts(mumsLine, 'EUR')
 * // 17 x 4.15 = 70.55, your share 1/2: 35.28
 * [facts.quantity, facts.unitPrice.amount, facts.share?.grossMinor, facts.amountMinor] //=> [17, '4.15', 7055n, 3528n]
 */
export interface InvoiceLineFacts {
  /** The units billed (the line's quantity). */
  quantity: number
  /**
   * The unit price to print: the exact price when the line has one (`unitPrice`, 3.333 EUR), else
   * the price in minor units (4.15 EUR), as lines stored before exact prices were printed.
   */
  unitPrice: Money
  /** Whether `unitPrice` is the line's exact price, with more decimals than the currency. */
  exactPrice: boolean
  /** What the debtor pays for the line, minor units (the line's amount). */
  amountMinor: bigint
  /** Set when the debtor pays only part of the line (a rule of several payers, 1:1, 1:2). */
  share?: InvoiceLineShareFacts | undefined
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

const isWeight = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0

/**
 * The facts an invoice line is read by (see {@link InvoiceLineFacts}), so that every place that
 * shows a line (the PDF, the families' portal, the back office) says the same thing and only
 * words it in its own language.
 *
 * Rules: the unit price is the line's exact `unitPrice` when it has one (3 x 3.333 = 10.00, never
 * 3 x 3.33), else `unitPriceMinor`; a line with `share` and `grossMinor` is one the debtor pays
 * only part of: the reader is shown quantity x unit price = `grossMinor`, then the share in
 * lowest terms and `amountMinor` (17 x 4.15 = 70.55, your share 1/2: 35.28). A line without these
 * fields (every line stored before they existed) is a whole line at its price in minor units.
 *
 * @param line - The invoice line (or any record with its quantity, prices, amount and share).
 * @param currency - The invoice's currency.
 * @example
 * const line = { quantity: 17, unitPriceMinor: 415n, amountMinor: 3528n, share: { weight: 1, totalWeight: 2 }, grossMinor: 7055n }
 * const facts = invoiceLineFacts(line, 'EUR')
 * facts.share //=> { numerator: 1, denominator: 2, grossMinor: 7055n }
 * invoiceLineFacts({ quantity: 3, unitPriceMinor: 333n, amountMinor: 1000n, unitPrice: '3.333' }, 'EUR').unitPrice.amount //=> '3.333'
 * @throws EcoleError `INVALID_INPUT` naming the field: `line.share` without `line.grossMinor` (or
 * the other way round), a share whose weights are not positive integers with `weight` below
 * `totalWeight`, an exact `unitPrice` that is not a decimal string; `UNKNOWN_CURRENCY`.
 */
export function invoiceLineFacts(
  line: Pick<InvoiceLine, 'quantity' | 'unitPriceMinor' | 'amountMinor' | 'share' | 'grossMinor' | 'unitPrice'>,
  currency: CurrencyCode,
): InvoiceLineFacts {
  if (typeof line !== 'object' || line === null) throw EcoleError.invalidInput('line', `must be an invoice line, got ${describeValue(line)}`, { function: 'invoiceLineFacts' })
  const { share, grossMinor } = line
  if ((share === undefined) !== (grossMinor === undefined)) {
    throw EcoleError.invalidInput(share === undefined ? 'line.share' : 'line.grossMinor', 'share and grossMinor go together (the share of what the whole line costs)', { function: 'invoiceLineFacts' })
  }
  let unitPrice: Money
  try {
    unitPrice = line.unitPrice === undefined ? Money.fromMinor(line.unitPriceMinor, currency) : Money.of(line.unitPrice, currency)
  } catch (error) {
    if (isEcoleError(error, 'UNKNOWN_CURRENCY')) throw error
    const field = line.unitPrice === undefined ? 'line.unitPriceMinor' : 'line.unitPrice'
    throw new EcoleError('INVALID_INPUT', `${field}: must be ${line.unitPrice === undefined ? 'an amount in minor units (a bigint)' : 'the exact unit price as a decimal string ("3.333")'}, got ${describeValue(line.unitPrice ?? line.unitPriceMinor)}`, {
      details: { function: 'invoiceLineFacts', issues: [{ path: field, code: 'custom', message: 'is not a price' }] },
      cause: error,
    })
  }
  const facts: InvoiceLineFacts = { quantity: line.quantity, unitPrice, exactPrice: line.unitPrice !== undefined, amountMinor: line.amountMinor }
  if (share !== undefined && grossMinor !== undefined) {
    if (typeof share !== 'object' || share === null || !isWeight(share.weight) || !isWeight(share.totalWeight) || share.weight >= share.totalWeight) {
      throw EcoleError.invalidInput('line.share', `must be { weight, totalWeight }, positive integers with weight below totalWeight, got ${describeValue(share)}`, { function: 'invoiceLineFacts' })
    }
    const d = gcd(share.weight, share.totalWeight)
    facts.share = { numerator: share.weight / d, denominator: share.totalWeight / d, grossMinor }
  }
  return facts
}

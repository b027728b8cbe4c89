import type { LocalDate } from '../time'

/**
 * The part of a line one debtor pays when a billing rule splits it between several payers by
 * weight (1:1, 1:2): this debtor's `weight` out of the rule's `totalWeight` (a weight of 1 out
 * of 2 is half). Kept as billed (2 out of 4 stays 2 out of 4).
 *
 * @example
 * const half: ChargeShare = { weight: 1, totalWeight: 2 }
 */
export interface ChargeShare {
  /** This debtor's weight in the rule (a positive integer). */
  weight: number
  /** The sum of the rule's weights (above `weight`: the debtor pays only part). */
  totalWeight: number
}

/**
 * A priced charge as invoicing consumes it: one debtor's share of one service unit on one date.
 *
 * Produced by billing (`buildChargeLines` and the billing rules resolve who pays and at what
 * price); a charge split between several payers yields one charge line per payer, each with its
 * own `chargeId`. `amountMinor` is already rounded to the minor unit. This is the hot-path shape
 * (already validated upstream; nothing is validated per line).
 *
 * Two facts travel from billing to the invoice line, so the line never has to guess them: `share`
 * (with `grossMinor`) when the debtor pays only part of the billed line, and `unitPrice` when the
 * price has more decimals than the currency (3.333 EUR: `unitPriceMinor` is its rounded 333).
 * Charges without them bill as before.
 *
 * @example
 * const c: InvoiceChargeLine = { chargeId: 'meal:child-1:2026-12-01', debtorId: 'g1', jointDebtorIds: [],
 *   beneficiaryId: 'child-1', serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n }
 * // mum's half of a day that costs 4.15 (dad pays the other 2.07)
 * const half: InvoiceChargeLine = { ...c, share: { weight: 1, totalWeight: 2 }, grossMinor: 415n, amountMinor: 208n }
 */
export interface InvoiceChargeLine {
  /** Unique, stable id of the charge (the key that prevents billing it twice). */
  chargeId: string
  /** The guardian who pays this charge line: the debtor of the invoice it goes on (`Invoice.debtorId`). */
  debtorId: string
  /** Joint debtors of the rule that billed it, printed on the invoice. */
  jointDebtorIds?: readonly string[] | undefined
  /** The person the service was for. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** Service date. */
  date: LocalDate
  /** Units (1 for a meal). */
  quantity: number
  /** Unit price in minor units (the grouping key with beneficiary and service). */
  unitPriceMinor: bigint
  /** Rounded amount of this charge line, minor units. */
  amountMinor: bigint
  /** True for a prepaid service's charge: settled through the wallet, never invoiced. */
  prepaid?: boolean | undefined
  /**
   * Set when the debtor pays only part of the billed line (a rule with several payers): this
   * debtor's weight out of the rule's total. Charges of different shares go on different lines.
   */
  share?: ChargeShare | undefined
  /**
   * With `share`: what the whole day costs before the share, minor units (the day's part of the
   * billed line rounded once, as the office rounds, before it was split between the payers).
   */
  grossMinor?: bigint | undefined
  /**
   * The exact unit price as a decimal string (`'3.333'`), set only when it has more decimals than
   * the currency (`unitPriceMinor` is then its rounded value). Charges of different exact prices
   * go on different lines.
   */
  unitPrice?: string | undefined
}

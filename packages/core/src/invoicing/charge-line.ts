import type { LocalDate } from '../time'

/**
 * A priced charge as invoicing consumes it: one debtor's share of one service unit on one date.
 *
 * Produced by billing (`buildChargeLines` and the billing rules resolve who pays and at what
 * price); a charge split between several payers yields one charge line per payer, each with its
 * own `chargeId`. `amountMinor` is already rounded to the minor unit. This is the hot-path shape
 * (already validated upstream; nothing is validated per line).
 *
 * @example
 * const c: InvoiceChargeLine = { chargeId: 'meal:child-1:2026-12-01', debtorId: 'g1', jointDebtorIds: [],
 *   beneficiaryId: 'child-1', serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n }
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
}

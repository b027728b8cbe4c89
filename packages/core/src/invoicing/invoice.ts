import type { CurrencyCode } from '../money'
import type { LocalDate } from '../time'
import { asInputError } from '../input-error'
import type { ChargeShare } from './charge-line'

/** Where an invoice is in its life: a mutable unnumbered draft, or a numbered, immutable invoice. */
export type InvoiceStatus = 'draft' | 'validated'

/**
 * One line of an invoice: the charges of one beneficiary for one service at one unit price.
 *
 * Charges are grouped by beneficiary x service x unit price (and share and exact price, below);
 * `quantity` and `amountMinor` are the sums of the grouped charges (each charge already rounded to
 * the minor unit), `chargeIds` the charges it bills (a charge is billed at most once, ever).
 *
 * A line says what a reader needs to check quantity x price against the amount: a debtor who pays
 * only part of the line (a rule of two payers, 1:1) has `share` and `grossMinor` (17 x 4.15 =
 * 70.55, your share 1/2: 35.28); a price with more decimals than the currency has `unitPrice`
 * (3 x 3.333 = 10.00). Lines without them are whole lines at a price in minor units, as before.
 *
 * @example
 * const line: InvoiceLine = { id: 'inv-1:1', beneficiaryId: 'child-1', serviceId: 'meal', unitPriceMinor: 415n,
 *   quantity: 17, amountMinor: 7055n, chargeIds: ['c1'], dates: ['2026-12-01'], from: '2026-12-01', to: '2026-12-18' }
 * // mum's half of the same 17 meals
 * const mums: InvoiceLine = { ...line, share: { weight: 1, totalWeight: 2 }, grossMinor: 7055n, amountMinor: 3528n }
 */
export interface InvoiceLine {
  /** Line id, unique in its invoice (`<invoiceId>:<n>`). */
  id: string
  /** The person the service was for (a child, or an adult who booked a meal). */
  beneficiaryId: string
  /** The service (prestation) billed. */
  serviceId: string
  /** Unit price in minor units. */
  unitPriceMinor: bigint
  /** Number of units (sum of the grouped charges' quantities). */
  quantity: number
  /** Amount in minor units: the sum of the grouped charges' rounded amounts. */
  amountMinor: bigint
  /** Ids of the charges this line bills. */
  chargeIds: string[]
  /** The service dates of the grouped charges, in order (a date appears once per charge). */
  dates: LocalDate[]
  /** First service date. */
  from: LocalDate
  /** Last service date. */
  to: LocalDate
  /**
   * Set when the debtor pays only part of the line (the charges' `share`): this debtor's weight
   * out of the rule's total. Comes with `grossMinor`.
   */
  share?: ChargeShare | undefined
  /**
   * With `share`: what the whole line costs before the share, minor units (quantity x unit price,
   * rounded as the office rounds: the sum of the charges' `grossMinor`). The other payers pay
   * `grossMinor - amountMinor`.
   */
  grossMinor?: bigint | undefined
  /**
   * The exact unit price as a decimal string (`'3.333'`) when it has more decimals than the
   * currency; `unitPriceMinor` is then its rounded value.
   */
  unitPrice?: string | undefined
}

/** A reduction lowers the total, a surcharge raises it. */
export type AdjustmentKind = 'reduction' | 'surcharge'

/** How an adjustment is stated: a fixed amount (minor units) or a percentage of its base (a decimal string). */
export type AdjustmentValue = { type: 'amount'; amountMinor: bigint } | { type: 'percentage'; percent: string }

/**
 * A reduction or surcharge on a draft: on the whole invoice or on one line (one child's service).
 *
 * `amountMinor` is the signed effect on the total (negative for a reduction), rounded to the
 * minor unit with the invoice's rounding mode; a percentage applies to the line amount, or to the
 * sum of lines for a whole-invoice adjustment.
 *
 * @example
 * const a: InvoiceAdjustment = { id: 'adj-1', kind: 'reduction', value: { type: 'percentage', percent: '10' },
 *   reason: 'Sibling discount', lineId: null, amountMinor: -706n }
 */
export interface InvoiceAdjustment {
  /** Adjustment id, unique in its invoice. */
  id: string
  /** Reduction or surcharge. */
  kind: AdjustmentKind
  /** The amount or percentage as entered. */
  value: AdjustmentValue
  /** Why (printed on the invoice). */
  reason: string
  /** The line it applies to, or null for the whole invoice. */
  lineId: string | null
  /** Signed effect on the total, in minor units (reductions negative). */
  amountMinor: bigint
}

/** One instalment of an invoice's payment schedule. */
export interface Instalment {
  /** Date it falls due. */
  dueDate: LocalDate
  /** Amount due on that date, minor units. */
  amountMinor: bigint
}

/**
 * An invoice of one payer in one batch: a draft until validated, then numbered and immutable.
 *
 * Totals: `linesTotalMinor` = sum of line amounts, `adjustmentsTotalMinor` = sum of adjustment
 * effects, `totalMinor` = their sum. `previousBalanceMinor` is what the payer still owed on
 * earlier invoices when the draft was made: printed, never added to the total.
 *
 * @example
 * // built by buildInvoiceDrafts, numbered by validateInvoiceDrafts
 * const due = invoice.totalMinor
 */
export interface Invoice {
  /** Invoice id (`<batchId>:<debtorId>` for drafts built from a batch). */
  id: string
  /** The tenant. */
  siteId: string
  /** The billing office (régie) that issues it and owns its number series. */
  billingOfficeId: string
  /** The batch it was made in. */
  batchId: string
  /** The guardian billed (the debtor; `payerId` before 0.1.0). */
  debtorId: string
  /** Jointly liable guardians printed on the invoice (tiers solidaires). */
  jointDebtorIds: string[]
  /** Draft or validated. */
  status: InvoiceStatus
  /** The printed number (prefix and sequence), null on a draft. */
  number: string | null
  /** Position in its series (1, 2, 3...), null on a draft. */
  sequence: number | null
  /** Date of validation (issue date), null on a draft. */
  issueDate: LocalDate | null
  /** The billed period. */
  periodFrom: LocalDate
  /** The billed period's last day. */
  periodTo: LocalDate
  /** Date payment is due. */
  dueDate: LocalDate
  /** Date of the direct debit, for payers who pay by direct debit. */
  directDebitDate: LocalDate | null
  /** Date from which the invoice shows on the parent portal. */
  portalDisplayDate: LocalDate
  /** Free comment printed on the invoice. */
  comment: string | null
  /** ISO 4217 currency of every amount. */
  currency: CurrencyCode
  /** The lines, ordered by beneficiary, service, unit price. */
  lines: InvoiceLine[]
  /** Reductions and surcharges. */
  adjustments: InvoiceAdjustment[]
  /** Sum of line amounts, minor units. */
  linesTotalMinor: bigint
  /** Sum of adjustment effects, minor units. */
  adjustmentsTotalMinor: bigint
  /** Amount of the invoice: lines + adjustments, minor units. */
  totalMinor: bigint
  /** Earlier unpaid balance of the payer when the draft was made: shown, not added. */
  previousBalanceMinor: bigint
  /** Optional schedule of instalments (sums to the total). */
  instalments: Instalment[]
  /** Structured payment reference (OGM or RF) unique to this invoice, set at validation. */
  paymentReference: string | null
}

/**
 * Recomputes an invoice's totals from its lines and adjustments (a pure helper; returns a copy).
 *
 * Rule: total = sum of rounded lines + sum of rounded adjustments.
 *
 * @example
 * withInvoiceTotals(draft).totalMinor === draft.linesTotalMinor + draft.adjustmentsTotalMinor //=> true
 */
export function withInvoiceTotals(invoice: Invoice): Invoice {
  try {
    let lines = 0n
    for (const l of invoice.lines) lines += l.amountMinor
    let adj = 0n
    for (const a of invoice.adjustments) adj += a.amountMinor
    return { ...invoice, linesTotalMinor: lines, adjustmentsTotalMinor: adj, totalMinor: lines + adj }
  } catch (error) {
    throw asInputError(error, 'withInvoiceTotals', { invoice: [invoice, 'object', 'an invoice'] })
  }
}

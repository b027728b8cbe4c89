import { EcoleError, parseInput } from '../errors'
import { compareDates, LocalDateSchema, type LocalDate } from '../time'
import type { DirectDebitReturnAction, Payment } from './payment'
import { asInputError } from '../input-error'

/** What a SEPA reason code means and the follow-up it calls for. */
export interface SepaReturnReason {
  /** Plain-English meaning. */
  description: string
  /** The follow-up. */
  action: DirectDebitReturnAction
}

/**
 * SEPA return / reject reason codes (EPC guidance on R-transactions) and their follow-up:
 * `retry` presents the debit again (funds), `fixAccount` needs new bank details, `suspendMandate`
 * stops collecting on the mandate until it is fixed, `contactPayer` needs a conversation.
 */
export const SEPA_RETURN_REASONS: Readonly<Record<string, SepaReturnReason>> = Object.freeze({
  AC01: { description: 'Account identifier incorrect (invalid IBAN)', action: 'fixAccount' },
  AC04: { description: 'Account closed', action: 'suspendMandate' },
  AC06: { description: 'Account blocked, or blocked for direct debits', action: 'suspendMandate' },
  AC13: { description: 'Debtor account is a consumer account', action: 'fixAccount' },
  AG01: { description: 'Direct debit forbidden on this account', action: 'suspendMandate' },
  AG02: { description: 'Invalid bank operation code', action: 'retry' },
  AM04: { description: 'Insufficient funds', action: 'retry' },
  AM05: { description: 'Duplicate collection', action: 'contactPayer' },
  BE05: { description: 'Creditor identifier incorrect', action: 'fixAccount' },
  FF01: { description: 'Invalid file format', action: 'retry' },
  MD01: { description: 'No valid mandate', action: 'suspendMandate' },
  MD02: { description: 'Mandate data missing or incorrect', action: 'fixAccount' },
  MD06: { description: 'Refund requested by the debtor', action: 'contactPayer' },
  MD07: { description: 'Debtor deceased', action: 'suspendMandate' },
  MS02: { description: 'Refused by the debtor', action: 'contactPayer' },
  MS03: { description: 'Reason not specified', action: 'retry' },
  RC01: { description: 'Bank identifier (BIC) incorrect', action: 'fixAccount' },
  RR01: { description: 'Missing debtor account or identification', action: 'fixAccount' },
  RR02: { description: 'Missing debtor name or address', action: 'fixAccount' },
  RR03: { description: 'Missing creditor name or address', action: 'fixAccount' },
  RR04: { description: 'Regulatory reason', action: 'contactPayer' },
  SL01: { description: 'Specific service offered by the debtor bank', action: 'contactPayer' },
})

/** The outcome of applying a direct-debit return to its payment. */
export interface DirectDebitReturnOutcome {
  /** The payment, now REFUSED (its allocations no longer count: the invoices are due again). */
  payment: Payment
  /** The follow-up the reason code calls for. */
  action: DirectDebitReturnAction
  /** The invoices due again, with the amounts that no longer settle them. */
  invoicesDueAgain: Array<{ invoiceId: string; amountMinor: bigint }>
  /** Whether the payer's mandate must be suspended. */
  suspendMandate: boolean
  /** The wallet credit the payment had produced, to reverse in the ledger (minor units). */
  walletCreditToReverseMinor: bigint
}

/**
 * Applies a direct-debit return (or a pain.002 reject) to its payment: the payment is marked
 * REFUSED, the invoices it settled are due again, and the reason code's follow-up is returned
 * (retry, fix the account, suspend the mandate, contact the payer). An unknown code is treated
 * as `contactPayer`. Applying the same return twice is refused, not doubled. The date is a
 * calendar day written `YYYY-MM-DD`, stored with the refusal.
 *
 * The date may precede the collection date (`payment.date`): a pain.002 reject comes before
 * settlement. It may not precede the day the collection was made (`payment.recordedOn`): the
 * money cannot come back before the debit was even requested. A payment without `recordedOn`
 * (recorded before 0.2.0, or by hand without it) gives no such day: the library does not know
 * how long before the collection date the bank received the file, so no earlier bound is checked
 * for it.
 *
 * @example
 * applyDirectDebitReturn(payment, 'AM04', '2027-01-25').action //=> 'retry'
 * // collected on 2027-01-10, made on 2027-01-05 (payment.recordedOn): a pain.002 reject of 2027-01-08 is valid
 * applyDirectDebitReturn({ ...payment, date: '2027-01-10', recordedOn: '2027-01-05' }, 'AC04', '2027-01-08').action //=> 'suspendMandate'
 * applyDirectDebitReturn({ ...payment, date: '2027-01-10', recordedOn: '2027-01-05' }, 'AC04', '2026-12-01')
 * // throws INVALID_INPUT 'date: 2026-12-01 is before 2027-01-05, the day the collection of payment ... was made ...'
 * @throws EcoleError `PAYMENT_ALREADY_REFUSED`, `NOT_A_DIRECT_DEBIT`; `INVALID_INPUT` naming `date`
 * when it is not a calendar day written `YYYY-MM-DD` (`14/01/2027`, `2027-02-31`) or is before the
 * payment's `recordedOn`; naming `reasonCode` when it is blank; or the argument that is not what the library builds.
 */
export function applyDirectDebitReturn(payment: Payment, reasonCode: string, date: LocalDate): DirectDebitReturnOutcome {
  try {
    parseInput(LocalDateSchema, date, 'date')
    if (payment.status === 'refused') throw new EcoleError('PAYMENT_ALREADY_REFUSED', `payment ${payment.id} is already refused (${payment.refusal?.reasonCode})`, { details: { paymentId: payment.id } })
    if (payment.method !== 'directDebit') throw new EcoleError('NOT_A_DIRECT_DEBIT', `payment ${payment.id} is a ${payment.method} payment, not a direct debit`, { details: { paymentId: payment.id } })
    const madeOn = payment.recordedOn
    if (madeOn !== undefined && compareDates(date, madeOn) < 0) {
      throw EcoleError.invalidInput('date', `${date} is before ${madeOn}, the day the collection of payment ${payment.id} was made: the money cannot come back before the debit was requested (a reject before the collection date ${payment.date} is valid from ${madeOn} on)`, {
        field: 'date', date, recordedOn: madeOn, collectionDate: payment.date, paymentId: payment.id,
      })
    }
    const code = reasonCode.trim().toUpperCase()
    if (code === '') throw EcoleError.invalidInput('reasonCode', `must name the bank's reason (a SEPA code such as AM04 or MD06), got ${JSON.stringify(reasonCode)}: the reason decides what is done next`, { field: 'reasonCode', paymentId: payment.id })
    const action = SEPA_RETURN_REASONS[code]?.action ?? 'contactPayer'
    return {
      payment: { ...payment, status: 'refused', refusal: { reasonCode: code, date, action } },
      action,
      invoicesDueAgain: payment.allocations.map((a) => ({ ...a })),
      suspendMandate: action === 'suspendMandate',
      walletCreditToReverseMinor: payment.walletCreditMinor,
    }
  } catch (error) {
    throw asInputError(error, 'applyDirectDebitReturn', { payment: [payment, 'object', 'a stored payment'], reasonCode: [reasonCode, 'string'], date: [date, 'date'] })
  }
}

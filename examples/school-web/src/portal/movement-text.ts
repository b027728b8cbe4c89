/**
 * What a family reads for one movement of its wallet: a sentence made from what the movement is
 * (its code, the account on the other side, the booking, payment or invoice it is about), never the
 * ledger's memo or ids ("booking", "gouter 2027-02-22", "payment recharge-21 (cash)").
 */
import { BUILT_IN_PAYMENT_METHODS, CREDIT_NOTE_EXCESS_METHOD, type LocalDate, type SystemAccountRole, type TransferCode } from '@ecole/core'
import { label, type LabelKey } from '@ecole/pdf'
import { formatDate, t, type Lang } from '../i18n'

/**
 * What is known of a movement, read from the ledger and the stores: each field when it was found.
 *
 * @example
 * const facts: MovementFacts = { code: 'booking', booking: { service: 'Goûter', beneficiary: 'Léa Martin', date: '2027-02-22' } }
 */
export interface MovementFacts {
  /** Why the money moved. */
  code: TransferCode
  /** The role of the system account on the other side of the wallet (cash desk, bank, a service's revenue...). */
  counterRole?: SystemAccountRole | undefined
  /** The booked day a booking or cancellation is for: the service's name, whom for, which day. */
  booking?: { service: string; beneficiary?: string | undefined; date?: LocalDate | undefined } | undefined
  /** The payment behind a top-up: its method and, for a desk payment, its product. */
  payment?: { method: string; product?: string | undefined } | undefined
  /** The number of the invoice the money settles. */
  invoiceNumber?: string | undefined
}

/** A booked day in words: "Goûter du 22/02/2027 pour Léa Martin", or the service alone when the day is not known. */
function bookingText(lang: Lang, b: NonNullable<MovementFacts['booking']>): string {
  return b.date !== undefined && b.beneficiary !== undefined
    ? t(lang, 'statement.booking', { service: b.service, date: formatDate(lang, b.date), child: b.beneficiary })
    : t(lang, 'statement.bookingOfService', { service: b.service })
}

/** A top-up in words: how it was paid (the payment's method, else the account it came from). */
function topUpText(lang: Lang, f: MovementFacts): string {
  const method = f.payment?.method ?? (f.counterRole === 'cash' ? 'cash' : f.counterRole === 'bankClearing' ? 'transfer' : undefined)
  if (method === undefined) return label(lang, 'code_topUp')
  const text = method === CREDIT_NOTE_EXCESS_METHOD
    ? t(lang, 'statement.topUp.creditNote')
    : (BUILT_IN_PAYMENT_METHODS as readonly string[]).includes(method)
      ? t(lang, `statement.topUp.${method as (typeof BUILT_IN_PAYMENT_METHODS)[number]}`)
      : t(lang, 'statement.topUp.other', { method })
  return f.payment?.product ? `${text} (${f.payment.product})` : text
}

/**
 * The sentence a family reads for a movement of its wallet, in its language.
 *
 * A booking names the service, the child and the day ("Goûter du 22/02/2027 pour Léa Martin"); a
 * top-up says how it was paid ("Rechargement par virement", "Rechargement en espèces (goûter)");
 * an invoice payment names the invoice; any other movement is named by its kind, in the words of
 * the printed statement (`label` of `@ecole/pdf`: "Remboursement", "Rejet de prélèvement"...).
 *
 * @example
 * movementText('fr', { code: 'booking', booking: { service: 'Goûter', beneficiary: 'Léa Martin', date: '2027-02-22' } })
 * //=> 'Goûter du 22/02/2027 pour Léa Martin'
 * movementText('en', { code: 'topUp', counterRole: 'bankClearing' }) //=> 'Top-up by bank transfer'
 */
export function movementText(lang: Lang, f: MovementFacts): string {
  const code = f.code
  switch (code) {
    case 'booking':
      return f.booking ? bookingText(lang, f.booking) : label(lang, 'code_booking')
    case 'cancellation':
      return f.booking ? t(lang, 'statement.cancellation', { what: bookingText(lang, f.booking) }) : label(lang, 'code_cancellation')
    case 'topUp':
      return topUpText(lang, f)
    case 'invoicePayment':
      return f.invoiceNumber !== undefined ? t(lang, 'statement.invoicePayment', { number: f.invoiceNumber }) : label(lang, 'code_invoicePayment')
    case 'refund':
    case 'directDebitReturn':
    case 'correction':
    case 'compartmentTransfer':
    case 'openingBalance':
    case 'writeOff':
      return label(lang, `code_${code}` as const satisfies LabelKey)
    default:
      return unknownMovement(lang, code)
  }
}

/** A code added to the ledger later than this page: named as a movement (and a compile error here until it is worded). */
function unknownMovement(lang: Lang, _code: never): string {
  return label(lang, 'code_other')
}

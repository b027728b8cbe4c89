import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError } from '../errors'
import type { CurrencyCode } from '../money'
import { isValid as isValidIban } from '../references/iban'
import { check as checkSepaId } from '../references/mandate-reference'
import { isLocalDate, type LocalDate } from '../time'
import type { OpenInvoice } from './allocation'
import type { Payment } from './payment'
import { sepaMandateStateOn, type SepaMandate, type SepaMandateAmendment, type SepaSequenceType } from './sepa-mandates'
import { asInputError } from '../input-error'

/** One debit instruction: collect an invoice's due amount with its debtor's mandate. */
export interface DirectDebitInstruction {
  /** The invoice collected. */
  invoiceId: string
  /** The invoice's debtor (`payerId` before 0.1.0). */
  debtorId: string
  /** The mandate used. */
  mandateId: string
  /** Mandate reference (RUM). */
  rum: string
  /** Mandate signature date. */
  signatureDate: LocalDate
  /** Sequence type of this collection. */
  sequence: SepaSequenceType
  /** Debtor name. */
  debtorName: string
  /** Debtor IBAN. */
  iban: string
  /** Debtor BIC, if known. */
  bic: string | null
  /** Amount, minor units. */
  amountMinor: bigint
  /** Currency. */
  currency: CurrencyCode
  /** End-to-end id (found again in returns and statements): prefix + invoice id, at most 35 characters (a longer one is cut and ends with a hash of the whole). */
  endToEndId: string
  /** Structured remittance reference (the invoice's OGM or RF), if any. */
  remittanceReference: string | null
  /**
   * Amendment to report with this collection, if any: every amendment of the mandate not yet
   * reported, as one (the oldest original RUM and the oldest original IBAN the bank may know);
   * `originalRum` / `originalIban` null when that part did not change.
   */
  amendment: SepaMandateAmendment | null
}

/**
 * Why an invoice was left out of a direct-debit batch. `MANDATE_ONE_OFF_USED`: the mandate
 * allows one more collection only (one-off OOFF, or final FNAL) and it is taken, by another
 * invoice of the same run or by a collection already sent and neither settled nor returned.
 * `MANDATE_NOT_YET_SIGNED`: the debtor's only usable mandate is signed after the collection date
 * (a debit before the signature is unauthorised: the debtor may have it refunded for 13 months).
 * `MANDATE_IBAN_INVALID`: the mandate in force carries an IBAN whose check digits are wrong (a
 * mandate stored before `defineSepaMandate` checked them); fix it with `amendSepaMandate`.
 * Both name the mandate in {@link DirectDebitExclusion.mandateId}.
 * `RETURNED_FIX_ACCOUNT`: the invoice's last debit was returned with a code whose follow-up is
 * `fixAccount` (AC01 wrong IBAN, ...); it is not debited again until the account is fixed (the
 * mandate's IBAN amended after that collection was made, or another mandate in force), naming the
 * mandate. `RETURNED_CONTACT_PAYER`: its last debit was returned with a `contactPayer` code (MS02
 * refused by the debtor, MD06 refund asked, ...); it is not debited again until the office decides
 * so (the collection's `represent` names the invoice).
 * `MANDATE_OF_ANOTHER_OFFICE`: the debtor's mandates were signed with another billing office's
 * creditor id (a mandate authorises one creditor: the debtor's bank would refund the debit as
 * unauthorised, MD01), naming the mandate. `MANDATE_OFFICE_UNKNOWN`: the debtor's mandate was
 * stored without the billing office it was signed with and the site has several (record its
 * `billingOfficeId`), naming the mandate.
 *
 * @example
 * const reason: DirectDebitExclusionReason = 'MANDATE_NOT_YET_SIGNED'
 */
export type DirectDebitExclusionReason =
  | 'NO_MANDATE' | 'MANDATE_SUSPENDED' | 'MANDATE_LAPSED' | 'MANDATE_CLOSED' | 'MANDATE_ONE_OFF_USED' | 'MANDATE_NOT_YET_SIGNED' | 'MANDATE_IBAN_INVALID' | 'NOTHING_DUE'
  | 'RETURNED_FIX_ACCOUNT' | 'RETURNED_CONTACT_PAYER'
  | 'MANDATE_OF_ANOTHER_OFFICE' | 'MANDATE_OFFICE_UNKNOWN'

/**
 * An invoice left out of the collection, with the reason.
 *
 * @example
 * const out: DirectDebitExclusion = { invoiceId: 'b-1:g2', debtorId: 'g2', reason: 'MANDATE_IBAN_INVALID', mandateId: 'm-g2' }
 */
export interface DirectDebitExclusion {
  /** The invoice. */
  invoiceId: string
  /** The invoice's debtor (`payerId` before 0.1.0). */
  debtorId: string
  /** Why. */
  reason: DirectDebitExclusionReason
  /** The mandate the reason is about, for `MANDATE_NOT_YET_SIGNED`, `MANDATE_IBAN_INVALID`, `RETURNED_FIX_ACCOUNT`, `MANDATE_OF_ANOTHER_OFFICE` and `MANDATE_OFFICE_UNKNOWN` (absent otherwise). */
  mandateId?: string | undefined
}

/**
 * An invoice offered for collection. Its `outstandingMinor` is what the collection debits: all the
 * invoice owes, or, for an invoice paid in instalments, what is due by the collection date
 * (`amountDueBy(invoice, balance, collectionDate)`, at most what it owes), as `collectDirectDebits` passes.
 */
export interface DirectDebitCandidate extends OpenInvoice {
  /** Its debtor (`payerId` before 0.1.0). */
  debtorId: string
  /** Currency. */
  currency: CurrencyCode
  /** Payment reference printed on the invoice. */
  paymentReference: string | null
  /**
   * The invoice's billing office: when given, only the debtor's mandates signed with that office
   * (`SepaMandate.billingOfficeId`) collect it. Absent: any of the debtor's mandates.
   */
  billingOfficeId?: string | undefined
}

/**
 * A SEPA end-to-end id (at most 35 characters) from prefix + invoice id: the id itself when it
 * fits, else its first 26 characters, '-' and 8 hex digits of an FNV-1a hash of the whole, so two
 * long invoice ids do not share one (a plain cut did; a hash collision is a 1 in 2^32 chance).
 */
function endToEndIdOf(full: string): string {
  if (full.length <= 35) return full
  let h = 0x811c9dc5
  for (let i = 0; i < full.length; i++) h = Math.imul(h ^ full.charCodeAt(i), 0x01000193) >>> 0
  return `${full.slice(0, 26)}-${h.toString(16).padStart(8, '0')}`
}

type SelectDirectDebitsOptions = Parameters<typeof selectDirectDebits>[2]
const SELECT_OPTION_KINDS: OptionKinds<SelectDirectDebitsOptions> = { collectionDate: 'date', endToEndPrefix: 'string', collected: 'array?', debits: 'array?', represent: 'array?', mandatesWithoutOffice: 'string?' }

/** A direct-debit payment as {@link selectDirectDebits} reads it to find an invoice's last debit. */
type DebitSeen = Pick<Payment, 'method' | 'status' | 'mandateId' | 'date' | 'allocations' | 'refusal' | 'recordedOn'>

/** Each invoice's last direct debit (the latest collection date, then the latest day made), of those given. */
function lastDebits(debits: readonly DebitSeen[]): Map<string, DebitSeen> {
  const last = new Map<string, DebitSeen>()
  const key = (p: DebitSeen) => `${p.date}|${p.recordedOn ?? ''}`
  for (const p of debits) {
    if (p.method !== 'directDebit') continue
    for (const a of p.allocations) {
      const seen = last.get(a.invoiceId)
      if (!seen || key(p) >= key(seen)) last.set(a.invoiceId, p)
    }
  }
  return last
}

/**
 * Why a refused last debit keeps an invoice out of automatic collection, or null: `contactPayer`
 * until the office names it in `represent`; `fixAccount` until the account is fixed (another
 * mandate in force, or the IBAN amended after the day the returned collection was made).
 */
function refusalHold(last: DebitSeen | undefined, m: SepaMandate, represent: ReadonlySet<string>, invoiceId: string): DirectDebitExclusionReason | null {
  if (!last || last.status !== 'refused' || !last.refusal) return null
  const { action } = last.refusal
  if (action === 'contactPayer') return represent.has(invoiceId) ? null : 'RETURNED_CONTACT_PAYER'
  if (action !== 'fixAccount' || represent.has(invoiceId)) return null
  if (last.mandateId !== m.id) return null
  const madeOn = last.recordedOn ?? last.date
  return m.amendments.some((a) => a.originalIban !== null && a.date > madeOn) ? null : 'RETURNED_FIX_ACCOUNT'
}

/** The sequence types after which a mandate is closed: it allows one collection. */
function isLastCollection(sequence: SepaSequenceType): boolean {
  return sequence === 'OOFF' || sequence === 'FNAL'
}

/**
 * The problems of an end-to-end id prefix (empty when valid): it must be 1 to 35 characters of
 * the SEPA set, not start with `/` or a space, and have no `//` (the ids made from it are checked
 * whole, with the invoice id, when built).
 */
function prefixProblems(prefix: string): string[] {
  const c = checkSepaId(prefix)
  if (c.valid) return []
  // a prefix may end with '/' or a space: the invoice id follows
  return c.problems.filter((p) => p.code !== 'TRAILING_SLASH' && p.code !== 'TRAILING_SPACE').map((p) => p.message.replace('a mandate reference', 'an end-to-end id prefix'))
}

/**
 * The amendments of a mandate not yet reported, as the one amendment its next collection carries:
 * the oldest original RUM and the oldest original IBAN (what the debtor's bank knows), each left
 * null when it is the current one again; null when there is nothing to report.
 */
function pendingAmendment(m: SepaMandate): SepaMandateAmendment | null {
  const open = m.amendments.filter((a) => !a.reported)
  if (open.length === 0) return null
  const originalRum = open.find((a) => a.originalRum !== null)?.originalRum ?? null
  // an IBAN with wrong check digits (a typo stored before IBANs were checked, then corrected) was
  // never debited, so the debtor's bank never knew it: the oldest valid one is what it may know
  const originalIban = open.find((a) => a.originalIban !== null && isValidIban(a.originalIban))?.originalIban ?? null
  const rum = originalRum !== null && originalRum !== m.rum ? originalRum : null
  const iban = originalIban !== null && originalIban !== m.iban ? originalIban : null
  if (rum === null && iban === null) return null
  return { date: open[open.length - 1]!.date, originalRum: rum, originalIban: iban, reported: false }
}

/**
 * Selects the debit instructions of a collection: each open invoice of a debtor with a usable
 * mandate becomes one instruction for what remains due, with the mandate's next sequence type.
 *
 * Rules: the mandate must be signed on or before the collection date, active and not lapsed on
 * that date (36 months unused); a debtor with several mandates uses the most recently signed
 * active one of those; nothing due, nothing collected. An invoice whose debtor has no usable
 * mandate is left out with the reason: a mandate signed after the collection date only
 * (`MANDATE_NOT_YET_SIGNED`, before `MANDATE_SUSPENDED`, `MANDATE_LAPSED`, `MANDATE_CLOSED`). An
 * invoice whose mandate in force has an IBAN with wrong check digits is left out
 * (`MANDATE_IBAN_INVALID`, naming the mandate), never put in the batch, so one typo does not fail
 * the others' collection. A one-off (OOFF) or final (FNAL) mandate allows one collection: it collects one
 * invoice of the run (the earliest due), the others are left out (`MANDATE_ONE_OFF_USED`), and
 * none while a collection with it is neither settled nor returned (`options.collected`).
 * A candidate that names its billing office is collected only with a mandate signed with that
 * office (`MANDATE_OF_ANOTHER_OFFICE` otherwise); a mandate stored without its office is used
 * unless `options.mandatesWithoutOffice` is `'refuse'` (`MANDATE_OFFICE_UNKNOWN`).
 * An invoice whose last debit was returned with a `contactPayer` or `fixAccount` code is left out
 * until the office acts (`RETURNED_CONTACT_PAYER`, `RETURNED_FIX_ACCOUNT`: see `options.debits`).
 * Every instruction of a mandate amended since its last reported collection carries the
 * amendment. End-to-end ids are `<prefix><invoiceId>` (the caller passes a collection-unique
 * prefix) and must be SEPA identifiers.
 *
 * @example
 * const { instructions, excluded } = selectDirectDebits(candidates, mandates, { collectionDate: '2027-01-20', endToEndPrefix: 'DD2701-' })
 * // a mandate signed on 2027-03-01 does not collect on 2027-01-20:
 * // excluded //=> [{ invoiceId: 'b-1:g3', debtorId: 'g3', reason: 'MANDATE_NOT_YET_SIGNED', mandateId: 'm-g3' }]
 * @throws EcoleError `INVALID_INPUT` naming the option: a misspelt key, a collection date that is
 * not a calendar day, a prefix (or an end-to-end id made from it) that is not a SEPA identifier.
 */
export function selectDirectDebits(
  candidates: readonly DirectDebitCandidate[],
  mandates: readonly SepaMandate[],
  options: {
    /** The requested collection date (a mandate lapsed on that date is left out). */
    collectionDate: LocalDate
    /**
     * Prefix of the end-to-end ids, unique per collection: 1 to 35 characters of the SEPA set
     * (`A-Z a-z 0-9 / - ? : ( ) . , ' +` and space), not starting with `/` or a space, no `//`.
     */
    endToEndPrefix: string
    /**
     * The direct-debit payments already recorded for these debtors (refused ones are ignored): a
     * one-off (OOFF) or final (FNAL) mandate with one neither settled nor returned is left out
     * (`MANDATE_ONE_OFF_USED`). A payment counts as settled when its date is on or before the
     * mandate's last settled collection (settling an OOFF or FNAL collection closes the mandate).
     */
    collected?: readonly Pick<Payment, 'method' | 'status' | 'mandateId' | 'date'>[] | undefined
    /**
     * What a mandate stored without its billing office does for a candidate that names its office:
     * `'use'` (the default: the site has a single billing office, so the mandate can only be its
     * own) or `'refuse'` (the site has several: `MANDATE_OFFICE_UNKNOWN`).
     */
    mandatesWithoutOffice?: 'use' | 'refuse' | undefined
    /**
     * The direct-debit payments of the candidate invoices, whatever their status: an invoice whose
     * last one (latest collection date) was returned with a `contactPayer` code (MS02, MD06, ...)
     * is left out (`RETURNED_CONTACT_PAYER`) unless `represent` names it; one returned with a
     * `fixAccount` code (AC01, ...) is left out (`RETURNED_FIX_ACCOUNT`) until its mandate's IBAN
     * is amended after the day that collection was made, another mandate is in force, or
     * `represent` names it. A `retry` code (AM04) is presented again; `suspendMandate` suspends the mandate.
     */
    debits?: readonly Pick<Payment, 'method' | 'status' | 'mandateId' | 'date' | 'allocations' | 'refusal' | 'recordedOn'>[] | undefined
    /** Invoices the office decided to present again after a `contactPayer` or `fixAccount` return. */
    represent?: readonly string[] | undefined
  },
): { instructions: DirectDebitInstruction[]; excluded: DirectDebitExclusion[] } {
  try {
    const opts = checkOptions<SelectDirectDebitsOptions>('selectDirectDebits', 'options', options, SELECT_OPTION_KINDS)
    if (!isLocalDate(opts.collectionDate)) throw EcoleError.invalidInput('options.collectionDate', `must be a calendar day written YYYY-MM-DD, got "${opts.collectionDate}"`)
    const bad = prefixProblems(opts.endToEndPrefix)
    if (bad.length > 0) throw EcoleError.invalidInput('options.endToEndPrefix', `${bad.join('; ')} (got "${opts.endToEndPrefix}")`)
    const byDebtor = new Map<string, SepaMandate[]>()
    for (const m of mandates) {
      const list = byDebtor.get(m.debtorId) ?? []
      list.push(m)
      byDebtor.set(m.debtorId, list)
    }
    // one-off and final mandates with a collection sent, neither settled nor returned
    const inFlight = new Set<string>()
    const byId = new Map(mandates.map((m) => [m.id, m]))
    for (const p of opts.collected ?? []) {
      if (p.method !== 'directDebit' || p.status !== 'recorded' || p.mandateId === null) continue
      const m = byId.get(p.mandateId)
      if (m && isLastCollection(m.nextSequence) && (m.lastCollectionDate === null || p.date > m.lastCollectionDate)) inFlight.add(m.id)
    }
    // decided earliest due first (then in the order given), so a one-off mandate collects the oldest debt
    const order = candidates.map((c, i) => [c, i] as const).sort(([a, i], [b, j]) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : i - j))
    const decided: Array<DirectDebitInstruction | DirectDebitExclusion> = new Array(candidates.length)
    const taken = new Set<string>()
    const last = lastDebits(opts.debits ?? [])
    const represent = new Set(opts.represent ?? [])
    for (const [c, index] of order) {
      const out = (reason: DirectDebitExclusionReason, mandateId?: string) => {
        decided[index] = { invoiceId: c.invoiceId, debtorId: c.debtorId, reason, ...(mandateId !== undefined ? { mandateId } : {}) }
      }
      if (c.outstandingMinor <= 0n) { out('NOTHING_DUE'); continue }
      const all = byDebtor.get(c.debtorId) ?? []
      // a mandate authorises the creditor it was signed with: another office's is not this invoice's
      const office = c.billingOfficeId
      const list = (office === undefined ? all.slice() : all.filter((m) => m.billingOfficeId === office || (m.billingOfficeId === undefined && opts.mandatesWithoutOffice !== 'refuse')))
        .sort((a, b) => (a.signatureDate < b.signatureDate ? 1 : a.signatureDate > b.signatureDate ? -1 : 0))
      if (list.length === 0) {
        const unknown = all.find((m) => m.billingOfficeId === undefined)
        if (unknown) out('MANDATE_OFFICE_UNKNOWN', unknown.id)
        else if (all.length > 0) out('MANDATE_OF_ANOTHER_OFFICE', all[0]!.id)
        else out('NO_MANDATE')
        continue
      }
      // a mandate signed after the collection date does not authorise it (the debtor could have the
      // debit refunded for 13 months as unauthorised): it is not yet a mandate on that date
      const states = list.map((m) => (m.signatureDate > opts.collectionDate && m.status === 'active' ? 'notYetSigned' as const : sepaMandateStateOn(m, opts.collectionDate)))
      const usable = list.findIndex((_, i) => states[i] === 'active')
      if (usable < 0) {
        // the mandate signed soonest after the date: the first that will collect
        const unsigned = list.filter((_, i) => states[i] === 'notYetSigned').at(-1)
        if (unsigned) out('MANDATE_NOT_YET_SIGNED', unsigned.id)
        else out(states.includes('suspended') ? 'MANDATE_SUSPENDED' : states.includes('lapsed') ? 'MANDATE_LAPSED' : 'MANDATE_CLOSED')
        continue
      }
      const m = list[usable]!
      // the bank refuses the whole file for one IBAN with wrong check digits: this invoice only is left out
      if (!isValidIban(m.iban)) { out('MANDATE_IBAN_INVALID', m.id); continue }
      // a return that needs the office (new bank details, a word with the payer) is not presented again by itself
      const hold = refusalHold(last.get(c.invoiceId), m, represent, c.invoiceId)
      if (hold !== null) { out(hold, hold === 'RETURNED_FIX_ACCOUNT' ? m.id : undefined); continue }
      if (isLastCollection(m.nextSequence)) {
        if (inFlight.has(m.id) || taken.has(m.id)) { out('MANDATE_ONE_OFF_USED'); continue }
        taken.add(m.id)
      }
      const endToEndId = endToEndIdOf(`${opts.endToEndPrefix}${c.invoiceId}`)
      const idCheck = checkSepaId(endToEndId)
      if (!idCheck.valid) {
        const why = idCheck.problems.map((p) => p.message.replace('a mandate reference', 'an end-to-end id')).join('; ')
        throw EcoleError.invalidInput('options.endToEndPrefix', `gives invoice ${c.invoiceId} the end-to-end id "${endToEndId}", which is not a SEPA identifier: ${why}`, { invoiceId: c.invoiceId })
      }
      decided[index] = {
        invoiceId: c.invoiceId, debtorId: c.debtorId, mandateId: m.id, rum: m.rum, signatureDate: m.signatureDate, sequence: m.nextSequence,
        debtorName: m.debtorName, iban: m.iban, bic: m.bic, amountMinor: c.outstandingMinor, currency: c.currency,
        endToEndId, remittanceReference: c.paymentReference, amendment: pendingAmendment(m),
      }
    }
    const instructions: DirectDebitInstruction[] = []
    const excluded: DirectDebitExclusion[] = []
    for (const d of decided) {
      if ('reason' in d) excluded.push(d)
      else instructions.push(d)
    }
    return { instructions, excluded }
  } catch (error) {
    throw asInputError(error, 'selectDirectDebits', { candidates: [candidates, 'array', 'the direct debit candidates'], mandates: [mandates, 'array', 'the SEPA mandates'], options: [options, 'object', 'the collection options'] })
  }
}

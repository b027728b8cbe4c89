import { checkOptions, type OptionKinds } from '../check-options'
import { EcoleError } from '../errors'
import type { CurrencyCode } from '../money'
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
 */
export type DirectDebitExclusionReason = 'NO_MANDATE' | 'MANDATE_SUSPENDED' | 'MANDATE_LAPSED' | 'MANDATE_CLOSED' | 'MANDATE_ONE_OFF_USED' | 'NOTHING_DUE'

/** An invoice left out of the collection, with the reason. */
export interface DirectDebitExclusion {
  /** The invoice. */
  invoiceId: string
  /** The invoice's debtor (`payerId` before 0.1.0). */
  debtorId: string
  /** Why. */
  reason: DirectDebitExclusionReason
}

/** An invoice offered for collection. */
export interface DirectDebitCandidate extends OpenInvoice {
  /** Its debtor (`payerId` before 0.1.0). */
  debtorId: string
  /** Currency. */
  currency: CurrencyCode
  /** Payment reference printed on the invoice. */
  paymentReference: string | null
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
const SELECT_OPTION_KINDS: OptionKinds<SelectDirectDebitsOptions> = { collectionDate: 'date', endToEndPrefix: 'string', collected: 'array?' }

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
  const originalIban = open.find((a) => a.originalIban !== null)?.originalIban ?? null
  const rum = originalRum !== null && originalRum !== m.rum ? originalRum : null
  const iban = originalIban !== null && originalIban !== m.iban ? originalIban : null
  if (rum === null && iban === null) return null
  return { date: open[open.length - 1]!.date, originalRum: rum, originalIban: iban, reported: false }
}

/**
 * Selects the debit instructions of a collection: each open invoice of a debtor with a usable
 * mandate becomes one instruction for what remains due, with the mandate's next sequence type.
 *
 * Rules: the mandate must be active and not lapsed on the collection date (36 months unused);
 * a debtor with several mandates uses the most recently signed active one; nothing due, nothing
 * collected. A one-off (OOFF) or final (FNAL) mandate allows one collection: it collects one
 * invoice of the run (the earliest due), the others are left out (`MANDATE_ONE_OFF_USED`), and
 * none while a collection with it is neither settled nor returned (`options.collected`).
 * Every instruction of a mandate amended since its last reported collection carries the
 * amendment. End-to-end ids are `<prefix><invoiceId>` (the caller passes a collection-unique
 * prefix) and must be SEPA identifiers.
 *
 * @example
 * const { instructions, excluded } = selectDirectDebits(candidates, mandates, { collectionDate: '2027-01-20', endToEndPrefix: 'DD2701-' })
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
    for (const [c, index] of order) {
      const out = (reason: DirectDebitExclusionReason) => { decided[index] = { invoiceId: c.invoiceId, debtorId: c.debtorId, reason } }
      if (c.outstandingMinor <= 0n) { out('NOTHING_DUE'); continue }
      const list = (byDebtor.get(c.debtorId) ?? []).slice().sort((a, b) => (a.signatureDate < b.signatureDate ? 1 : a.signatureDate > b.signatureDate ? -1 : 0))
      if (list.length === 0) { out('NO_MANDATE'); continue }
      const states = list.map((m) => sepaMandateStateOn(m, opts.collectionDate))
      const usable = list.findIndex((_, i) => states[i] === 'active')
      if (usable < 0) {
        out(states.includes('suspended') ? 'MANDATE_SUSPENDED' : states.includes('lapsed') ? 'MANDATE_LAPSED' : 'MANDATE_CLOSED')
        continue
      }
      const m = list[usable]!
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

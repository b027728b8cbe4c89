import type { CurrencyCode } from '../money'
import type { LocalDate } from '../time'
import type { OpenInvoice } from './allocation'
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
  /** Amendment to report with this collection, if any. */
  amendment: SepaMandateAmendment | null
}

/** Why an invoice was left out of a direct-debit batch. */
export type DirectDebitExclusionReason = 'NO_MANDATE' | 'MANDATE_SUSPENDED' | 'MANDATE_LAPSED' | 'MANDATE_CLOSED' | 'NOTHING_DUE'

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

/**
 * Selects the debit instructions of a collection: each open invoice of a debtor with a usable
 * mandate becomes one instruction for what remains due, with the mandate's next sequence type.
 *
 * Rules: the mandate must be active and not lapsed on the collection date (36 months unused);
 * a debtor with several mandates uses the most recently signed active one; nothing due, nothing
 * collected. End-to-end ids are `<prefix><invoiceId>` (the caller passes a collection-unique prefix).
 *
 * @example
 * const { instructions, excluded } = selectDirectDebits(candidates, mandates, { collectionDate: '2027-01-20', endToEndPrefix: 'DD2701-' })
 */
export function selectDirectDebits(
  candidates: readonly DirectDebitCandidate[],
  mandates: readonly SepaMandate[],
  options: { collectionDate: LocalDate; endToEndPrefix: string },
): { instructions: DirectDebitInstruction[]; excluded: DirectDebitExclusion[] } {
  try {
    const byDebtor = new Map<string, SepaMandate[]>()
    for (const m of mandates) {
      const list = byDebtor.get(m.debtorId) ?? []
      list.push(m)
      byDebtor.set(m.debtorId, list)
    }
    const instructions: DirectDebitInstruction[] = []
    const excluded: DirectDebitExclusion[] = []
    for (const c of candidates) {
      if (c.outstandingMinor <= 0n) { excluded.push({ invoiceId: c.invoiceId, debtorId: c.debtorId, reason: 'NOTHING_DUE' }); continue }
      const list = (byDebtor.get(c.debtorId) ?? []).slice().sort((a, b) => (a.signatureDate < b.signatureDate ? 1 : a.signatureDate > b.signatureDate ? -1 : 0))
      if (list.length === 0) { excluded.push({ invoiceId: c.invoiceId, debtorId: c.debtorId, reason: 'NO_MANDATE' }); continue }
      const states = list.map((m) => sepaMandateStateOn(m, options.collectionDate))
      const usable = list.findIndex((_, i) => states[i] === 'active')
      if (usable < 0) {
        const reason: DirectDebitExclusionReason = states.includes('suspended') ? 'MANDATE_SUSPENDED' : states.includes('lapsed') ? 'MANDATE_LAPSED' : 'MANDATE_CLOSED'
        excluded.push({ invoiceId: c.invoiceId, debtorId: c.debtorId, reason })
        continue
      }
      const m = list[usable]!
      instructions.push({
        invoiceId: c.invoiceId, debtorId: c.debtorId, mandateId: m.id, rum: m.rum, signatureDate: m.signatureDate, sequence: m.nextSequence,
        debtorName: m.debtorName, iban: m.iban, bic: m.bic, amountMinor: c.outstandingMinor, currency: c.currency,
        endToEndId: endToEndIdOf(`${options.endToEndPrefix}${c.invoiceId}`), remittanceReference: c.paymentReference,
        amendment: m.amendments.find((a) => !a.reported) ?? null,
      })
    }
    return { instructions, excluded }
  } catch (error) {
    throw asInputError(error, 'selectDirectDebits', { candidates: [candidates, 'array', 'the direct debit candidates'], mandates: [mandates, 'array', 'the SEPA mandates'], options: [options, 'object', 'the collection options'] })
  }
}

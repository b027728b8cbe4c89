import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { addMonths, compareDates, LocalDateSchema, type LocalDate } from '../time'
import { isValid as isValidIban } from '../references/iban'
import { asInputError } from '../input-error'

/** SEPA sequence types: first, recurring, one-off, final. */
export type SepaSequenceType = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL'

/** A mandate's state: active, suspended by the creditor, or closed (after a one-off or final collection, or revoked). */
export type SepaMandateStatus = 'active' | 'suspended' | 'closed'

/** A change made to a mandate after signature (SEPA amendment), reported on the next collection. */
export interface SepaMandateAmendment {
  /** Date of the change. */
  date: LocalDate
  /** The previous mandate reference, when the RUM changed. */
  originalRum: string | null
  /** The previous debtor IBAN, when the account changed. */
  originalIban: string | null
  /** Whether a settled collection has carried it to the bank yet. */
  reported: boolean
  /**
   * The end-to-end ids of the collections that carried it to the bank and are neither settled nor
   * returned yet (absent: none); only their settlement reports it (see {@link markSepaCollectionSettled}); a return takes its id off.
   */
  carriedBy?: string[] | undefined
}

/**
 * A SEPA direct-debit mandate of a debtor (a guardian billed), signed with one billing office's
 * creditor id (`billingOfficeId`).
 *
 * @example
 * const m = defineSepaMandate({ id: 'm1', siteId: 's', debtorId: 'g1', rum: 'RUM-2026-0001', billingOfficeId: 'regie', signatureDate: '2026-09-01',
 *   debtorName: 'Claire Martin', iban: 'FR7630006000011234567890189' })
 */
export interface SepaMandate {
  /** Mandate id. */
  id: string
  /** The tenant. */
  siteId: string
  /** The guardian who signed it: the debtor whose invoices it collects (`payerId` before 0.1.0). */
  debtorId: string
  /** Unique mandate reference (RUM), at most 35 characters of the SEPA set. */
  rum: string
  /**
   * The billing office (régie) whose SEPA creditor id the mandate was signed with: a mandate
   * authorises one creditor, so only that office's collections use it. Absent on a mandate stored
   * before it was recorded: such a mandate is used only on a site with a single billing office.
   */
  billingOfficeId?: string | undefined
  /** Date of signature. */
  signatureDate: LocalDate
  /** Debtor name as on the account. */
  debtorName: string
  /** Debtor IBAN. */
  iban: string
  /** Debtor BIC, when known. */
  bic: string | null
  /** Recurrent (FRST then RCUR) or one-off (OOFF). */
  recurrence: 'recurrent' | 'oneOff'
  /** Sequence type of the next collection. */
  nextSequence: SepaSequenceType
  /** Date of the last settled collection, or null if never used. */
  lastCollectionDate: LocalDate | null
  /** Active, suspended or closed. */
  status: SepaMandateStatus
  /** Amendments, oldest first. */
  amendments: SepaMandateAmendment[]
}

const RUM = /^(?!\/)(?!.*\/\/)(?!.*\/$)[A-Za-z0-9/\-?:().,'+ ]{1,35}$/

/**
 * A debtor IBAN in its electronic form (upper case, no spaces) with right check digits: the
 * library's own check ({@link iban.isValid}: ISO 7064 check digits, the country's length and
 * format, national check keys where ibantools knows them).
 */
const MANDATE_IBAN = z.string().superRefine((s, ctx) => {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) ctx.addIssue({ code: 'custom', message: 'must be an IBAN without spaces', input: s })
  else if (!isValidIban(s)) ctx.addIssue({ code: 'custom', message: `must be a valid IBAN: the check digits of ${s} are wrong, or its length or format is not its country's`, input: s })
})

/**
 * A mandate as a form sends it. The IBAN is checked as the bank will (check digits, length and
 * format of its country): a typo is refused here, naming `mandate.iban`, instead of failing the
 * month's collection file later.
 *
 * @example
 * SepaMandateInputSchema.safeParse({ id: 'm1', siteId: 's', debtorId: 'g1', rum: 'RUM1', signatureDate: '2026-09-01',
 *   debtorName: 'C. Martin', iban: 'FR7630006000011234567890188' }).success //=> false (check digits)
 */
export const SepaMandateInputSchema = z.strictObject({
  id: z.string().min(1),
  siteId: z.string().min(1),
  debtorId: z.string().min(1),
  rum: z.string().regex(RUM, 'must be 1-35 characters of the SEPA set, without a leading/trailing "/" or "//"'),
  billingOfficeId: z.string().min(1).optional(),
  signatureDate: LocalDateSchema,
  debtorName: z.string().trim().min(1),
  iban: MANDATE_IBAN,
  bic: z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/).nullable().default(null),
  recurrence: z.enum(['recurrent', 'oneOff']).default('recurrent'),
})

/** What callers pass to {@link defineSepaMandate}. */
export type SepaMandateInput = z.input<typeof SepaMandateInputSchema>

/**
 * Checks a new mandate: its first collection is FRST (OOFF for a one-off mandate).
 *
 * @example
 * defineSepaMandate({ id: 'm1', siteId: 's', debtorId: 'g1', rum: 'RUM1', signatureDate: '2026-09-01', debtorName: 'C. Martin',
 *   iban: 'FR7630006000011234567890189' }).nextSequence //=> 'FRST'
 * defineSepaMandate({ ...input, iban: 'FR7630006000011234567890188' })
 * // throws INVALID_INPUT 'mandate.iban: must be a valid IBAN: the check digits of FR7630006000011234567890188 are wrong, ...'
 * @throws EcoleError `INVALID_INPUT` naming the field (an IBAN with wrong check digits: `mandate.iban`).
 */
export function defineSepaMandate(input: SepaMandateInput): SepaMandate {
  const m = parseInput(SepaMandateInputSchema, input, 'mandate')
  return { ...m, nextSequence: m.recurrence === 'oneOff' ? 'OOFF' : 'FRST', lastCollectionDate: null, status: 'active', amendments: [] }
}

/** Months without a collection after which a mandate lapses (SEPA rulebook). */
export const SEPA_MANDATE_LAPSE_MONTHS = 36

/**
 * The mandate's state on a date: `lapsed` once 36 months have passed since its last settled
 * collection (or its signature, if never used), otherwise its stored status.
 *
 * @example
 * sepaMandateStateOn({ ...m, lastCollectionDate: '2023-01-10' }, '2026-01-10') //=> 'lapsed'
 */
export function sepaMandateStateOn(mandate: SepaMandate, date: LocalDate): SepaMandateStatus | 'lapsed' {
  try {
    if (mandate.status !== 'active') return mandate.status
    const since = mandate.lastCollectionDate ?? mandate.signatureDate
    return compareDates(date, addMonths(since, SEPA_MANDATE_LAPSE_MONTHS)) >= 0 ? 'lapsed' : 'active'
  } catch (error) {
    throw asInputError(error, 'sepaMandateStateOn', { mandate: [mandate, 'object', 'a stored SEPA mandate'], date: [date, 'date'] })
  }
}

/**
 * The mandate after a collection with it was settled: the sequence advances (FRST -> RCUR; a
 * one-off or final collection closes the mandate) and the last-use date moves. Only a settled
 * collection advances the sequence: a rejected FRST is presented again as FRST.
 *
 * An amendment is marked reported only when the settled collection carried it to the bank
 * (its `carriedBy` lists the collection's end-to-end id): an amendment made after the collection
 * was sent is reported by the next one. Without `settled.endToEndId`, an amendment carried by any
 * collection still in flight counts as carried.
 *
 * @example
 * markSepaCollectionSettled(defineSepaMandate(input), '2027-01-10').nextSequence //=> 'RCUR'
 * markSepaCollectionSettled(m, '2027-02-10', { endToEndId: 'DD2702-b-2027-01:g1' }).amendments[0].reported //=> true when that collection carried it
 */
export function markSepaCollectionSettled(mandate: SepaMandate, date: LocalDate, settled: { endToEndId?: string | undefined } = {}): SepaMandate {
  try {
    const closes = mandate.nextSequence === 'OOFF' || mandate.nextSequence === 'FNAL'
    const e2e = settled.endToEndId
    const carried = (a: SepaMandateAmendment) => (a.carriedBy ?? []).length > 0 && (e2e === undefined || a.carriedBy!.includes(e2e))
    return {
      ...mandate,
      nextSequence: closes ? mandate.nextSequence : 'RCUR',
      status: closes ? 'closed' : mandate.status,
      lastCollectionDate: mandate.lastCollectionDate && compareDates(mandate.lastCollectionDate, date) > 0 ? mandate.lastCollectionDate : date,
      amendments: mandate.amendments.map((a) => (!a.reported && carried(a) ? { date: a.date, originalRum: a.originalRum, originalIban: a.originalIban, reported: true } : a)),
    }
  } catch (error) {
    throw asInputError(error, 'markSepaCollectionSettled', { mandate: [mandate, 'object', 'a stored SEPA mandate'], date: [date, 'date'], settled: [settled, 'object?', 'the settled collection ({ endToEndId })'] })
  }
}

/**
 * Records an amendment (new RUM or new debtor account); the next collection reports it to the bank.
 * A new IBAN is checked as {@link defineSepaMandate} checks it (check digits, length and format
 * of its country); this is how a mandate stored with a wrong IBAN is corrected.
 *
 * @example
 * amendSepaMandate(m, { date: '2027-02-01', iban: 'FR7610107001011234567890129' }).iban //=> 'FR7610107001011234567890129'
 * amendSepaMandate(m, { date: '2027-02-01', iban: 'FR7610107001011234567890128' })
 * // throws INVALID_INPUT 'mandateAmendment.iban: must be a valid IBAN: the check digits of ... are wrong, ...'
 * @throws EcoleError `MANDATE_CLOSED`, `INVALID_INPUT` naming the field (`mandateAmendment.iban`).
 */
export function amendSepaMandate(mandate: SepaMandate, change: { date: LocalDate; rum?: string; iban?: string; debtorName?: string }): SepaMandate {
  try {
    if (mandate.status === 'closed') throw new EcoleError('MANDATE_CLOSED', `mandate ${mandate.rum} is closed and cannot be amended`, { details: { mandateId: mandate.id } })
    const c = parseInput(z.strictObject({ date: LocalDateSchema, rum: SepaMandateInputSchema.shape.rum.optional(), iban: SepaMandateInputSchema.shape.iban.optional(), debtorName: z.string().min(1).optional() }), change, 'mandateAmendment')
    const rumChanged = c.rum !== undefined && c.rum !== mandate.rum
    const ibanChanged = c.iban !== undefined && c.iban !== mandate.iban
    if (!rumChanged && !ibanChanged && c.debtorName === undefined) return mandate
    return {
      ...mandate,
      rum: c.rum ?? mandate.rum,
      iban: c.iban ?? mandate.iban,
      debtorName: c.debtorName ?? mandate.debtorName,
      amendments: rumChanged || ibanChanged
        ? [...mandate.amendments, { date: c.date, originalRum: rumChanged ? mandate.rum : null, originalIban: ibanChanged ? mandate.iban : null, reported: false }]
        : mandate.amendments,
    }
  } catch (error) {
    throw asInputError(error, 'amendSepaMandate', { mandate: [mandate, 'object', 'a stored SEPA mandate'], change: [change, 'object', 'the amendment'] })
  }
}

/**
 * Suspends (or reactivates) a mandate: a suspended mandate is left out of collections.
 *
 * @example
 * setSepaMandateSuspended(m, true).status //=> 'suspended'
 * @throws EcoleError `MANDATE_CLOSED`, `INVALID_INPUT`.
 */
export function setSepaMandateSuspended(mandate: SepaMandate, suspended: boolean): SepaMandate {
  try {
    if (mandate.status === 'closed') throw new EcoleError('MANDATE_CLOSED', `mandate ${mandate.rum} is closed`, { details: { mandateId: mandate.id } })
    return { ...mandate, status: suspended ? 'suspended' : 'active' }
  } catch (error) {
    throw asInputError(error, 'setSepaMandateSuspended', { mandate: [mandate, 'object', 'a stored SEPA mandate'], suspended: [suspended, 'boolean'] })
  }
}

/**
 * Marks the next collection as the final one (FNAL): after it settles the mandate closes.
 *
 * @example
 * markSepaMandateFinal(m).nextSequence //=> 'FNAL'
 */
export function markSepaMandateFinal(mandate: SepaMandate): SepaMandate {
  try {
    if (mandate.recurrence === 'oneOff') return mandate
    return { ...mandate, nextSequence: 'FNAL' }
  } catch (error) {
    throw asInputError(error, 'markSepaMandateFinal', { mandate: [mandate, 'object', 'a stored SEPA mandate'] })
  }
}

import { LocalDateSchema, bic, creditorId, iban, mandateReference, ogm, rf } from '@ecole/core'
import * as z from 'zod'
import { decimalToMinor } from '../statement/amount'

/**
 * SEPA identifier text (`Max35Text` in the SEPA set): ids are checked, never silently rewritten.
 * A blank id, or one starting or ending with a space, is refused (not trimmed): the bank sends it
 * back character for character in its returns, and a padded id would match nothing. @internal
 */
export const SEPA_ID = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => s.length === 0 || s.trim().length > 0, 'must not be blank (only spaces)')
  .refine((s) => s.trim().length === 0 || !/^\s|\s$/.test(s), 'must not start or end with a space (ids are matched character for character, never trimmed)')
  .max(35, 'must be at most 35 characters')
  .regex(/^[A-Za-z0-9/\-?:().,'+ ]+$/, "must use only the SEPA characters A-Z a-z 0-9 / - ? : ( ) . , ' + and space")
  .refine((s) => !s.startsWith('/') && !s.endsWith('/') && !s.includes('//'), "must not start or end with '/' nor contain '//'")

/**
 * A name or free text: any Unicode and any length, transliterated to the SEPA set and cut to the
 * field's limit (`max` characters) when the file is written, every cut reported in its warnings.
 * @internal
 */
export const TEXT = (max: number) => z.string().trim().min(1, 'must not be empty').describe(`cut to ${max} characters when written`)

/**
 * A structured postal address, as SEPA requires from 15 November 2026: town and country at
 * least, street, building number and post code when known (transliterated to the SEPA set).
 *
 * @example
 * SepaPostalAddressSchema.parse({ street: 'Rue de la Station', buildingNumber: '12', postCode: '1300', town: 'Wavre', country: 'BE' })
 */
export const SepaPostalAddressSchema = z
  .strictObject({
    street: TEXT(70).optional(),
    buildingNumber: TEXT(16).optional(),
    postCode: TEXT(16).optional(),
    town: TEXT(35),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code of two upper-case letters'),
  })
  .strict()

/** A structured postal address (see {@link SepaPostalAddressSchema}). */
export type SepaPostalAddress = z.output<typeof SepaPostalAddressSchema>

/** A string checked and normalised in one pass by `normalize` (which throws when invalid). */
function normalized(normalize: (s: string) => string, message: string) {
  return z.string().transform((s, ctx) => {
    try {
      return normalize(s)
    } catch {
      // not fatal: the batch-wide checks (duplicate end-to-end ids) still run and report too
      ctx.addIssue({ code: 'custom', message, input: s, continue: true })
      return s
    }
  })
}

/** An IBAN, normalised. @internal */
export const IBAN = normalized(iban.normalize, 'must be a valid IBAN')
/** A BIC, normalised. @internal */
export const BIC = normalized(bic.normalize, 'must be a valid BIC (8 or 11 characters)')

/** An amount in euros, as minor units. @internal */
export const EUR_AMOUNT = z
  .strictObject({
    amount: z.string(),
    currency: z.literal('EUR', 'must be EUR (SEPA direct debits are in euros)'),
  })
  .strict()
  .transform((m, ctx) => {
    const minor = decimalToMinor(m.amount.trim(), 'EUR')
    if (typeof minor === 'string') {
      ctx.addIssue({ code: 'custom', message: minor, path: ['amount'] })
      return z.NEVER
    }
    if (minor < 1n || minor > 99_999_999_999n) {
      ctx.addIssue({ code: 'custom', message: 'must be between 0.01 and 999999999.99 EUR', path: ['amount'] })
      return z.NEVER
    }
    return minor
  })

/**
 * What a debit tells the payer: a Belgian OGM (written as its 12 digits, issuer `BBA`), an ISO
 * 11649 RF (electronic form, issuer `ISO`), or free text (max 140, transliterated).
 *
 * @example
 * DebitRemittanceSchema.parse({ kind: 'ogm', reference: '+++123/4567/89002+++' }) //=> { kind: 'ogm', reference: '123456789002' }
 */
export const DebitRemittanceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ogm'), reference: normalized(ogm.normalize, 'must be a valid Belgian structured communication') }).strict(),
  z.strictObject({ kind: z.literal('rf'), reference: normalized(rf.normalize, 'must be a valid ISO 11649 RF reference') }).strict(),
  z.strictObject({ kind: z.literal('text'), text: TEXT(140) }).strict(),
])

/**
 * A mandate amendment as a form or an API sends it: the former mandate reference, the former
 * debtor IBAN, and whether the new account is at another bank (`debtorBankChanged`), each when it
 * applies. Without `debtorBankChanged`, the bank is taken as changed unless both IBANs carry the
 * same national bank identifier ({@link iban.bankIdentifier}); `debtorBankChanged: true` reports a
 * new bank whose former IBAN is unknown, `false` needs the former IBAN (written as it is).
 *
 * @example
 * DebtorAccountAmendmentSchema.parse({ originalDebtorIban: 'FR14 2004 1010 0505 0001 3M02 606' })
 * //=> { originalDebtorIban: 'FR1420041010050500013M02606' }
 * DebtorAccountAmendmentSchema.safeParse({ debtorBankChanged: false }).success //=> false (same bank: the former IBAN is needed)
 */
export const DebtorAccountAmendmentSchema = z
  .strictObject({
    originalMandateId: z.string().superRefine((s, ctx) => {
      const c = mandateReference.check(s)
      if (!c.valid) ctx.addIssue({ code: 'custom', message: `must be a valid SEPA mandate reference: ${c.problems.map((p) => p.message).join('; ')}`, input: s })
    }).optional(),
    originalDebtorIban: IBAN.optional(),
    /**
     * Whether the debtor's new account is at another bank than the one the mandate was last
     * collected from (written as `SMNDA`); derived from the IBANs when absent.
     */
    debtorBankChanged: z.boolean().optional(),
  })
  .strict()
  .refine((a) => a.originalMandateId !== undefined || a.originalDebtorIban !== undefined || a.debtorBankChanged === true, 'must name the original mandate id, the original debtor IBAN, or a change of debtor bank')
  .refine((a) => a.debtorBankChanged !== false || a.originalDebtorIban !== undefined, {
    message: 'a new account at the same bank is reported with the original debtor IBAN: give originalDebtorIban',
    path: ['originalDebtorIban'],
  })

/**
 * One debit of a batch, as a form or an API sends it (amount as a string): end-to-end id (unique,
 * SEPA characters), amount in euros, collection date, sequence type, mandate, debtor, remittance.
 *
 * @example
 * DirectDebitSchema.parse({ endToEndId: 'INV-1', amount: { amount: '42.50', currency: 'EUR' }, collectionDate: '2026-12-05',
 *   sequenceType: 'RCUR', mandate: { id: 'RUM-1', signatureDate: '2025-09-01' }, debtor: { name: 'Léa', iban: 'BE71096123456769' } }).amount //=> 4250n
 */
export const DirectDebitSchema = z
  .strictObject({
    /** Our end-to-end id: comes back in pain.002, camt.054 and CODA, the key to match returns. */
    endToEndId: SEPA_ID,
    /** Optional instruction id (defaults to the end-to-end id). */
    instructionId: SEPA_ID.optional(),
    amount: EUR_AMOUNT,
    collectionDate: LocalDateSchema,
    sequenceType: z.enum(['FRST', 'RCUR', 'OOFF', 'FNAL']),
    mandate: z
      .strictObject({
        id: z.string().superRefine((s, ctx) => {
          const c = mandateReference.check(s)
          if (!c.valid) ctx.addIssue({ code: 'custom', message: `must be a valid SEPA mandate reference: ${c.problems.map((p) => p.message).join('; ')}`, input: s })
        }),
        signatureDate: LocalDateSchema,
        /**
         * A change to the mandate since the debtor's bank last saw it (SEPA amendment): the mandate
         * reference it had (`OrgnlMndtId`) and/or the debtor account it had (`OrgnlDbtrAcct`). Written
         * as `AmdmntInd` true with `AmdmntInfDtls`; absent, no amendment is reported. A new account at
         * another bank is written as the code `SMNDA`, one at the same bank as the former IBAN (see
         * {@link DebtorAccountAmendmentSchema}).
         */
        amendment: DebtorAccountAmendmentSchema.optional(),
      })
      .strict(),
    debtor: z
      .strictObject({
        name: TEXT(70),
        iban: IBAN,
        /** Optional since SEPA's IBAN-only rule; `NOTPROVIDED` is written when absent. */
        bic: BIC.optional(),
        address: SepaPostalAddressSchema.optional(),
      })
      .strict(),
    remittance: DebitRemittanceSchema.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    // a debit collected before its mandate was signed is unauthorised: the debtor may have it refunded for 13 months
    if (d.mandate.signatureDate > d.collectionDate) {
      ctx.addIssue({
        code: 'custom', path: ['mandate', 'signatureDate'], continue: true,
        message: `is ${d.mandate.signatureDate}, after the collection date ${d.collectionDate}: a debit collected before its mandate was signed is unauthorised (the debtor may have it refunded for 13 months)`,
      })
    }
    // the bank rejects an "original" account identical to the one debited: nothing changed
    if (d.mandate.amendment?.originalDebtorIban !== undefined && d.mandate.amendment.originalDebtorIban === d.debtor.iban) {
      ctx.addIssue({ code: 'custom', path: ['mandate', 'amendment', 'originalDebtorIban'], message: 'is the debtor\'s current IBAN: an amendment names the account the mandate had before' })
    }
  })

/**
 * A SEPA direct-debit batch, as a form or an API sends it: who collects (creditor with IBAN,
 * creditor identifier and structured address) and the debits (each with its mandate, sequence
 * type and collection date). Validated once by `buildPain008`; reuse it to check a form.
 *
 * Dates: a debit's collection date may not be before the file's creation day (the date part of
 * `createdAt`, in the offset it is written in), and its mandate's signature date may not be after
 * its collection date; each is refused naming the debit's field
 * (`debits.0.collectionDate`, `debits.0.mandate.signatureDate`) and both dates. The banks' own
 * cut-offs (a SEPA Core collection reaches the bank at least one business day before the
 * collection date, D-1; B2B likewise) are theirs to enforce: check them with your bank.
 *
 * @example
 * const check = DirectDebitBatchSchema.safeParse(formData)
 * if (!check.success) showErrors(zodIssues(check.error))
 */
export const DirectDebitBatchSchema = z
  .strictObject({
    /** `GrpHdr/MsgId`: unique per file; comes back as `OrgnlMsgId` in pain.002. */
    messageId: SEPA_ID,
    /** Creation instant written in `CreDtTm` (ISO 8601, e.g. `2026-11-20T09:30:00Z`): pass `now`, the builder reads no clock. */
    createdAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with Z or an offset' }),
    creditor: z
      .strictObject({
        name: TEXT(70),
        iban: IBAN,
        bic: BIC.optional(),
        creditorId: normalized(creditorId.normalize, 'must be a valid SEPA creditor identifier'),
        address: SepaPostalAddressSchema,
      })
      .strict(),
    /** `CORE` (default) or `B2B`. */
    localInstrument: z.enum(['CORE', 'B2B']).default('CORE'),
    /** Ask the bank to book each payment block as one entry (`BtchBookg`); the bank's default when absent. */
    batchBooking: z.boolean().optional(),
    debits: z.array(DirectDebitSchema).min(1, 'a batch needs at least one debit'),
  })
  .strict()
  .superRefine((b, ctx) => {
    const seen = new Map<string, number>()
    // the day the file is created, as `createdAt` writes it (in its own offset)
    const createdOn = b.createdAt.slice(0, 10)
    b.debits.forEach((d, i) => {
      if (d.collectionDate < createdOn) {
        ctx.addIssue({
          code: 'custom', path: ['debits', i, 'collectionDate'],
          message: `is ${d.collectionDate}, before the file's creation day ${createdOn} (createdAt ${b.createdAt}): a debit cannot be collected in the past`,
        })
      }
      const first = seen.get(d.endToEndId)
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['debits', i, 'endToEndId'], message: `duplicates debits.${first}.endToEndId: end-to-end ids must be unique` })
      } else seen.set(d.endToEndId, i)
    })
  })

/** A direct-debit batch as callers pass it (plain JSON). */
export type DirectDebitBatch = z.input<typeof DirectDebitBatchSchema>
/** One debit as callers pass it. */
export type DirectDebit = z.input<typeof DirectDebitSchema>
/** A validated batch (amounts in cents as bigint, references normalised). */
export type ValidDirectDebitBatch = z.output<typeof DirectDebitBatchSchema>
/** A debit's remittance as callers pass it. */
export type DebitRemittance = z.input<typeof DebitRemittanceSchema>
/**
 * A mandate amendment as callers pass it (see {@link DebtorAccountAmendmentSchema}).
 *
 * @example
 * const moved: DebtorAccountAmendment = { originalDebtorIban: 'FR1420041010050500013M02606' } // written SMNDA for a debtor now at another bank
 */
export type DebtorAccountAmendment = z.input<typeof DebtorAccountAmendmentSchema>

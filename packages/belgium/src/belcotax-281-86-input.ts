import { LocalDateSchema } from '@ecole/core'
import * as z from 'zod'

/** A character XML 1.0 cannot carry (its `Char` production): C0 controls but tab, line feed and carriage return, U+FFFE, U+FFFF, lone surrogates. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
/** Text Belcotax-on-web can read: every character one XML 1.0 allows (a control character makes a file it cannot parse). */
const xmlText = <T extends z.ZodString>(schema: T) =>
  schema.refine((v) => !NOT_XML_CHAR.test(v), { message: 'must not hold a control character (XML 1.0 cannot carry it)' })
const text = (what: string) => xmlText(z.string().trim().min(1, `${what} must not be empty`))

/**
 * A Belgian postal address as the 281.86 fiche carries it (street and number, 4-digit postal code,
 * municipality). Only Belgian addresses are supported.
 *
 * @example
 * BelgianAddressSchema.parse({ street: 'Rue Haute 12', postalCode: '1000', municipality: 'Bruxelles' })
 */
export const BelgianAddressSchema = z.strictObject({
  street: text('the street'),
  postalCode: z.string().regex(/^[1-9]\d{3}$/, 'must be a Belgian postal code (4 digits)'),
  municipality: text('the municipality'),
})

/**
 * The language of a party, as Belcotax codes it (1 Dutch, 2 French, 3 German).
 *
 * @example
 * BelcotaxLanguageSchema.parse('fr')
 */
export const BelcotaxLanguageSchema = z.enum(['nl', 'fr', 'de'])

/**
 * One period of care on a 281.86 fiche: first and last day, number of care days, and the daily
 * rate actually paid (at most the year's daily ceiling). The amount is `days × dailyRateMinor`.
 *
 * @example
 * Belcotax28186PeriodSchema.parse({ from: '2026-01-05', to: '2026-03-27', days: 40, dailyRateMinor: 1250n })
 */
export const Belcotax28186PeriodSchema = z.strictObject({
  from: LocalDateSchema,
  to: LocalDateSchema,
  days: z.number().int().min(1, 'a period has at least one care day'),
  dailyRateMinor: z.bigint().positive('the daily rate must be positive'),
})

/**
 * One 281.86 fiche: one child and one debtor (the person who paid the care), up to four periods.
 * `childId` and `debtorId` are the library's ids (they make the export register's item key);
 * `reference` is the fiche's reference in the file (`f2010_referentie`, 20 characters at most).
 *
 * @example
 * const fiche: Belcotax28186FicheInput = {
 *   reference: 'K1-G1-2026', childId: 'k1', debtorId: 'g1',
 *   debtor: { nationalNumber: '85073003328', lastName: 'Dupont', firstName: 'Marie', address },
 *   child: { lastName: 'Dupont', firstName: 'Léa', birthDate: '2017-07-30', address },
 *   periods: [{ from: '2026-01-05', to: '2026-03-27', days: 40, dailyRateMinor: 1250n }],
 * }
 */
export const Belcotax28186FicheSchema = z.strictObject({
  reference: xmlText(z.string().trim().min(1).max(20, 'f2010_referentie has at most 20 characters')),
  childId: text('the child id'),
  debtorId: text('the debtor id'),
  /** `original` (0), `modification` (1) or `cancellation` (3) of a fiche sent before (f2028_typetraitement). */
  treatment: z.enum(['original', 'modification', 'cancellation']).default('original'),
  debtor: z.strictObject({
    nationalNumber: xmlText(z.string({ error: 'the debtor\'s national number is required (f2011_nationaalnr)' }).trim().min(1, 'the debtor\'s national number is required (f2011_nationaalnr)')),
    lastName: text('the last name'),
    firstName: text('the first name'),
    address: BelgianAddressSchema,
  }),
  child: z.strictObject({
    nationalNumber: xmlText(z.string().trim().min(1)).optional(),
    lastName: text('the last name'),
    firstName: text('the first name'),
    birthDate: LocalDateSchema,
    address: BelgianAddressSchema,
    /** A severe disability extends the age limit from 14 to 21. */
    severeDisability: z.boolean().optional(),
  }),
  periods: z.array(Belcotax28186PeriodSchema).min(1, 'a fiche has at least one period').max(4, 'a 281.86 fiche has at most 4 periods'),
})

/**
 * Everything a Belcotax-on-web 281.86 file needs: the income year and its daily ceiling, the
 * sender (who files: the school or its agent), the issuer (the organisation that received the
 * payments and certifies the care, `débiteur des revenus`), the certifying authority, and the fiches.
 * `createdOn` is the file's creation date (pure: the caller's today). `correction` makes it a
 * corrective sending: every fiche is then a `modification` or a `cancellation`, and
 * `originalSendingReference` is the reference Belcotax-on-web gave the sending it corrects.
 *
 * @example
 * const input: Belcotax28186Input = { year: 2026, createdOn: '2027-02-01', dailyCeilingMinor: 1690n, sender, issuer, certifier, fiches: [fiche] }
 */
export const Belcotax28186InputSchema = z.strictObject({
  year: z.number().int().min(2022, 'the 281.86 with periods exists from income year 2022').max(2100),
  createdOn: LocalDateSchema,
  dailyCeilingMinor: z.bigint().positive(),
  test: z.boolean().optional(),
  sender: z.strictObject({
    name: text('the name'),
    address: BelgianAddressSchema,
    phone: z.string().trim().regex(/^[+0-9 ./()-]{6,12}$/, 'must be a phone number of at most 12 characters'),
    contactName: text('the contact name'),
    email: z.email('must be an e-mail address').max(44, 'v0023_emailadres has at most 44 characters'),
    enterpriseNumber: text('the enterprise number'),
    language: BelcotaxLanguageSchema,
  }),
  issuer: z.strictObject({
    name: text('the name'),
    address: BelgianAddressSchema,
    enterpriseNumber: text('the enterprise number'),
    language: BelcotaxLanguageSchema,
  }),
  certifier: z.strictObject({
    /** f86_2031_certificationautorisation, as the model form codes the kind of certifying authority. */
    code: z.enum(['1', '2', '3', '4']),
    name: text('the name'),
    enterpriseNumber: text('the enterprise number'),
    address: BelgianAddressSchema,
  }),
  correction: z.strictObject({ originalSendingReference: z.string().trim().regex(/^[A-Za-z0-9]{1,6}$/, 'v0026_referte has 1 to 6 letters or digits') }).optional(),
  fiches: z.array(Belcotax28186FicheSchema).min(1, 'a file carries at least one fiche'),
})

/**
 * What callers pass to {@link buildBelcotax28186} (amounts as bigint minor units, days as LocalDate strings).
 *
 * @example
 * const input: Belcotax28186Input = { year: 2026, createdOn: '2027-02-01', dailyCeilingMinor: 1690n, sender, issuer, certifier, fiches }
 */
export type Belcotax28186Input = z.input<typeof Belcotax28186InputSchema>
/**
 * One fiche as callers pass it.
 *
 * @example
 * const fiche: Belcotax28186FicheInput = { reference: 'K1-G1', childId: 'k1', debtorId: 'g1', debtor, child, periods }
 */
export type Belcotax28186FicheInput = z.input<typeof Belcotax28186FicheSchema>
/**
 * A checked 281.86 input.
 *
 * @example
 * const parsed: Belcotax28186 = Belcotax28186InputSchema.parse(input)
 */
export type Belcotax28186 = z.output<typeof Belcotax28186InputSchema>
/**
 * A checked fiche.
 *
 * @example
 * const fiche: Belcotax28186Fiche = parsed.fiches[0]
 */
export type Belcotax28186Fiche = z.output<typeof Belcotax28186FicheSchema>

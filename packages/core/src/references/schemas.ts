import * as z from 'zod'
import * as bic from './bic'
import * as creditorId from './creditor-id'
import * as entityFiscalCode from './entity-fiscal-code'
import * as iban from './iban'
import * as ine from './ine'
import * as mandateReference from './mandate-reference'
import * as ogm from './ogm'
import * as pagoPa from './pago-pa'
import * as rf from './rf'
import * as uai from './uai'

// Zod schemas of the identifiers, for integrators' forms and APIs: each accepts what a person
// types (spaces, lower case, delimiters) and produces the normalised form bank files and storage use.

/**
 * A Belgian structured communication in any accepted spelling, producing its twelve digits.
 *
 * @example
 * OgmSchema.parse('+++123/4567/89002+++') //=> '123456789002'
 */
export const OgmSchema = z
  .string()
  .refine((s) => ogm.isValid(s), 'must be a valid Belgian structured communication (+++ddd/dddd/ddddd+++, last two digits = first ten mod 97)')
  .transform((s) => ogm.normalize(s))

/**
 * An ISO 11649 RF reference, producing its electronic form.
 *
 * @example
 * RfSchema.parse('rf18 5390 0754 7034') //=> 'RF18539007547034'
 */
export const RfSchema = z
  .string()
  .refine((s) => rf.isValid(s), 'must be a valid ISO 11649 RF reference (RF + 2 check digits + 1-21 letters or digits)')
  .transform((s) => rf.normalize(s))

/**
 * A pagoPA notice number (aux digit 0-3), producing its 18 digits.
 *
 * @example
 * PagoPaNoticeSchema.parse('3010 0000 0000 0001 44') //=> '301000000000000144'
 */
export const PagoPaNoticeSchema = z
  .string()
  .refine((s) => pagoPa.isValidNotice(s), 'must be a valid pagoPA notice number (18 digits, aux digit 0-3, mod-93 check digits)')
  .transform((s) => pagoPa.normalizeNotice(s))

/**
 * An Italian entity's fiscal code (codice fiscale of a body, or partita IVA: 11 digits, the last
 * the check digit of the first 10), spaces around dropped. The refusal is the sentence of
 * `entityFiscalCode.problem`: not 11 digits, the placeholder 00000000000, or the check digit
 * expected.
 *
 * @example
 * EntityFiscalCodeSchema.parse(' 06363391001 ') //=> '06363391001'
 * EntityFiscalCodeSchema.safeParse('02438750587').success //=> false (the check digit is 6)
 */
export const EntityFiscalCodeSchema = z.string().trim().superRefine((code, ctx) => {
  const problem = entityFiscalCode.problem(code)
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: code })
})

/**
 * A SEPA creditor identifier, producing it upper case without spaces.
 *
 * @example
 * CreditorIdSchema.parse('fr72 zzz 123456') //=> 'FR72ZZZ123456'
 */
export const CreditorIdSchema = z
  .string()
  .refine((s) => creditorId.isValid(s), 'must be a valid SEPA creditor identifier (e.g. FR72ZZZ123456)')
  .transform((s) => creditorId.normalize(s))

/**
 * An IBAN, producing its electronic form.
 *
 * @example
 * IbanSchema.parse('be15 7326 6455 4630') //=> 'BE15732664554630'
 */
export const IbanSchema = z
  .string()
  .refine((s) => iban.isValid(s), 'must be a valid IBAN')
  .transform((s) => iban.normalize(s))

/**
 * A BIC, producing it upper case without spaces.
 *
 * @example
 * BicSchema.parse('gkccbebb') //=> 'GKCCBEBB'
 */
export const BicSchema = z
  .string()
  .refine((s) => bic.isValid(s), 'must be a valid BIC (8 or 11 characters)')
  .transform((s) => bic.normalize(s))

/**
 * A SEPA mandate reference (RUM); each broken rule is its own issue.
 *
 * @example
 * MandateReferenceSchema.parse('RUM-2026-000042') //=> 'RUM-2026-000042'
 */
export const MandateReferenceSchema = z.string().superRefine((s, ctx) => {
  const c = mandateReference.check(s)
  if (!c.valid) for (const p of c.problems) ctx.addIssue({ code: 'custom', message: p.message, params: { rule: p.code } })
})

/**
 * A French UAI, producing it upper case.
 *
 * @example
 * UaiSchema.parse('0751234j') //=> '0751234J'
 */
export const UaiSchema = z
  .string()
  .refine((s) => uai.isValid(s), 'must be a valid UAI (7 digits and the check letter)')
  .transform((s) => uai.normalize(s))

/**
 * A French INE in one of its published formats, producing it upper case without surrounding spaces.
 *
 * @example
 * IneSchema.parse('123456789ab') //=> '123456789AB'
 */
export const IneSchema = z
  .string()
  .refine((s) => ine.isValid(s), 'must be an INE in a published format (11 characters)')
  .transform((s) => s.trim().toUpperCase())

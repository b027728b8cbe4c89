import * as z from 'zod'
import { LocalDateSchema } from '@ecole/core'

/**
 * True when a SIRET's 14 digits pass the Luhn check INSEE uses (La Poste's establishments,
 * SIREN 356000000, use a sum of digits divisible by 5 instead).
 *
 * @example
 * isValidSiret('73282932000074') //=> true
 * isValidSiret('73282932000075') //=> false
 */
export function isValidSiret(siret: string): boolean {
  if (typeof siret !== 'string') return false
  if (!/^\d{14}$/.test(siret)) return false
  if (siret.startsWith('356000000')) return [...siret].reduce((s, d) => s + Number(d), 0) % 5 === 0
  let sum = 0
  for (let i = 0; i < 14; i++) {
    let d = Number(siret[13 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

const code = (re: RegExp, message: string) => z.string().trim().toUpperCase().regex(re, message)

// the characters XML 1.0 cannot carry, which the file leaves out (see xmlAttr)
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

/**
 * Free text of the PES as it will be written: the characters XML cannot carry left out, then
 * trimmed, then checked, so a value of control characters alone is refused rather than written
 * empty (`<Nom V=""/>` fails the schema). A text without them is unchanged.
 */
const pesText = (message?: string) =>
  z
    .string()
    .transform((s) => s.replace(NOT_XML, ''))
    .pipe(z.string().trim().min(1, message ?? 'must not be empty (control characters are left out of the file)'))

/**
 * A billing office configured as a public régie: the identifiers its comptable public (Hélios)
 * knows it by, and the accounting imputation of its titles.
 *
 * - `siret`: the collectivity's SIRET (IdColl), 14 digits with a valid check;
 * - `postCode`: the code of the poste comptable (IdPost), 6 or 7 digits;
 * - `collectivityCode` (CodCol) and `budgetCode` (CodBud): the codes the comptable gives;
 * - `productCode` (CodProdLoc, up to 4 characters) and `nature` (the revenue account, e.g. 7067);
 * - `issuer`: the name and software written in the envelope.
 *
 * @example
 * PesRegieSchema.parse({ siret: '21750001600019', postCode: '075000', collectivityCode: '001', budgetCode: '00',
 *   productCode: 'CANT', nature: '7067', issuer: { name: 'Ville de Paris', software: '@ecole' }, titleObject: 'Restauration scolaire' })
 */
export const PesRegieSchema = z.strictObject({
  siret: z.string().transform((s) => s.replace(/\s+/g, '')).refine(isValidSiret, { message: 'must be the 14 digits of a SIRET with a valid check (Luhn)' }),
  postCode: code(/^\d{6,7}$/, 'must be the 6 or 7 digits of the poste comptable'),
  collectivityCode: code(/^[0-9A-Z]{1,3}$/, 'must be 1 to 3 letters or digits (CodCol)'),
  budgetCode: code(/^[0-9A-Z]{1,10}$/, 'must be 1 to 10 letters or digits (CodBud)'),
  productCode: code(/^[0-9A-Z]{1,4}$/, 'must be 1 to 4 letters or digits (CodProdLoc)'),
  nature: code(/^\d{3,10}$/, 'must be the revenue account number, e.g. 7067'),
  issuer: z.strictObject({ name: pesText().pipe(z.string().max(100)), software: pesText().pipe(z.string().max(100)) }),
  titleObject: pesText('must say what the titles are for').pipe(z.string().max(160)),
})

/**
 * A régie as its form sends it.
 *
 * @example
 * const r: PesRegieInput = { siret: '21750001600019', postCode: '075000', collectivityCode: '001', budgetCode: '00',
 *   productCode: 'CANT', nature: '7067', issuer: { name: 'Ville de Paris', software: '@ecole' }, titleObject: 'Restauration scolaire' }
 */
export type PesRegieInput = z.input<typeof PesRegieSchema>

/**
 * A régie, validated.
 *
 * @example
 * const r: PesRegie = PesRegieSchema.parse(input)
 */
export type PesRegie = z.output<typeof PesRegieSchema>

/**
 * One bordereau (the batch of titles sent in one file): the budget year, its number in the year,
 * the number of its first title, the day it is issued, the period code and the file's name.
 *
 * @example
 * PesBordereauSchema.parse({ fileName: 'PES_2027_12.xml', year: 2027, number: 12, firstTitleNumber: 431, issueDate: '2027-02-01', period: '1' })
 */
export const PesBordereauSchema = z.strictObject({
  /** The file's name (NomFic). */
  fileName: z.string().regex(/^[\w.-]{1,100}$/, 'must be 1 to 100 letters, digits, dots, dashes or underscores'),
  /** Budget year (Exer). */
  year: z.number().int().min(2000).max(2999),
  /** Number of the bordereau in the year (IdBord), 1 to 9,999,999. */
  number: z.number().int().min(1).max(9_999_999),
  /** Number of its first title (IdPce); the others follow. */
  firstTitleNumber: z.number().int().min(1).max(99_999_999),
  /** Day the bordereau is issued (DteBordEm, DteStr). */
  issueDate: LocalDateSchema,
  /** The one-character period code (Per) the comptable asks for. */
  period: z.string().regex(/^[0-9A-Z]$/, 'must be the one-character period code (Per)'),
})

/**
 * A bordereau as callers pass it.
 *
 * @example
 * const b: PesBordereauInput = { fileName: 'PES_2027_12.xml', year: 2027, number: 12, firstTitleNumber: 431, issueDate: '2027-02-01', period: '1' }
 */
export type PesBordereauInput = z.input<typeof PesBordereauSchema>

/**
 * A family debtor as the PES names it: surname, first name, civility, postal address in France.
 * Hélios sends the "avis des sommes à payer" to this address: each part is required.
 *
 * @example
 * PesDebtorSchema.parse({ lastName: 'Dupont', firstName: 'Marie', address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } })
 */
export const PesDebtorSchema = z.strictObject({
  civility: z.enum(['M', 'MME']).optional(),
  lastName: pesText('is required (control characters are left out of the file)'),
  firstName: pesText().optional(),
  address: z.strictObject({
    line: pesText('is required (the street line; control characters are left out of the file)'),
    postalCode: z.string().trim().regex(/^\d{5}$/, 'must be a French postal code of 5 digits'),
    city: pesText('is required (control characters are left out of the file)'),
  }),
})

/**
 * A debtor as callers pass it.
 *
 * @example
 * const d: PesDebtorInput = { lastName: 'Dupont', address: { line: '3 rue des Écoles', postalCode: '75005', city: 'Paris' } }
 */
export type PesDebtorInput = z.input<typeof PesDebtorSchema>

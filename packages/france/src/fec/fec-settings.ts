import * as z from 'zod'
import { LocalDateSchema } from '@ecole/core'
import { isBlankFecText } from './fec-text'

/** A text of the FEC that must not be written empty (a control character is written as a space). */
const visible = (max: number) => z.string().trim().min(1, 'must not be empty').max(max).refine((s) => !isBlankFecText(s), 'must hold a visible character (control characters are written as spaces)')

/** An account of the chart (plan comptable général): its number and its label. */
export const FecAccountSchema = z.strictObject({
  /** Account number: a PCG class digit 1-8 first, then up to 19 letters or digits. */
  number: z.string().regex(/^[1-8][0-9A-Za-z]{2,19}$/, 'must be an account number of the plan comptable général, e.g. 706000'),
  /** Account label (CompteLib). */
  label: visible(100),
})

/**
 * An account of the chart, as configured.
 *
 * @example
 * const a: FecAccount = { number: '706000', label: 'Prestations de services' }
 */
export type FecAccount = z.output<typeof FecAccountSchema>

const account = (number: string, label: string) => FecAccountSchema.default({ number, label })

/**
 * The accounts the FEC posts to, with the usual accounts of the plan comptable général as defaults:
 * families' receivables (411), families' advances for the prepaid wallet (4191), revenue per service
 * (706), reductions (709) and surcharges (7088), bank (512), cash (530), cheques and card payments
 * waiting to be deposited (5112, 5115), small wallet balances abandoned (758). `paymentMethods` maps
 * a site's own payment methods (CESU, holiday vouchers...) to the account they are received on.
 *
 * @example
 * FecAccountsSchema.parse({}).receivables.number //=> '411000'
 */
export const FecAccountsSchema = z.strictObject({
  receivables: account('411000', 'Clients - familles'),
  walletAdvances: account('419100', 'Clients - avances reçues (porte-monnaie)'),
  revenue: account('706000', 'Prestations de services'),
  revenueByService: z.record(z.string().min(1), FecAccountSchema).default({}),
  reductions: account('709000', 'Rabais, remises et ristournes accordés'),
  surcharges: account('708800', 'Autres produits d\'activités annexes'),
  bank: account('512000', 'Banque'),
  cash: account('530000', 'Caisse'),
  chequesToDeposit: account('511200', 'Chèques à encaisser'),
  cardsToDeposit: account('511500', 'Cartes bancaires à encaisser'),
  writeOff: account('758000', 'Produits divers de gestion courante'),
  paymentMethods: z.record(z.string().min(1), FecAccountSchema).default({}),
})

/**
 * The accounts, validated.
 *
 * @example
 * const accounts: FecAccounts = FecAccountsSchema.parse({})
 */
export type FecAccounts = z.output<typeof FecAccountsSchema>

/**
 * A billing office (régie) in the FEC: its journals' codes start with `journalPrefix`, followed by
 * `VT` (sales: invoices and credit notes), `EN` (payments received and refused), `BQ` (deposits
 * handed to the bank) and `PM` (prepaid-wallet movements).
 *
 * @example
 * FecBillingOfficeSchema.parse({ id: 'regie-cantine', name: 'Régie cantine', journalPrefix: 'C' })
 */
export const FecBillingOfficeSchema = z.strictObject({
  id: z.string().min(1),
  name: visible(80),
  journalPrefix: z.string().regex(/^[A-Z0-9]{1,4}$/, 'must be 1 to 4 capital letters or digits'),
})

/**
 * The settings of one FEC: the entity's SIREN, the fiscal period, the day the entries were validated,
 * the separator and character set, the billing offices it covers, and the accounts.
 *
 * @example
 * FecSettingsSchema.parse({ siren: '123456789', period: { from: '2026-01-01', to: '2026-12-31' }, validatedOn: '2027-01-15',
 *   billingOffices: [{ id: 'regie', name: 'Régie cantine', journalPrefix: 'C' }] }).separator //=> 'tab'
 */
export const FecSettingsSchema = z
  .strictObject({
    /** SIREN of the entity (association, private school): the file is named after it. */
    siren: z.string().regex(/^\d{9}$/, 'must be the 9 digits of a SIREN'),
    /** The fiscal period (exercice), both days included. */
    period: z.strictObject({ from: LocalDateSchema, to: LocalDateSchema }),
    /** The day the entries were validated (ValidDate): on or after the period's last entry. */
    validatedOn: LocalDateSchema,
    /** Field separator: a tab (the default) or a vertical bar. */
    separator: z.enum(['tab', 'pipe']).default('tab'),
    /** Character set of the bytes: ISO 8859-15 (the default, named by article A47 A-1) or UTF-8. */
    encoding: z.enum(['iso-8859-15', 'utf-8']).default('iso-8859-15'),
    /** The billing offices exported; a document of another office is refused. */
    billingOffices: z.array(FecBillingOfficeSchema).min(1, 'needs at least one billing office'),
    /** The chart of accounts used. */
    accounts: FecAccountsSchema.prefault({}),
  })
  .superRefine((s, ctx) => {
    if (s.period.to < s.period.from) ctx.addIssue({ code: 'custom', path: ['period', 'to'], message: 'must not be before period.from' })
    const prefixes = new Set<string>()
    s.billingOffices.forEach((o, i) => {
      if (prefixes.has(o.journalPrefix)) ctx.addIssue({ code: 'custom', path: ['billingOffices', i, 'journalPrefix'], message: `${o.journalPrefix} is used by two billing offices` })
      prefixes.add(o.journalPrefix)
    })
  })

/**
 * The settings of one FEC as callers pass them.
 *
 * @example
 * const s: FecSettingsInput = { siren: '123456789', period: { from: '2026-01-01', to: '2026-12-31' }, validatedOn: '2027-01-15',
 *   billingOffices: [{ id: 'regie', name: 'Régie cantine', journalPrefix: 'C' }] }
 */
export type FecSettingsInput = z.input<typeof FecSettingsSchema>

/**
 * The settings of one FEC, validated.
 *
 * @example
 * const s: FecSettings = FecSettingsSchema.parse(input)
 */
export type FecSettings = z.output<typeof FecSettingsSchema>

import * as z from 'zod'
import { parseInput } from '../errors'
import { CurrencySchema } from '../money'
import {
  GENERAL_COMPARTMENT,
  OverdraftPolicySchema,
  systemAccountId,
  walletAccountId,
  type LedgerAccount,
  type SystemAccountRole,
} from './account'

const nonEmpty = z.string().trim().min(1, 'must not be empty')

/**
 * Schema of what {@link standardLedgerAccounts} needs: the currency, the billing offices with
 * their services, the guardians with the offices that bill them, the site's compartments
 * (the general compartment is always included) and the wallets' overdraft policy.
 *
 * @example
 * StandardAccountsSpecSchema.parse({ currency: 'EUR', billingOffices: [{ id: 'o1', serviceIds: ['canteen'] }],
 *   guardians: [{ guardianId: 'g1', billingOfficeIds: ['o1'] }] }).compartments //=> ['general']
 */
export const StandardAccountsSpecSchema = z.strictObject({
  currency: CurrencySchema,
  billingOffices: z.array(z.strictObject({ id: nonEmpty, serviceIds: z.array(nonEmpty).default([]) })),
  guardians: z.array(z.strictObject({ guardianId: nonEmpty, billingOfficeIds: z.array(nonEmpty) })),
  compartments: z
    .array(nonEmpty)
    .default([])
    .transform((c) => [GENERAL_COMPARTMENT, ...c.filter((x) => x !== GENERAL_COMPARTMENT)]),
  walletOverdraft: OverdraftPolicySchema.default({ kind: 'none' }),
})

/**
 * What {@link StandardAccountsSpecSchema} accepts.
 *
 * @example
 * const spec: StandardAccountsSpec = { currency: 'EUR', billingOffices: [{ id: 'o1' }], guardians: [] }
 */
export type StandardAccountsSpec = z.input<typeof StandardAccountsSpecSchema>

const OFFICE_ROLES: readonly Exclude<SystemAccountRole, 'revenue'>[] = ['bankClearing', 'cash', 'refunds', 'directDebitClearing', 'writeOff']

/**
 * The standard accounts of a site, ready for `openAccounts`: per billing office, the system
 * accounts (bank clearing, cash, refunds, direct-debit clearing, write-off, and revenue per
 * service; overdraft unbounded), and per guardian x office x compartment, a wallet (the general
 * compartment, "Compartiment général", first). Ids follow `systemAccountId` / `walletAccountId`.
 * A guardian billed by an office not listed is refused.
 *
 * @example
 * standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'o1', serviceIds: ['canteen'] }],
 *   guardians: [{ guardianId: 'g1', billingOfficeIds: ['o1'] }] }).map((a) => a.id)
 * //=> ['system:bankClearing:o1', 'system:cash:o1', 'system:refunds:o1', 'system:directDebitClearing:o1',
 * //    'system:writeOff:o1', 'system:revenue:o1:canteen', 'wallet:g1:o1:general']
 * @throws EcoleError `INVALID_INPUT` naming the field at fault.
 */
export function standardLedgerAccounts(spec: StandardAccountsSpec): LedgerAccount[] {
  const parsed = parseInput(
    StandardAccountsSpecSchema.superRefine((s, ctx) => {
      const offices = new Set(s.billingOffices.map((o) => o.id))
      s.guardians.forEach((g, i) =>
        g.billingOfficeIds.forEach((o, j) => {
          if (!offices.has(o)) ctx.addIssue({ code: 'custom', path: ['guardians', i, 'billingOfficeIds', j], message: `is not one of the billing offices listed` })
        }),
      )
    }),
    spec,
    'standardAccounts',
  )
  const { currency } = parsed
  const accounts: LedgerAccount[] = []
  for (const office of parsed.billingOffices) {
    for (const role of OFFICE_ROLES) {
      accounts.push({ id: systemAccountId(role, office.id), kind: 'system', role, billingOfficeId: office.id, currency, overdraft: { kind: 'unbounded' } })
    }
    for (const serviceId of office.serviceIds) {
      accounts.push({
        id: systemAccountId('revenue', office.id, serviceId),
        kind: 'system',
        role: 'revenue',
        billingOfficeId: office.id,
        serviceId,
        currency,
        overdraft: { kind: 'unbounded' },
      })
    }
  }
  for (const guardian of parsed.guardians) {
    for (const officeId of guardian.billingOfficeIds) {
      for (const compartment of parsed.compartments) {
        accounts.push({
          id: walletAccountId(guardian.guardianId, officeId, compartment),
          kind: 'wallet',
          guardianId: guardian.guardianId,
          billingOfficeId: officeId,
          compartment,
          currency,
          overdraft: parsed.walletOverdraft,
        })
      }
    }
  }
  return accounts
}

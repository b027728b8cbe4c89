import { expectString } from '../describe-value'
import * as z from 'zod'
import { CurrencySchema, type CurrencyCode } from '../money'

/**
 * The compartment every wallet has: "Compartiment général" in seed 004. A site may define others
 * (a compartment per service, per trip...); each is a separate wallet of the same guardian and
 * billing office.
 *
 * @example
 * walletAccountId('g-1', 'office-1', GENERAL_COMPARTMENT) //=> 'wallet:g-1:office-1:general'
 */
export const GENERAL_COMPARTMENT = 'general'

/**
 * The label of {@link GENERAL_COMPARTMENT} as the Belgian parent portal of seed 004 prints it.
 *
 * @example
 * GENERAL_COMPARTMENT_LABEL //=> 'Compartiment général'
 */
export const GENERAL_COMPARTMENT_LABEL = 'Compartiment général'

/**
 * How far an account may go below zero.
 *
 * - `none`: the available balance (posted credits - posted debits - pending debits) never goes
 *   below zero (the default for wallets);
 * - `limit`: it never goes below `-limit` (minor units, `limit >= 0`);
 * - `unbounded`: no check (system accounts: bank clearing, revenue...).
 *
 * @example
 * const policy: OverdraftPolicy = { kind: 'limit', limit: 1000n } // 10.00 EUR of overdraft
 */
export type OverdraftPolicy = { kind: 'none' } | { kind: 'limit'; limit: bigint } | { kind: 'unbounded' }

/**
 * The roles of a site's system accounts (the other side of every wallet movement).
 *
 * - `bankClearing`: money received on (or paid from) the school's bank account, per billing office;
 * - `cash`: money handed over at the desk;
 * - `revenue`: what a service earns (one per service, `serviceId` set);
 * - `refunds`: money paid back to families;
 * - `directDebitClearing`: direct debits sent to the bank and not yet settled;
 * - `writeOff`: small balances abandoned (a family that left with 0.03 EUR).
 *
 * @example
 * const role: SystemAccountRole = 'bankClearing'
 */
export type SystemAccountRole = 'bankClearing' | 'cash' | 'revenue' | 'refunds' | 'directDebitClearing' | 'writeOff'

/**
 * Every {@link SystemAccountRole}, in a stable order.
 *
 * @example
 * SYSTEM_ACCOUNT_ROLES.includes('cash') //=> true
 */
export const SYSTEM_ACCOUNT_ROLES = ['bankClearing', 'cash', 'revenue', 'refunds', 'directDebitClearing', 'writeOff'] as const satisfies readonly SystemAccountRole[]

/**
 * A prepaid wallet: one per guardian x billing office x compartment.
 *
 * Its balance is credit-normal: a top-up credits it, a booking debits it; the balance a family
 * sees is credits minus debits.
 *
 * @example
 * const wallet: WalletAccount = {
 *   id: walletAccountId('g-1', 'office-1', GENERAL_COMPARTMENT), kind: 'wallet', guardianId: 'g-1',
 *   billingOfficeId: 'office-1', compartment: GENERAL_COMPARTMENT, currency: 'EUR', overdraft: { kind: 'none' },
 * }
 */
export interface WalletAccount {
  /** Unique per site; {@link walletAccountId} builds the conventional one. */
  id: string
  /** Discriminant. */
  kind: 'wallet'
  /** The guardian (responsable de facturation) who owns the wallet. */
  guardianId: string
  /** The billing office (régie) that keeps the wallet. */
  billingOfficeId: string
  /** The compartment ({@link GENERAL_COMPARTMENT} or one the site defines). */
  compartment: string
  /** ISO 4217 currency; every transfer touching the account is in it. */
  currency: CurrencyCode
  /** How far the wallet may go below zero. */
  overdraft: OverdraftPolicy
  /** Optional low-balance alert threshold in minor units (see `evaluateLowBalanceAlerts`). */
  lowBalanceThreshold?: bigint | undefined
}

/**
 * One of the site's own accounts: bank clearing, cash, revenue per service, refunds...
 *
 * @example
 * const revenue: SystemAccount = {
 *   id: systemAccountId('revenue', 'office-1', 'canteen'), kind: 'system', role: 'revenue',
 *   billingOfficeId: 'office-1', serviceId: 'canteen', currency: 'EUR', overdraft: { kind: 'unbounded' },
 * }
 */
export interface SystemAccount {
  /** Unique per site; {@link systemAccountId} builds the conventional one. */
  id: string
  /** Discriminant. */
  kind: 'system'
  /** What the account is for. */
  role: SystemAccountRole
  /** The billing office it belongs to. */
  billingOfficeId: string
  /** The service (prestation) of a `revenue` account. */
  serviceId?: string | undefined
  /** ISO 4217 currency. */
  currency: CurrencyCode
  /** Usually `unbounded`. */
  overdraft: OverdraftPolicy
}

/**
 * An account of the ledger: a family's wallet or a system account.
 *
 * @example
 * const isWallet = (a: LedgerAccount) => a.kind === 'wallet'
 */
export type LedgerAccount = WalletAccount | SystemAccount

/**
 * The conventional id of a wallet: `wallet:<guardian>:<office>:<compartment>`.
 *
 * @example
 * walletAccountId('g-1', 'office-1', 'general') //=> 'wallet:g-1:office-1:general'
 */
export function walletAccountId(guardianId: string, billingOfficeId: string, compartment: string = GENERAL_COMPARTMENT): string {
  expectString(guardianId, 'guardianId')
  expectString(billingOfficeId, 'billingOfficeId')
  expectString(compartment, 'compartment')
  return `wallet:${guardianId}:${billingOfficeId}:${compartment}`
}

/**
 * The conventional id of a system account: `system:<role>:<office>[:<service>]`.
 *
 * @example
 * systemAccountId('bankClearing', 'office-1') //=> 'system:bankClearing:office-1'
 * systemAccountId('revenue', 'office-1', 'canteen') //=> 'system:revenue:office-1:canteen'
 */
export function systemAccountId(role: SystemAccountRole, billingOfficeId: string, serviceId?: string): string {
  expectString(role, 'role')
  expectString(billingOfficeId, 'billingOfficeId')
  if (serviceId !== undefined) expectString(serviceId, 'serviceId')
  return serviceId === undefined ? `system:${role}:${billingOfficeId}` : `system:${role}:${billingOfficeId}:${serviceId}`
}

const minorString = z
  .union([z.bigint(), z.string().trim().regex(/^\d+$/, 'must be a whole number of minor units, e.g. "1000"')])
  .transform((v) => (typeof v === 'bigint' ? v : BigInt(v)))
  .refine((v) => v >= 0n, 'must not be negative')

/**
 * Schema of an {@link OverdraftPolicy} as JSON sends it (limit in minor units, as a string).
 *
 * @example
 * OverdraftPolicySchema.parse({ kind: 'limit', limit: '1000' }) //=> { kind: 'limit', limit: 1000n }
 */
export const OverdraftPolicySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('limit'), limit: minorString }),
  z.strictObject({ kind: z.literal('unbounded') }),
])

const nonEmpty = z.string().trim().min(1, 'must not be empty')

/**
 * Schema of a {@link LedgerAccount} as JSON sends it; produces the account (bigints inside).
 *
 * @example
 * LedgerAccountSchema.parse({ id: 'w1', kind: 'wallet', guardianId: 'g', billingOfficeId: 'o',
 *   compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } }).kind //=> 'wallet'
 */
export const LedgerAccountSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    id: nonEmpty,
    kind: z.literal('wallet'),
    guardianId: nonEmpty,
    billingOfficeId: nonEmpty,
    compartment: nonEmpty.default(GENERAL_COMPARTMENT),
    currency: CurrencySchema,
    overdraft: OverdraftPolicySchema.default({ kind: 'none' }),
    lowBalanceThreshold: minorString.optional(),
  }),
  z.strictObject({
    id: nonEmpty,
    kind: z.literal('system'),
    role: z.enum(SYSTEM_ACCOUNT_ROLES),
    billingOfficeId: nonEmpty,
    serviceId: nonEmpty.optional(),
    currency: CurrencySchema,
    overdraft: OverdraftPolicySchema.default({ kind: 'unbounded' }),
  }),
])

/**
 * What {@link LedgerAccountSchema} accepts.
 *
 * @example
 * const input: LedgerAccountInput = { id: 'w1', kind: 'wallet', guardianId: 'g', billingOfficeId: 'o', currency: 'EUR' }
 */
export type LedgerAccountInput = z.input<typeof LedgerAccountSchema>

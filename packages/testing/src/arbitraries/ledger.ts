import fc from 'fast-check'
import {
  GENERAL_COMPARTMENT,
  TRANSFER_CODES,
  systemAccountId,
  walletAccountId,
  type LedgerAccount,
  type LedgerTransfer,
  type OverdraftPolicy,
  type TransferCode,
  type WalletAccount,
} from '@ecole/core'
import { checkBigInt, checkInteger, inputCheckedArb, invalidArgument } from '../input-errors'

/**
 * Positive transfer amounts in minor units (1 cent to `max`, 1,000 EUR by default), biased
 * towards small canteen-like prices.
 *
 * @example
 * fc.assert(fc.property(ledgerAmountArb(), (a) => a > 0n))
 */
export function ledgerAmountArb(max = 100_000n): fc.Arbitrary<bigint> {
  return inputCheckedArb('ledgerAmountArb', { max: [max, 'bigint?', 'the largest amount in minor units'] }, () => {
    checkBigInt('ledgerAmountArb', 'max', max)
    return fc.oneof(
      { weight: 3, arbitrary: fc.bigInt({ min: 1n, max: max < 5_000n ? max : 5_000n }) },
      { weight: 1, arbitrary: fc.bigInt({ min: 1n, max }) },
    )
  })
}

/**
 * A {@link TransferCode}.
 *
 * @example
 * fc.sample(transferCodeArb(), 1)[0] //=> e.g. 'topUp'
 */
export function transferCodeArb(): fc.Arbitrary<TransferCode> {
  return fc.constantFrom(...TRANSFER_CODES)
}

/**
 * An overdraft policy for a wallet: mostly `none`, sometimes a limit (up to 50 EUR), rarely unbounded.
 *
 * @example
 * fc.assert(fc.property(overdraftPolicyArb(), (p) => p.kind !== 'limit' || p.limit >= 0n))
 */
export function overdraftPolicyArb(): fc.Arbitrary<OverdraftPolicy> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant<OverdraftPolicy>({ kind: 'none' }) },
    { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 5_000n }).map<OverdraftPolicy>((limit) => ({ kind: 'limit', limit })) },
    { weight: 1, arbitrary: fc.constant<OverdraftPolicy>({ kind: 'unbounded' }) },
  )
}

/**
 * A wallet of one of `guardians` guardians in one of `offices` billing offices and `compartments`
 * compartments (the general one first), in EUR, with the conventional id.
 *
 * @example
 * fc.assert(fc.property(walletAccountArb(), (w) => w.id === walletAccountId(w.guardianId, w.billingOfficeId, w.compartment)))
 */
export function walletAccountArb(options: { guardians?: number; offices?: number; compartments?: readonly string[]; overdraft?: fc.Arbitrary<OverdraftPolicy> } = {}): fc.Arbitrary<WalletAccount> {
  return inputCheckedArb('walletAccountArb', { options: [options, 'object?', 'the options ({ guardians?, offices?, compartments?, overdraft? })'] }, () => {
    checkInteger('walletAccountArb', 'options.guardians', options.guardians ?? 5, 1)
    checkInteger('walletAccountArb', 'options.offices', options.offices ?? 2, 1)
    const compartments = options.compartments ?? [GENERAL_COMPARTMENT, 'trips']
    return fc
      .record({
        g: fc.integer({ min: 1, max: options.guardians ?? 5 }),
        o: fc.integer({ min: 1, max: options.offices ?? 2 }),
        compartment: fc.constantFrom(...compartments),
        overdraft: options.overdraft ?? overdraftPolicyArb(),
      })
      .map(({ g, o, compartment, overdraft }) => ({
        id: walletAccountId(`g${g}`, `o${o}`, compartment),
        kind: 'wallet' as const,
        guardianId: `g${g}`,
        billingOfficeId: `o${o}`,
        compartment,
        currency: 'EUR',
        overdraft,
      }))
  })
}

/**
 * A small site's accounts: distinct wallets (1 to `maxWallets`) plus, per billing office, the
 * bank clearing and a canteen revenue account (unbounded).
 *
 * @example
 * fc.assert(fc.property(ledgerAccountsArb(), (accounts) => new Set(accounts.map((a) => a.id)).size === accounts.length))
 */
export function ledgerAccountsArb(maxWallets = 6): fc.Arbitrary<LedgerAccount[]> {
  return inputCheckedArb('ledgerAccountsArb', { maxWallets: [maxWallets, 'number?', 'the most wallets'] }, () => {
    return fc.uniqueArray(walletAccountArb(), { minLength: 1, maxLength: maxWallets, selector: (w) => w.id }).map((wallets) => {
      const offices = [...new Set(wallets.map((w) => w.billingOfficeId))].sort()
      const system: LedgerAccount[] = offices.flatMap((o) => [
        { id: systemAccountId('bankClearing', o), kind: 'system' as const, role: 'bankClearing' as const, billingOfficeId: o, currency: 'EUR', overdraft: { kind: 'unbounded' as const } },
        { id: systemAccountId('revenue', o, 'canteen'), kind: 'system' as const, role: 'revenue' as const, billingOfficeId: o, serviceId: 'canteen', currency: 'EUR', overdraft: { kind: 'unbounded' as const } },
      ])
      return [...system, ...wallets]
    })
  })
}

/**
 * Posted (single-phase) transfers between the given accounts, with unique ids `t0`, `t1`...,
 * timestamps one minute apart from `start`; some will be refused by the ledger (overdraft), which
 * is the point of properties such as "no wallet goes below its policy".
 *
 * @example
 * fc.assert(fc.property(ledgerAccountsArb().chain((a) => postedTransfersArb(a.map((x) => x.id))), (ts) => ts.every((t) => t.amount > 0n)))
 * @throws EcoleError `INVALID_INPUT` when `accountIds` is not an array, or holds two or more ids that are all the same.
 */
export function postedTransfersArb(accountIds: readonly string[], options: { maxLength?: number; start?: Date } = {}): fc.Arbitrary<LedgerTransfer[]> {
  return inputCheckedArb('postedTransfersArb', { accountIds: [accountIds, 'array', 'the ids of the accounts'], options: [options, 'object?', 'the options ({ maxLength?, start? })'] }, () => {
    // the pairs below are drawn until debit and credit differ: two or more ids that are all the same would never end
    if (!Array.isArray(accountIds) || (accountIds.length > 1 && accountIds.every((id) => id === accountIds[0]))) {
      throw invalidArgument('postedTransfersArb', 'accountIds', 'an array of one account id or of at least two different ones', accountIds)
    }
    const start = (options.start ?? new Date('2026-03-02T08:00:00Z')).getTime()
    const pair = fc
      .tuple(fc.constantFrom(...accountIds), fc.constantFrom(...accountIds))
      .filter(([a, b]) => a !== b || accountIds.length < 2)
    return fc
      .array(fc.record({ pair, amount: ledgerAmountArb(10_000n), code: transferCodeArb() }), { maxLength: options.maxLength ?? 30 })
      .map((items) =>
        items.map(({ pair: [debitAccountId, creditAccountId], amount, code }, i) => ({
          id: `t${i}`,
          debitAccountId,
          creditAccountId,
          amount,
          code: code === 'correction' || code === 'compartmentTransfer' ? 'topUp' : code,
          timestamp: new Date(start + i * 60_000),
        })),
      )
  })
}

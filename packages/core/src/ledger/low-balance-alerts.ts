import { EcoleError } from '../errors'
import { asInputError } from '../input-error'
import { checkOptions, type OptionKinds } from '../check-options'

const POLICY_KINDS: OptionKinds<LowBalancePolicy> = { threshold: 'bigint', rearmAt: 'bigint' }

/**
 * When to warn about a low wallet: once when its available balance falls below `threshold`,
 * then not again until it has recovered to at least `rearmAt` (hysteresis, so a balance
 * hovering around the threshold does not send a message per booking). Minor units;
 * `rearmAt >= threshold`.
 *
 * @example
 * const policy: LowBalancePolicy = { threshold: 500n, rearmAt: 1000n } // warn under 5 EUR, again after 10 EUR
 */
export interface LowBalancePolicy {
  /** Alert when the available balance is strictly below this. */
  threshold: bigint
  /** Re-arm once the available balance is at least this. */
  rearmAt: bigint
}

/**
 * Which wallets have been alerted and not yet recovered. Plain data (sorted ids): store it as
 * JSON between evaluations.
 *
 * @example
 * const initial: LowBalanceAlertState = { alerted: [] }
 */
export interface LowBalanceAlertState {
  /** Accounts alerted and not yet re-armed, sorted. */
  alerted: readonly string[]
}

/**
 * One alert to send.
 *
 * @example
 * const a: LowBalanceAlert = { accountId: 'wallet:g1:o1:general', available: 120n, threshold: 500n }
 */
export interface LowBalanceAlert {
  /** The wallet. */
  accountId: string
  /** Its available balance (minor units). */
  available: bigint
  /** The threshold it fell below. */
  threshold: bigint
}

/**
 * The outcome of {@link evaluateLowBalanceAlerts}.
 *
 * @example
 * const send = (r: LowBalanceEvaluation) => r.alerts.map((a) => a.accountId)
 */
export interface LowBalanceEvaluation {
  /** The state to keep for next time. */
  state: LowBalanceAlertState
  /** The alerts to send now, in input order. */
  alerts: LowBalanceAlert[]
  /** Wallets re-armed by this evaluation (recovered to `rearmAt`), in input order. */
  rearmed: string[]
}

/**
 * Low-balance alerts with hysteresis. Pure: the previous state and the current available
 * balances in, the new state and the alerts out. A wallet not alerted whose balance is below its
 * threshold gets one alert; an alerted wallet gets none until its balance reaches `rearmAt`
 * (it is then re-armed). Wallets absent from `balances` keep their state; a wallet without a
 * policy (the function returns `undefined`) is ignored.
 *
 * @example
 * const policy = { threshold: 500n, rearmAt: 1000n }
 * const first = evaluateLowBalanceAlerts({ alerted: [] }, [{ accountId: 'w1', available: 300n }], policy)
 * first.alerts.length //=> 1
 * evaluateLowBalanceAlerts(first.state, [{ accountId: 'w1', available: 200n }], policy).alerts.length //=> 0
 * @throws EcoleError `INVALID_INPUT` when a policy has `rearmAt < threshold`, a misspelt key
 *   (`treshold`) or an amount that is not a bigint (`'1000'`, `1000`): never read as "no threshold".
 *   A policy function's answers are checked the same way.
 */
export function evaluateLowBalanceAlerts(
  previous: LowBalanceAlertState,
  balances: ReadonlyArray<{ accountId: string; available: bigint }>,
  policy: LowBalancePolicy | ((accountId: string) => LowBalancePolicy | undefined),
): LowBalanceEvaluation {
  try {
    if (policy === undefined) throw EcoleError.invalidInput('policy', 'must be a low-balance policy ({ threshold, rearmAt }) or a function returning one, got undefined', { function: 'evaluateLowBalanceAlerts' })
    const fixed = typeof policy === 'function' ? undefined : checkOptions<LowBalancePolicy>('evaluateLowBalanceAlerts', 'policy', policy, POLICY_KINDS)
    const alerted = new Set(previous.alerted)
    const alerts: LowBalanceAlert[] = []
    const rearmed: string[] = []
    for (const { accountId, available } of balances) {
      const found = fixed ?? (policy as (accountId: string) => LowBalancePolicy | undefined)(accountId)
      if (found === undefined) continue
      const p = fixed ?? checkOptions<LowBalancePolicy>('evaluateLowBalanceAlerts', `policy(${accountId})`, found, POLICY_KINDS)
      if (p.rearmAt < p.threshold) {
        throw new EcoleError('INVALID_INPUT', `low-balance policy of ${accountId}: rearmAt (${p.rearmAt}) must be at least threshold (${p.threshold})`, {
          details: { field: 'rearmAt', accountId },
        })
      }
      if (alerted.has(accountId)) {
        if (available >= p.rearmAt) {
          alerted.delete(accountId)
          rearmed.push(accountId)
        }
      } else if (available < p.threshold) {
        alerted.add(accountId)
        alerts.push({ accountId, available, threshold: p.threshold })
      }
    }
    return { state: { alerted: [...alerted].sort() }, alerts, rearmed }
  } catch (error) {
    throw asInputError(error, 'evaluateLowBalanceAlerts', { previous: [previous, 'object', 'the previous alert state'], balances: [balances, 'array', 'the balances'], policy: [policy, 'any', 'a low-balance policy or a function returning one'] })
  }
}

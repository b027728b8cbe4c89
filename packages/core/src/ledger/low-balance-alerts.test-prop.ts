import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { evaluateLowBalanceAlerts, type LowBalanceAlertState } from './low-balance-alerts'

test.prop([
  fc.bigInt({ min: 0n, max: 2_000n }),
  fc.bigInt({ min: 0n, max: 2_000n }),
  fc.array(fc.bigInt({ min: -1_000n, max: 5_000n }), { maxLength: 60 }),
])('between two alerts of a wallet, its balance has recovered to rearmAt; and every alert is below the threshold', (a, b, balances) => {
  const policy = a <= b ? { threshold: a, rearmAt: b } : { threshold: b, rearmAt: a }
  let state: LowBalanceAlertState = { alerted: [] }
  let recoveredSinceAlert = true
  for (const available of balances) {
    const r = evaluateLowBalanceAlerts(state, [{ accountId: 'w', available }], policy)
    if (r.alerts.length > 0) {
      expect(recoveredSinceAlert).toBe(true)
      expect(available < policy.threshold).toBe(true)
      recoveredSinceAlert = false
    }
    if (available >= policy.rearmAt) recoveredSinceAlert = true
    // an alerted wallet is exactly one that fell below the threshold and has not recovered since
    expect(r.state.alerted.includes('w')).toBe(!recoveredSinceAlert)
    state = r.state
  }
})

import { describe, expect, it } from 'vitest'
import { evaluateLowBalanceAlerts } from './low-balance-alerts'

const low = [{ accountId: 'w1', available: 500n }]
const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('evaluateLowBalanceAlerts policy', () => {
  it('refuses a misspelt key naming the key it meant, instead of sending no alert', () => {
    expect(() => evaluateLowBalanceAlerts({ alerted: [] }, low, { treshold: 1000n, rearmAt: 2000n } as never)).toThrow(refused(/policy\.treshold: unknown key .*did you mean `threshold`/))
  })

  it('refuses an amount that is not a bigint instead of comparing it as a string or a float', () => {
    expect(() => evaluateLowBalanceAlerts({ alerted: [] }, low, { threshold: '1000', rearmAt: 2000n } as never)).toThrow(refused('policy.threshold'))
    expect(() => evaluateLowBalanceAlerts({ alerted: [] }, low, { threshold: 1000n, rearmAt: 2000 } as never)).toThrow(refused('policy.rearmAt'))
  })

  it("checks a policy function's answer the same way, naming the wallet", () => {
    expect(() => evaluateLowBalanceAlerts({ alerted: [] }, low, () => ({ threshold: '1000' }) as never)).toThrow(refused('policy(w1).threshold'))
  })

  it('refuses a policy that is not an object or a function', () => {
    for (const policy of ['1000', 1000n, [], null, undefined]) expect(() => evaluateLowBalanceAlerts({ alerted: [] }, low, policy as never)).toThrow(refused('policy'))
  })
})

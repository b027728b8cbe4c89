import { describe, expect, it } from 'vitest'
import { evaluateLowBalanceAlerts } from './low-balance-alerts'

const policy = { threshold: 500n, rearmAt: 1000n }

describe('evaluateLowBalanceAlerts', () => {
  it('alerts once when a wallet falls below its threshold, not again while it stays low', () => {
    const first = evaluateLowBalanceAlerts({ alerted: [] }, [{ accountId: 'w1', available: 499n }, { accountId: 'w2', available: 500n }], policy)
    expect(first.alerts).toEqual([{ accountId: 'w1', available: 499n, threshold: 500n }])
    expect(first.state).toEqual({ alerted: ['w1'] })
    const second = evaluateLowBalanceAlerts(first.state, [{ accountId: 'w1', available: 100n }], policy)
    expect(second.alerts).toEqual([])
  })

  it('re-arms only after the balance recovers to rearmAt, then alerts again on the next fall', () => {
    let state = evaluateLowBalanceAlerts({ alerted: [] }, [{ accountId: 'w1', available: 0n }], policy).state
    // back above the threshold but under rearmAt: still silent, still alerted
    const hover = evaluateLowBalanceAlerts(state, [{ accountId: 'w1', available: 700n }], policy)
    expect([hover.alerts, hover.rearmed, hover.state.alerted]).toEqual([[], [], ['w1']])
    const recovered = evaluateLowBalanceAlerts(hover.state, [{ accountId: 'w1', available: 1000n }], policy)
    expect([recovered.rearmed, recovered.state.alerted]).toEqual([['w1'], []])
    state = recovered.state
    expect(evaluateLowBalanceAlerts(state, [{ accountId: 'w1', available: 400n }], policy).alerts).toHaveLength(1)
  })

  it('uses a per-wallet policy and ignores wallets without one', () => {
    const r = evaluateLowBalanceAlerts({ alerted: [] }, [{ accountId: 'w1', available: 0n }, { accountId: 'w2', available: 0n }], (id) =>
      id === 'w1' ? { threshold: 1n, rearmAt: 1n } : undefined,
    )
    expect(r.alerts.map((a) => a.accountId)).toEqual(['w1'])
  })

  it('refuses a policy that re-arms below its threshold', () => {
    expect(() => evaluateLowBalanceAlerts({ alerted: [] }, [{ accountId: 'w1', available: 0n }], { threshold: 500n, rearmAt: 400n })).toThrow(/rearmAt/)
  })
})

import { describe, expect, it } from 'vitest'
import { Money, isEcoleError } from '../index'
import { TransferInputSchema, parseTransfers, type TransferInput } from './transfer-input'

const base: TransferInput = {
  id: 't1', debitAccountId: 'system:bankClearing:o1', creditAccountId: 'wallet:g1:o1:general',
  amount: { amount: '20.00', currency: 'EUR' }, code: 'topUp', timestamp: '2026-03-02T09:00:00+01:00',
}

function errorOf(fn: () => unknown): { code: string; message: string; paths: string[] } {
  try {
    fn()
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, message: e.message, paths: (e.details.issues as Array<{ path: string }>).map((i) => i.path) }
  }
  throw new Error('expected an EcoleError')
}

describe('TransferInputSchema', () => {
  it('turns JSON into a prepared transfer: amount in minor units, currency kept, instants as Dates', () => {
    const t = TransferInputSchema.parse({ ...base, flags: { pending: true, linked: false }, expiresAt: '2026-03-02T10:00:00Z', links: { bookingId: 'b1' } })
    expect(t).toEqual({
      id: 't1', debitAccountId: 'system:bankClearing:o1', creditAccountId: 'wallet:g1:o1:general', amount: 2000n, currency: 'EUR',
      code: 'topUp', flags: { pending: true }, expiresAt: new Date(Date.UTC(2026, 2, 2, 10)), links: { bookingId: 'b1' },
      timestamp: new Date(Date.UTC(2026, 2, 2, 8)),
    })
  })

  it('accepts a Money value as the amount, and a zero-decimal currency', () => {
    expect(TransferInputSchema.parse({ ...base, amount: Money.of('4.15', 'EUR') }).amount).toBe(415n)
    expect(TransferInputSchema.parse({ ...base, amount: { amount: '1500', currency: 'XPF' } })).toMatchObject({ amount: 1500n, currency: 'XPF' })
  })

  it('refuses 4.155 EUR with a message naming the field and the rule, rather than rounding it', () => {
    const e = errorOf(() => parseTransfers([{ ...base, amount: { amount: '4.155', currency: 'EUR' } }]))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.paths).toEqual(['transfers.0.amount'])
    expect(e.message).toContain('transfers.0.amount: 4.155 EUR has more than the 2 decimals EUR allows')
  })

  it('refuses a zero or negative amount, a float amount, an unknown code and a bare date as timestamp', () => {
    const e = errorOf(() => parseTransfers([
      { ...base, amount: { amount: '0.00', currency: 'EUR' } },
      { ...base, amount: { amount: '-1', currency: 'EUR' } },
      { ...base, amount: { amount: 4.15 as unknown as string, currency: 'EUR' } },
      { ...base, code: 'gift' as 'topUp' },
      { ...base, timestamp: '2026-03-02' },
    ]))
    expect(e.paths).toEqual(['transfers.0.amount', 'transfers.1.amount', 'transfers.2.amount', 'transfers.3.code', 'transfers.4.timestamp'])
  })
})

import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isEcoleError, isLocalDate, type Deposit, type LocalDate } from '@ecole/core'
import { FEC_2026, payment } from '../test-support/records'
import { cents, decodeLatin9, readFec } from '../test-support/fec-reader'
import { buildFec, type FecSettingsInput } from '.'

const settings: FecSettingsInput = FEC_2026
const debtors = { 'g-1': { name: 'DUPONT Marie' } }
const dayOf = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10) as LocalDate

/** Cheques and cash received, then deposits that list them by index: possibly twice, in two deposits, or of another method. */
const depositsArb = fc
  .tuple(
    fc.array(fc.record({ amount: fc.bigInt({ min: 1n, max: 100_000n }), method: fc.constantFrom('cheque', 'cheque', 'cash') }), { minLength: 1, maxLength: 8 }),
    fc.array(fc.record({ method: fc.constantFrom('cheque', 'cash'), picks: fc.array(fc.nat(7), { minLength: 1, maxLength: 6 }) }), { minLength: 1, maxLength: 3 }),
  )
  .map(([specs, ds]) => {
    const payments = specs.map((s, i) => payment({ id: `p${i}`, date: dayOf(10), method: s.method, amountMinor: s.amount }))
    const deposits: Deposit[] = ds.map((d, k) => {
      const held = d.picks.map((n) => payments[n % payments.length]!)
      return {
        id: `d${k}`, siteId: 'site', method: d.method, bankAccountId: 'acc', date: dayOf(20 + k), paymentIds: held.map((p) => p.id),
        totalMinor: held.reduce((s, p) => s + p.amountMinor, 0n), totalsByProduct: {}, currency: 'EUR', locked: true,
      }
    })
    return { payments, deposits }
  })

test.prop([depositsArb])(
  'the bank (512) receives from deposits exactly the money of the payments they hold, each once and from the account it waited on; any other set of deposits is refused',
  ({ payments, deposits }) => {
    let fec
    try {
      fec = buildFec(settings, { payments, deposits, debtors })
    } catch (e) {
      expect(isEcoleError(e, 'INVALID_INPUT'), String(e)).toBe(true)
      const ids = deposits.flatMap((d) => d.paymentIds)
      const mixed = deposits.some((d) => d.paymentIds.some((id) => payments.find((p) => p.id === id)!.method !== d.method))
      // refused only when a payment is listed twice (in one deposit or two) or in a deposit of another method
      expect(new Set(ids).size < ids.length || mixed).toBe(true)
      return
    }
    const rows = readFec(decodeLatin9(fec.bytes))
    const balance = (account: string) => rows.filter((r) => r['CompteNum'] === account).reduce((s, r) => s + cents(r['Debit']!) - cents(r['Credit']!), 0n)
    const deposited = new Set(deposits.flatMap((d) => d.paymentIds))
    const sum = (pred: (p: (typeof payments)[number]) => boolean) => payments.filter(pred).reduce((s, p) => s + p.amountMinor, 0n)
    expect(balance('512000')).toBe(sum((p) => deposited.has(p.id)))
    expect(balance('511200')).toBe(sum((p) => p.method === 'cheque' && !deposited.has(p.id)))
    expect(balance('530000')).toBe(sum((p) => p.method === 'cash' && !deposited.has(p.id)))
  },
)

const dateLike = fc.tuple(fc.integer({ min: 2025, max: 2027 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.boolean()).map(([y, m, d, pad]) =>
  pad ? `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` : `${y}-${m}-${d}`,
)

test.prop([dateLike])('a wallet movement is posted when its date is a calendar day of the period, and refused naming its date when it is no calendar day: never left out silently', (date) => {
  const movement = { id: 't1', billingOfficeId: 'regie', guardianId: 'g-1', date: date as LocalDate, code: 'booking' as const, amountMinor: 415n, currency: 'EUR' }
  let lines: number
  try {
    lines = buildFec(settings, { walletMovements: [movement], debtors }).lineCount
  } catch (e) {
    expect(isEcoleError(e, 'INVALID_INPUT') && e.message.includes('walletMovements[0].date'), String(e)).toBe(true)
    expect(isLocalDate(date)).toBe(false)
    return
  }
  expect(isLocalDate(date)).toBe(true)
  expect(lines).toBe(date.startsWith('2026-') ? 2 : 0)
})

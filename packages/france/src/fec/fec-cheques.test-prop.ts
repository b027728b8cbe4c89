import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { Deposit, LocalDate, Payment } from '@ecole/core'
import { deposit, payment } from '../test-support/records'
import { cents, decodeLatin9, readFec } from '../test-support/fec-reader'
import { buildFec, type FecSettingsInput } from '.'

const settings: FecSettingsInput = {
  siren: '123456789',
  period: { from: '2026-01-01', to: '2026-12-31' },
  validatedOn: '2027-03-31',
  billingOffices: [{ id: 'regie', name: 'Régie cantine', journalPrefix: 'C' }],
}
const END = '2026-12-31'
const dayOf = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10) as LocalDate

/** What happens to one cheque after it is received. */
const chequeArb = fc.record({
  day: fc.integer({ min: 0, max: 340 }),
  amount: fc.bigInt({ min: 1n, max: 100_000n }),
  fate: fc.constantFrom('kept', 'deposited', 'refusedBeforeDeposit', 'depositedThenRefused', 'refusedBeforeItsDate'),
  into: fc.integer({ min: 0, max: 2 }),
  lag: fc.integer({ min: 0, max: 40 }),
  carriesDepositId: fc.boolean(),
})

const historyArb = fc.tuple(fc.array(chequeArb, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 3, maxLength: 3 })).map(([specs, depositLags]) => {
  // a deposit is made after the last of its cheques, then a deposited cheque may come back unpaid
  const depositDay = [0, 1, 2].map((k) => {
    const held = specs.filter((s) => (s.fate === 'deposited' || s.fate === 'depositedThenRefused') && s.into === k)
    return held.length === 0 ? undefined : Math.max(...held.map((s) => s.day)) + depositLags[k]!
  })
  const payments: Payment[] = specs.map((s, i) => {
    const deposited = s.fate === 'deposited' || s.fate === 'depositedThenRefused'
    const refusedOn =
      s.fate === 'refusedBeforeDeposit' ? dayOf(s.day + s.lag)
        : s.fate === 'depositedThenRefused' ? dayOf(depositDay[s.into]! + s.lag)
          : s.fate === 'refusedBeforeItsDate' ? dayOf(s.day - 1 - s.lag)
            : undefined
    const p = payment({ id: `p${i}`, date: dayOf(s.day), method: 'cheque', amountMinor: s.amount, ...(refusedOn ? { refusedOn } : {}) })
    return { ...p, depositId: deposited && s.carriesDepositId ? `d${s.into}` : null }
  })
  const deposits: Deposit[] = [0, 1, 2].flatMap((k) =>
    depositDay[k] === undefined ? [] : [deposit({ id: `d${k}`, date: dayOf(depositDay[k]!), method: 'cheque', payments: payments.filter((_, i) => specs[i]!.into === k && (specs[i]!.fate === 'deposited' || specs[i]!.fate === 'depositedThenRefused')) })],
  )
  return { specs, payments, deposits, depositDay }
})

test.prop([historyArb])('for any sequence of cheque payments, deposits and refusals, the FEC balances and 5112 holds exactly the cheques received and neither deposited nor refused (never a credit balance)', ({ specs, payments, deposits, depositDay }) => {
  const fec = buildFec(settings, { payments, deposits, debtors: { 'g-1': { name: 'DUPONT Marie' } } })
  const rows = readFec(decodeLatin9(fec.bytes))
  const balance = (account: string) => rows.filter((r) => r['CompteNum'] === account).reduce((s, r) => s + cents(r['Debit']!) - cents(r['Credit']!), 0n)
  expect(rows.reduce((s, r) => s + cents(r['Debit']!) - cents(r['Credit']!), 0n)).toBe(0n)
  for (const t of Object.values(fec.journals)) expect(t.debitMinor).toBe(t.creditMinor)

  const by = (d: number | undefined) => d !== undefined && dayOf(d) <= END
  let waiting = 0n
  let onBank = 0n
  specs.forEach((s, i) => {
    const p = payments[i]!
    if (s.fate === 'refusedBeforeItsDate' || !by(s.day)) return // never moved money, or not yet received
    const deposited = (s.fate === 'deposited' || s.fate === 'depositedThenRefused') && by(depositDay[s.into])
    const refused = p.refusal !== null && p.refusal.date <= END
    if (!deposited && !refused) waiting += s.amount
    if (deposited && !refused) onBank += s.amount
  })
  expect(balance('511200')).toBe(waiting)
  expect(balance('511200') >= 0n).toBe(true)
  expect(balance('512000')).toBe(onBank)
})

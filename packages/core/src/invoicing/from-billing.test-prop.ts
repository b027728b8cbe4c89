import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { ChargeLine } from '../billing'
import { Money } from '../money'
import type { LocalDate } from '../time'
import { invoiceChargeLinesFromBilling } from './from-billing'

type Charge = [payer: string, beneficiary: string, service: string, kind: ChargeLine['kind'], date: string]

/** The charge id invoicing gives the one day of a billing line. */
function chargeIdOf([payer, beneficiary, service, kind, date]: Charge): string {
  const line = {
    debtorId: payer, beneficiaryId: beneficiary, serviceId: service, kind, dates: [date as LocalDate], jointDebtorIds: [],
    quantity: 1, amountMinor: 415n, unitPrice: Money.of('4.15', 'EUR'),
  } as unknown as ChargeLine
  return invoiceChargeLinesFromBilling([line])[0]!.chargeId
}

// ids over a small alphabet rich in the separator and the escape character, so collisions are likely if any exist
const id = fc.string({ unit: fc.constantFrom('a', 'b', '|', '\\'), maxLength: 6 })
const kind = fc.constantFrom<ChargeLine['kind']>('service', 'unbookedAttendance', 'lateCancellation')
const date = fc.constantFrom('2026-09-07', '2026-09-08')
const charge = fc.tuple(id, id, id, kind, date)
/** Two charges whose payer, beneficiary and service joined by `|` are the same text, cut elsewhere (what collided). */
const recut = fc.tuple(charge, fc.nat(), fc.nat()).map(([c, i, j]): [Charge, Charge] => {
  const text = `${c[0]}|${c[1]}|${c[2]}`
  const cuts = [...text].flatMap((ch, k) => (ch === '|' ? [k] : []))
  const [a, b] = [cuts[i % cuts.length]!, cuts[j % cuts.length]!].sort((x, y) => x - y) as [number, number]
  const other: Charge = a === b ? [...c] : [text.slice(0, a), text.slice(a + 1, b), text.slice(b + 1), c[3], c[4]]
  return [c, other]
})

test.prop([fc.oneof(fc.tuple(charge, charge), recut)])('distinct (payer, beneficiary, service, kind, date) give distinct charge ids', ([x, y]) => {
  fc.pre(x.some((v, i) => v !== y[i]))
  expect(chargeIdOf(x)).not.toBe(chargeIdOf(y))
})

const noBar = fc.string({ maxLength: 6 }).filter((s) => !s.includes('|'))
test.prop([fc.tuple(noBar, noBar, noBar, kind, date)])(
  'a charge whose ids hold no | keeps the id earlier versions stored: <payer>|<beneficiary>|<service>|<kind>|<date>',
  (c) => {
    expect(chargeIdOf(c)).toBe(c.join('|'))
  },
)

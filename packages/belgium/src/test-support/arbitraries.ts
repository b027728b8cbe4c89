import { fc } from '@fast-check/vitest'
import type { Belcotax28186FicheInput, Belcotax28186Input } from '../belcotax-281-86-input'
import { input } from './fixtures'

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** A valid national number of someone born on that day (check digits computed here, by the published rule). */
function nn(year: number, month: number, day: number, serial: number): string {
  const body = `${pad(year % 100)}${pad(month)}${pad(day)}${pad(serial, 3)}`
  const n = BigInt(body) + (year >= 2000 ? 2_000_000_000n : 0n)
  return `${body}${pad(Number(97n - (n % 97n)))}`
}

const name = fc.oneof(
  fc.constantFrom('Dupont', 'Peeters', "O'Brien", 'Müller & Fils', 'Van den Berghe-Lefèvre', 'Łukasz', 'Nguyễn', '<Test>'),
  fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0 && !/[\u0000-\u001f\ud800-\udfff\ufffe\uffff]/.test(s)),
)

/** Up to four periods of 2026, one per quarter (a random subset of quarters), valid by construction. */
const periods = (ceiling: bigint) =>
  fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }).chain((quarters) =>
    fc.tuple(
      ...[...quarters].sort().map((q) =>
        fc.record({
          startDay: fc.integer({ min: 1, max: 28 }),
          length: fc.integer({ min: 0, max: 60 }),
          share: fc.integer({ min: 1, max: 100 }),
          rate: fc.bigInt({ min: 1n, max: ceiling }),
        }).map(({ startDay, length, share, rate }) => {
          const from = `2026-${pad(q * 3 + 1)}-${pad(startDay)}`
          const end = new Date(Date.UTC(2026, q * 3, startDay + length))
          const lastOfQuarter = new Date(Date.UTC(2026, q * 3 + 3, 0))
          const to = (end < lastOfQuarter ? end : lastOfQuarter).toISOString().slice(0, 10)
          const calendar = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1
          return { from, to, days: Math.max(1, Math.ceil((calendar * share) / 100)), dailyRateMinor: rate }
        })),
    ))

const fiche = (i: number, ceiling: bigint): fc.Arbitrary<Belcotax28186FicheInput> =>
  fc.record({ last: name, first: name, childFirst: name, birthYear: fc.integer({ min: 2013, max: 2025 }), birthDay: fc.integer({ min: 1, max: 28 }), periods: periods(ceiling) })
    .filter((f) => f.birthYear < 2025 || f.periods.every((p) => p.from >= `2025`))
    .map((f) => {
      const birthDate = `${f.birthYear}-01-${pad(f.birthDay)}`
      const address = { street: `Rue ${f.last}`, postalCode: '4000', municipality: 'Liège' }
      return {
        reference: `F${i}`,
        childId: `k${i}`,
        debtorId: `g${i}`,
        debtor: { nationalNumber: nn(1980, 5, 17, i % 997), lastName: f.last, firstName: f.first, address },
        child: { nationalNumber: nn(f.birthYear, 1, f.birthDay, i % 997), lastName: f.last, firstName: f.childFirst, birthDate, address },
        // a child born in 2013 turns 13 in 2026: always under 14 for the whole year
        periods: f.periods.filter((p) => p.from > birthDate),
      }
    })
    .filter((f) => f.periods.length > 0)

/** A random, valid 281.86 input of 1 to `max` fiches for income year 2026. */
export function belcotaxInputArb(max = 8): fc.Arbitrary<Belcotax28186Input> {
  return fc.bigInt({ min: 1500n, max: 2000n }).chain((ceiling) =>
    fc.integer({ min: 1, max: max }).chain((n) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => fiche(i + 1, ceiling))).map((fiches) => input({ dailyCeilingMinor: ceiling, fiches }))))
}

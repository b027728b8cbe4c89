import { describe, expect, it } from 'vitest'
import type { StoredBooking } from '@ecole/core/ports'
import { cityBillingRules, cityChargeConfig, generateCity, INVOICED_SERVICE_IDS, SITE_ID, type City } from './city'
import { checkInvariants } from './invariants'
import { dayReader, prefetching, priceMonth, runCity } from './run-city'
import type { StoragePorts } from '@ecole/core/ports'
import { openCityStorage } from './storage'

const quiet = () => undefined
// A real PostgreSQL server when ECOLE_PG_URL is set (CI sets it: there the server run is mandatory).
const url = process.env['ECOLE_PG_URL']

/** The month priced from the narrow read (`listBookedDays`) and from the two day-ordered listings: the same charge lines, the same unbilled days. */
async function expectBothReadsAlike(city: City, storage: StoragePorts): Promise<number> {
  const config = cityChargeConfig(city, cityBillingRules(city))
  expect(storage.bookings!.listBookedDays).toBeDefined()
  const narrow = await priceMonth(storage, config, city.month, undefined, { read: 'booked-days' })
  const listed = await priceMonth(storage, config, city.month, undefined, { read: 'listings' })
  expect(narrow.days).toBe(listed.days)
  expect(narrow.charges.length).toBeGreaterThan(1000)
  expect(narrow.charges).toEqual(listed.charges)
  const keys = (u: Array<{ key: string; reason: string }>) => u.map((x) => `${x.key}|${x.reason}`).sort()
  expect(keys(narrow.unbilled)).toEqual(keys(listed.unbilled))
  return narrow.charges.length
}

describe('the city run', () => {
  it('generates the same city from the same seed, and another from another seed', () => {
    const a = generateCity({ children: 500, month: '2027-01', seed: 7 })
    const b = generateCity({ children: 500, month: '2027-01', seed: 7 })
    const c = generateCity({ children: 500, month: '2027-01', seed: 8 })
    expect(JSON.stringify(a.households)).toBe(JSON.stringify(b.households))
    expect(JSON.stringify(a.households)).not.toBe(JSON.stringify(c.households))
    expect(a.children).toHaveLength(500)
    // the city has what the month must exercise: separated parents both ways, joint debtors, no quotient, wallets, refused consent
    expect(a.households.some((h) => h.separated?.criterion === 'isoParity')).toBe(true)
    expect(a.households.some((h) => h.separated?.criterion === 'weekList')).toBe(true)
    expect(a.households.some((h) => h.jointDebtor)).toBe(true)
    expect(a.households.some((h) => h.quotient === null)).toBe(true)
    expect(a.households.some((h) => h.prepaidWallet)).toBe(true)
    expect(a.households.some((h) => !h.mailConsent)).toBe(true)
    expect(a.households.some((h) => h.children.length === 3)).toBe(true)
    // closures come from the national calendar: New Year's Day and the zone C Christmas holidays
    expect(a.publicHolidays).toContain('2027-01-01')
    expect(a.periods.some((p) => p.from <= '2027-01-01' && p.to >= '2027-01-01' && p.kind === 'closure')).toBe(true)
  })

  it('reads a day-ordered listing a day at a time across its pages: every item of the day asked, none of another, days without items empty', async () => {
    const items = ['2027-01-04', '2027-01-04', '2027-01-04', '2027-01-05', '2027-01-07', '2027-01-07', '2027-01-07', '2027-01-07'].map((date, n) => ({ date, n }))
    let reads = 0
    const read = dayReader(async (after) => {
      reads++
      const from = after === undefined ? 0 : Number(after)
      const next = from + 3 < items.length ? String(from + 3) : undefined
      return { items: items.slice(from, from + 3), next }
    })
    expect((await read('2027-01-04')).map((x) => x.n)).toEqual([0, 1, 2])
    expect((await read('2027-01-05')).map((x) => x.n)).toEqual([3])
    expect(await read('2027-01-06')).toEqual([])
    expect((await read('2027-01-07')).map((x) => x.n)).toEqual([4, 5, 6, 7])
    expect(await read('2027-01-08')).toEqual([])
    expect(reads).toBe(3)
  })

  it('reads a keyset listing ahead: the next page is asked for as soon as one arrives and answers the call for its cursor; a failed read ahead fails that call', async () => {
    const asked: Array<string | undefined> = []
    const list = async (after: string | undefined) => {
      asked.push(after)
      const from = after === undefined ? 0 : Number(after)
      if (from === 6) throw new Error('server gone')
      return { items: [from, from + 1, from + 2], next: from + 3 < 9 ? String(from + 3) : undefined }
    }
    const read = prefetching(list)
    const first = await read(undefined)
    expect(first.items).toEqual([0, 1, 2])
    // the page after it was asked for before anyone called for it
    expect(asked).toEqual([undefined, '3'])
    expect((await read('3')).items).toEqual([3, 4, 5])
    expect(asked).toEqual([undefined, '3', '6'])
    await expect(read('6')).rejects.toThrow('server gone')
    // a cursor other than the one read ahead is read afresh
    expect((await read('3')).items).toEqual([3, 4, 5])
    expect(asked.at(-2)).toBe('3')
  })

  it('runs a month of 2,000 children in memory, documents and mails included, every invariant of the month holds, and the narrow read of the booked days prices it as the listings do', async () => {
    const city = generateCity({ children: 2000, month: '2027-01' })
    const opened = await openCityStorage('memory')
    try {
      const { report, month } = await runCity({ city, storage: opened.storage, documents: true, floors: false, log: quiet })
      expect(report.invariants.filter((i) => !i.ok)).toEqual([])
      expect(report.invariants.length).toBeGreaterThanOrEqual(7)
      // the run keeps no booking rows: they are read back from the storage
      const bookings: StoredBooking[] = []
      let after: string | undefined
      do {
        const page = await opened.storage.bookings!.listBookings(SITE_ID, { from: city.month.from, to: city.month.to }, { limit: 1000, ...(after ? { after } : {}) })
        bookings.push(...page.items)
        after = page.next
      } while (after)
      expect(bookings).toHaveLength(month.bookings)
      // no booking on New Year's Day (a public holiday) nor in the Christmas holidays (to 2027-01-03)
      expect(bookings.some((b) => b.date <= '2027-01-03')).toBe(false)
      // no canteen on a Wednesday, and the Wednesday centre only on Wednesdays
      expect(bookings.filter((b) => b.serviceId === 'cantine' && new Date(`${b.date}T00:00:00Z`).getUTCDay() === 3)).toEqual([])
      expect(bookings.filter((b) => b.serviceId === 'mercredi').every((b) => new Date(`${b.date}T00:00:00Z`).getUTCDay() === 3)).toBe(true)
      // one invoice per payer with charges over the minimum
      expect(month.invoices.length).toBe(month.chargePayers - month.belowMinimumPayers.length)
      // separated parents on week lists are billed on different weeks of the same children
      const sep = city.households.find((h) => h.separated?.criterion === 'weekList' && month.invoices.some((i) => i.debtorId === h.separated!.guardianId))!
      const datesOf = async (payer: string) => new Set((await opened.storage.invoicing!.listInvoices(SITE_ID, { debtorId: payer }, { limit: 100 })).items.flatMap((i) => i.lines.flatMap((l) => l.dates)))
      const first = await datesOf(sep.guardianId)
      expect(first.size).toBeGreaterThan(0)
      expect([...(await datesOf(sep.separated!.guardianId))].some((d) => first.has(d))).toBe(false)
      expect(report.counts['pdfs']).toBe(month.invoices.length)
      expect(report.stages.map((s) => s.name)).toEqual(['setup', 'wallets', 'bookings', 'attendance', 'charges', 'drafts', 'adjustments', 'validation', 'pdfs', 'mails', 'directDebits', 'statement', 'reminders'])
      expect(report.stages.every((s) => s.wallMs >= 0 && s.cpuMs >= 0 && s.peakRssMb > 0)).toBe(true)
      // the narrow read of the booked days prices the month as the two listings do
      await expectBothReadsAlike(city, opened.storage)

      // the invariants can fail: a booked day nobody billed, a mail that never left, a gap in the numbers
      const invoiced = bookings.find((b) => (INVOICED_SERVICE_IDS as readonly string[]).includes(b.serviceId))!
      await opened.storage.bookings!.putBookings(SITE_ID, [{ ...invoiced, id: 'extra', date: '2027-01-30' }])
      const broken = await checkInvariants({
        city, storage: opened.storage, documents: true,
        month: { ...month, mailRecipients: month.mailRecipients + 1, invoices: [...month.invoices, month.invoices[0]!] },
      })
      expect(broken.filter((i) => !i.ok).map((i) => i.rule.split(' ').slice(0, 4).join(' '))).toEqual([
        'every booked day of', 'the invoice numbers are', 'every notice mail is', 'every validated invoice has',
      ])
    } finally {
      await opened.close()
    }
  })

  describe.runIf(url)('on the PostgreSQL server (ECOLE_PG_URL)', () => {
    it('runs a month of 2,000 children, without documents, every invariant holds, floors measured beside their stages, and the narrow read of the booked days prices it as the listings do', async () => {
      const city = generateCity({ children: 2000, month: '2027-01', seed: 11 })
      const opened = await openCityStorage('postgres', { databaseUrl: url, privateSchema: `city_test_${process.pid}` })
      try {
        const { report } = await runCity({ city, storage: opened.storage, raw: opened.raw, documents: false, floors: true, log: quiet })
        expect(report.invariants.filter((i) => !i.ok)).toEqual([])
        for (const name of ['bookings', 'attendance', 'charges', 'drafts']) {
          const s = report.stages.find((x) => x.name === name)!
          expect(s.floor, name).toBeDefined()
          expect(s.floor!.wallMs).toBeGreaterThan(0)
        }
        expect(report.totals.databaseMb).toBeGreaterThan(0)
        await expectBothReadsAlike(city, opened.storage)
      } finally {
        await opened.close()
      }
    })
  })
  if (!url) {
    it.runIf(process.env['CI'])('runs in CI, where ECOLE_PG_URL must name a server', () => {
      expect.fail('[ecole] CI is set but ECOLE_PG_URL is not: the city run on the PostgreSQL server must run in CI')
    })
    console.log('[ecole] ECOLE_PG_URL is not set: the city run on the PostgreSQL server is skipped (set it to postgresql://user@host:5432/db to run it)')
  }
})

import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import type { LocalDate } from '../time'
import type { InvoiceChargeLine } from './charge-line'
import { buildInvoiceDrafts } from './drafts'
import { defineInvoiceBatch } from './invoice-batch'
import { refusal } from '../test-support/refusal'

const batch = defineInvoiceBatch({
  id: 'b-2026-12', siteId: 'site-1', billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' },
  serviceIds: ['meal', 'care'], dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05', minimumAmount: '5.00',
})

function charge(id: string, payerId: string, beneficiaryId: string, serviceId: string, date: LocalDate, price: bigint, extra: Partial<InvoiceChargeLine> = {}): InvoiceChargeLine {
  return { chargeId: id, debtorId: payerId, beneficiaryId, serviceId, date, quantity: 1, unitPriceMinor: price, amountMinor: price, ...extra }
}

describe('defineInvoiceBatch (step 3-4: period, billing office, services, dates)', () => {
  it('keeps the period, office, services and the due, direct-debit and portal dates, with the minimum in cents', () => {
    expect(batch.period).toEqual({ from: '2026-12-01', to: '2026-12-31' })
    expect(batch.billingOfficeId).toBe('regie')
    expect(batch.serviceIds).toEqual(['meal', 'care'])
    expect([batch.dueDate, batch.directDebitDate, batch.portalDisplayDate]).toEqual(['2027-01-15', '2027-01-10', '2027-01-05'])
    expect(batch.minimumMinor).toBe(500n)
  })
  it('refuses a batch without a service, naming the field', () => {
    try {
      defineInvoiceBatch({ id: 'b', siteId: 's', billingOfficeId: 'r', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: [], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' })
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code).toBe('INVALID_INPUT')
      expect((e as Error).message).toContain('invoiceBatch.serviceIds')
    }
  })
  it('refuses a period that ends before it starts', () => {
    expect(() => defineInvoiceBatch({ id: 'b', siteId: 's', billingOfficeId: 'r', period: { from: '2026-12-31', to: '2026-12-01' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' })).toThrow(/period.to/)
  })
})

describe('buildInvoiceDrafts (step 5: the software generates the drafts)', () => {
  it('makes one draft per payer, with the batch dates', () => {
    const { drafts } = buildInvoiceDrafts(batch, [
      charge('c1', 'g1', 'k1', 'meal', '2026-12-01', 415n), charge('c2', 'g2', 'k2', 'meal', '2026-12-01', 600n), charge('c3', 'g1', 'k1', 'meal', '2026-12-02', 415n),
    ])
    expect(drafts.map((d) => d.debtorId)).toEqual(['g1', 'g2'])
    expect(drafts[0]!.id).toBe('b-2026-12:g1')
    expect(drafts[0]!.status).toBe('draft')
    expect(drafts[0]!.number).toBeNull()
    expect(drafts[0]!.dueDate).toBe('2027-01-15')
    expect(drafts[0]!.directDebitDate).toBe('2027-01-10')
    expect(drafts[0]!.portalDisplayDate).toBe('2027-01-05')
  })
  it('sums fractional quantities without binary noise: 0.1 h + 0.2 h of care is a line of 0.3 h, and 1.75 h + 1.25 h of 3 h', () => {
    const [d] = buildInvoiceDrafts(batch, [
      charge('h1', 'g1', 'k1', 'care', '2026-12-01', 1200n, { quantity: 0.1, amountMinor: 120n }), charge('h2', 'g1', 'k1', 'care', '2026-12-02', 1200n, { quantity: 0.2, amountMinor: 240n }),
      charge('h3', 'g1', 'k2', 'care', '2026-12-01', 1200n, { quantity: 1.75, amountMinor: 2100n }), charge('h4', 'g1', 'k2', 'care', '2026-12-02', 1200n, { quantity: 1.25, amountMinor: 1500n }),
    ]).drafts
    expect(d!.lines.map((l) => [l.beneficiaryId, l.quantity, String(l.quantity), l.amountMinor])).toEqual([['k1', 0.3, '0.3', 360n], ['k2', 3, '3', 3600n]])
  })
  it('groups lines by beneficiary x service x unit price, 17 meals at 4.15 making 70.55', () => {
    const charges = Array.from({ length: 17 }, (_, i) => charge(`m${i}`, 'g1', 'k1', 'meal', `2026-12-${String(i + 1).padStart(2, '0')}` as LocalDate, 415n))
    charges.push(charge('m-qf', 'g1', 'k1', 'meal', '2026-12-20', 300n), charge('care1', 'g1', 'k1', 'care', '2026-12-01', 250n), charge('k2m', 'g1', 'k2', 'meal', '2026-12-01', 415n))
    const [d] = buildInvoiceDrafts(batch, charges).drafts
    expect(d!.lines.map((l) => [l.beneficiaryId, l.serviceId, l.unitPriceMinor, l.quantity, l.amountMinor])).toEqual([
      ['k1', 'care', 250n, 1, 250n], ['k1', 'meal', 300n, 1, 300n], ['k1', 'meal', 415n, 17, 7055n], ['k2', 'meal', 415n, 1, 415n],
    ])
    expect(d!.totalMinor).toBe(250n + 300n + 7055n + 415n)
    expect(d!.lines[2]!.from).toBe('2026-12-01')
    expect(d!.lines[2]!.to).toBe('2026-12-17')
  })
  it('prints the joint debtors of the payer\'s charges', () => {
    const [d] = buildInvoiceDrafts(batch, [charge('c1', 'g1', 'k1', 'meal', '2026-12-01', 600n, { jointDebtorIds: ['g9'] })]).drafts
    expect(d!.jointDebtorIds).toEqual(['g9'])
  })
  it('shows the earlier unpaid balance without adding it to the total', () => {
    const [d] = buildInvoiceDrafts(batch, [charge('c1', 'g1', 'k1', 'meal', '2026-12-01', 600n)], { openBalances: new Map([['g1', 1234n]]) }).drafts
    expect(d!.previousBalanceMinor).toBe(1234n)
    expect(d!.totalMinor).toBe(600n)
  })
  it('makes no invoice under the minimum amount and says so', () => {
    const r = buildInvoiceDrafts(batch, [charge('c1', 'g1', 'k1', 'meal', '2026-12-01', 415n)])
    expect(r.drafts).toEqual([])
    expect(r.belowMinimum).toEqual([{ debtorId: 'g1', totalMinor: 415n, chargeCount: 1, from: '2026-12-01' }])
  })
  it('never invoices prepaid services, other services or dates outside the period', () => {
    const r = buildInvoiceDrafts(batch, [
      charge('c1', 'g1', 'k1', 'meal', '2026-12-01', 600n), charge('p1', 'g1', 'k1', 'meal', '2026-12-02', 600n, { prepaid: true }),
      charge('o1', 'g1', 'k1', 'study', '2026-12-02', 600n), charge('o2', 'g1', 'k1', 'meal', '2027-01-04', 600n),
    ])
    expect(r.drafts[0]!.lines.flatMap((l) => l.chargeIds)).toEqual(['c1'])
    expect(r.skipped).toEqual({ alreadyBilled: 0, outsideBatch: 2, prepaid: 1, duplicate: 0, billedToAnotherDebtor: 0 })
  })
  it('never bills a charge twice when the same period is billed again', () => {
    const charges = [charge('c1', 'g1', 'k1', 'meal', '2026-12-01', 600n), charge('c2', 'g1', 'k1', 'meal', '2026-12-02', 600n)]
    const first = buildInvoiceDrafts(batch, charges)
    const billed = new Set(first.drafts.flatMap((d) => d.lines.flatMap((l) => l.chargeIds)))
    const again = buildInvoiceDrafts(batch, [...charges, charge('c3', 'g1', 'k1', 'meal', '2026-12-03', 600n)], { alreadyBilledChargeIds: billed })
    expect(again.drafts[0]!.lines.flatMap((l) => l.chargeIds)).toEqual(['c3'])
    expect(again.skipped.alreadyBilled).toBe(2)
  })
  it('bills two different charges of one line on the same date both', () => {
    const r = buildInvoiceDrafts(batch, [charge('c1', 'g1', 'k1', 'care', '2026-12-01', 300n), charge('c2', 'g1', 'k1', 'care', '2026-12-01', 300n)])
    expect(r.drafts[0]!.lines[0]!.quantity).toBe(2)
    expect(r.drafts[0]!.totalMinor).toBe(600n)
    expect(r.skipped.duplicate).toBe(0)
  })
  it('groups correctly a payer with many lines (20 children, two prices each)', () => {
    const charges: InvoiceChargeLine[] = []
    for (let k = 0; k < 20; k++) for (const [d, price] of [['2026-12-01', 415n], ['2026-12-02', 300n], ['2026-12-03', 415n]] as const) {
      charges.push(charge(`c${k}-${d}`, 'g1', `k${String(k).padStart(2, '0')}`, 'meal', d, price))
    }
    const [d] = buildInvoiceDrafts(batch, charges).drafts
    expect(d!.lines).toHaveLength(40)
    expect(d!.lines[0]).toMatchObject({ beneficiaryId: 'k00', unitPriceMinor: 300n, quantity: 1 })
    expect(d!.lines[1]).toMatchObject({ beneficiaryId: 'k00', unitPriceMinor: 415n, quantity: 2, dates: ['2026-12-01', '2026-12-03'] })
    expect(d!.totalMinor).toBe(20n * (415n * 2n + 300n))
  })
  it('bills a charge repeated in the input once', () => {
    const c = charge('c1', 'g1', 'k1', 'meal', '2026-12-01', 600n)
    const r = buildInvoiceDrafts(batch, [c, c])
    expect(r.drafts[0]!.totalMinor).toBe(600n)
    expect(r.skipped.duplicate).toBe(1)
  })
})

describe('buildInvoiceDrafts: charges held back under the minimum are billed by a later batch', () => {
  const january = defineInvoiceBatch({
    id: 'b-2027-01', siteId: 'site-1', billingOfficeId: 'regie', period: { from: '2027-01-01', to: '2027-01-31' },
    serviceIds: ['meal', 'care'], dueDate: '2027-02-15', portalDisplayDate: '2027-02-05', minimumAmount: '5.00',
  })
  // December: mum's 4.15 is under the 5.00 minimum, dad's 12.45 is billed
  const december = [charge('m-12-01', 'mum', 'lea', 'meal', '2026-12-01', 415n), ...['01', '02', '03'].map((d) => charge(`d-12-${d}`, 'dad', 'tom', 'meal', `2026-12-${d}` as LocalDate, 415n))]
  const janMeals = [charge('m-01-05', 'mum', 'lea', 'meal', '2027-01-05', 415n), charge('m-01-06', 'mum', 'lea', 'meal', '2027-01-06', 415n), charge('d-01-05', 'dad', 'tom', 'meal', '2027-01-05', 415n), charge('d-01-06', 'dad', 'tom', 'meal', '2027-01-06', 415n)]
  const dec = buildInvoiceDrafts(batch, december)
  const billedInDecember = new Set(dec.drafts.flatMap((d) => d.lines.flatMap((l) => l.chargeIds)))

  it('holds December\'s 4.15 back, saying from which day', () => {
    expect(dec.drafts.map((d) => d.debtorId)).toEqual(['dad'])
    expect(dec.belowMinimum).toEqual([{ debtorId: 'mum', totalMinor: 415n, chargeCount: 1, from: '2026-12-01' }])
  })
  it('bills the held-back December meal on January\'s invoice, with January\'s meals, and lists it as carried over', () => {
    const jan = buildInvoiceDrafts(january, [...december, ...janMeals], { alreadyBilledChargeIds: billedInDecember })
    const mum = jan.drafts.find((d) => d.debtorId === 'mum')!
    expect(mum.totalMinor).toBe(3n * 415n)
    expect(mum.lines).toHaveLength(1)
    expect(mum.lines[0]).toMatchObject({ quantity: 3, dates: ['2026-12-01', '2027-01-05', '2027-01-06'], from: '2026-12-01', to: '2027-01-06' })
    expect(jan.carriedOver).toEqual([{ debtorId: 'mum', chargeIds: ['m-12-01'], totalMinor: 415n, from: '2026-12-01' }])
    // dad's December meals were billed in December: skipped, never billed again
    expect(jan.drafts.find((d) => d.debtorId === 'dad')!.lines.flatMap((l) => l.chargeIds).sort()).toEqual(['d-01-05', 'd-01-06'])
    expect(jan.skipped).toEqual({ alreadyBilled: 3, outsideBatch: 0, prepaid: 0, duplicate: 0, billedToAnotherDebtor: 0 })
    // the invoice keeps the batch's period; its line says which days it bills
    expect([mum.periodFrom, mum.periodTo]).toEqual(['2027-01-01', '2027-01-31'])
  })
  it('bills every charge once over the two batches', () => {
    const jan = buildInvoiceDrafts(january, [...december, ...janMeals], { alreadyBilledChargeIds: billedInDecember })
    const billed = [...billedInDecember, ...jan.drafts.flatMap((d) => d.lines.flatMap((l) => l.chargeIds))]
    expect(billed.sort()).toEqual([...december, ...janMeals].map((c) => c.chargeId).sort())
  })
  it('holds carried charges back again while the total stays under the minimum, from the earliest one', () => {
    const jan = buildInvoiceDrafts(january, [december[0]!, charge('m-01-05', 'mum', 'lea', 'care', '2027-01-05', 50n)])
    expect(jan.drafts).toEqual([])
    expect(jan.carriedOver).toEqual([])
    expect(jan.belowMinimum).toEqual([{ debtorId: 'mum', totalMinor: 465n, chargeCount: 2, from: '2026-12-01' }])
  })
  it('carries only the batch\'s services, never prepaid charges, and leaves charges after the period for their own batch', () => {
    const r = buildInvoiceDrafts(january, [
      december[0]!, charge('s-12', 'mum', 'lea', 'study', '2026-12-02', 900n), charge('p-12', 'mum', 'lea', 'meal', '2026-12-03', 900n, { prepaid: true }),
      charge('f-02', 'mum', 'lea', 'meal', '2027-02-01', 900n), ...janMeals.slice(0, 2),
    ])
    expect(r.drafts[0]!.lines.flatMap((l) => l.chargeIds).sort()).toEqual(['m-01-05', 'm-01-06', 'm-12-01'])
    expect(r.skipped).toEqual({ alreadyBilled: 0, outsideBatch: 2, prepaid: 1, duplicate: 0, billedToAnotherDebtor: 0 })
  })
  it('carries nothing dated before carryOver.from, and nothing at all with carryOver: false', () => {
    const old = charge('m-09-03', 'mum', 'lea', 'meal', '2026-09-03', 415n)
    const limited = buildInvoiceDrafts(january, [old, december[0]!, ...janMeals.slice(0, 2)], { carryOver: { from: '2026-12-01' } })
    expect(limited.carriedOver).toEqual([{ debtorId: 'mum', chargeIds: ['m-12-01'], totalMinor: 415n, from: '2026-12-01' }])
    expect(limited.skipped.outsideBatch).toBe(1)
    const none = buildInvoiceDrafts(january, [old, december[0]!, ...janMeals.slice(0, 2)], { carryOver: false })
    expect(none.carriedOver).toEqual([])
    expect(none.drafts[0]!.totalMinor).toBe(830n)
    expect(none.skipped.outsideBatch).toBe(2)
    // a limit inside the period changes nothing of the period's own charges
    expect(buildInvoiceDrafts(january, janMeals, { carryOver: { from: '2027-01-20' } }).drafts.map((d) => d.totalMinor)).toEqual([830n, 830n])
  })
  it('refuses a carryOver limit that is not a day, naming it', () => {
    expect(refusal(() => buildInvoiceDrafts(january, janMeals, { carryOver: { from: '1/12/2026' } } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.carryOver.from'] })
    expect(refusal(() => buildInvoiceDrafts(january, janMeals, { carryOver: { form: '2026-12-01' } } as never)).message).toContain('did you mean `from`?')
    expect(refusal(() => buildInvoiceDrafts(january, janMeals, { carryOver: 'yes' } as never)).paths).toEqual(['options.carryOver'])
  })
})

describe('buildInvoiceDrafts: sums of minor units stay exact beyond the range of a float', () => {
  const big = 2n ** 60n
  it('bills a payer whose charges beyond 2^53 minor units cancel out to the exact cents (a float sum would round them)', () => {
    const { drafts } = buildInvoiceDrafts(batch, [
      charge('c1', 'g1', 'e1', 'meal', '2026-12-01', big),
      charge('c2', 'g1', 'e1', 'meal', '2026-12-02', big, { amountMinor: -big + 700n }),
      charge('c3', 'g1', 'e1', 'care', '2026-12-02', 123n),
    ])
    expect(drafts.map((d) => d.totalMinor)).toEqual([823n])
    expect(drafts[0]!.lines.map((l) => [l.serviceId, l.amountMinor])).toEqual([['care', 123n], ['meal', 700n]])
  })
  it('refuses a debtor whose charges really add up beyond 2^53 minor units, naming the debtor (AMOUNT_OUT_OF_RANGE)', () => {
    try {
      buildInvoiceDrafts(batch, [charge('c1', 'g1', 'e1', 'meal', '2026-12-01', big), charge('c2', 'g2', 'e2', 'meal', '2026-12-01', 800n)])
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code).toBe('AMOUNT_OUT_OF_RANGE')
      expect((e as Error).message).toContain('debtor g1')
    }
  })
})

describe('buildInvoiceDrafts: a misspelt option is refused, never read as absent', () => {
  const december = [charge('c1', 'g1', 'k1', 'meal', '2026-12-01', 600n), charge('c2', 'g1', 'k1', 'meal', '2026-12-03', 600n)]
  it('bills no charge already billed when alreadyBilledChargeIds is given', () => {
    expect(buildInvoiceDrafts(batch, december, { alreadyBilledChargeIds: new Set(['c1']) }).drafts[0]!.totalMinor).toBe(600n)
  })
  it('refuses a misspelt alreadyBilledChargeIds, naming it and the right key, rather than billing the charge again', () => {
    const r = refusal(() => buildInvoiceDrafts(batch, december, { alreadyBilledChargeIDs: new Set(['c1']) } as never))
    expect(r.code).toBe('INVALID_INPUT')
    expect(r.paths).toEqual(['options.alreadyBilledChargeIDs'])
    expect(r.message).toContain('did you mean `alreadyBilledChargeIds`?')
  })
  it('refuses a misspelt openBalances, naming it, rather than printing no earlier balance', () => {
    const r = refusal(() => buildInvoiceDrafts(batch, december, { openBalance: new Map([['g1', 1000n]]) } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.openBalance'] })
    expect(r.message).toContain('did you mean `openBalances`?')
  })
  it('refuses an option of the wrong kind, naming it: trustUniqueChargeIds "yes", billed ids as an array, balances as a plain object', () => {
    expect(refusal(() => buildInvoiceDrafts(batch, december, { trustUniqueChargeIds: 'yes' } as never)).paths).toEqual(['options.trustUniqueChargeIds'])
    expect(refusal(() => buildInvoiceDrafts(batch, december, { alreadyBilledChargeIds: ['c1'] } as never)).paths).toEqual(['options.alreadyBilledChargeIds'])
    expect(refusal(() => buildInvoiceDrafts(batch, december, { alreadyBilledChargeIds: { c1: true } } as never)).paths).toEqual(['options.alreadyBilledChargeIds'])
    expect(refusal(() => buildInvoiceDrafts(batch, december, { openBalances: { g1: 1000n } } as never)).paths).toEqual(['options.openBalances'])
  })
  it('refuses options that are not an object', () => {
    expect(refusal(() => buildInvoiceDrafts(batch, december, 'trustUniqueChargeIds' as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options'] })
  })
})

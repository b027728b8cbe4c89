import { parseCamt053, parseCamt054, testCamt053, type BankStatement, type TestCamtEntry } from '@ecole/bank'
import type { InvoiceChargeLine, LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { createInvoiceBatch, importBankStatement, validateDrafts, type BillingDeps } from './index'

const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const IBAN = 'FR7630006000011234567890189'
const PAYERS = ['g1', 'g2'] as const

/**
 * One booking of the day: who pays, how much, and whether the bank keys it (`always`), never
 * (`never`), or in the day's statement only (`statementOnly`: the notification has no AcctSvcrRef).
 * Two `never` bookings of one payer and amount are identical.
 */
interface Booking { payer: typeof PAYERS[number]; cents: bigint; key: 'always' | 'never' | 'statementOnly' }

const bookingArb = fc.record({ payer: fc.constantFrom(...PAYERS), cents: fc.constantFrom(5000n, 2000n), key: fc.constantFrom<Booking['key']>('always', 'never', 'statementOnly') })

/**
 * `bookings` as camt entries, each with its bank reference `B<i>` where the delivery keeps it. A
 * booking keyed in the statement only is told from the others by its amount (`30.0<i>`): with
 * several alike, which one a notification without keys held cannot be told (a documented limit).
 */
function entries(bookings: ReadonlyArray<[Booking, number]>, references: Map<string, string>, statement: boolean): TestCamtEntry[] {
  return bookings.map(([b, i]) => ({
    ref: b.key === 'always' || (b.key === 'statementOnly' && statement) ? `B${i}` : '', cents: b.key === 'statementOnly' ? 3000n + BigInt(i) : b.cents, credit: true, date: '2027-01-16',
    structured: { reference: references.get(b.payer)!, issuer: 'ISO' },
  }))
}
const withoutEmptyRefs = (xml: string) => xml.replace(/<AcctSvcrRef><\/AcctSvcrRef>/g, '')
const statement053 = (id: string, list: TestCamtEntry[]): BankStatement[] => parseCamt053(withoutEmptyRefs(testCamt053(IBAN, list)).replace('<Id>STMT-1</Id>', `<Id>${id}</Id>`))
const notification054 = (id: string, list: TestCamtEntry[]): BankStatement[] =>
  parseCamt054(withoutEmptyRefs(testCamt053(IBAN, list)).replaceAll('BkToCstmrStmt', 'BkToCstmrDbtCdtNtfctn').replace('<Stmt>', '<Ntfctn>').replace('</Stmt>', '</Ntfctn>')
    .replace(/<Bal>.*?<\/Bal>/g, '').replace('<Id>STMT-1</Id>', `<Id>${id}</Id>`))

describe('importBankStatement records each booking of the day once (property), on storage-memory', () => {
  test.prop([
    fc.array(bookingArb, { minLength: 1, maxLength: 6 }),
    fc.array(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), { maxLength: 3 }),
    fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    fc.boolean(),
  ], { numRuns: 40 })(
    'for any bookings, notified in any subsets, then all in the day\'s statement (and that statement again under a new id), imported in any grouping, each booking is paid once: as many payments as bookings, each payer\'s total paid',
    async (bookings, notified, cuts, resend) => {
      const storage = createMemoryStorage()
      const deps: BillingDeps = { storage, clock }
      const siteId = 'keys-prop'
      const charges: InvoiceChargeLine[] = PAYERS.map((payerId, p) => ({
        chargeId: `${payerId}|meal`, debtorId: payerId, beneficiaryId: `k${p}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 5000n, amountMinor: 5000n,
      }))
      await createInvoiceBatch(deps, { batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
      const invoices = await validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
      const references = new Map(invoices.map((i) => [i.debtorId, i.paymentReference!]))
      const numbered = bookings.map((b, i): [Booking, number] => [b, i])
      // the deliveries in the order the bank sends them: the notifications, the day's statement, maybe the statement again
      const deliveries: BankStatement[][] = notified
        .map((picked) => numbered.filter((_, i) => picked[i]))
        .filter((list) => list.length > 0)
        .map((list, n) => notification054(`NTF-${n}`, entries(list, references, false)))
      deliveries.push(statement053('STMT-0116', entries(numbered, references, true)))
      if (resend) deliveries.push(statement053('STMT-0116-BIS', entries(numbered, references, true)))
      // grouped into imports: a cut after delivery k starts a new import
      let group: BankStatement[] = []
      for (const [k, d] of deliveries.entries()) {
        group.push(...d)
        if (cuts[k] || k === deliveries.length - 1) {
          await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: group })
          group = []
        }
      }
      const paid = (await storage.payments!.listPayments(siteId, {}, { limit: 100 })).items
      expect(paid).toHaveLength(bookings.length)
      for (const payer of PAYERS) {
        const owed = numbered.filter(([b]) => b.payer === payer).reduce((s, [b, i]) => s + (b.key === 'statementOnly' ? 3000n + BigInt(i) : b.cents), 0n)
        expect([payer, paid.filter((p) => p.payerId === payer).reduce((s, p) => s + p.amountMinor, 0n)]).toEqual([payer, owed])
      }
    },
  )
})

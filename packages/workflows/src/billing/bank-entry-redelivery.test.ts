import { parseCamt053, parseCamt054, testCamt053, type BankStatement, type TestCamtEntry } from '@ecole/bank'
import { isEcoleError, type Invoice, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { describe, expect, it } from 'vitest'
import { storageForFile } from '../test-support/storage-for-file'
import { createInvoiceBatch, importBankStatement, validateDrafts, type BillingDeps } from './index'
import { redeliveryDifferences, type BankEntryData } from './bank-entry-redelivery'

// A booking the bank keyed (AcctSvcrRef), delivered again (a camt.054 notification, then the day's
// camt.053): the same movement when the money facts agree, however the bank spells the payer's name
// or words the remittance this time; another movement under the same key when a money fact differs.
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
let sites = 0
const IBAN = 'BE68539007547034'
const key = (ref: string) => `${IBAN}|${ref}`

/** A site whose office `regie` has one validated EUR invoice of 50.00 per payer g1, g2, g3. */
async function site(storage: StoragePorts) {
  const deps: BillingDeps = { storage, clock }
  const siteId = `redelivery-${process.pid}-${++sites}`
  const charges: InvoiceChargeLine[] = ['g1', 'g2', 'g3'].map((payerId, p) => ({
    chargeId: `${payerId}|meal`, debtorId: payerId, beneficiaryId: `k${p}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 5000n, amountMinor: 5000n,
  }))
  await createInvoiceBatch(deps, { batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
  const invoices = await validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04', paymentReferences: { scheme: 'ogm', siteCode: '042' } })
  const of = (debtor: string): Invoice => invoices.find((i) => i.debtorId === debtor)!
  const imports = (statements: BankStatement[]) => importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
  /** Each recorded payment as [payer, amount, the invoices it paid], by payer then amount. */
  const payments = async () =>
    (await storage.payments!.listPayments(siteId, {}, { limit: 100 })).items
      .map((p) => [p.payerId, p.amountMinor, p.allocations.map((a) => a.invoiceId)] as const)
      .sort((a, b) => (a.join() < b.join() ? -1 : a.join() > b.join() ? 1 : 0))
  const storedEntries = async () => (await storage.bankImports!.listBankEntries(siteId, {})).items
  return { siteId, of, imports, payments, storedEntries }
}

/** A credit of `cents` on `date` from `name`, keyed by the bank `ref`, naming `invoice`'s structured reference. */
const credit = (ref: string, invoice: Invoice, name: string, cents = 5000n, date = '2027-01-16'): TestCamtEntry => ({
  ref, cents, credit: true, date, debtorName: name, structured: { reference: invoice.paymentReference!, issuer: 'BBA' },
})
const withoutServicerRef = (xml: string) => xml.replace(/<AcctSvcrRef>[^<]*<\/AcctSvcrRef>/g, '')
/** The day's camt.053 statement `id` of `entries`. */
const statement053 = (id: string, entries: TestCamtEntry[]) => parseCamt053(testCamt053(IBAN, entries).replace('<Id>STMT-1</Id>', `<Id>${id}</Id>`))
/** A camt.054 notification `id` of `entries` (no balances), without the bank's references unless `keep`. */
const notification054 = (id: string, entries: TestCamtEntry[], { keep = true } = {}) => {
  const xml = testCamt053(IBAN, entries).replaceAll('BkToCstmrStmt', 'BkToCstmrDbtCdtNtfctn').replace('<Stmt>', '<Ntfctn>').replace('</Stmt>', '</Ntfctn>')
    .replace(/<Bal>.*?<\/Bal>/g, '').replace('<Id>STMT-1</Id>', `<Id>${id}</Id>`)
  return parseCamt054(keep ? xml : withoutServicerRef(xml))
}
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (isEcoleError(e, 'IDEMPOTENCY_CONFLICT') ? { code: e.code, details: e.details } : e))

describe('redeliveryDifferences', () => {
  const first: BankEntryData = {
    accountIban: IBAN, bookingDate: '2027-01-16', amountMinor: 5000n, currency: 'EUR', direction: 'credit', counterpartyName: 'Hélène Dupré', remittance: '+++042/1000/00149+++',
  }
  it('counts the account, amount, currency, direction and booking date as money facts, each named when it differs', () => {
    const changed: Array<[Partial<BankEntryData>, string]> = [
      [{ accountIban: 'FR7630006000011234567890189' }, 'accountIban'], [{ amountMinor: 4999n }, 'amountMinor'], [{ currency: 'CHF' }, 'currency'],
      [{ direction: 'debit' }, 'direction'], [{ bookingDate: '2027-01-17' }, 'bookingDate'],
    ]
    for (const [change, field] of changed) expect(redeliveryDifferences(first, { ...first, ...change })).toEqual({ moneyFacts: [field], details: [] })
  })
  it('counts the counterparty name and the remittance as descriptive details, never as money facts', () => {
    expect(redeliveryDifferences(first, { ...first, counterpartyName: 'HELENE DUPRE', remittance: null })).toEqual({ moneyFacts: [], details: ['counterpartyName', 'remittance'] })
  })
  it('counts a stored field it does not know as a money fact (a conflict until someone names it descriptive)', () => {
    expect(redeliveryDifferences(first, { ...first, ...{ valueDate: '2027-01-18' } } as BankEntryData)).toEqual({ moneyFacts: ['valueDate'], details: [] })
  })
})

function onStorage(name: string, create: () => Promise<StoragePorts>) {
  describe(`importBankStatement takes a bank-keyed entry delivered again as the same movement when its money facts agree, on ${name}`, () => {
    const open = storageForFile(create)

    it('posts the other families\' payments of the day\'s camt.053 when it spells the payer of an already notified credit otherwise, pays that credit once and reports the name it spells', async () => {
      const { of, imports, payments, storedEntries } = await site(await open())
      const notified = await imports(notification054('NTF-1', [credit('2027011600042', of('g1'), 'Hélène Dupré')]))
      expect(notified.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[key('2027011600042'), 'invoicePayment']])
      const day = await imports(statement053('STMT-0116', [
        credit('2027011600042', of('g1'), 'HELENE DUPRE'), credit('2027011600043', of('g2'), 'MARTIN PAUL'), credit('2027011600044', of('g3'), 'ROSSI'),
      ]))
      expect(day.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[key('2027011600043'), 'invoicePayment'], [key('2027011600044'), 'invoicePayment']])
      expect(day.duplicates).toEqual([key('2027011600042')])
      expect(day.duplicateDifferences).toEqual([{
        entryReference: key('2027011600042'), fields: ['counterpartyName'],
        first: { counterpartyName: 'Hélène Dupré', remittance: of('g1').paymentReference },
        again: { counterpartyName: 'HELENE DUPRE', remittance: of('g1').paymentReference },
        outcome: notified.imported[0]!.outcome,
      }])
      expect(await payments()).toEqual([['g1', 5000n, [of('g1').id]], ['g2', 5000n, [of('g2').id]], ['g3', 5000n, [of('g3').id]]])
      // what the notification stored is kept as it was
      expect((await storedEntries()).find((e) => e.entryReference === key('2027011600042'))?.counterpartyName).toBe('Hélène Dupré')
    })

    it('re-allocates nothing when the day\'s statement names another invoice\'s structured reference for a credit already posted, and reports the remittance it gives', async () => {
      const { of, imports, payments } = await site(await open())
      const notified = await imports(notification054('NTF-1', [credit('BQ-7', of('g1'), 'Dupré')]))
      const day = await imports(statement053('STMT-0116', [{ ...credit('BQ-7', of('g1'), 'Dupré'), structured: { reference: of('g2').paymentReference!, issuer: 'BBA' } }]))
      expect([day.imported, day.payments, day.duplicates]).toEqual([[], [], [key('BQ-7')]])
      expect(day.duplicateDifferences).toEqual([{
        entryReference: key('BQ-7'), fields: ['remittance'],
        first: { counterpartyName: 'Dupré', remittance: of('g1').paymentReference }, again: { counterpartyName: 'Dupré', remittance: of('g2').paymentReference },
        outcome: { kind: 'invoicePayment', paymentId: `bank:${key('BQ-7')}`, invoiceId: of('g1').id },
      }])
      expect(notified.imported[0]!.outcome).toEqual({ kind: 'invoicePayment', paymentId: `bank:${key('BQ-7')}`, invoiceId: of('g1').id })
      // g1's invoice stays paid by the notified credit, g2's stays open
      expect(await payments()).toEqual([['g1', 5000n, [of('g1').id]]])
    })

    it('reports nothing beside the duplicate when the statement repeats the notification word for word', async () => {
      const { of, imports, payments } = await site(await open())
      await imports(notification054('NTF-1', [credit('BQ-1', of('g1'), 'Dupré')]))
      const day = await imports(statement053('STMT-1', [credit('BQ-1', of('g1'), 'Dupré')]))
      expect([day.imported, day.duplicates, 'duplicateDifferences' in day]).toEqual([[], [key('BQ-1')], false])
      expect(await payments()).toEqual([['g1', 5000n, [of('g1').id]]])
    })

    it('refuses the whole statement (IDEMPOTENCY_CONFLICT naming the money facts only) when a bank-keyed entry comes again with another amount or booking date, posting none of its payments', async () => {
      const { of, imports, payments, storedEntries } = await site(await open())
      await imports(notification054('NTF-1', [credit('BQ-9', of('g1'), 'Hélène Dupré')]))
      const others = [credit('BQ-10', of('g2'), 'MARTIN PAUL'), credit('BQ-11', of('g3'), 'ROSSI')]
      expect(await refusal(imports(statement053('STMT-A', [credit('BQ-9', of('g1'), 'HELENE DUPRE', 4000n), ...others])))).toEqual({
        code: 'IDEMPOTENCY_CONFLICT', details: { kind: 'bank entry', id: key('BQ-9'), fields: ['amountMinor'] },
      })
      expect(await refusal(imports(statement053('STMT-B', [credit('BQ-9', of('g1'), 'HELENE DUPRE', 4000n, '2027-01-17'), ...others])))).toEqual({
        code: 'IDEMPOTENCY_CONFLICT', details: { kind: 'bank entry', id: key('BQ-9'), fields: ['amountMinor', 'bookingDate'] },
      })
      expect(await payments()).toEqual([['g1', 5000n, [of('g1').id]]])
      expect((await storedEntries()).map((e) => [e.entryReference, e.amountMinor, e.counterpartyName])).toEqual([[key('BQ-9'), 5000n, 'Hélène Dupré']])
    })

    it('reports the name the day\'s statement spells for a credit notified without the bank\'s reference, imported apart or in one call', async () => {
      const { of, imports, payments } = await site(await open())
      const notification = notification054('NTF-1', [credit('BQ-20', of('g1'), 'Hélène Dupré')], { keep: false })
      const notified = await imports(notification)
      const day = await imports(statement053('STMT-1', [credit('BQ-20', of('g1'), 'HELENE DUPRE')]))
      const contentKey = notified.imported[0]!.entryReference
      expect([day.imported, day.duplicates]).toEqual([[], [contentKey]])
      expect(day.duplicateDifferences?.map((d) => [d.entryReference, d.fields, d.first.counterpartyName, d.again.counterpartyName, d.outcome.kind])).toEqual([
        [contentKey, ['counterpartyName'], 'Hélène Dupré', 'HELENE DUPRE', 'invoicePayment'],
      ])
      const together = await imports([
        ...notification054('NTF-2', [credit('BQ-21', of('g2'), 'Hélène Dupré')], { keep: false }), ...statement053('STMT-2', [credit('BQ-21', of('g2'), 'HELENE DUPRE')]),
      ])
      expect(together.imported.map((l) => l.outcome.kind)).toEqual(['invoicePayment'])
      expect(together.duplicateDifferences?.map((d) => [d.entryReference, d.fields, d.first.counterpartyName, d.again.counterpartyName, d.outcome])).toEqual([
        [key('BQ-21'), ['counterpartyName'], 'Hélène Dupré', 'HELENE DUPRE', together.imported[0]!.outcome],
      ])
      expect(await payments()).toEqual([['g1', 5000n, [of('g1').id]], ['g2', 5000n, [of('g2').id]]])
    })
  })
}

onStorage('storage-memory', async () => createMemoryStorage())
onStorage('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) onStorage('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url, poolSize: 4 }))
else console.log('[ecole] ECOLE_PG_URL is not set: bank entries delivered again on a PostgreSQL server are skipped')

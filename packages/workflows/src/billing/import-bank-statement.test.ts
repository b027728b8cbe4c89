import { parseCamt053, testCamt053, type TestCamtEntry } from '@ecole/bank'
import { walletAccountId, type Invoice, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { storageForFile } from '../test-support/storage-for-file'
import { afterAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, importBankStatement, previewBankStatement, validateDrafts, type BillingDeps } from './index'

// What a bank statement import does with entries whose key, amount or currency is doubtful: every
// entry the bank sent is kept (imported, or kept for review), none is dropped or written over another.
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
let sites = 0
const IBAN = 'FR7630006000011234567890189'
const WALLET_REF = 'RF18539007547034'
const US = 'US64SVBKUS6S3300958879'
const CH = 'CH9300762011623852957'
/** The key an entry with a bank reference is imported under: its account and the reference. */
const k = (ref: string, iban = IBAN) => `${iban}|${ref}`
/** The key of a credit without bank reference: its account, date, direction, amount, a hash of what else it says, and its occurrence. */
const byContent = (date: string, amount: string, n = 1, prefix = '', iban = IBAN) =>
  expect.stringMatching(new RegExp(`^${prefix}${iban}\\|${date}/CRDT/${amount.replace('.', '\\.')}EUR/[0-9a-f]{16}/${n}$`))

/** A site whose office `regie` has one validated EUR invoice of 50.00 per payer g1, g2, g3. */
async function site(storage: StoragePorts) {
  const deps: BillingDeps = { storage, clock }
  const siteId = `import-${process.pid}-${++sites}`
  const charges: InvoiceChargeLine[] = ['g1', 'g2', 'g3'].map((payerId, p) => ({
    chargeId: `${payerId}|meal`, debtorId: payerId, beneficiaryId: `k${p}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 5000n, amountMinor: 5000n,
  }))
  await createInvoiceBatch(deps, { batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
  const invoices = await validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
  const of = (debtor: string): Invoice => invoices.find((i) => i.debtorId === debtor)!
  return { deps, storage, siteId, of }
}

const pays = (ref: string, invoice: Invoice, cents: bigint, date = '2027-01-16'): TestCamtEntry => ({ ref, cents, credit: true, date, structured: { reference: invoice.paymentReference!, issuer: 'ISO' } })
const withoutServicerRef = (xml: string) => xml.replace(/<AcctSvcrRef>[^<]*<\/AcctSvcrRef>/g, '')
const statementOf = (xml: string, id: string) => xml.replace('<Id>STMT-1</Id>', `<Id>${id}</Id>`)
const inUsd = (xml: string) => xml.replaceAll('Ccy="EUR"', 'Ccy="USD"').replace('<Ccy>EUR</Ccy>', '<Ccy>USD</Ccy>')
const lines = (report: { imported: Array<{ entryReference: string; outcome: { kind: string } }> }) => report.imported.map((l) => [l.entryReference, l.outcome.kind])

async function paymentsOf(storage: StoragePorts, siteId: string): Promise<Array<[string, bigint]>> {
  return (await storage.payments!.listPayments(siteId, {}, { limit: 100 })).items.map((p): [string, bigint] => [p.id, p.amountMinor]).sort(([a], [b]) => (a < b ? -1 : 1))
}

function onStorage(name: string, create: () => Promise<StoragePorts>) {
  describe(`importBankStatement, the key and the amount of each entry, on ${name}`, () => {
    // opened before the tests (PGlite takes seconds to start, more than a test's time on a busy machine)
    const open = storageForFile(create)
    it('imports the entries "1" of two daily statements of one file (no AcctSvcrRef) as two payments, once however often the file comes, and the next day\'s entry "1" too', async () => {
      const { deps, storage, siteId, of } = await site(await open())
      const day1 = withoutServicerRef(testCamt053(IBAN, [pays('x', of('g1'), 5000n, '2027-01-16')]))
      const day2 = statementOf(withoutServicerRef(testCamt053(IBAN, [pays('x', of('g2'), 4000n, '2027-01-17')])), 'STMT-2')
      const file = day1.replace('</Stmt>', '</Stmt>' + day2.slice(day2.indexOf('<Stmt>'), day2.indexOf('</Stmt>') + 7))
      const first = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(file) })
      expect(lines(first)).toEqual([[byContent('2027-01-16', '50.00'), 'invoicePayment'], [byContent('2027-01-17', '40.00'), 'invoicePayment']])
      expect(await paymentsOf(storage, siteId)).toEqual([[byContent('2027-01-16', '50.00', 1, 'bank:'), 5000n], [byContent('2027-01-17', '40.00', 1, 'bank:'), 4000n]])
      const again = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(file) })
      expect([again.imported, again.duplicates]).toEqual([[], [byContent('2027-01-16', '50.00'), byContent('2027-01-17', '40.00')]])
      const day3 = statementOf(withoutServicerRef(testCamt053(IBAN, [pays('x', of('g3'), 2500n, '2027-01-18')])), 'STMT-3')
      const next = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(day3) })
      expect(lines(next)).toEqual([[byContent('2027-01-18', '25.00'), 'invoicePayment']])
      expect((await paymentsOf(storage, siteId)).map(([, minor]) => minor)).toEqual([5000n, 4000n, 2500n])
    })

    it('keeps an entry whose bank reference an earlier entry of the import has for review under its own key, never dropping it, and finds both imported the next time', async () => {
      const { deps, storage, siteId, of } = await site(await open())
      const statements = parseCamt053(testCamt053(IBAN, [pays('SAME', of('g1'), 1000n), pays('SAME', of('g2'), 5000n)]))
      const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
      expect(lines(report)).toEqual([[k('SAME'), 'invoicePayment'], [k('SAME~2'), 'review']])
      expect(report.imported[1]!.outcome).toEqual({ kind: 'review', reason: 'AMBIGUOUS', candidates: [], rule: 'REFERENCE_REPEATED' })
      expect(report.imported[1]!.amountMinor).toBe(5000n)
      expect(await paymentsOf(storage, siteId)).toEqual([[`bank:${k('SAME')}`, 1000n]])
      const again = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
      expect([again.imported, again.duplicates]).toEqual([[], [k('SAME'), k('SAME~2')]])
    })

    it('records each entry of a file with a repeated reference once when two imports of it run at once: one posts or keeps it for review, the other finds it imported', async () => {
      const { deps, storage, siteId, of } = await site(await open())
      const statements = parseCamt053(testCamt053(IBAN, [pays('SAME', of('g1'), 1000n), pays('SAME', of('g2'), 5000n), pays('OTHER', of('g3'), 5000n)]))
      const reports = await Promise.all([0, 1].map(() => importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })))
      expect(reports.map((r) => r.imported.map((l) => l.entryReference).sort()).sort()).toEqual([[], [k('OTHER'), k('SAME'), k('SAME~2')]])
      expect(reports.map((r) => r.duplicates.length).sort()).toEqual([0, 3])
      expect(await paymentsOf(storage, siteId)).toEqual([[`bank:${k('OTHER')}`, 5000n], [`bank:${k('SAME')}`, 1000n]])
    })

    it('keeps a zero-amount credit naming an invoice for review and imports the other entries of its statement', async () => {
      const { deps, storage, siteId, of } = await site(await open())
      const statements = parseCamt053(testCamt053(IBAN, [pays('OK1', of('g1'), 5000n), pays('ZERO', of('g2'), 0n), pays('OK2', of('g3'), 5000n)]))
      const preview = await previewBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
      expect(preview.lines.map((l) => [l.entryReference, l.proposal.kind])).toEqual([[k('OK1'), 'invoicePayment'], [k('ZERO'), 'review'], [k('OK2'), 'invoicePayment']])
      const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
      expect(lines(report)).toEqual([[k('OK1'), 'invoicePayment'], [k('ZERO'), 'review'], [k('OK2'), 'invoicePayment']])
      expect(report.imported[1]!.outcome).toEqual({ kind: 'review', reason: 'AMBIGUOUS', candidates: [`invoice:${of('g2').id}`], rule: 'ZERO_AMOUNT' })
      expect(await paymentsOf(storage, siteId)).toEqual([[`bank:${k('OK1')}`, 5000n], [`bank:${k('OK2')}`, 5000n]])
    })

    it('keeps one transfer naming invoices of two debtors for review (SEVERAL_DEBTORS), paying neither nor crediting a wallet, and still lets one transfer pay two invoices of one debtor', async () => {
      const { deps, storage, siteId, of } = await site(await open())
      const charge: InvoiceChargeLine = { chargeId: 'g1|jan', debtorId: 'g1', beneficiaryId: 'k0', serviceId: 'meal', date: '2027-01-02' as LocalDate, quantity: 1, unitPriceMinor: 3000n, amountMinor: 3000n }
      await createInvoiceBatch(deps, { batch: { id: 'jan', siteId, billingOfficeId: 'regie', period: { from: '2027-01-01', to: '2027-01-31' }, serviceIds: ['meal'], dueDate: '2027-02-15', portalDisplayDate: '2027-02-05' }, charges: [charge] })
      const [jan] = await validateDrafts(deps, { siteId, batchId: 'jan', issueDate: '2027-01-05', paymentReferences: { scheme: 'rf', siteCode: '042' } })
      const text = (ref: string, cents: bigint, invoices: Invoice[]): TestCamtEntry => ({ ref, cents, credit: true, date: '2027-01-16', text: `factures ${invoices.map((i) => i.paymentReference).join(' et ')}` })
      const statements = parseCamt053(testCamt053(IBAN, [text('TWO', 10000n, [of('g2'), of('g3')]), text('ONE', 8000n, [of('g1'), jan!])]))
      const preview = await previewBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
      expect(preview.lines.map((l) => [l.entryReference, l.proposal.kind])).toEqual([[k('TWO'), 'review'], [k('ONE'), 'invoicePayment']])
      const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
      expect(lines(report)).toEqual([[k('TWO'), 'review'], [k('ONE'), 'invoicePayment']])
      expect(report.imported[0]!.outcome).toEqual({ kind: 'review', reason: 'AMBIGUOUS', candidates: [`invoice:${of('g2').id}`, `invoice:${of('g3').id}`], rule: 'SEVERAL_DEBTORS' })
      expect(report.payments.map((p) => [p.payerId, p.amountMinor, p.allocations.map((a) => [a.invoiceId, a.amountMinor]), p.walletCreditMinor])).toEqual([
        ['g1', 8000n, [[of('g1').id, 5000n], [jan!.id, 3000n]], 0n],
      ])
      expect(await paymentsOf(storage, siteId)).toEqual([[`bank:${k('ONE')}`, 8000n]])
      const wallets = await storage.ledger!.getBalances(siteId, ['g1', 'g2', 'g3'].map((g) => walletAccountId(g, 'regie')))
      expect(wallets.map((b) => b.posted).filter((m) => m !== 0n)).toEqual([])
    })

    it('keeps a reversal booked with the original credit indicator (CRDT + RvslInd) for review (REVERSAL), never as a new payment nor a wallet credit', async () => {
      const { deps, storage, siteId, of } = await site(await open())
      const day1 = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(testCamt053(IBAN, [pays('P-1', of('g1'), 5000n)])) })
      expect(lines(day1)).toEqual([[k('P-1'), 'invoicePayment']])
      const day2 = parseCamt053(statementOf(testCamt053(IBAN, [pays('R-1', of('g1'), 5000n, '2027-01-18')]), 'STMT-2').replace('<Sts>', '<RvslInd>true</RvslInd><Sts>'))
      expect(day2[0]!.entries.map((e) => [e.creditDebit, e.reversal])).toEqual([['credit', true]])
      const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: day2 })
      expect(report.held).toEqual([])
      expect(lines(report)).toEqual([[k('R-1'), 'review']])
      expect(report.imported[0]!.outcome).toMatchObject({ kind: 'review', reason: 'AMBIGUOUS', candidates: [`invoice:${of('g1').id}`], rule: 'REVERSAL' })
      expect(report.payments).toEqual([])
      expect(await paymentsOf(storage, siteId)).toEqual([[`bank:${k('P-1')}`, 5000n]])
      const [wallet] = await storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')])
      expect(wallet?.posted ?? 0n).toBe(0n)
    })

    it('keeps a top-up in another currency than the office\'s for review, opening no wallet in it, and tops up in the office\'s currency afterwards', async () => {
      const { deps, storage, siteId } = await site(await open())
      const wallets = [{ payerId: 'g3', reference: WALLET_REF }]
      const topUp = (ref: string, cents: bigint): TestCamtEntry => ({ ref, cents, credit: true, date: '2027-01-16', structured: { reference: WALLET_REF, issuer: 'ISO' } })
      const usd = parseCamt053(inUsd(testCamt053('US64SVBKUS6S3300958879', [topUp('U1', 2500n)])))
      const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: usd, wallets })
      expect(report.imported.map((l) => [l.entryReference, l.outcome])).toEqual([[k('U1', US), { kind: 'review', reason: 'AMBIGUOUS', candidates: ['wallet:g3'], rule: 'CURRENCY_MISMATCH' }]])
      expect(report.payments).toEqual([])
      expect(await storage.ledger!.getBalances(siteId, [walletAccountId('g3', 'regie')])).toEqual([])
      const eur = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(testCamt053(IBAN, [topUp('E1', 3000n)])), wallets })
      expect(lines(eur)).toEqual([[k('E1'), 'walletTopUp']])
      const [wallet] = await storage.ledger!.getBalances(siteId, [walletAccountId('g3', 'regie')])
      expect([wallet?.currency, wallet?.posted]).toEqual(['EUR', 3000n])
      // and once the wallet is open in EUR, a USD top-up is kept for review again instead of refusing the statement
      const later = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(inUsd(testCamt053('US64SVBKUS6S3300958879', [topUp('U2', 2500n)]))), wallets })
      expect(lines(later)).toEqual([[k('U2', US), 'review']])
    })

    it('opens each wallet in its own office\'s currency when one import tops up wallets of offices kept in EUR and in CHF', async () => {
      const { deps, storage, siteId } = await site(await open())
      const charge: InvoiceChargeLine = { chargeId: 'g2|creche', debtorId: 'g2', beneficiaryId: 'k1', serviceId: 'creche', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 9000n, amountMinor: 9000n }
      await createInvoiceBatch(deps, { batch: { id: 'chf', siteId, billingOfficeId: 'geneve', currency: 'CHF', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['creche'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges: [charge] })
      await validateDrafts(deps, { siteId, batchId: 'chf', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '043' } })
      const topUp = (ref: string, reference: string, cents: bigint): TestCamtEntry => ({ ref, cents, credit: true, date: '2027-01-16', structured: { reference, issuer: 'ISO' } })
      const eur = parseCamt053(testCamt053(IBAN, [topUp('E1', WALLET_REF, 3000n)]))
      const chf = parseCamt053(testCamt053('CH9300762011623852957', [topUp('C1', 'RF7111AA', 4000n)]).replaceAll('Ccy="EUR"', 'Ccy="CHF"').replace('<Ccy>EUR</Ccy>', '<Ccy>CHF</Ccy>'))
      const report = await importBankStatement(deps, {
        siteId, billingOfficeId: ['regie', 'geneve'], statements: [...eur, ...chf],
        wallets: [{ payerId: 'g1', reference: WALLET_REF, billingOfficeId: 'regie' }, { payerId: 'g2', reference: 'RF7111AA', billingOfficeId: 'geneve' }],
      })
      expect(lines(report)).toEqual([[k('E1'), 'walletTopUp'], [k('C1', CH), 'walletTopUp']])
      const balances = await storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie'), walletAccountId('g2', 'geneve')])
      expect(balances.map((b) => [b.currency, b.posted])).toEqual([['EUR', 3000n], ['CHF', 4000n]])
    })
  })
}

onStorage('storage-memory', async () => createMemoryStorage())
const url = process.env['ECOLE_PG_URL']
if (url) onStorage('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url, poolSize: 4 }))

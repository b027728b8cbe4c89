import { shown } from '../test-support/entries'
import { describe, expect, it } from 'vitest'
import { parseCamt054 } from '../camt/parse-camt-054'
import { reconcile } from '../reconcile/reconcile'
import { sampleBatch } from '../test-support/batches'
import { camt054Returning, pain002Rejecting, type ReturnedDebit } from '../test-support/returns'
import { hasSharedData, xsdProblems } from '../test-support/shared-data'
import { buildPain008 } from './build-pain-008'
import { parsePain002 } from './parse-pain-002'

// The debits of sampleBatch() that come back, as the bank would describe them (values copied from the batch by hand).
const returned: ReturnedDebit[] = [
  { endToEndId: 'INV-2026-0001', amount: '42.50', mandateId: 'RUM-0001', debtorName: 'Helene Dupre-OEuvray', debtorIban: 'BE71096123456769', reason: 'AM04', collectionDate: '2026-12-05' },
  { endToEndId: 'INV-2026-0003', amount: '100.00', mandateId: 'RUM-0003', debtorName: 'Francois Lefevre', debtorIban: 'FR1420041010050500013M02606', reason: 'MD06', collectionDate: '2026-12-05' },
]

describe('a direct-debit batch and its returns', () => {
  const xml = buildPain008(sampleBatch())
  const pmtInfId = /<PmtInfId>([^<]+)<\/PmtInfId><PmtMtd>DD<\/PmtMtd><NbOfTxs>2</.exec(xml)![1]!

  it.runIf(hasSharedData)('builds return files that the official schemas accept (so the test files are real ones)', () => {
    expect(xsdProblems(pain002Rejecting('ECOLE-2026-11-001', pmtInfId, returned), 'pain.002.001.10')).toEqual([])
    expect(xsdProblems(camt054Returning('BE68539007547034', returned), 'camt.054.001.08')).toEqual([])
  })

  it('reads back the rejections of the batch from a pain.002, by our end-to-end ids, with their reason codes', () => {
    const report = parsePain002(pain002Rejecting('ECOLE-2026-11-001', pmtInfId, returned))
    expect(report.originalMessageId).toBe('ECOLE-2026-11-001')
    expect(report.groupStatus).toBe('PART')
    expect(report.transactions.map((t) => [t.originalEndToEndId, t.rejected, t.reasons[0]?.reasonCode, t.amount && shown(t.amount), t.mandateId, t.originalPaymentInformationId])).toEqual([
      ['INV-2026-0001', true, 'AM04', '42.50 EUR', 'RUM-0001', pmtInfId],
      ['INV-2026-0003', true, 'MD06', '100.00 EUR', 'RUM-0003', pmtInfId],
    ])
    expect(report.transactions[0]!.debtor).toEqual({ name: 'Helene Dupre-OEuvray', iban: 'BE71096123456769' })
    expect(report.transactions[0]!.requestedCollectionDate).toBe('2026-12-05')
  })

  it('reads back the returns from a camt.054 and reconciles them with the debits we sent, invoices due again', () => {
    const [notification] = parseCamt054(camt054Returning('BE68539007547034', returned))
    expect(notification!.entries.map((e) => [e.reference, e.creditDebit, shown(e.amount), e.transactions[0]!.returnInfo?.reasonCode])).toEqual([
      ['RTN-2026-12-10-1', 'debit', '42.50 EUR', 'AM04'],
      ['RTN-2026-12-10-2', 'debit', '100.00 EUR', 'MD06'],
    ])
    const result = reconcile([notification!], {
      directDebits: sampleBatch().debits.map((d) => ({ endToEndId: d.endToEndId, amount: d.amount, invoiceIds: [`invoice-of-${d.endToEndId}`] })),
    })
    expect(result.directDebitReturns.map((r) => [r.endToEndId, r.reasonCode, r.invoiceIds, shown(r.amount)])).toEqual([
      ['INV-2026-0001', 'AM04', ['invoice-of-INV-2026-0001'], '42.50 EUR'],
      ['INV-2026-0003', 'MD06', ['invoice-of-INV-2026-0003'], '100.00 EUR'],
    ])
    expect([result.unmatched, result.ambiguous, result.invoicePayments]).toEqual([[], [], []])
  })
})

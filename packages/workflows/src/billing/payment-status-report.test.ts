import { parsePain002 } from '@ecole/bank'
import { defineSepaMandate, invoiceBalances, markSepaCollectionSettled, isEcoleError, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { collectDirectDebits, createInvoiceBatch, recordPaymentStatusReport, validateDrafts, type BillingDeps } from './index'

const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
const creditor = { name: 'Mairie', iban: 'FR7630006000011234567890189', creditorId: 'FR72ZZZ123456', address: { town: 'Creteil', country: 'FR' } }
const IBANS = { g1: 'FR7630006000011234567890189', g2: 'BE71096123456769', g3: 'DE89370400440532013000' } as const

/** A meal of 25.00 on 2026-12-01 for each guardian's child. */
const meals = (debtors: readonly string[]): InvoiceChargeLine[] =>
  debtors.map((g) => ({ chargeId: `${g}|k-${g}|meal|2026-12-01`, debtorId: g, beneficiaryId: `k-${g}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n }))

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try { await p } catch (e) { return isEcoleError(e) ? { code: e.code, message: e.message } : { code: 'not an EcoleError', message: String(e) } }
  return { code: 'OK', message: '' }
}

let sites = 0
/**
 * A site whose three guardians have one 25.00 invoice each, collected in one stored pain.008:
 * g1 first debit (FRST block), g2 and g3 recurrent (RCUR block).
 */
async function collected(storage: StoragePorts) {
  const siteId = `pain002-${process.pid}-${Date.now()}-${++sites}`
  const d: BillingDeps = { storage, clock }
  await createInvoiceBatch(d, {
    batch: { id: 'b-1', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05', minimumAmount: '1.00' },
    charges: meals(['g1', 'g2', 'g3']),
  })
  await validateDrafts(d, { siteId, batchId: 'b-1', issueDate: '2027-01-04' })
  for (const g of ['g1', 'g2', 'g3'] as const) {
    const m = defineSepaMandate({ id: `m-${g}`, siteId, debtorId: g, rum: `RUM-${g}`, signatureDate: '2026-09-01', debtorName: `Parent ${g}`, iban: IBANS[g], recurrence: 'recurrent' })
    await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', g === 'g1' ? m : markSepaCollectionSettled(m, '2026-11-10'))
  }
  const r = await collectDirectDebits(d, { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'C1-', file: { messageId: 'MSG-C1', billingOfficeId: 'regie', creditor } })
  const blocks = [...r.file!.xml.matchAll(/<PmtInfId>([^<]+)<\/PmtInfId>/g)].map((m) => m[1]!)
  const statuses = async () => {
    const list = (await storage.payments!.listPayments(siteId, { method: 'directDebit' })).items
    return Object.fromEntries(list.map((p) => [p.payerId, p.status]))
  }
  const owed = async () => {
    const invoices = (await storage.invoicing!.listInvoices(siteId, {})).items
    const payments = (await storage.payments!.listPayments(siteId, {})).items
    const balances = invoiceBalances(invoices, [], payments)
    return Object.fromEntries(invoices.map((i) => [i.debtorId, balances.get(i.id)!.outstandingMinor]))
  }
  return { d, siteId, file: r.file!, instructions: r.instructions, blocks, statuses, owed }
}

const report = (group: string, blocks = '', status = 'RJCT') => parsePain002(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2027-01-06T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>MSG-C1</OrgnlMsgId><GrpSts>${status}</GrpSts>${group}</OrgnlGrpInfAndSts>
${blocks}</CstmrPmtStsRpt></Document>`)
const reason = (code: string) => `<StsRsnInf><Rsn><Cd>${code}</Cd></Rsn></StsRsnInf>`

function suite(name: string, create: () => Promise<StoragePorts>) {
  describe(`recording a pain.002, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('refuses every debit of a file the bank rejected whole without listing one: each invoice owes its 25.00 again', async () => {
      const { d, siteId, statuses, owed } = await collected(storage)
      expect(await owed()).toEqual({ g1: 0n, g2: 0n, g3: 0n })
      const r = await recordPaymentStatusReport(d, { siteId, report: report(reason('FF01')), date: '2027-01-06' })
      expect(r.collectionFileId).toBe('MSG-C1')
      expect(r.rejections.map((x) => [x.level, x.reasonCode, x.alreadyApplied])).toEqual([['group', 'FF01', false], ['group', 'FF01', false], ['group', 'FF01', false]])
      expect(await statuses()).toEqual({ g1: 'refused', g2: 'refused', g3: 'refused' })
      expect(await owed()).toEqual({ g1: 2500n, g2: 2500n, g3: 2500n })
    })

    it('refuses the debits of a payment block the bank rejected whole, and only those', async () => {
      const { d, siteId, blocks, statuses, instructions } = await collected(storage)
      expect(instructions.map((i) => i.sequence).sort()).toEqual(['FRST', 'RCUR', 'RCUR'])
      const rcur = blocks[1]!
      const r = await recordPaymentStatusReport(d, { siteId, report: report('', `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${rcur}</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts>${reason('DT01')}</OrgnlPmtInfAndSts>`, 'PART'), date: '2027-01-06' })
      expect(r.rejections.map((x) => [x.payment.payerId, x.level, x.reasonCode])).toEqual([['g2', 'paymentInformation', 'DT01'], ['g3', 'paymentInformation', 'DT01']])
      expect(await statuses()).toEqual({ g1: 'recorded', g2: 'refused', g3: 'refused' })
    })

    it('changes nothing when the same report is recorded again', async () => {
      const { d, siteId, statuses } = await collected(storage)
      await recordPaymentStatusReport(d, { siteId, report: report(reason('FF01')), date: '2027-01-06' })
      const again = await recordPaymentStatusReport(d, { siteId, report: report(reason('FF01')), date: '2027-01-06' })
      expect(again.rejections.map((x) => x.alreadyApplied)).toEqual([true, true, true])
      expect(await statuses()).toEqual({ g1: 'refused', g2: 'refused', g3: 'refused' })
    })

    it('records nothing when the report rejects a debit the site never sent, naming it', async () => {
      const { d, siteId, statuses } = await collected(storage)
      const ghost = report('', `<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>
<TxInfAndSts><OrgnlEndToEndId>C1-b-1:g1</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>
<TxInfAndSts><OrgnlEndToEndId>C1-b-1:g2</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts></OrgnlPmtInfAndSts>`, 'PART')
      // the stored file holds both, so this one passes; a report about a file the site does not hold, naming a stranger, does not
      const stranger = parsePain002(`<Document><CstmrPmtStsRpt><GrpHdr><MsgId>S</MsgId></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>OTHER</OrgnlMsgId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>C1-b-1:g1</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>
<TxInfAndSts><OrgnlEndToEndId>NOBODY</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>`)
      const e = await codeOf(recordPaymentStatusReport(d, { siteId, report: stranger, date: '2027-01-06' }))
      expect(e.code).toBe('NOT_FOUND')
      expect(e.message).toContain('NOBODY')
      expect(await statuses()).toEqual({ g1: 'recorded', g2: 'recorded', g3: 'recorded' })
      await recordPaymentStatusReport(d, { siteId, report: ghost, date: '2027-01-06' })
      expect(await statuses()).toEqual({ g1: 'refused', g2: 'refused', g3: 'recorded' })
    })

    it('refuses a report rejecting a whole file the site did not store, and a misspelt key', async () => {
      const { d, siteId, statuses } = await collected(storage)
      const other = parsePain002(`<Document><CstmrPmtStsRpt><GrpHdr><MsgId>S</MsgId></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>OTHER</OrgnlMsgId><GrpSts>RJCT</GrpSts></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>`)
      expect((await codeOf(recordPaymentStatusReport(d, { siteId, report: other, date: '2027-01-06' }))).code).toBe('INVALID_INPUT')
      const typo = await codeOf(recordPaymentStatusReport(d, { siteId, report: report(''), date: '2027-01-06', dat: 'x' } as never))
      expect([typo.code, typo.message]).toEqual(['INVALID_INPUT', expect.stringContaining('dat')])
      expect(await statuses()).toEqual({ g1: 'recorded', g2: 'recorded', g3: 'recorded' })
    })
  })
}

suite('storage-memory', async () => createMemoryStorage())
suite('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) suite('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: recording a pain.002 on a PostgreSQL server is skipped')

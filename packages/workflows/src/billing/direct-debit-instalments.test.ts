import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildPain008 } from '@ecole/bank'
import { defineSepaMandate, nextInstalmentDue, type LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { fc, test } from '@fast-check/vitest'
import { addDays } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { collectDirectDebits, createInvoiceBatch, directDebitBatchOf, recordDirectDebitReturn, recordPayment, scheduleInstalments, validateDrafts, type BillingDeps } from './index'
import { onDay } from '../test-support/deps-on-day'

const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
const creditor = { name: 'Mairie', iban: 'FR7630006000011234567890189', creditorId: 'FR72ZZZ123456', address: { town: 'Creteil', country: 'FR' } }

let sites = 0
/** A site with g1's invoice b1:g1 of 300.00 in three instalments of 100.00 (15 Jan, 15 Feb, 15 Mar), debited from 15 Jan, and g1's mandate. */
async function scheduled() {
  const storage = createMemoryStorage()
  const siteId = `dd-inst-${++sites}`
  const d: BillingDeps = { storage, clock }
  await createInvoiceBatch(d, {
    batch: { id: 'b1', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['fee'], dueDate: '2027-01-15', directDebitDate: '2027-01-15', portalDisplayDate: '2027-01-05' },
    charges: [{ chargeId: 'g1|fee', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'fee', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 30000n, amountMinor: 30000n }],
  })
  await scheduleInstalments(d, { siteId, invoiceId: 'b1:g1', count: 3, firstDueDate: '2027-01-15' })
  const [invoice] = await validateDrafts(d, { siteId, batchId: 'b1', issueDate: '2027-01-04' })
  await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm1', siteId, debtorId: 'g1', rum: 'RUM-1', signatureDate: '2026-09-01', debtorName: 'Parent', iban: 'BE71096123456769' }))
  const debited = async (day: LocalDate, prefix: string) =>
    (await collectDirectDebits(onDay(d, day), { siteId, collectionDate: day, endToEndPrefix: prefix })).instructions.map((i) => i.amountMinor)
  return { d, siteId, invoice: invoice!, debited }
}

describe('collectDirectDebits: an invoice paid in instalments is debited one instalment at a time', () => {
  it('debits 100.00 of a 300.00 invoice in three instalments on the first date, the next instalment parents are shown, not the whole total', async () => {
    const { d, siteId, invoice } = await scheduled()
    expect(nextInstalmentDue(invoice, { paidMinor: 0n, creditedMinor: 0n })).toEqual({ dueDate: '2027-01-15', amountMinor: 10000n })
    const c = await collectDirectDebits(onDay(d, '2027-01-15'), { siteId, collectionDate: '2027-01-15', endToEndPrefix: 'DD1-', file: { messageId: 'M1', billingOfficeId: 'regie', creditor } })
    expect(c.instructions.map((i) => i.amountMinor)).toEqual([10000n])
    expect(c.file!.xml).toContain('<InstdAmt Ccy="EUR">100.00</InstdAmt>')
  })

  it('debits each instalment on its own date, 100.00 three times, adding up to the total', async () => {
    const { debited } = await scheduled()
    expect(await debited('2027-01-15', 'DD1-')).toEqual([10000n])
    expect(await debited('2027-02-15', 'DD2-')).toEqual([10000n])
    expect(await debited('2027-03-15', 'DD3-')).toEqual([10000n])
    expect(await debited('2027-04-15', 'DD4-')).toEqual([])
  })

  it('takes no instalment early: a run between two due dates, after the first was debited, debits nothing', async () => {
    const { debited } = await scheduled()
    expect(await debited('2027-01-15', 'DD1-')).toEqual([10000n])
    expect(await debited('2027-02-01', 'DD2-')).toEqual([])
  })

  it('debits what a partial payment left of the instalment due, and the later ones in full', async () => {
    const { d, siteId, debited } = await scheduled()
    await recordPayment(d, { id: 'cash-40', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-05', amount: '40.00', invoiceId: 'b1:g1' })
    expect(await debited('2027-01-15', 'DD1-')).toEqual([6000n])
    expect(await debited('2027-02-15', 'DD2-')).toEqual([10000n])
  })

  it('presents a returned instalment again with the next one: the February run debits January’s 100.00 and February’s', async () => {
    const { d, siteId, debited } = await scheduled()
    expect(await debited('2027-01-15', 'DD1-')).toEqual([10000n])
    await recordDirectDebitReturn(onDay(d, '2027-01-20'), { siteId, endToEndId: 'DD1-b1:g1', reasonCode: 'AM04', date: '2027-01-20' })
    expect(await debited('2027-02-15', 'DD2-')).toEqual([20000n])
  })
})

test.prop([
  fc.bigInt({ min: 100n, max: 500_000n }), fc.integer({ min: 1, max: 6 }), fc.uniqueArray(fc.integer({ min: 0, max: 220 }), { minLength: 1, maxLength: 5 }),
], { numRuns: 15 })('collectDirectDebits on random dates debits the instalments due by each date less what was paid, and over the whole schedule the total', async (totalMinor, count, offsets) => {
  const storage = createMemoryStorage()
  const siteId = `dd-inst-prop-${++sites}`
  const d: BillingDeps = { storage, clock }
  await createInvoiceBatch(d, {
    batch: { id: 'b1', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['fee'], dueDate: '2027-01-15', directDebitDate: '2027-01-15', portalDisplayDate: '2027-01-05' },
    charges: [{ chargeId: 'g1|fee', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'fee', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: totalMinor, amountMinor: totalMinor }],
  })
  await scheduleInstalments(d, { siteId, invoiceId: 'b1:g1', count, firstDueDate: '2027-01-15' })
  const [invoice] = await validateDrafts(d, { siteId, batchId: 'b1', issueDate: '2027-01-04' })
  await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm1', siteId, debtorId: 'g1', rum: 'RUM-1', signatureDate: '2026-09-01', debtorName: 'Parent', iban: 'BE71096123456769' }))
  const last = invoice!.instalments.at(-1)!.dueDate
  const days = [...new Set([...offsets.map((n) => addDays('2027-01-15', n)), last])].sort()
  let paid = 0n
  for (const [n, day] of days.entries()) {
    const { instructions } = await collectDirectDebits(onDay(d, day), { siteId, collectionDate: day, endToEndPrefix: `P${n}-` })
    const debited = instructions.reduce((s, i) => s + i.amountMinor, 0n)
    const dueByDay = invoice!.instalments.filter((i) => i.dueDate <= day).reduce((s, i) => s + i.amountMinor, 0n)
    expect(debited).toBe(dueByDay > paid ? dueByDay - paid : 0n)
    expect(debited <= totalMinor - paid).toBe(true)
    paid += debited
  }
  expect(paid).toBe(totalMinor)
})

const shared = [new URL('../../../../../shared/data/', import.meta.url), new URL('../../../../../../shared/data/', import.meta.url)]
  .map((u) => fileURLToPath(u)).find((p) => existsSync(p))
const XMLLINT = ['/usr/bin/xmllint', '/usr/local/bin/xmllint'].find((p) => existsSync(p))
if (shared === undefined || XMLLINT === undefined) console.log('[@ecole/workflows tests] ../shared/data or xmllint is absent: the pagoPA collection file is not validated against the pain.008 schemas')

/** What xmllint says of `xml` against the official pain.008 schema of `version`: '' when it validates. */
function xmllintProblems(xml: string, version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecole-dd-'))
  try {
    const file = join(dir, 'pain.xml')
    writeFileSync(file, xml)
    const r = spawnSync(XMLLINT!, ['--noout', '--schema', join(shared!, 'iso20022', `${version}.xsd`), file], { encoding: 'utf8' })
    return r.status === 0 ? '' : r.stderr
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** An Italian site whose invoices carry pagoPA notice numbers, g1 paying by SDD. */
async function italian() {
  const storage = createMemoryStorage()
  const siteId = `dd-it-${++sites}`
  const d: BillingDeps = { storage, clock }
  await createInvoiceBatch(d, {
    batch: { id: 'b1', siteId, billingOfficeId: 'segreteria', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['mensa'], dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05' },
    charges: [{ chargeId: 'g1|mensa', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'mensa', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 5000n, amountMinor: 5000n }],
  })
  const [invoice] = await validateDrafts(d, { siteId, batchId: 'b1', issueDate: '2027-01-04', paymentReferences: { scheme: 'pagoPa', siteCode: '42', segregationCode: '01' } })
  await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm1', siteId, debtorId: 'g1', rum: 'RUM-1', signatureDate: '2026-09-01', debtorName: 'Mario Rossi', iban: 'IT60X0542811101000000123456' }))
  return { d, siteId, notice: invoice!.paymentReference! }
}
const itCreditor = { name: 'Scuola Paritaria', iban: 'IT60X0542811101000000123456', creditorId: 'IT66ZZZA1B2C3D4E5F6G7H8', address: { town: 'Roma', country: 'IT' } }

describe('collectDirectDebits and directDebitBatchOf: the remittance follows the payment reference’s own scheme', () => {
  it('collects invoices referenced by pagoPA notices into a file, the notice carried as text with its IUV in the /RFB/ form, never as a Belgian structured communication', async () => {
    const { d, siteId, notice } = await italian()
    expect(notice).toMatch(/^3\d{17}$/)
    const c = await collectDirectDebits(onDay(d, '2027-01-10'), { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'SDD-', file: { messageId: 'SDD-2701', billingOfficeId: 'segreteria', creditor: itCreditor } })
    expect(c.instructions).toHaveLength(1)
    expect(c.file!.xml).toContain(`<RmtInf><Ustrd>/RFB/${notice.slice(1)}/TXT/avviso pagoPA ${notice}</Ustrd></RmtInf>`)
    expect(c.file!.xml).not.toContain('<Issr>BBA</Issr>')
  })

  it('writes a pain.008 of pagoPA-referenced debits that validates against the ISO 20022 schemas (001.08, which CBI SDD is built on, and 001.02)', async () => {
    const { d, siteId } = await italian()
    const { instructions } = await collectDirectDebits(onDay(d, '2027-01-10'), { siteId, collectionDate: '2027-01-10', endToEndPrefix: 'SDD-' })
    const batch = directDebitBatchOf(instructions, { messageId: 'X', createdAt: '2027-01-05T09:00:00Z', collectionDate: '2027-01-10', creditor: itCreditor })
    expect(batch.debits.map((x) => x.remittance?.kind)).toEqual(['text'])
    for (const version of ['pain.008.001.08', 'pain.008.001.02'] as const) {
      const xml = buildPain008(batch, { version })
      if (shared !== undefined && XMLLINT !== undefined) expect(xmllintProblems(xml, version)).toBe('')
      expect(xml).toContain('<Ustrd>/RFB/')
    }
  })

  it('keeps RF references and Belgian structured communications structured (issuer ISO and BBA), and writes any other reference as text', () => {
    const ins = (remittanceReference: string, n: number) => ({
      invoiceId: `i${n}`, debtorId: 'g1', mandateId: 'm1', rum: 'RUM-1', signatureDate: '2026-09-01', sequence: 'RCUR' as const, debtorName: 'P', iban: 'BE71096123456769', bic: null,
      amountMinor: 1000n, currency: 'EUR' as const, endToEndId: `E2E-${n}`, remittanceReference, amendment: null,
    })
    const batch = directDebitBatchOf(['RF18539007547034', '+++123/4567/89002+++', 'FACT-2027-0001'].map(ins) as never, { messageId: 'X', createdAt: '2027-01-05T09:00:00Z', collectionDate: '2027-01-10', creditor })
    expect(batch.debits.map((x) => x.remittance)).toEqual([
      { kind: 'rf', reference: 'RF18539007547034' },
      { kind: 'ogm', reference: '+++123/4567/89002+++' },
      { kind: 'text', text: 'FACT-2027-0001' },
    ])
    const xml = buildPain008(batch)
    expect(xml).toContain('<Issr>ISO</Issr></Tp><Ref>RF18539007547034</Ref>')
    expect(xml).toContain('<Issr>BBA</Issr></Tp><Ref>123456789002</Ref>')
    expect(xml).toContain('<Ustrd>FACT-2027-0001</Ustrd>')
  })
})

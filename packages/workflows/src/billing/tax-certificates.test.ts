import { defineSepaMandate, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate, type TaxCertificateRules } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import {
  adjustDraft, collectDirectDebits, createInvoiceBatch, issueInvoiceCreditNote, issueTaxCertificates, recordDirectDebitReturn, recordPayment, validateDrafts, type BillingDeps,
} from './index'

// Each debtor gN is billed, for December 2026, 4 care days and 4 meals at 25.00 for child kN:
// one care line of 100.00 and one meal line of 100.00.
const siteId = 'site-1'
const batch: InvoiceBatchInput = {
  id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['care', 'meal'],
  dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
}
const FR: TaxCertificateRules = { country: 'FR', year: 2027 }
const BE: TaxCertificateRules = { country: 'BE', year: 2026, dailyCeilingMinor: 2000n }

async function site(debtors: string[], adjust?: (d: BillingDeps) => Promise<unknown>): Promise<BillingDeps> {
  const d: BillingDeps = { storage: createMemoryStorage(), clock: { now: () => new Date('2027-01-20T09:00:00Z') } }
  const charges: InvoiceChargeLine[] = []
  for (const g of debtors) {
    for (const serviceId of ['care', 'meal']) {
      for (let day = 1; day <= 4; day++) {
        const date = `2026-12-0${day}` as LocalDate
        charges.push({ chargeId: `${g}|${serviceId}|${date}`, debtorId: g, beneficiaryId: `k${g.slice(1)}`, serviceId, date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n })
      }
    }
  }
  await createInvoiceBatch(d, { batch, charges })
  await adjust?.(d)
  await validateDrafts(d, { siteId, batchId: batch.id, issueDate: '2027-01-04' })
  return d
}
const invoiceId = (g: string) => `${batch.id}:${g}`
async function lineId(d: BillingDeps, g: string, serviceId: string): Promise<string> {
  return (await d.storage.invoicing!.getInvoice(siteId, invoiceId(g)))!.lines.find((l) => l.serviceId === serviceId)!.id
}
const pay = (d: BillingDeps, g: string, amount: string) =>
  recordPayment(d, { id: `p-${g}-${amount}`, siteId, billingOfficeId: 'regie', payerId: g, method: 'cheque', date: '2027-01-12', amount, invoiceId: invoiceId(g) })
const creditLine = async (d: BillingDeps, g: string, serviceId: string) =>
  issueInvoiceCreditNote(d, { siteId, invoiceId: invoiceId(g), issueDate: '2027-01-20', creditNote: { id: `cn-${g}-${serviceId}`, reason: 'not given', scope: { kind: 'lines', lines: [{ lineId: await lineId(d, g, serviceId), amount: '100.00' }] } } })
async function careCertified(d: BillingDeps, g: string, rules: TaxCertificateRules = FR): Promise<{ paidCareMinor: bigint; eligibleMinor: bigint }> {
  const children = [1, 2, 3, 4, 5].map((n) => ({ beneficiaryId: `k${n}`, birthDate: '2023-03-01' as LocalDate }))
  const cert = (await issueTaxCertificates(d, { siteId, rules, children, serviceKinds: { care: 'care', meal: 'meal' } })).find((c) => c.debtorId === g)
  return { paidCareMinor: cert?.paidCareMinor ?? 0n, eligibleMinor: cert?.eligibleMinor ?? 0n }
}

describe('issueTaxCertificates with credit notes', () => {
  it('certifies no care when the care line was credited and the 100.00 still due (the meals) was paid', async () => {
    const d = await site(['g1'])
    await creditLine(d, 'g1', 'care')
    await pay(d, 'g1', '100.00')
    expect(await careCertified(d, 'g1')).toEqual({ paidCareMinor: 0n, eligibleMinor: 0n })
    expect(await careCertified(d, 'g1', BE)).toEqual({ paidCareMinor: 0n, eligibleMinor: 0n })
  })

  it('certifies the 100.00 of care when the meal line was credited and the 100.00 still due was paid', async () => {
    const d = await site(['g1'])
    await creditLine(d, 'g1', 'meal')
    await pay(d, 'g1', '100.00')
    expect((await careCertified(d, 'g1')).paidCareMinor).toBe(10000n)
  })

  it('certifies no care when the care line was credited after the invoice was paid in full: the 100.00 paid beyond its net total is not care paid', async () => {
    const d = await site(['g1'])
    await pay(d, 'g1', '200.00')
    await creditLine(d, 'g1', 'care')
    expect((await careCertified(d, 'g1')).paidCareMinor).toBe(0n)
    expect((await careCertified(d, 'g1', BE)).eligibleMinor).toBe(0n)
  })

  it('certifies no care when the direct debit was collected, then returned', async () => {
    const d = await site(['g1'])
    await d.storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm-g1', siteId, debtorId: 'g1', rum: 'RUM-g1', signatureDate: '2026-09-01', debtorName: 'P g1', iban: 'FR7630006000011234567890189' }))
    // collected from 2027-01-05, before the collection date (a collection date before the site's today is refused)
    await collectDirectDebits({ ...d, clock: { now: () => new Date('2027-01-05T09:00:00Z') } }, { siteId, batchId: batch.id, collectionDate: '2027-01-10', endToEndPrefix: 'DD-' })
    for (const p of (await d.storage.payments!.listPayments(siteId, { method: 'directDebit' })).items) await recordDirectDebitReturn(d, { siteId, paymentId: p.id, reasonCode: 'AM04', date: '2027-01-14' })
    expect((await careCertified(d, 'g1')).paidCareMinor).toBe(0n)
  })

  it('certifies the 100.00 of care of an invoice paid in full with nothing credited', async () => {
    const d = await site(['g1'])
    await pay(d, 'g1', '200.00')
    expect((await careCertified(d, 'g1')).paidCareMinor).toBe(10000n)
  })

  it('Belgium: certifies the care days net of credit notes, each capped at the daily ceiling', async () => {
    const d = await site(['g1', 'g2'])
    // g1: meals credited, care paid: 4 days at 25.00, capped at 20.00
    await creditLine(d, 'g1', 'meal')
    await pay(d, 'g1', '100.00')
    // g2: a lump-sum credit of 100.00, spread pro rata: 50.00 of care over 4 days, under the ceiling
    await issueInvoiceCreditNote(d, { siteId, invoiceId: invoiceId('g2'), issueDate: '2027-01-20', creditNote: { id: 'cn-g2', reason: 'strike', scope: { kind: 'amount', amount: '100.00' } } })
    await pay(d, 'g2', '100.00')
    expect(await careCertified(d, 'g1', BE)).toEqual({ paidCareMinor: 10000n, eligibleMinor: 8000n })
    expect(await careCertified(d, 'g2', BE)).toEqual({ paidCareMinor: 5000n, eligibleMinor: 5000n })
  })

  it('certifies a care line for what it bills after its own reduction', async () => {
    // a 20.00 reduction on the care line: 80.00 of care and 100.00 of meals, all paid
    const d = await site(['g1'], async (deps) => adjustDraft(deps, { siteId, invoiceId: invoiceId('g1'), change: { add: { id: 'r1', kind: 'reduction', reason: 'sibling', amount: '20.00', lineId: await lineId(deps, 'g1', 'care') } } }))
    await pay(d, 'g1', '180.00')
    expect((await careCertified(d, 'g1')).paidCareMinor).toBe(8000n)
  })

  it('certifies no care for a fee on the whole invoice when every line was reduced to nothing (the fee has no line to go on), and still certifies the other families', async () => {
    // g1: care and meals free (100 % reductions), a 5.00 file fee on the whole invoice, paid; g2: billed and paid in full
    const d = await site(['g1', 'g2'], async (deps) => {
      for (const serviceId of ['care', 'meal']) {
        await adjustDraft(deps, { siteId, invoiceId: invoiceId('g1'), change: { add: { id: `free-${serviceId}`, kind: 'reduction', reason: 'free', percent: '100', lineId: await lineId(deps, 'g1', serviceId) } } })
      }
      await adjustDraft(deps, { siteId, invoiceId: invoiceId('g1'), change: { add: { id: 'fee', kind: 'surcharge', reason: 'file fee', amount: '5.00' } } })
    })
    expect((await d.storage.invoicing!.getInvoice(siteId, invoiceId('g1')))!.totalMinor).toBe(500n)
    await pay(d, 'g1', '5.00')
    await pay(d, 'g2', '200.00')
    expect(await careCertified(d, 'g1')).toEqual({ paidCareMinor: 0n, eligibleMinor: 0n })
    expect((await careCertified(d, 'g2')).paidCareMinor).toBe(10000n)
  })
})

import { parseCamt053 } from '@ecole/bank'
import {
  addInvoiceAdjustment, defineSepaMandate, invoiceBalance, isEcoleError, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate,
} from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { testCamt053 as camt053 } from '@ecole/bank'
import { onDay } from '../test-support/deps-on-day'
import {
  adjustDraft, scheduleInstalments, collectDirectDebits, issueTaxCertificates, deleteDrafts, editDrafts, createDeposit, createInvoiceBatch, deleteDeposit, importBankStatement, issueInvoiceCreditNote,
  recordDirectDebitReturn, recordPayment, selectReminders, setInvoicePortalDates, validateDrafts, type BillingDeps,
} from './index'

const siteId = 'site-1'
// before the collections (2027-01-10): a collection date before the site's today is refused
const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
const batchInput: InvoiceBatchInput = {
  id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal', 'care'],
  dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
}

function charges(payers: number, days = 4): InvoiceChargeLine[] {
  const out: InvoiceChargeLine[] = []
  for (let p = 1; p <= payers; p++) {
    for (let d = 1; d <= days; d++) {
      const date = `2026-12-0${d}` as LocalDate
      out.push({ chargeId: `g${p}|k${p}|meal|${date}`, debtorId: `g${p}`, beneficiaryId: `k${p}`, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 415n, amountMinor: 415n })
      out.push({ chargeId: `g${p}|k${p}|care|${date}`, debtorId: `g${p}`, beneficiaryId: `k${p}`, serviceId: 'care', date, quantity: 1, unitPriceMinor: 250n, amountMinor: 250n })
    }
  }
  return out
}

function deps(): BillingDeps {
  return { storage: createMemoryStorage(), clock }
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try { await p } catch (e) { return isEcoleError(e) ? e.code : String(e) }
  return undefined
}

describe('createInvoiceBatch and validateDrafts over storage-memory', () => {
  it('makes one draft per payer and bills nothing twice when the batch runs again', async () => {
    const d = deps()
    const first = await createInvoiceBatch(d, { batch: batchInput, charges: charges(3) })
    expect(first.drafts.map((x) => [x.debtorId, x.totalMinor])).toEqual([['g1', 4n * 665n], ['g2', 4n * 665n], ['g3', 4n * 665n]])
    const again = await createInvoiceBatch(d, { batch: batchInput, charges: charges(3) })
    expect(again.drafts).toEqual([])
    expect(again.skipped.alreadyBilled).toBe(24)
  })
  it('numbers 1..n in validation order from the counter, and the validated invoice refuses changes', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(3) })
    const validated = await validateDrafts(d, { siteId, invoiceIds: ['b-2026-12:g3', 'b-2026-12:g1'], issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
    expect(validated.map((i) => [i.debtorId, i.number])).toEqual([['g3', 'F2027-000001'], ['g1', 'F2027-000002']])
    expect(new Set(validated.map((i) => i.paymentReference)).size).toBe(2)
    const rest = await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04' })
    expect(rest.map((i) => i.number)).toEqual(['F2027-000003'])
    const stored = (await d.storage.invoicing!.getInvoice(siteId, 'b-2026-12:g1'))!
    expect(await codeOf(d.storage.invoicing!.updateDraft(siteId, { ...stored, comment: 'x' }))).toBe('INVOICE_NOT_DRAFT')
    expect(await codeOf(Promise.resolve().then(() => addInvoiceAdjustment(stored, { id: 'a', kind: 'reduction', reason: 'x', amount: '1' })))).toBe('INVOICE_NOT_DRAFT')
  })
  it('keeps the series gapless when an invoice id is given twice', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(2) })
    expect(await codeOf(validateDrafts(d, { siteId, invoiceIds: ['b-2026-12:g1', 'b-2026-12:g1'], issueDate: '2027-01-04' }))).toBe('DUPLICATE_INVOICE')
    const all = await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04' })
    expect(all.map((i) => i.number)).toEqual(['F2027-000001', 'F2027-000002'])
  })
  it('keeps the series gapless when two validations race', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(6) })
    const ids = Array.from({ length: 6 }, (_, i) => `b-2026-12:g${i + 1}`)
    const results = await Promise.allSettled([
      validateDrafts(d, { siteId, invoiceIds: ids.slice(0, 4), issueDate: '2027-01-04' }),
      validateDrafts(d, { siteId, invoiceIds: ids.slice(2), issueDate: '2027-01-04' }),
    ])
    const ok = results.filter((r) => r.status === 'fulfilled')
    expect(ok).toHaveLength(1) // the overlapping one fails and gives its numbers back
    const more = await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04' })
    const all = [...(ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof validateDrafts>>>).value, ...more]
    expect(all.map((i) => i.sequence).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6])
  })
})

describe('working on drafts (seed 001, steps 6 and "réduction / majoration")', () => {
  it('adds, changes and removes an adjustment on a stored draft, totals following', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(1) })
    const id = 'b-2026-12:g1'
    const a = await adjustDraft(d, { siteId, invoiceId: id, change: { add: { id: 'r1', kind: 'reduction', reason: 'Sortie', amount: '2.00' } } })
    expect(a.totalMinor).toBe(2660n - 200n)
    const b = await adjustDraft(d, { siteId, invoiceId: id, change: { update: { adjustmentId: 'r1', adjustment: { id: 'r1', kind: 'surcharge', reason: 'Retard', amount: '1.00' } } } })
    expect(b.totalMinor).toBe(2660n + 100n)
    const c = await adjustDraft(d, { siteId, invoiceId: id, change: { remove: { adjustmentId: 'r1' } } })
    expect((await d.storage.invoicing!.getInvoice(siteId, id))!.totalMinor).toBe(c.totalMinor)
    expect(c.totalMinor).toBe(2660n)
    await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04' })
    expect(await codeOf(adjustDraft(d, { siteId, invoiceId: id, change: { add: { id: 'r2', kind: 'reduction', reason: 'x', amount: '1' } } }))).toBe('INVOICE_NOT_DRAFT')
  })
  it('splits a draft into instalments that add up to its total and survive validation', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(1) })
    const s = await scheduleInstalments(d, { siteId, invoiceId: 'b-2026-12:g1', count: 3, firstDueDate: '2027-01-15' })
    // 26.60 in three: 8.87 + 8.87 + 8.86
    expect(s.instalments).toEqual([{ dueDate: '2027-01-15', amountMinor: 887n }, { dueDate: '2027-02-15', amountMinor: 887n }, { dueDate: '2027-03-15', amountMinor: 886n }])
    const [inv] = await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04' })
    expect(inv!.instalments).toHaveLength(3)
  })
  it('changes the portal date of a group of drafts, and deletes a draft so its charges can be billed again', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(2) })
    const edited = await editDrafts(d, { siteId, invoiceIds: ['b-2026-12:g1', 'b-2026-12:g2'], change: { portalDisplayDate: '2027-01-08', comment: 'Bonnes fêtes' } })
    expect(edited.map((e) => e.portalDisplayDate)).toEqual(['2027-01-08', '2027-01-08'])
    expect(await deleteDrafts(d, { siteId, invoiceIds: ['b-2026-12:g1'] })).toBe(1)
    const again = await createInvoiceBatch(d, { batch: batchInput, charges: charges(2) })
    expect(again.drafts.map((x) => x.debtorId)).toEqual(['g1'])
  })
  it('moves the portal date of a validated invoice and of a draft, and nothing else of the validated one', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(2) })
    const [validated] = await validateDrafts(d, { siteId, invoiceIds: ['b-2026-12:g1'], issueDate: '2027-01-04' })
    const moved = await setInvoicePortalDates(d, { siteId, invoiceIds: ['b-2026-12:g1', 'b-2026-12:g2'], date: '2027-01-09' })
    expect(moved.map((i) => [i.id, i.status, i.portalDisplayDate])).toEqual([['b-2026-12:g1', 'validated', '2027-01-09'], ['b-2026-12:g2', 'draft', '2027-01-09']])
    expect(moved[0]).toEqual({ ...validated, portalDisplayDate: '2027-01-09' })
  })
  it('moves no portal date when one invoice of the set does not exist, and refuses a date that is not a day', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(1) })
    expect(await codeOf(setInvoicePortalDates(d, { siteId, invoiceIds: ['b-2026-12:g1', 'b-2026-12:nobody'], date: '2027-01-09' }))).toBe('NOT_FOUND')
    expect((await d.storage.invoicing!.getInvoice(siteId, 'b-2026-12:g1'))!.portalDisplayDate).toBe('2027-01-05')
    expect(await codeOf(setInvoicePortalDates(d, { siteId, invoiceIds: ['b-2026-12:g1'], date: '2027-02-30' as LocalDate }))).toBe('INVALID_INPUT')
    expect(await codeOf(setInvoicePortalDates(d, { siteId, invoiceIds: [], date: '2027-01-09' }))).toBe('INVALID_INPUT')
  })
})

describe('payments, deposits, credit notes and reminders', () => {
  async function validatedSite() {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(2) })
    await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
    return d
  }
  it('records a payment for what remains due by default, and the rest of a larger one goes to the wallet', async () => {
    const d = await validatedSite()
    const { payment } = await recordPayment(onDay(d, '2027-01-12'), { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', product: 'cantine', date: '2027-01-12', invoiceId: 'b-2026-12:g1' })
    expect(payment.amountMinor).toBe(2660n)
    const replay = await recordPayment(onDay(d, '2027-01-12'), { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', product: 'cantine', date: '2027-01-12', invoiceId: 'b-2026-12:g1' })
    expect(replay.created).toBe(false)
    const big = await recordPayment(onDay(d, '2027-01-12'), { id: 'p2', siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'cheque', date: '2027-01-12', amount: '30.00' })
    expect(big.payment.allocations).toEqual([{ invoiceId: 'b-2026-12:g2', amountMinor: 2660n }])
    expect(big.payment.walletCreditMinor).toBe(340n)
  })
  it('never settles an invoice of another billing office with a payment to this one', async () => {
    const d = await validatedSite()
    // g2 also owes an older invoice to another régie (its own series and bank account)
    const other = { ...batchInput, id: 'b-other', billingOfficeId: 'regie-2', dueDate: '2027-01-01' as LocalDate }
    await createInvoiceBatch(d, { batch: other, charges: charges(2).map((c) => ({ ...c, chargeId: `r2|${c.chargeId}` })) })
    await validateDrafts(d, { siteId, batchId: 'b-other', issueDate: '2027-01-04' })
    const { payment } = await recordPayment(onDay(d, '2027-01-12'), { id: 'p3', siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'cheque', date: '2027-01-12', amount: '30.00' })
    // 30.00 - 26.60 due to 'regie' = 3.40 to the wallet; the older 'regie-2' invoice is not touched
    expect(payment.allocations).toEqual([{ invoiceId: 'b-2026-12:g2', amountMinor: 2660n }])
    expect(payment.walletCreditMinor).toBe(340n)
  })
  it('groups payments in a deposit, protects them while deposited, and frees them when it is deleted', async () => {
    const d = await validatedSite()
    await recordPayment(onDay(d, '2027-01-12'), { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', invoiceId: 'b-2026-12:g1' })
    await recordPayment(onDay(d, '2027-01-12'), { id: 'p2', siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'cheque', date: '2027-01-12', invoiceId: 'b-2026-12:g2' })
    const deposit = await createDeposit(d, { siteId, deposit: { id: 'dep1', method: 'cheque', bankAccountId: 'acc', date: '2027-01-13' }, paymentIds: ['p1', 'p2'] })
    expect(deposit.totalMinor).toBe(5320n)
    expect(await codeOf(d.storage.payments!.deletePayment(siteId, 'p1'))).toBe('PAYMENT_IN_DEPOSIT')
    await deleteDeposit(d, { siteId, depositId: 'dep1' })
    expect((await d.storage.payments!.getPayment(siteId, 'p1'))!.depositId).toBeNull()
    await createDeposit(d, { siteId, deposit: { id: 'dep2', method: 'cheque', bankAccountId: 'acc', date: '2027-01-13' }, paymentIds: ['p1'] })
    await d.storage.payments!.lockDeposit(siteId, 'dep2')
    expect(await codeOf(deleteDeposit(d, { siteId, depositId: 'dep2' }))).toBe('DEPOSIT_LOCKED')
  })
  it('numbers credit notes in their own series and never credits more than the invoice', async () => {
    const d = await validatedSite()
    const cn = await issueInvoiceCreditNote(d, { siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20', creditNote: { id: 'cn1', reason: 'Grève', scope: { kind: 'amount', amount: '4.15' } } })
    expect(cn.number).toBe('AV2027-000001')
    expect(await codeOf(issueInvoiceCreditNote(d, { siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20', creditNote: { id: 'cn2', reason: 'x', scope: { kind: 'amount', amount: '30.00' } } }))).toBe('CREDIT_EXCEEDS_INVOICE')
    const cn3 = await issueInvoiceCreditNote(d, { siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20', creditNote: { id: 'cn3', reason: 'x', scope: { kind: 'whole' } } })
    expect([cn3.number, cn3.amountMinor]).toEqual(['AV2027-000002', 2660n - 415n])
  })
  it('selects reminders from the due date and does not repeat a level once recorded', async () => {
    const d = await validatedSite()
    await recordPayment(onDay(d, '2027-01-12'), { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-12', invoiceId: 'b-2026-12:g1' })
    const policy = { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] }
    expect(await selectReminders(d, { siteId, today: '2027-01-24', policy })).toEqual([])
    const due = await selectReminders(d, { siteId, today: '2027-01-25', policy, record: true, onPortal: true })
    expect(due.map((r) => [r.debtorId, r.level])).toEqual([['g2', 1]])
    expect(await selectReminders(d, { siteId, today: '2027-01-26', policy })).toEqual([])
  })
  it('refuses a today that is not a calendar day, naming today (not the storage filter it feeds)', async () => {
    const d = await validatedSite()
    const policy = { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] }
    for (const today of ['2027-02-30' as LocalDate, new Date('2027-02-01') as unknown as LocalDate]) {
      const e = await selectReminders(d, { siteId, today, policy }).then(() => undefined, (x: unknown) => x)
      expect(isEcoleError(e) && [e.code, e.message.startsWith('[ecole] today:'), e.details?.['field']]).toEqual(['INVALID_INPUT', true, 'today'])
    }
  })
  it('reminds a partly paid invoice of what it still owes, read with its balance in one read', async () => {
    const d = await validatedSite()
    await recordPayment(onDay(d, '2027-01-12'), { id: 'p2', siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'cash', date: '2027-01-12', invoiceId: 'b-2026-12:g2', amount: '10.00' })
    const due = await selectReminders(d, { siteId, today: '2027-01-25', policy: { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] } })
    const reference = invoiceBalance((await d.storage.invoicing!.getInvoice(siteId, 'b-2026-12:g2'))!, [], (await d.storage.payments!.listPayments(siteId, {})).items)
    expect(due.filter((r) => r.debtorId === 'g2').map((r) => r.outstandingMinor)).toEqual([reference.outstandingMinor])
    expect(reference.outstandingMinor).toBe(2660n - 1000n)
  })
  it("dates a wallet credit on the payment's day in the site's time zone: the clock's instant for today there, noon of the day otherwise", async () => {
    // 23:30 UTC on the 19th is already the 20th in Paris and still the 19th in Los Angeles
    const late = { storage: createMemoryStorage(), clock: { now: () => new Date('2027-01-19T23:30:00Z') } }
    const credit = (id: string, date: LocalDate, timeZone: string) => recordPayment(late, { id, siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date, amount: '5.00', currency: 'EUR' }, { walletOnly: true, timeZone })
    const stamp = async (id: string) => (await late.storage.ledger!.getTransfer(siteId, `payment:${id}`))!.transfer.timestamp.toISOString()
    await credit('today-paris', '2027-01-20', 'Europe/Paris')
    expect(await stamp('today-paris')).toBe('2027-01-19T23:30:00.000Z')
    await credit('yesterday-paris', '2027-01-19', 'Europe/Paris')
    expect(await stamp('yesterday-paris')).toBe('2027-01-19T11:00:00.000Z')
    await credit('today-la', '2027-01-19', 'America/Los_Angeles')
    expect(await stamp('today-la')).toBe('2027-01-19T23:30:00.000Z')
    await credit('yesterday-la', '2027-01-18', 'America/Los_Angeles')
    expect(await stamp('yesterday-la')).toBe('2027-01-18T20:00:00.000Z')
  })
  it('computes French tax certificates from what was paid for care, meals excluded', async () => {
    const d = await validatedSite()
    await recordPayment(onDay(d, '2027-01-12'), { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-12', invoiceId: 'b-2026-12:g1' })
    const certs = await issueTaxCertificates(d, { siteId, rules: { country: 'FR', year: 2027 }, children: [{ beneficiaryId: 'k1', birthDate: '2022-05-01' }, { beneficiaryId: 'k2', birthDate: '2022-05-01' }], serviceKinds: { care: 'care', meal: 'meal' } })
    expect(certs.map((c) => [c.debtorId, c.paidCareMinor, c.creditMinor])).toEqual([['g1', 1000n, 500n]])
  })
})

describe('direct debits and the bank statement', () => {
  it('stores the pain.008 with the collection in one transaction, and stores neither when the message id is taken', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(2) })
    await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04' })
    for (const g of ['g1', 'g2']) {
      await d.storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: `m-${g}`, siteId, debtorId: g, rum: `RUM-${g}`, signatureDate: '2026-09-01', debtorName: `Parent ${g}`, iban: 'FR7630006000011234567890189' }))
    }
    const creditor = { name: 'Mairie', iban: 'FR7630006000011234567890189', creditorId: 'FR72ZZZ123456', address: { town: 'Créteil', country: 'FR' } }
    // the id taken by an earlier file: refused, and no payment recorded either
    const taken = { id: 'DD-1', siteId, billingOfficeId: 'regie', batchId: null, collectionDate: '2027-01-01' as LocalDate, createdAt: '2027-01-01T00:00:00.000Z', count: 1, amount: { minor: 1n, currency: 'EUR' }, xml: '<x/>' }
    await d.storage.directory!.putDirectoryRecord(siteId, 'collectionFile', taken)
    expect(await codeOf(collectDirectDebits(d, { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-', file: { messageId: 'DD-1', billingOfficeId: 'regie', creditor } }))).toBe('ID_CONFLICT')
    expect((await d.storage.payments!.listPayments(siteId, {})).items).toEqual([])
    expect(await d.storage.directory!.getDirectoryRecord(siteId, 'collectionFile', 'DD-1')).toEqual(taken)
    const r = await collectDirectDebits(d, { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-', file: { messageId: 'DD-2', billingOfficeId: 'regie', creditor } })
    const stored = await d.storage.directory!.getDirectoryRecord(siteId, 'collectionFile', 'DD-2')
    expect(stored).toEqual(r.file)
    expect([stored?.count, stored?.amount, stored?.batchId, stored?.createdAt]).toEqual([2, { minor: 2n * 2660n, currency: 'EUR' }, 'b-2026-12', clock.now().toISOString()])
    expect(stored?.xml).toContain('<MsgId>DD-2</MsgId>')
    expect((await d.storage.payments!.listPayments(siteId, {})).items).toHaveLength(2)
  })
  it('collects with the mandate, settles it from the statement, records a return, and imports idempotently', async () => {
    const d = deps()
    await createInvoiceBatch(d, { batch: batchInput, charges: charges(3) })
    const invoices = await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
    for (const g of ['g1', 'g2']) {
      await d.storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: `m-${g}`, siteId, debtorId: g, rum: `RUM-${g}`, signatureDate: '2026-09-01', debtorName: `Parent ${g}`, iban: 'FR7630006000011234567890189' }))
    }
    const dd = await collectDirectDebits(d, { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-' })
    expect(dd.instructions.map((i) => [i.debtorId, i.sequence])).toEqual([['g1', 'FRST'], ['g2', 'FRST']])
    expect(dd.excluded.map((e) => [e.debtorId, e.reason])).toEqual([['g3', 'NO_MANDATE']])
    const g3 = invoices.find((i) => i.debtorId === 'g3')!
    const xml = camt053('FR7630006000019876543210123', [
      { ref: 'E1', cents: 2660n, credit: true, date: '2027-01-12', endToEndId: dd.instructions[0]!.endToEndId },
      { ref: 'E2', cents: 2660n, credit: false, date: '2027-01-14', endToEndId: dd.instructions[1]!.endToEndId, returnCode: 'AC04' },
      { ref: 'E3', cents: 2660n, credit: true, date: '2027-01-15', structured: { reference: g3.paymentReference!, issuer: 'ISO' }, debtorName: 'Parent g3' },
      { ref: 'E4', cents: 999n, credit: true, date: '2027-01-15', text: 'cantine janvier' },
    ])
    const report = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml) })
    expect(report.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([['E1', 'directDebitSettled'], ['E2', 'directDebitReturn'], ['E3', 'invoicePayment'], ['E4', 'review']].map(([ref, kind]) => [`FR7630006000019876543210123|${ref}`, kind]))
    const mandates = (await d.storage.directory!.listDirectoryRecords(siteId, 'sepaMandate')).items
    expect(mandates.map((m) => [m.debtorId, m.nextSequence, m.status])).toEqual([['g1', 'RCUR', 'active'], ['g2', 'FRST', 'suspended']])
    const p2 = (await d.storage.payments!.listPayments(siteId, { payerId: 'g2' })).items[0]!
    expect(p2.status).toBe('refused')
    const inv2 = (await d.storage.invoicing!.getInvoice(siteId, 'b-2026-12:g2'))!
    expect(invoiceBalance(inv2, [], [p2]).outstandingMinor).toBe(2660n)
    const again = await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml) })
    expect(again.imported).toEqual([])
    expect(again.duplicates).toEqual(['E1', 'E2', 'E3', 'E4'].map((ref) => `FR7630006000019876543210123|${ref}`))
    const replayed = await recordDirectDebitReturn(onDay(d, '2027-01-14'), { siteId, endToEndId: dd.instructions[1]!.endToEndId, reasonCode: 'AC04', date: '2027-01-14' })
    expect(replayed.alreadyApplied).toBe(true)
    expect(replayed.walletReversal).toBeNull() // nothing moved again in the wallet ledger
  })
})

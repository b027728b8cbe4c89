import { isEcoleError, walletAccountId, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { createDeposit, createInvoiceBatch, deleteDeposit, issueInvoiceCreditNote, recordPayment, validateDrafts, type BillingDeps } from './index'

const siteId = 'site-1'
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const charges = (): InvoiceChargeLine[] =>
  [1, 2, 3, 4].map((d) => ({ chargeId: `meal-${d}`, debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: `2026-12-0${d}` as LocalDate, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n }))
const batch = { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }
const invoiceId = 'dec:g1'
const audit = () => [{ id: 'a1', siteId, at: '2027-01-20T09:00:00.000Z', actor: { kind: 'user' as const, id: 'u1' }, action: 'x', subject: { kind: 'payment', id: 'p1' } }]
const cheque = (id: string, amount = '40.00') => ({ id, siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', amount })

async function drafts(): Promise<BillingDeps> {
  const deps: BillingDeps = { storage: createMemoryStorage(), clock }
  await createInvoiceBatch(deps, { batch, charges: charges() })
  return deps
}
async function oneInvoice(): Promise<BillingDeps> {
  const deps = await drafts()
  await validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04' })
  return deps
}

/** The refusal of a call: its code, the paths of its issues and its message. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; paths: string[]; message: string }> {
  try {
    await call
  } catch (error) {
    if (!isEcoleError(error)) throw error
    const issues = (error.details['issues'] ?? []) as Array<{ path: string }>
    return { code: error.code, paths: issues.map((i) => i.path), message: error.message }
  }
  throw new Error('the call was not refused')
}

const storedPayments = async (deps: BillingDeps) => (await deps.storage.payments!.listPayments(siteId, { payerId: 'g1' })).items
const wallet = async (deps: BillingDeps) => (await deps.storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')]))[0]?.posted ?? 0n
const audits = async (deps: BillingDeps) => (await deps.storage.audit!.listAuditEntries(siteId, {}, { limit: 100 })).items.length

describe('recordPayment reads its options key by key', () => {
  it('refuses a misspelt walletOnly (`walletonly`) naming `walletOnly`, and neither settles the invoice nor credits the wallet', async () => {
    const deps = await oneInvoice()
    const r = await refusal(recordPayment(deps, cheque('p1'), { walletonly: true } as never))
    expect(r.code).toBe('INVALID_INPUT')
    expect(r.paths).toEqual(['options.walletonly'])
    expect(r.message).toContain('did you mean `walletOnly`?')
    expect(await storedPayments(deps)).toEqual([])
    expect(await wallet(deps)).toBe(0n)
  })

  it('refuses walletOnly given as the string "yes" instead of reading it as true', async () => {
    const deps = await oneInvoice()
    expect(await refusal(recordPayment(deps, cheque('p1'), { walletOnly: 'yes' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.walletOnly'] })
    expect(await storedPayments(deps)).toEqual([])
  })

  it('refuses `expectedOutstandingMinor`, naming `expectOutstandingMinor`: the concurrency check is never skipped silently', async () => {
    const deps = await oneInvoice()
    const r = await refusal(recordPayment(deps, { ...cheque('p1'), invoiceId }, { expectedOutstandingMinor: 10_000n } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.expectedOutstandingMinor'] })
    expect(r.message).toContain('`expectOutstandingMinor`')
    expect(await storedPayments(deps)).toEqual([])
  })

  it('refuses `timezone`, naming `timeZone`: a wallet credit is never dated in a zone the caller did not mean', async () => {
    const deps = await oneInvoice()
    const r = await refusal(recordPayment(deps, cheque('p1', '500.00'), { timezone: 'Pacific/Kiritimati' } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.timezone'] })
    expect(r.message).toContain('`timeZone`')
    expect(await wallet(deps)).toBe(0n)
  })

  it('refuses `audt`, naming `audit`: a payment is never stored without the entries the caller asked for', async () => {
    const deps = await oneInvoice()
    const r = await refusal(recordPayment(deps, cheque('p1'), { audt: audit } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.audt'] })
    expect(r.message).toContain('`audit`')
    expect(await storedPayments(deps)).toEqual([])
  })

  it('refuses a string given as the options instead of allocating the payment as if there were none', async () => {
    const deps = await oneInvoice()
    expect(await refusal(recordPayment(deps, cheque('p1'), 'walletOnly' as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options'] })
    expect(await storedPayments(deps)).toEqual([])
  })

  it('still credits the wallet with walletOnly spelt right', async () => {
    const deps = await oneInvoice()
    await recordPayment(deps, cheque('p1'), { walletOnly: true })
    expect(await wallet(deps)).toBe(4_000n)
  })
})

describe('validateDrafts reads its input and options key by key', () => {
  it('refuses `numbering_`, naming `numbering`, and validates nothing in the default series', async () => {
    const deps = await drafts()
    const r = await refusal(validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04', numbering_: { prefix: 'CANT-{YYYY}-' } } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['input.numbering_'] })
    expect(r.message).toContain('`numbering`')
    expect((await deps.storage.invoicing!.getInvoice(siteId, invoiceId))?.status).toBe('draft')
  })

  it('refuses `paymentReference` (singular), naming `paymentReferences`, rather than issuing invoices without a reference', async () => {
    const deps = await drafts()
    const r = await refusal(validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04', paymentReference: { scheme: 'rf', siteCode: '042' } } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['input.paymentReference'] })
    expect(r.message).toContain('`paymentReferences`')
    expect((await deps.storage.invoicing!.getInvoice(siteId, invoiceId))?.status).toBe('draft')
  })

  it('refuses the options `audits` and `audt`, naming `audit`, rather than validating without audit entries', async () => {
    for (const key of ['audits', 'audt']) {
      const deps = await drafts()
      const r = await refusal(validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04' }, { [key]: audit } as never))
      expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: [`options.${key}`] })
      expect(r.message).toContain('`audit`')
      expect(await audits(deps)).toBe(0)
      expect((await deps.storage.invoicing!.getInvoice(siteId, invoiceId))?.status).toBe('draft')
    }
  })
})

describe('createInvoiceBatch reads its input and options key by key', () => {
  it('refuses an unknown key of the input or the options (`audt`), naming `audit`, and stores no batch', async () => {
    const deps: BillingDeps = { storage: createMemoryStorage(), clock }
    expect(await refusal(createInvoiceBatch(deps, { batch, charges: charges(), audt: audit } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['input.audt'] })
    const r = await refusal(createInvoiceBatch(deps, { batch, charges: charges() }, { audt: audit } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.audt'] })
    expect(r.message).toContain('`audit`')
    expect(await deps.storage.invoicing!.getInvoiceBatch(siteId, 'dec')).toBeUndefined()
  })

  it('refuses showOpenBalances given as the string "no" instead of reading it as true', async () => {
    const deps: BillingDeps = { storage: createMemoryStorage(), clock }
    expect(await refusal(createInvoiceBatch(deps, { batch, charges: charges(), showOpenBalances: 'no' } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['input.showOpenBalances'] })
  })
})

describe('createDeposit and deleteDeposit read their input key by key', () => {
  it('refuses paymentIds given as one string, naming paymentIds, instead of looking up each of its characters', async () => {
    const deps = await oneInvoice()
    await recordPayment(deps, { ...cheque('cash1'), method: 'cash' })
    const r = await refusal(createDeposit(deps, { siteId, deposit: { id: 'dep-1', method: 'cash', bankAccountId: 'acc-1', date: '2027-01-12' }, paymentIds: 'cash1' } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['input.paymentIds'] })
  })

  it('refuses a misspelt option of a deposit (`audt`), naming `audit`', async () => {
    const deps = await oneInvoice()
    await recordPayment(deps, { ...cheque('cash1'), method: 'cash' })
    const input = { siteId, deposit: { id: 'dep-1', method: 'cash', bankAccountId: 'acc-1', date: '2027-01-12' }, paymentIds: ['cash1'] }
    expect(await refusal(createDeposit(deps, input, { audt: audit } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.audt'] })
    expect(await deps.storage.payments!.getDeposit(siteId, 'dep-1')).toBeUndefined()
    await createDeposit(deps, input)
    expect(await refusal(deleteDeposit(deps, { siteId, depositID: 'dep-1' } as never))).toMatchObject({ code: 'INVALID_INPUT' })
    expect(await deps.storage.payments!.getDeposit(siteId, 'dep-1')).toBeDefined()
  })
})

describe('issueInvoiceCreditNote reads its input and options key by key', () => {
  it('refuses a misspelt key of the input (`numbring`) or the options (`audt`), and issues no note', async () => {
    const deps = await oneInvoice()
    const input = { siteId, invoiceId, issueDate: '2027-01-10' as LocalDate, creditNote: { id: 'cn1', reason: 'Grève', scope: { kind: 'amount' as const, amount: '25.00' } } }
    const r = await refusal(issueInvoiceCreditNote(deps, { ...input, numbring: { creditNotePrefix: 'AVOIR-' } } as never))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['input.numbring'] })
    expect(r.message).toContain('`numbering`')
    expect(await refusal(issueInvoiceCreditNote(deps, input, { audt: audit } as never))).toMatchObject({ code: 'INVALID_INPUT', paths: ['options.audt'] })
    expect(await deps.storage.invoicing!.listCreditNotes(siteId, [invoiceId])).toEqual([])
  })
})

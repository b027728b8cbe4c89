/**
 * The back office's money procedures over the library's workflows (issue 18): invoice batches
 * created in the background with their progress, the charges of a period priced from the stored
 * bookings and billing rules, the debtors and creditors of a billing office, a payer's account
 * movements. The screens are in `batches.tsx`, `bank.tsx`, `reminders.tsx` and `accounts.tsx`.
 */
import {
  buildChargeLines, defineInvoiceBatch, invoiceBalance, invoiceChargeLinesFromBilling, isEcoleError, prepareChargeConfig, type Actor, type BillableDay, type BillingRule, type ChargeConfigInput,
  type CreditNote, type Guardian, type Invoice, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate, type Payment,
} from '@ecole/core'
import type { Page, PageRequest, StoragePorts } from '@ecole/core/ports'
import { createInvoiceBatch, type BillingDeps } from '@ecole/workflows'
import { randomUUID } from 'node:crypto'
import { recordStaffChanges } from './staff-audit'

/** Every item of a paginated read. */
export async function readAllPages<T>(read: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = []
  let after: string | undefined
  do {
    const page = await read({ limit: 500, ...(after ? { after } : {}) })
    out.push(...page.items)
    after = page.next
  } while (after)
  return out
}

/**
 * The unit prices of the demo's invoiced services (the library stores no tariffs: a host gap
 * written down in docs/back-office.md), in the format of `ChargeConfigInput.pricing`.
 */
export const STAFF_TARIFFS: Readonly<Record<string, { amount: string; mode: 'booked' | 'attended' }>> = {
  cantine: { amount: '3.20', mode: 'booked' },
  garderie: { amount: '2.50', mode: 'booked' },
  'centre-loisirs': { amount: '12.00', mode: 'booked' },
}

/**
 * The charge lines of a period: the stored bookings of the services chosen (not cancelled),
 * priced with {@link STAFF_TARIFFS} and billed to whom the stored billing rules say, through the
 * library's `buildChargeLines`.
 */
export async function periodCharges(
  storage: StoragePorts,
  input: { siteId: string; billingOfficeId: string; currency: string; from: LocalDate; to: LocalDate; serviceIds: readonly string[] },
  onProgress: (step: string) => void = () => {},
): Promise<InvoiceChargeLine[]> {
  const { siteId } = input
  const wanted = new Set(input.serviceIds.filter((s) => STAFF_TARIFFS[s] !== undefined))
  onProgress('reading bookings')
  const bookings = (await readAllPages((p) => storage.bookings!.listBookings(siteId, { from: input.from, to: input.to }, p))).filter((b) => b.status === 'booked' && wanted.has(b.serviceId))
  const beneficiaryIds = [...new Set(bookings.map((b) => b.beneficiaryId))]
  // the rules of the booked beneficiaries only, 1,000 at a time (a rule covering two of them comes once)
  const ruleById = new Map<string, BillingRule>()
  for (let i = 0; i < beneficiaryIds.length; i += 1000) {
    for (const r of await storage.directory!.listBillingRulesOf(siteId, beneficiaryIds.slice(i, i + 1000))) ruleById.set(r.id, r)
  }
  const rules = [...ruleById.values()]
  const days: BillableDay[] = bookings.map((b) => ({ beneficiaryId: b.beneficiaryId, serviceId: b.serviceId, date: b.date, booked: true }))
  const beneficiaries = beneficiaryIds.map((id) => ({ id }))
  const config: ChargeConfigInput = {
    rules,
    services: [...wanted].map((id) => ({ id, billing: 'invoiced' as const, billingOfficeId: input.billingOfficeId })),
    billingOffices: [{ id: input.billingOfficeId, currency: input.currency, roundingMode: 'halfUp' }],
    pricing: [...wanted].map((id) => ({ serviceId: id, mode: { kind: STAFF_TARIFFS[id]!.mode }, tariffs: [{ from: '2000-01-01', tariff: { kind: 'fixed' as const, price: { amount: STAFF_TARIFFS[id]!.amount, currency: input.currency } } }] })),
    beneficiaries,
  }
  onProgress(`pricing ${days.length} booked days`)
  const priced = buildChargeLines(prepareChargeConfig(config), days)
  return invoiceChargeLinesFromBilling(priced.groups)
}

/** A batch being created in the background, and what the progress page shows. */
export interface BatchJob {
  id: string
  siteId: string
  batchId: string
  /** The steps done so far, in order (the library's `onProgress` and the host's own). */
  steps: string[]
  state: 'running' | 'done' | 'failed'
  result?: { drafts: number; belowMinimum: number; alreadyBilled: number } | undefined
  error?: string | undefined
}

const jobs = new Map<string, BatchJob>()

/** A batch job of the site, if this process runs or ran it. */
export function batchJob(siteId: string, jobId: string): BatchJob | undefined {
  const job = jobs.get(jobId)
  return job && job.siteId === siteId ? job : undefined
}

/**
 * Checks a batch form with the library's schema (throws its `EcoleError`, nothing stored), then
 * creates the batch in the background: the progress page reads the job's steps until it is done.
 */
export function startBatchJob(deps: BillingDeps, actor: Actor, input: { batch: InvoiceBatchInput; currency: string }): BatchJob {
  const batch = defineInvoiceBatch(input.batch)
  const job: BatchJob = { id: randomUUID(), siteId: actor.siteId, batchId: batch.id, steps: [], state: 'running' }
  jobs.set(job.id, job)
  const step = (s: string) => void job.steps.push(s)
  void (async () => {
    try {
      const charges = await periodCharges(deps.storage, { siteId: actor.siteId, billingOfficeId: batch.billingOfficeId, currency: input.currency, from: batch.period.from, to: batch.period.to, serviceIds: batch.serviceIds }, step)
      step(`${charges.length} charge lines`)
      const r = await createInvoiceBatch(deps, { batch: input.batch, charges, onProgress: step })
      await recordStaffChanges(deps.storage, actor, deps.clock.now(), [{ action: 'invoiceBatch.created', subject: { kind: 'invoiceBatch', id: batch.id }, after: { drafts: r.drafts.length, period: batch.period } }])
      job.result = { drafts: r.drafts.length, belowMinimum: r.belowMinimum.length, alreadyBilled: r.skipped.alreadyBilled }
      job.state = 'done'
      step('done')
    } catch (error) {
      job.state = 'failed'
      job.error = isEcoleError(error) ? error.message : 'internal error'
      if (!isEcoleError(error)) console.error('[school-web] batch job failed', error)
    }
  })()
  return job
}

/** Waits until a job is no longer running (tests and the no-JS page use the progress page instead). */
export async function settledJob(job: BatchJob, timeoutMs = 30_000): Promise<BatchJob> {
  const end = Date.now() + timeoutMs
  while (job.state === 'running' && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
  return job
}

/** A guardian's name (first and last), or their id when the directory has no record. */
export async function guardianNames(storage: StoragePorts, siteId: string, ids: Iterable<string>): Promise<Map<string, string>> {
  // one directory read per 1,000 payers (the port's limit per call): a page of drafts reads its payers' names in one query
  const unique = [...new Set(ids)]
  const found = new Map<string, Guardian>()
  for (let i = 0; i < unique.length; i += 1000) {
    for (const [id, g] of await storage.directory!.getDirectoryRecords(siteId, 'guardian', unique.slice(i, i + 1000))) found.set(id, g)
  }
  return new Map(unique.map((id) => {
    const g = found.get(id)
    return [id, g ? `${g.firstName} ${g.lastName}` : id]
  }))
}

/** The site's validated invoices, credit notes and recorded payments, with each invoice's balance. */
export async function siteAccounts(storage: StoragePorts, siteId: string, filter: { payerId?: string; billingOfficeId?: string } = {}) {
  const invoices = await readAllPages((p) => storage.invoicing!.listInvoices(siteId, { ...(filter.payerId ? { debtorId: filter.payerId } : {}), ...(filter.billingOfficeId ? { billingOfficeId: filter.billingOfficeId } : {}), status: 'validated' }, p))
  const creditNotes: CreditNote[] = invoices.length === 0 ? [] : await storage.invoicing!.listCreditNotes(siteId, invoices.map((i) => i.id))
  const payments: Payment[] = await readAllPages((p) => storage.payments!.listPayments(siteId, { ...(filter.payerId ? { payerId: filter.payerId } : {}) }, p))
  const recorded = payments.filter((p) => p.status === 'recorded')
  const balances = new Map(invoices.map((i) => [i.id, invoiceBalance(i, creditNotes, recorded)]))
  return { invoices, creditNotes, payments, balances }
}

/** A debtor (money owed on invoices) or creditor (money in a prepaid wallet) of a billing office. */
export interface PayerBalance {
  payerId: string
  name: string
  /** What the payer's validated invoices still owe, minor units. */
  owedMinor: bigint
  /** What the payer's wallet holds, minor units. */
  walletMinor: bigint
  currency: string
}

/**
 * The debtors (validated invoices not fully paid) and creditors (a wallet with money) of a
 * billing office, with names, largest first.
 */
export async function debtorsAndCreditors(storage: StoragePorts, siteId: string, billingOfficeId: string): Promise<{ debtors: PayerBalance[]; creditors: PayerBalance[] }> {
  const { invoices, balances } = await siteAccounts(storage, siteId, { billingOfficeId })
  const owed = new Map<string, bigint>()
  let currency = 'EUR'
  for (const i of invoices) {
    currency = i.currency
    owed.set(i.debtorId, (owed.get(i.debtorId) ?? 0n) + balances.get(i.id)!.outstandingMinor)
  }
  const wallets = storage.ledger ? await readAllPages((p) => storage.ledger!.listAccounts(siteId, { kind: 'wallet', billingOfficeId }, p)) : []
  const walletBalances = wallets.length === 0 ? [] : await storage.ledger!.getBalances(siteId, wallets.map((w) => w.id))
  const held = new Map<string, bigint>()
  for (const w of wallets) {
    const b = walletBalances.find((x) => x.accountId === w.id)
    if (b && w.kind === 'wallet') held.set(w.guardianId, (held.get(w.guardianId) ?? 0n) + b.posted)
  }
  const names = await guardianNames(storage, siteId, [...owed.keys(), ...held.keys()])
  const row = (payerId: string): PayerBalance => ({ payerId, name: names.get(payerId) ?? payerId, owedMinor: owed.get(payerId) ?? 0n, walletMinor: held.get(payerId) ?? 0n, currency })
  const byAmount = (f: (r: PayerBalance) => bigint) => (a: PayerBalance, b: PayerBalance) => (f(b) > f(a) ? 1 : f(b) < f(a) ? -1 : a.name.localeCompare(b.name))
  return {
    debtors: [...owed].filter(([, m]) => m > 0n).map(([id]) => row(id)).sort(byAmount((r) => r.owedMinor)),
    creditors: [...held].filter(([, m]) => m > 0n).map(([id]) => row(id)).sort(byAmount((r) => r.walletMinor)),
  }
}

/** One movement of a payer's account: an invoice, a credit note, a payment (or its refusal), a wallet transfer. */
export interface AccountMovement {
  date: string
  kind: 'invoice' | 'creditNote' | 'payment' | 'paymentRefused' | 'wallet'
  label: string
  /** What the payer owes more (an invoice) as a positive debit, what they paid as a credit. */
  debitMinor: bigint
  creditMinor: bigint
  currency: string
  href?: string | undefined
}

/**
 * A payer's account (seed 001, "compte d'un responsable"): invoices, credit notes and payments
 * (a refused direct debit owed again) by date, and, apart, the movements of their prepaid
 * wallets (money in, money spent).
 */
export async function accountMovements(storage: StoragePorts, siteId: string, payerId: string): Promise<{ movements: AccountMovement[]; wallet: AccountMovement[] }> {
  const { invoices, creditNotes, payments } = await siteAccounts(storage, siteId, { payerId })
  const out: AccountMovement[] = []
  for (const i of invoices) out.push({ date: i.issueDate ?? i.periodTo, kind: 'invoice', label: i.number ?? i.id, debitMinor: i.totalMinor, creditMinor: 0n, currency: i.currency, href: `/staff/invoices/${encodeURIComponent(i.id)}` })
  for (const c of creditNotes) out.push({ date: c.issueDate, kind: 'creditNote', label: `${c.number} (${invoices.find((i) => i.id === c.invoiceId)?.number ?? c.invoiceId})`, debitMinor: 0n, creditMinor: c.amountMinor, currency: c.currency })
  for (const p of payments) {
    out.push({ date: p.date, kind: 'payment', label: p.method, debitMinor: 0n, creditMinor: p.amountMinor, currency: p.currency })
    if (p.status === 'refused') out.push({ date: p.refusal?.date ?? p.date, kind: 'paymentRefused', label: `${p.method} ${p.refusal?.reasonCode ?? ''}`.trim(), debitMinor: p.amountMinor, creditMinor: 0n, currency: p.currency })
  }
  const wallet: AccountMovement[] = []
  if (storage.ledger) {
    const accounts = await readAllPages((p) => storage.ledger!.listAccounts(siteId, { kind: 'wallet', guardianId: payerId }, p))
    for (const w of accounts) {
      const transfers = await readAllPages((p) => storage.ledger!.listTransfers(siteId, { accountId: w.id }, p))
      for (const { transfer: t } of transfers) {
        const into = t.creditAccountId === w.id
        wallet.push({ date: t.timestamp.toISOString().slice(0, 10), kind: 'wallet', label: t.code, debitMinor: into ? 0n : t.amount, creditMinor: into ? t.amount : 0n, currency: t.currency ?? w.currency })
      }
    }
  }
  const byDate = (a: AccountMovement, b: AccountMovement) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)
  return { movements: out.sort(byDate), wallet: wallet.sort(byDate) }
}

/** The invoice numbers of a list of invoices, for messages. */
export function numbersOf(invoices: readonly Invoice[]): string {
  return invoices.map((i) => i.number ?? i.id).join(', ')
}

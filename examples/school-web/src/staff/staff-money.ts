/**
 * The back office's money procedures over the library's workflows (issue 18): invoice batches
 * created in the background with their progress, the charges of a period priced from the stored
 * bookings and billing rules, the debtors and creditors of a billing office, a payer's account
 * movements. The screens are in `batches.tsx`, `bank.tsx`, `reminders.tsx` and `accounts.tsx`.
 */
import {
  buildChargeLines, CREDIT_NOTE_EXCESS_METHOD, defineInvoiceBatch, type InvoiceBatch, EcoleError, invoiceBalance, invoiceChargeLinesFromBilling, isEcoleError, prepareChargeConfig, quotientRecordsOf, servicePricingOf, type Actor, type AttendanceStatus, type BillableDay, type BillingRule, type ChargeConfigInput,
  type CreditNote, type Guardian, type QuotientRecord, type Invoice, type InvoiceBatchInput, type InvoiceBatchJob, type InvoiceBatchJobStatus, invoiceBatchJobStatus, type InvoiceChargeLine, type LocalDate, type Payment,
} from '@ecole/core'
import type { Page, PageRequest, StoragePorts } from '@ecole/core/ports'
import { createInvoiceBatch, type BillingDeps } from '@ecole/workflows'
import { randomUUID } from 'node:crypto'
import { staffAudit } from './staff-audit'

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
 * The services of `serviceIds` that are invoiced but have no stored pricing (directory records of
 * kind `servicePricing`, set on the tariffs screen): a batch of them cannot be priced.
 */
export async function unpricedServices(storage: StoragePorts, siteId: string, serviceIds: readonly string[]): Promise<string[]> {
  const services = await storage.directory!.getDirectoryRecords(siteId, 'service', serviceIds)
  const invoiced = serviceIds.filter((id) => services.get(id)?.billing === 'invoiced')
  const pricing = await storage.directory!.getDirectoryRecords(siteId, 'servicePricing', invoiced)
  return invoiced.filter((id) => !pricing.has(id))
}

/**
 * The charge lines of a period: the stored bookings of the invoiced services chosen (not
 * cancelled) with their attendance, priced with the services' stored tariffs and the payers'
 * stored family quotients, billed to whom the stored billing rules say, through the library's
 * `buildChargeLines`. Prepaid services are settled through the wallet and give no line.
 *
 * @throws EcoleError `INVALID_INPUT` naming the services that have no stored pricing.
 */
export async function periodCharges(
  storage: StoragePorts,
  input: { siteId: string; billingOfficeId: string; currency: string; from: LocalDate; to: LocalDate; serviceIds: readonly string[] },
  onProgress: (progress: { step: 'bookings' | 'pricing'; done: number; total: number }) => void = () => {},
): Promise<InvoiceChargeLine[]> {
  const { siteId } = input
  const directory = storage.directory!
  const unpriced = await unpricedServices(storage, siteId, input.serviceIds)
  if (unpriced.length > 0) throw new EcoleError('INVALID_INPUT', `serviceIds: ${unpriced.join(', ')} has no stored pricing (set its tariffs first)`)
  const services = await directory.getDirectoryRecords(siteId, 'service', input.serviceIds)
  // the invoiced services of this billing office (another office's services are its own batches)
  const wanted = new Set(input.serviceIds.filter((id) => services.get(id)?.billing === 'invoiced' && services.get(id)?.billingOfficeId === input.billingOfficeId))
  const pricing = [...(await directory.getDirectoryRecords(siteId, 'servicePricing', [...wanted])).values()].map(servicePricingOf)
  onProgress({ step: 'bookings', done: 0, total: 0 })
  const bookings = (await readAllPages((p) => storage.bookings!.listBookings(siteId, { from: input.from, to: input.to }, p))).filter((b) => b.status === 'booked' && wanted.has(b.serviceId))
  onProgress({ step: 'bookings', done: bookings.length, total: bookings.length })
  const attendance = new Map<string, AttendanceStatus>()
  for (const m of await readAllPages((p) => storage.bookings!.listAttendance(siteId, { from: input.from, to: input.to }, p))) {
    if (wanted.has(m.serviceId)) attendance.set(`${m.beneficiaryId}|${m.serviceId}|${m.date}`, m.status)
  }
  const beneficiaryIds = [...new Set(bookings.map((b) => b.beneficiaryId))]
  // the rules of the booked beneficiaries only, 1,000 at a time (a rule covering two of them comes once)
  const ruleById = new Map<string, BillingRule>()
  for (let i = 0; i < beneficiaryIds.length; i += 1000) {
    for (const r of await directory.listBillingRulesOf(siteId, beneficiaryIds.slice(i, i + 1000))) ruleById.set(r.id, r)
  }
  const rules = [...ruleById.values()]
  // the family quotients of the payers the rules name (one record per guardian, read by id)
  const payerIds = [...new Set(rules.flatMap((r) => r.payers.map((p) => p.guardianId)))]
  const quotients: QuotientRecord[] = []
  for (let i = 0; i < payerIds.length; i += 1000) quotients.push(...quotientRecordsOf([...(await directory.getDirectoryRecords(siteId, 'familyQuotient', payerIds.slice(i, i + 1000))).values()]))
  const days: BillableDay[] = bookings.map((b) => {
    // present or absent as the roll call says; an excused absence (medical certificate) is free in every billing mode
    const status = attendance.get(`${b.beneficiaryId}|${b.serviceId}|${b.date}`)
    return { beneficiaryId: b.beneficiaryId, serviceId: b.serviceId, date: b.date, booked: true, ...(status !== undefined ? { attended: status === 'present' } : {}), ...(status === 'excused' ? { justifiedAbsence: true } : {}) }
  })
  const children = new Map<string, { birthDate: LocalDate }>()
  for (let i = 0; i < beneficiaryIds.length; i += 1000) for (const [id, ch] of await directory.getDirectoryRecords(siteId, 'child', beneficiaryIds.slice(i, i + 1000))) children.set(id, ch)
  const beneficiaries = beneficiaryIds.map((id) => {
    const child = children.get(id)
    // a beneficiary who is not a child is an adult booking their own meals (seed 001)
    return child ? { id, birthDate: child.birthDate } : { id, adult: true }
  })
  const config: ChargeConfigInput = {
    rules,
    services: [...wanted].map((id) => ({ id, billing: 'invoiced' as const, billingOfficeId: input.billingOfficeId })),
    billingOffices: [{ id: input.billingOfficeId, currency: input.currency, roundingMode: 'halfUp' }],
    pricing,
    beneficiaries,
    quotients,
  }
  onProgress({ step: 'pricing', done: 0, total: days.length })
  const priced = buildChargeLines(prepareChargeConfig(config), days)
  onProgress({ step: 'pricing', done: days.length, total: days.length })
  return invoiceChargeLinesFromBilling(priced.groups)
}

/**
 * The first day whose charges a new batch reads: its period's first day, or earlier when charges
 * held back under an earlier batch's minimum wait for it (docs/invoicing.md: "the charges wait for
 * a later batch"). For each service of the batch, the finished batch job of the same billing office
 * that billed it for the latest period says from which day it held charges back
 * (`result.heldBackFrom`; a job stored before it was recorded, and that held some back, counts from
 * its period's first day). Reading every earlier booking at each batch would cost a city a year of
 * bookings a month; this reads the held-back days only. A service no finished job billed starts at
 * the period: a site's history is never billed by surprise. Known limits: days of a service that no
 * batch covered (a month skipped), charges freed by deleting an earlier batch's drafts after a later
 * batch ran, and a batch made outside the back office (no job) are not read again.
 */
export async function carryFrom(deps: BillingDeps, batch: InvoiceBatch): Promise<LocalDate> {
  const jobs = (await readAllPages((p) => deps.storage.directory!.listDirectoryRecords(batch.siteId, 'invoiceBatchJob', p)))
    .filter((j) => j.state === 'done' && j.result !== null && j.batchId !== batch.id)
  // the finished jobs of the office's other batches, latest period first (then latest started)
  const runs: Array<{ job: InvoiceBatchJob; earlier: InvoiceBatch }> = []
  const batches = new Map<string, InvoiceBatch | undefined>()
  for (const job of jobs) {
    if (!batches.has(job.batchId)) batches.set(job.batchId, await deps.storage.invoicing!.getInvoiceBatch(batch.siteId, job.batchId))
    const earlier = batches.get(job.batchId)
    if (earlier && earlier.billingOfficeId === batch.billingOfficeId) runs.push({ job, earlier })
  }
  runs.sort((a, b) => b.earlier.period.to.localeCompare(a.earlier.period.to) || b.job.startedAt.localeCompare(a.job.startedAt))
  let from = batch.period.from
  const open = new Set(batch.serviceIds)
  for (const { job, earlier } of runs) {
    if (open.size === 0) break
    if (!earlier.serviceIds.some((id) => open.has(id))) continue
    for (const id of earlier.serviceIds) open.delete(id)
    const result = job.result!
    const held = result.heldBackFrom === undefined ? (result.belowMinimum > 0 ? earlier.period.from : null) : result.heldBackFrom
    if (held !== null && held < from) from = held
  }
  return from
}

/** How batch jobs are kept: how often a running job is written (its heartbeat), and when a silent one counts as interrupted. */
export interface BatchJobTiming {
  /** A running job's state is written at most this often (and at least this often, as its heartbeat). */
  writeEveryMs: number
  /** A queued or running job not written for this long is shown as interrupted (its process stopped). */
  staleAfterMs: number
}

/** The default timing: written every second, interrupted after 30 s of silence. */
export const BATCH_JOB_TIMING: BatchJobTiming = { writeEveryMs: 1_000, staleAfterMs: 30_000 }

/** What the progress page shows of a job: the job and its status (`interrupted` when its process stopped writing it). */
export interface BatchJobView {
  job: InvoiceBatchJob
  status: InvoiceBatchJobStatus
}

/**
 * The jobs this process runs, fresher than their stored copy (on PGlite the store waits for the
 * batch's transaction), per storage: two hosts of one process over two databases never show each
 * other's jobs.
 */
const runningByStorage = new WeakMap<object, Map<string, InvoiceBatchJob>>()

/** The job objects whose background run has not finished (its last write included), by identity. */
const unsettled = new WeakSet<InvoiceBatchJob>()

function runningOf(deps: BillingDeps): Map<string, InvoiceBatchJob> {
  let jobs = runningByStorage.get(deps.storage)
  if (!jobs) runningByStorage.set(deps.storage, (jobs = new Map()))
  return jobs
}

/**
 * A batch job of the site, from whichever process started it: the one this process runs, else
 * the stored record (directory kind `invoiceBatchJob`), `interrupted` when it has not been written
 * for `timing.staleAfterMs`.
 */
export async function batchJob(deps: BillingDeps, siteId: string, jobId: string, timing: BatchJobTiming = BATCH_JOB_TIMING): Promise<BatchJobView | undefined> {
  const mine = runningOf(deps).get(jobId)
  if (mine && mine.siteId === siteId) return { job: mine, status: mine.state }
  const stored = await deps.storage.directory!.getDirectoryRecord(siteId, 'invoiceBatchJob', jobId)
  return stored ? { job: stored, status: invoiceBatchJobStatus(stored, deps.clock.now(), timing.staleAfterMs) } : undefined
}

/** A job of the site creating `batchId` that is still queued or running (not interrupted), from any process. */
export async function activeBatchJob(deps: BillingDeps, siteId: string, batchId: string, timing: BatchJobTiming = BATCH_JOB_TIMING): Promise<InvoiceBatchJob | undefined> {
  const now = deps.clock.now()
  const jobs = await readAllPages((p) => deps.storage.directory!.listDirectoryRecords(siteId, 'invoiceBatchJob', p))
  const running = runningOf(deps)
  return jobs.find((j) => j.batchId === batchId && (running.has(j.id) || (invoiceBatchJobStatus(j, now, timing.staleAfterMs) !== 'interrupted' && j.state !== 'done' && j.state !== 'failed')))
}

/**
 * Checks a batch form with the library's schema (throws its `EcoleError`, nothing stored), stores
 * the job as queued, then creates the batch in the background. The job's state (steps as codes
 * with counts, result or error code, who started it, when) is written to the storage OUTSIDE the
 * batch's transaction, at most every `timing.writeEveryMs` and at least as often (its heartbeat),
 * so any process over the database shows the progress and the outcome. The audit entry of the
 * batch is written in the batch's own transaction.
 */
export async function startBatchJob(deps: BillingDeps, actor: Actor, input: { batch: InvoiceBatchInput; currency: string }, timing: BatchJobTiming = BATCH_JOB_TIMING): Promise<InvoiceBatchJob> {
  const batch = defineInvoiceBatch(input.batch)
  const directory = deps.storage.directory!
  const at = deps.clock.now().toISOString()
  const job: InvoiceBatchJob = { id: randomUUID(), siteId: actor.siteId, batchId: batch.id, state: 'queued', startedBy: actor.userId, startedAt: at, updatedAt: at, steps: [], result: null, error: null }
  await directory.putDirectoryRecord(actor.siteId, 'invoiceBatchJob', structuredClone(job))
  const running = runningOf(deps)
  running.set(job.id, job)
  unsettled.add(job)
  // one write at a time, each a copy of the job as it stands; started from this context (the
  // timer's), never from inside the batch's transaction
  let writing: Promise<void> | undefined
  const write = (): Promise<void> => {
    writing ??= (async () => {
      try {
        job.updatedAt = deps.clock.now().toISOString()
        await directory.putDirectoryRecord(actor.siteId, 'invoiceBatchJob', structuredClone(job))
      } catch (error) {
        console.error('[school-web] writing batch job failed', error)
      } finally {
        writing = undefined
      }
    })()
    return writing
  }
  const step = (code: string, done: number, total: number) => {
    job.state = 'running'
    const known = job.steps.find((s) => s.step === code)
    if (known) Object.assign(known, { done, total })
    else job.steps.push({ step: code, done, total })
  }
  const timer = setInterval(() => void write(), timing.writeEveryMs)
  void (async () => {
    try {
      job.state = 'running'
      // the period's charges, and those earlier batches held back under their minimum (billed by this one: `carriedOver`)
      const from = await carryFrom(deps, batch)
      const charges = await periodCharges(deps.storage, { siteId: actor.siteId, billingOfficeId: batch.billingOfficeId, currency: input.currency, from, to: batch.period.to, serviceIds: batch.serviceIds }, (p) => step(p.step, p.done, p.total))
      const r = await createInvoiceBatch(deps, { batch: input.batch, charges, carryOver: { from }, onProgress: (p) => step(p.step, p.done, p.total) }, {
        audit: staffAudit(actor, deps.clock.now(), (made) => [{ action: 'invoiceBatch.created', subject: { kind: 'invoiceBatch', id: made.batch.id }, after: { drafts: made.drafts.length, period: made.batch.period } }]),
      })
      job.result = {
        drafts: r.drafts.length, belowMinimum: r.belowMinimum.length, alreadyBilled: r.skipped.alreadyBilled,
        carriedOver: r.carriedOver.reduce((n, c) => n + c.chargeIds.length, 0), heldBackFrom: r.belowMinimum.map((b) => b.from).sort()[0] ?? null,
      }
      job.state = 'done'
    } catch (error) {
      job.state = 'failed'
      job.error = isEcoleError(error) ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: 'internal error' }
      if (!isEcoleError(error)) console.error('[school-web] batch job failed', error)
    } finally {
      clearInterval(timer)
      await writing
      await write()
      running.delete(job.id)
      unsettled.delete(job)
    }
  })()
  return job
}

/** Waits until a job is no longer queued or running (tests and the no-JS page use the progress page instead). */
export async function settledJob(job: InvoiceBatchJob, timeoutMs = 30_000): Promise<InvoiceBatchJob> {
  const end = Date.now() + timeoutMs
  while ((job.state === 'running' || job.state === 'queued' || unsettled.has(job)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
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

/** The most guardians a name filter of the debtor list looks up (ids passed to `listDebtorBalances`). */
export const DEBTOR_NAME_MATCHES = 10_000

/**
 * The ids of the guardians whose name matches `q` (the directory's indexed name search), at most
 * {@link DEBTOR_NAME_MATCHES}; `undefined` for an empty query (every guardian).
 */
export async function guardianIdsNamed(storage: StoragePorts, siteId: string, q: string): Promise<string[] | undefined> {
  if (q.trim() === '') return undefined
  const ids: string[] = []
  let after: string | undefined
  do {
    const page = await storage.directory!.searchDirectoryRecords(siteId, 'guardian', { name: q }, { limit: 1000, ...(after ? { after } : {}) })
    for (const g of page.items) ids.push(g.id)
    after = page.next
  } while (after && ids.length < DEBTOR_NAME_MATCHES)
  return ids.slice(0, DEBTOR_NAME_MATCHES)
}

/**
 * One page of a billing office's debtors (validated invoices not fully paid), largest first, with
 * the count and total over every page: summed in the storage (`listDebtorBalances`, one SQL
 * statement on PostgreSQL), only the page's names read from the directory. The page asked is
 * clamped to the pages there are.
 */
export async function debtorsPage(storage: StoragePorts, siteId: string, billingOfficeId: string, options: { q: string; page: number; size: number }): Promise<{ rows: PayerBalance[]; count: number; totalMinor: bigint; page: number; pages: number }> {
  const debtorIds = await guardianIdsNamed(storage, siteId, options.q)
  if (debtorIds !== undefined && debtorIds.length === 0) return { rows: [], count: 0, totalMinor: 0n, page: 1, pages: 1 }
  const query = { billingOfficeId, ...(debtorIds ? { debtorIds } : {}) }
  let page = Math.max(1, options.page)
  let result = await storage.invoicing!.listDebtorBalances(siteId, query, { limit: options.size, offset: (page - 1) * options.size })
  const count = result.totals.reduce((n, t) => n + t.debtors, 0)
  const pages = Math.max(1, Math.ceil(count / options.size))
  if (page > pages) {
    page = pages
    result = await storage.invoicing!.listDebtorBalances(siteId, query, { limit: options.size, offset: (page - 1) * options.size })
  }
  const names = await guardianNames(storage, siteId, result.items.map((r) => r.debtorId))
  return {
    rows: result.items.map((r) => ({ payerId: r.debtorId, name: names.get(r.debtorId) ?? r.debtorId, owedMinor: r.outstandingMinor, walletMinor: 0n, currency: r.currency })),
    count,
    totalMinor: result.totals.reduce((n, t) => n + t.outstandingMinor, 0n),
    page,
    pages,
  }
}

/**
 * The creditors of a billing office (a prepaid wallet with money), with names, largest first: the
 * office's wallets and their posted balances from the ledger.
 */
export async function creditorsOf(storage: StoragePorts, siteId: string, billingOfficeId: string): Promise<PayerBalance[]> {
  const wallets = storage.ledger ? await readAllPages((p) => storage.ledger!.listAccounts(siteId, { kind: 'wallet', billingOfficeId }, p)) : []
  const walletBalances = wallets.length === 0 ? [] : await storage.ledger!.getBalances(siteId, wallets.map((w) => w.id))
  const byAccount = new Map(walletBalances.map((b) => [b.accountId, b]))
  const held = new Map<string, { minor: bigint; currency: string }>()
  for (const w of wallets) {
    const b = byAccount.get(w.id)
    if (b && w.kind === 'wallet') held.set(w.guardianId, { minor: (held.get(w.guardianId)?.minor ?? 0n) + b.posted, currency: w.currency })
  }
  const positive = [...held].filter(([, h]) => h.minor > 0n)
  const names = await guardianNames(storage, siteId, positive.map(([id]) => id))
  return positive
    .map(([payerId, h]) => ({ payerId, name: names.get(payerId) ?? payerId, owedMinor: 0n, walletMinor: h.minor, currency: h.currency }))
    .sort((a, b) => (b.walletMinor > a.walletMinor ? 1 : b.walletMinor < a.walletMinor ? -1 : a.name.localeCompare(b.name)))
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
  /** For a refused payment: the bank's reason code (AM04...), shown in words. */
  reasonCode?: string | undefined
}

/**
 * A payer's account (seed 001, "compte d'un responsable"): invoices, credit notes and payments
 * (a refused direct debit owed again) by date. A credit note counts once, as its own credit: the
 * payment of method `creditNote` that carries its excess from a paid invoice moves that credit, it
 * brings no money, so it is not listed. Their prepaid wallets are read apart, month by
 * month, by `readAccountStatement` of `@ecole/workflows` (accounts.tsx).
 */
export async function accountMovements(storage: StoragePorts, siteId: string, payerId: string): Promise<{ movements: AccountMovement[] }> {
  const { invoices, creditNotes, payments } = await siteAccounts(storage, siteId, { payerId })
  const out: AccountMovement[] = []
  for (const i of invoices) out.push({ date: i.issueDate ?? i.periodTo, kind: 'invoice', label: i.number ?? i.id, debitMinor: i.totalMinor, creditMinor: 0n, currency: i.currency, href: `/staff/invoices/${encodeURIComponent(i.id)}` })
  for (const c of creditNotes) out.push({ date: c.issueDate, kind: 'creditNote', label: `${c.number} (${invoices.find((i) => i.id === c.invoiceId)?.number ?? c.invoiceId})`, debitMinor: 0n, creditMinor: c.amountMinor, currency: c.currency })
  for (const p of payments) {
    // a payment of method creditNote brought no money: it carries what a credit note freed on a paid
    // invoice (to the payer's other invoices or wallet), and that credit is the note's own line above
    if (p.method === CREDIT_NOTE_EXCESS_METHOD) continue
    out.push({ date: p.date, kind: 'payment', label: p.method, debitMinor: 0n, creditMinor: p.amountMinor, currency: p.currency })
    if (p.status === 'refused') out.push({ date: p.refusal?.date ?? p.date, kind: 'paymentRefused', label: p.method, ...(p.refusal?.reasonCode ? { reasonCode: p.refusal.reasonCode } : {}), debitMinor: p.amountMinor, creditMinor: 0n, currency: p.currency })
  }
  const byDate = (a: AccountMovement, b: AccountMovement) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)
  return { movements: out.sort(byDate) }
}

/** The invoice numbers of a list of invoices, for messages. */
export function numbersOf(invoices: readonly Invoice[]): string {
  return invoices.map((i) => i.number ?? i.id).join(', ')
}

/**
 * The month's invariants, checked from what the storage holds at the end of the run:
 * - every booked day of an invoiced service is billed exactly once, or explained (not chargeable
 *   under its billing mode, no billing rule, or its payer under the batch's minimum amount);
 * - every invoice's total is the sum of its lines and adjustments;
 * - the invoice numbers of the billing office are 1..n, without a gap or a repeat;
 * - the ledger is balanced (the debits of all accounts equal their credits) and no wallet is negative;
 * - every notice mail was delivered to the SMTP server, or is accounted for (its guardian refused mail);
 * - the bank statement is reconciled: every entry became a payment, a return, a wallet top-up or
 *   a settled debit, except the one unknown transfer kept for review, and every return refused
 *   its payment.
 */
import { walletAccountId, type Invoice } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { INVOICED_SERVICE_IDS, OFFICE, SITE_ID, type City } from './city'
import type { CityMonth } from './run-city'

/** One invariant: its rule as a sentence, whether it held, and what was found if not. */
export interface InvariantResult {
  rule: string
  ok: boolean
  detail: string
}

type Lister<T> = (page: { limit: number; after?: string }) => Promise<{ items: T[]; next?: string | undefined }>

/** Each page of a listing, one after the other: the month is checked a page at a time, never held whole. */
async function eachPage<T>(list: Lister<T>, fn: (items: T[]) => void): Promise<void> {
  let after: string | undefined
  do {
    const page = await list({ limit: 1000, ...(after ? { after } : {}) })
    fn(page.items)
    after = page.next
  } while (after)
}

async function readAll<T>(list: Lister<T>): Promise<T[]> {
  const out: T[] = []
  await eachPage(list, (items) => { for (const i of items) out.push(i) })
  return out
}

/**
 * Checks the month's invariants from what the storage holds, read a page at a time (the bookings
 * and invoices are not kept by the run); answers one result per rule.
 */
export async function checkInvariants(args: { city: City; storage: StoragePorts; month: CityMonth; documents: boolean }): Promise<InvariantResult[]> {
  const { storage, month } = args
  const results: InvariantResult[] = []
  const check = (rule: string, ok: boolean, detail: string) => results.push({ rule, ok, detail })

  // one pass over the invoices: the days billed, the totals, the numbers
  const billedTimes = new Map<string, number>()
  let invoiceCount = 0
  let badTotals = 0
  let adjusted = 0
  let drafts = 0
  const sequences: number[] = []
  await eachPage<Invoice>((p) => storage.invoicing!.listInvoices(SITE_ID, { billingOfficeId: OFFICE }, p), (page) => {
    for (const inv of page) {
      invoiceCount++
      for (const l of inv.lines) for (const d of l.dates) {
        const k = `${l.beneficiaryId}|${l.serviceId}|${d}`
        billedTimes.set(k, (billedTimes.get(k) ?? 0) + 1)
      }
      const lines = inv.lines.reduce((s, l) => s + l.amountMinor, 0n)
      if (lines !== inv.linesTotalMinor || inv.linesTotalMinor + inv.adjustmentsTotalMinor !== inv.totalMinor) badTotals++
      if (inv.adjustments.length > 0) adjusted++
      if (inv.status === 'draft') drafts++
      else sequences.push(inv.sequence!)
    }
  })

  // every booked day billed once or explained
  const invoiced = new Set<string>(INVOICED_SERVICE_IDS)
  const explained = new Set(month.unbilled.map((u) => u.key))
  const belowMinimumDays = new Set(month.belowMinimumDays)
  let bookedDays = 0
  let billedOnce = 0
  let unexplained = 0
  let twice = 0
  let explainedDays = 0
  let billedBooked = 0
  const examples: string[] = []
  await eachPage((p) => storage.bookings!.listBookings(SITE_ID, { from: args.city.month.from, to: args.city.month.to }, p), (page) => {
    for (const b of page) {
      if (b.status !== 'booked') continue
      const k = `${b.beneficiaryId}|${b.serviceId}|${b.date}`
      const n = billedTimes.get(k) ?? 0
      if (n > 0) billedBooked++
      if (!invoiced.has(b.serviceId)) continue
      bookedDays++
      if (n === 1) billedOnce++
      else if (n > 1) {
        twice++
        if (examples.length < 3) examples.push(`${k} billed ${n} times`)
      } else if (explained.has(k) || belowMinimumDays.has(k)) explainedDays++
      else {
        unexplained++
        if (examples.length < 3) examples.push(`${k} neither billed nor explained`)
      }
    }
  })
  // a day is booked once at most (one row per child, service and day): what was billed and not met above had no booking
  const billedUnbooked = billedTimes.size - billedBooked
  check('every booked day of an invoiced service is billed exactly once or explained, and nothing unbooked is billed',
    twice === 0 && unexplained === 0 && billedUnbooked === 0 && bookedDays > 0,
    `${bookedDays} booked days: ${billedOnce} billed once, ${explainedDays} explained (not chargeable, no rule or under the minimum), ${twice} billed twice, ${unexplained} unexplained, ${billedUnbooked} billed without a booking${examples.length ? `; e.g. ${examples.join('; ')}` : ''}`)

  // totals = sums of lines (+ adjustments)
  check('every invoice total is the sum of its lines and its adjustments', badTotals === 0 && invoiceCount > 0, `${invoiceCount} invoices (${adjusted} adjusted), ${badTotals} whose total differs`)

  // numbers 1..n
  sequences.sort((a, b) => a - b)
  const gapless = sequences.every((s, i) => s === i + 1)
  check('the invoice numbers are 1..n without a gap or a repeat, and no draft is left', gapless && drafts === 0 && sequences.length === month.invoices.length,
    `${sequences.length} numbers from ${sequences[0] ?? '-'} to ${sequences.at(-1) ?? '-'}; ${drafts} drafts left`)

  // ledger balanced
  const accounts = await readAll((p) => storage.ledger!.listAccounts(SITE_ID, {}, p))
  const balances = await storage.ledger!.getBalances(SITE_ID, accounts.map((a) => a.id))
  let debits = 0n
  let credits = 0n
  for (const b of balances) {
    debits += b.debitsPosted + b.debitsPending
    credits += b.creditsPosted + b.creditsPending
  }
  const wallets = await storage.ledger!.getBalances(SITE_ID, month.walletGuardians.map((g) => walletAccountId(g, OFFICE)))
  const negative = wallets.filter((w) => w.available < 0n).length
  check('the ledger is balanced (the debits of all accounts equal their credits) and no wallet is negative', debits === credits && debits > 0n && negative === 0,
    `${accounts.length} accounts, ${debits} debited, ${credits} credited (minor units), ${negative} negative wallets`)

  // every mail delivered or accounted for
  if (args.documents) {
    const d = month.delivery
    const ok = d !== undefined && d.delivered === month.mailRecipients && month.smtpReceived === month.mailRecipients && d.dead === 0 && d.retried === 0
    check('every notice mail is delivered to the SMTP server, or accounted for (its guardian refused mail)', ok,
      `${month.mailRecipients + month.mailsWithoutConsent} recipients: ${d?.delivered ?? 0} delivered by the outbox, ${month.smtpReceived} received by the SMTP server, ${month.mailsWithoutConsent} without consent (portal only), ${d?.retried ?? 0} to retry, ${d?.dead ?? 0} dead`)
    check('every validated invoice has its PDF', month.pdfs === month.invoices.length, `${month.pdfs} PDFs for ${month.invoices.length} invoices`)
  }

  // statement reconciled
  const s = month.statement
  const byKind = new Map<string, number>()
  for (const l of s.imported) byKind.set(l.outcome.kind, (byKind.get(l.outcome.kind) ?? 0) + 1)
  const review = (byKind.get('review') ?? 0) + (byKind.get('ignored') ?? 0)
  let refused = 0
  for (const e2e of month.returnedEndToEndIds) {
    const p = (await storage.payments!.listPayments(SITE_ID, { endToEndId: e2e })).items[0]
    if (p?.status === 'refused') refused++
  }
  check('the bank statement is reconciled: every entry matched but the one unknown transfer, every return refused its payment',
    s.imported.length === month.statementEntries && review === month.expectedReview && refused === month.returnedEndToEndIds.length,
    `${s.imported.length} of ${month.statementEntries} entries imported: ${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}; ${refused} of ${month.returnedEndToEndIds.length} returned debits refused`)
  return results
}

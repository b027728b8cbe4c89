import { reconcile, type BankStatement, type StatementEntry } from '@ecole/bank'
import { EcoleError, localDateOf, markSepaCollectionSettled, Money, type LocalDate, type Payment } from '@ecole/core'
import type { ImportedBankEntryOutcome } from '@ecole/core/ports'
import { recordDirectDebitReturnIn } from './direct-debits'
import { recordPaymentIn } from './record-payment'
import { loadAccounts, need, readAll, type BillingDeps } from './support'

/** One line of an import's report. */
export interface BankImportLine {
  /** The bank's entry reference. */
  entryReference: string
  /** What it became. */
  outcome: ImportedBankEntryOutcome
  /** Amount, minor units. */
  amountMinor: bigint
}

/** What {@link importBankStatement} returns. */
export interface BankImportReport {
  /** Entries imported by this call, with what each became. */
  imported: BankImportLine[]
  /** Entries already imported before (nothing changed for them). */
  duplicates: string[]
  /** Payments recorded (invoice payments and wallet top-ups). */
  payments: Payment[]
}

/**
 * Imports parsed bank statements (`parseCamt053`, `parseCamt054`, `parseCoda` of `@ecole/bank`):
 * reconciles their entries with the site's open invoices (by structured reference), wallets (by
 * their stable reference) and collected direct debits (by end-to-end id), then, in one
 * transaction, records invoice payments and wallet top-ups, marks settled collections (the
 * mandate's sequence advances), records direct-debit returns, and keeps ambiguous and unmatched
 * entries for review. Idempotent on the bank's entry reference: importing the same file twice
 * changes nothing; an entry reference imported before with other bank data (amount, account,
 * date, direction, counterparty, remittance) is refused with `IDEMPOTENCY_CONFLICT` naming the
 * differing fields, and the whole import with it.
 *
 * A payment is dated by its entry's booking (or value) date, else by its statement's closing
 * date; only when neither exists is it dated "today" in `timeZone`, the site's IANA zone, which
 * must then be given (never the UTC day of the server).
 *
 * @example
 * const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml),
 *   wallets: [{ payerId: 'g1', reference: '+++042/1000/01735+++' }] })
 */
export async function importBankStatement(
  deps: BillingDeps,
  input: { siteId: string; billingOfficeId: string; statements: readonly BankStatement[]; wallets?: ReadonlyArray<{ payerId: string; reference: string }>; transferMethod?: string; timeZone?: string },
): Promise<BankImportReport> {
  const { siteId } = input
  const now = deps.clock.now()
  return deps.storage.transaction(siteId, async (tx) => {
    const { bankImports, payments } = need(tx, 'bankImports', 'payments', 'invoicing')
    const entries = new Map<string, { entry: StatementEntry; iban: string; statement: BankStatement }>()
    for (const s of input.statements) for (const e of s.entries) entries.set(e.reference, { entry: e, iban: s.account.iban ?? s.account.otherId ?? '', statement: s })
    const already = await bankImports.importedEntryReferences(siteId, [...entries.keys()])
    const acc = await loadAccounts(tx, siteId, { billingOfficeId: input.billingOfficeId })
    const invoicesById = new Map(acc.invoices.map((i) => [i.id, i]))
    const collected = (await readAll((p) => payments.listPayments(siteId, { method: 'directDebit', status: 'recorded' }, p))).filter((p) => p.endToEndId !== null)
    const byE2e = new Map(collected.map((p) => [p.endToEndId!, p]))
    const result = reconcile([...input.statements], {
      invoices: acc.invoices
        .filter((i) => i.paymentReference !== null && acc.balances.get(i.id)!.outstandingMinor > 0n)
        .map((i) => ({ id: i.id, reference: i.paymentReference!, amountDue: { amount: Money.fromMinor(acc.balances.get(i.id)!.outstandingMinor, i.currency).amount, currency: i.currency }, dueDate: i.dueDate })),
      wallets: (input.wallets ?? []).map((w) => ({ id: w.payerId, reference: w.reference })),
      directDebits: collected.map((p) => ({ endToEndId: p.endToEndId!, amount: { amount: Money.fromMinor(p.amountMinor, p.currency).amount, currency: p.currency }, invoiceIds: p.allocations.map((a) => a.invoiceId), ...(p.mandateId ? { mandateId: p.mandateId } : {}) })),
    }, { alreadyImported: already })

    const outcomes = new Map<string, ImportedBankEntryOutcome>()
    const recorded: Payment[] = []
    // an entry's own date, else its statement's closing date, else today in the site's zone
    const dateOf = (ref: string): LocalDate => {
      const found = entries.get(ref)
      const e = found?.entry
      const own = e?.bookingDate ?? e?.valueDate ?? found?.statement.balances.find((b) => b.kind === 'closing' && b.date)?.date
      if (own) return own
      if (!input.timeZone) {
        throw new EcoleError('INVALID_INPUT', `timeZone: entry ${ref} and its statement carry no date, so the site's time zone is needed to date it`, { details: { field: 'timeZone', entryReference: ref } })
      }
      return localDateOf(now, input.timeZone)
    }
    const bankRef = (ref: string, index: number) => (index === 0 ? ref : `${ref}#${index}`)
    for (const ip of result.invoicePayments) {
      const dd = ip.endToEndId ? byE2e.get(ip.endToEndId) : undefined
      if (dd) {
        if (dd.mandateId) {
          const m = (await payments.listMandates(siteId, [dd.payerId])).find((x) => x.id === dd.mandateId)
          if (m) await payments.saveMandate(siteId, markSepaCollectionSettled(m, dateOf(ip.entryReference)))
        }
        const prev = outcomes.get(ip.entryReference)
        outcomes.set(ip.entryReference, { kind: 'directDebitSettled', paymentIds: [...(prev?.kind === 'directDebitSettled' ? prev.paymentIds : []), dd.id] })
        continue
      }
      const invoiceId = ip.allocations[0]?.invoiceId
      const invoice = invoiceId ? invoicesById.get(invoiceId) : undefined
      if (!invoice) { outcomes.set(ip.entryReference, { kind: 'review', reason: 'UNMATCHED', candidates: [] }); continue }
      const { payment } = await recordPaymentIn(tx, now, {
        id: `bank:${bankRef(ip.entryReference, ip.transactionIndex)}`, siteId, billingOfficeId: invoice.billingOfficeId, payerId: invoice.payerId,
        method: input.transferMethod ?? 'transfer', date: dateOf(ip.entryReference), currency: ip.amount.currency, amount: ip.amount.amount,
        invoiceId: invoice.id, bankEntryReference: bankRef(ip.entryReference, ip.transactionIndex), endToEndId: ip.endToEndId ?? null,
      })
      recorded.push(payment)
      outcomes.set(ip.entryReference, { kind: 'invoicePayment', paymentId: payment.id, invoiceId: invoice.id })
    }
    for (const w of result.walletTopUps) {
      const { payment } = await recordPaymentIn(tx, now, {
        id: `bank:${bankRef(w.entryReference, w.transactionIndex)}`, siteId, billingOfficeId: input.billingOfficeId, payerId: w.walletId,
        method: input.transferMethod ?? 'transfer', date: dateOf(w.entryReference), currency: w.amount.currency, amount: w.amount.amount,
        bankEntryReference: bankRef(w.entryReference, w.transactionIndex),
      }, { walletOnly: true })
      recorded.push(payment)
      outcomes.set(w.entryReference, { kind: 'walletTopUp', paymentId: payment.id, payerId: w.walletId })
    }
    for (const r of result.directDebitReturns) {
      const out = await recordDirectDebitReturnIn(tx, now, { siteId, endToEndId: r.endToEndId, reasonCode: r.reasonCode ?? 'MS03', date: dateOf(r.entryReference) })
      outcomes.set(r.entryReference, { kind: 'directDebitReturn', paymentId: out.payment.id, reasonCode: out.payment.refusal!.reasonCode })
    }
    for (const a of result.ambiguous) outcomes.set(a.entryReference, { kind: 'review', reason: 'AMBIGUOUS', candidates: a.candidates.map((c) => `${c.kind}:${c.id}`) })
    for (const u of result.unmatched) if (!outcomes.has(u.entryReference)) outcomes.set(u.entryReference, { kind: 'review', reason: 'UNMATCHED', candidates: [] })
    for (const s of result.skipped) if (!outcomes.has(s.entryReference)) outcomes.set(s.entryReference, { kind: 'ignored', reason: s.status })

    const imported: BankImportLine[] = []
    for (const [ref, { entry, iban, statement }] of entries) {
      // an entry imported before is recorded again only to compare its bank data with the stored one
      // (exists, or IDEMPOTENCY_CONFLICT); one dated "today" for lack of its own date cannot be compared
      const ownDate = entry.bookingDate ?? entry.valueDate ?? statement.balances.find((b) => b.kind === 'closing' && b.date)?.date
      if (already.has(ref) && !ownDate) continue
      const outcome = already.has(ref) ? { kind: 'ignored' as const, reason: 'already imported' } : outcomes.get(ref) ?? { kind: 'ignored' as const, reason: 'not matched by reconciliation' }
      const tx0 = entry.transactions[0]
      const counterparty = entry.creditDebit === 'credit' ? tx0?.debtor?.name : tx0?.creditor?.name
      const remittance = tx0 ? [...tx0.remittance.structured.map((s) => s.reference), ...tx0.remittance.unstructured].join(' ') : ''
      const status = await bankImports.recordBankEntry(siteId, {
        entryReference: ref, accountIban: iban, bookingDate: dateOf(ref), amountMinor: entry.amount.toMinor(), currency: entry.amount.currency,
        direction: entry.creditDebit, counterpartyName: counterparty ?? null, remittance: remittance || null, outcome,
      })
      if (status === 'created') imported.push({ entryReference: ref, outcome, amountMinor: entry.amount.toMinor() })
    }
    return { imported, duplicates: [...entries.keys()].filter((r) => already.has(r)), payments: recorded }
  })
}

/**
 * How each of a family's invoices was settled, in the words a family reads: what they paid, what
 * credit notes took off (the invoice's own, and the excess of a note on another invoice carried to
 * this one), what a note freed on a paid invoice carried away, and what is left to pay.
 *
 * The core's balance counts a credit note's carried excess as a payment (`credit-note:<note id>`, of
 * method `creditNote`, allocated to the payer's other open invoices): money the family never paid on
 * that invoice. Here it is a credit, named by its note, so that for every invoice
 * paid + credited − carried away = total − left to pay.
 */
import { CREDIT_NOTE_EXCESS_METHOD, type CreditNote, type Invoice, type Payment } from '@ecole/core'
import type { AppContext } from '../compose'
import { dayIn, siteFactsOf } from '../site-facts'
import { page, readAll } from '../read-all'
import type { InvoiceView } from './family'

/** A credit note's excess carried to this invoice from another (paid) invoice of the payer. */
export interface CarriedIn {
  /** The amount carried to this invoice, minor units. */
  amountMinor: bigint
  /**
   * The note(s) whose excess it is (their invoice's notes when the payment names none of them);
   * none when the invoice it came from is not one the guardian reads on the portal.
   */
  notes: CreditNote[]
  /** The credited invoice it came from, and its number when the guardian reads it on the portal. */
  fromInvoiceId: string
  fromNumber: string | undefined
}

/** How one invoice was settled (see the module's description). */
export interface InvoiceSettlement {
  totalMinor: bigint
  /** What the family paid on it (its payments' allocations, refused ones left out; carried credit notes are not payments). */
  paidMinor: bigint
  /** Its own credit notes plus the excess of other notes carried to it. */
  creditedMinor: bigint
  /** What was paid and credited beyond its total, carried away to the payer's other invoices or wallet (the core's `overpaidMinor`). */
  carriedOutMinor: bigint
  /** Where that went: the numbers of the invoices the guardian reads on the portal, and whether the wallet received some. */
  carriedTo: { numbers: string[]; wallet: boolean }
  /** total − paid − credited + carried away, never below zero (the core's `outstandingMinor`). */
  outstandingMinor: bigint
  /** The invoice's own credit notes, oldest first. */
  notes: CreditNote[]
  /** The excess of other notes carried to it. */
  carriedIn: CarriedIn[]
}

/** The id a carried excess payment has: `credit-note:<note id>`, or `credit-note:<note id>:after:<return>` when carried again after a returned debit. */
const carriedBy = (paymentId: string, note: CreditNote): boolean => paymentId === `credit-note:${note.id}` || paymentId.startsWith(`credit-note:${note.id}:after:`)

/**
 * The settlement of each of the guardian's `views` (by invoice id), read in one read-only storage
 * transaction: the carried-excess payments of the invoices' debtors (one query per debtor), the
 * credit notes of the invoices and of those an excess came from (one query), and the invoices an
 * excess came from or went to that are not among `views` (one read each: rare). Another invoice is
 * named (its number, its notes' PDFs) only when the guardian reads it on the portal: payer or joint
 * debtor, its display date come.
 */
export async function settlementsOf(ctx: AppContext, guardianId: string, views: readonly InvoiceView[]): Promise<Map<string, InvoiceSettlement>> {
  const siteId = ctx.config.siteId
  const out = new Map<string, InvoiceSettlement>()
  if (views.length === 0) return out
  const today = dayIn((await siteFactsOf(ctx)).timeZone, ctx.clock.now())
  const readable = (i: Invoice): boolean => (i.debtorId === guardianId || i.jointDebtorIds.includes(guardianId)) && i.status === 'validated' && i.portalDisplayDate <= today
  const byId = new Map<string, Invoice>(views.map((v) => [v.invoice.id, v.invoice]))
  const { carries, notes, named } = await ctx.storage.transaction(siteId, async (tx) => {
    const carries: Payment[] = []
    // one query after the other: a transaction's connection runs them in order anyway
    for (const payerId of tx.payments === undefined ? [] : new Set(views.map((v) => v.invoice.debtorId))) {
      const all = await readAll((a) => tx.payments!.listPayments(siteId, { payerId, method: CREDIT_NOTE_EXCESS_METHOD, status: 'recorded' }, page(a)))
      // only those carrying from or to the invoices shown
      carries.push(...all.filter((p) => (p.invoiceId !== null && byId.has(p.invoiceId)) || p.allocations.some((a) => byId.has(a.invoiceId))))
    }
    const sourceIds = new Set(carries.map((p) => p.invoiceId).filter((id): id is string => id !== null))
    const notes = await tx.invoicing!.listCreditNotes(siteId, [...new Set([...byId.keys(), ...sourceIds])])
    // the other invoices an excess came from or went to, named when the guardian reads them
    const named = new Map<string, string>()
    for (const id of new Set([...sourceIds, ...carries.flatMap((p) => p.allocations.map((a) => a.invoiceId))])) {
      const invoice = byId.get(id) ?? (await tx.invoicing!.getInvoice(siteId, id))
      if (invoice && invoice.number !== null && readable(invoice)) named.set(id, invoice.number)
    }
    return { carries, notes, named }
  }, { readOnly: true })
  const notesOf = new Map<string, CreditNote[]>()
  for (const n of [...notes].sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.number < b.number ? -1 : 1))) {
    notesOf.set(n.invoiceId, [...(notesOf.get(n.invoiceId) ?? []), n])
  }
  const carriedIn = new Map<string, CarriedIn[]>()
  const carriedTo = new Map<string, { numbers: string[]; wallet: boolean }>()
  for (const p of carries) {
    if (p.invoiceId === null) continue
    const fromNumber = named.get(p.invoiceId)
    const sourceNotes = fromNumber === undefined ? [] : (notesOf.get(p.invoiceId) ?? [])
    const byThis = sourceNotes.filter((n) => carriedBy(p.id, n))
    const to = carriedTo.get(p.invoiceId) ?? { numbers: [], wallet: false }
    for (const a of p.allocations) {
      if (a.amountMinor === 0n || a.invoiceId === p.invoiceId) continue
      carriedIn.set(a.invoiceId, [...(carriedIn.get(a.invoiceId) ?? []), { amountMinor: a.amountMinor, notes: byThis.length > 0 ? byThis : sourceNotes, fromInvoiceId: p.invoiceId, fromNumber }])
      const number = named.get(a.invoiceId)
      if (number !== undefined && !to.numbers.includes(number)) to.numbers.push(number)
    }
    if (p.walletCreditMinor > 0n) to.wallet = true
    carriedTo.set(p.invoiceId, to)
  }
  for (const { invoice, balance } of views) {
    const inward = carriedIn.get(invoice.id) ?? []
    const carried = inward.reduce((s, c) => s + c.amountMinor, 0n)
    out.set(invoice.id, {
      totalMinor: balance.totalMinor,
      paidMinor: balance.paidMinor - carried,
      creditedMinor: balance.creditedMinor + carried,
      carriedOutMinor: balance.overpaidMinor,
      carriedTo: carriedTo.get(invoice.id) ?? { numbers: [], wallet: false },
      outstandingMinor: balance.outstandingMinor,
      notes: notesOf.get(invoice.id) ?? [],
      carriedIn: inward,
    })
  }
  return out
}

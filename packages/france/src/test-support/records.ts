import type { LocalDate, CreditNote, Deposit, Invoice, InvoiceAdjustment, InvoiceLine, Payment } from '@ecole/core'

/** A validated invoice whose totals add up, from its lines and adjustments (amounts in cents). */
export function invoice(p: {
  id: string
  number: string
  issueDate: LocalDate
  debtorId?: string
  billingOfficeId?: string
  lines: Array<{ serviceId: string; amountMinor: bigint }>
  adjustments?: bigint[]
  status?: 'draft' | 'validated'
  currency?: string
}): Invoice {
  const lines: InvoiceLine[] = p.lines.map((l, i) => ({
    id: `${p.id}:${i + 1}`, beneficiaryId: 'child-1', serviceId: l.serviceId, unitPriceMinor: l.amountMinor, quantity: 1,
    amountMinor: l.amountMinor, chargeIds: [], dates: [p.issueDate], from: p.issueDate, to: p.issueDate,
  }))
  const adjustments: InvoiceAdjustment[] = (p.adjustments ?? []).map((a, i) => ({
    id: `${p.id}:adj${i}`, kind: a < 0n ? 'reduction' : 'surcharge', value: { type: 'amount', amountMinor: a < 0n ? -a : a }, reason: 'test', lineId: null, amountMinor: a,
  }))
  const linesTotal = lines.reduce((s, l) => s + l.amountMinor, 0n)
  const adjTotal = adjustments.reduce((s, a) => s + a.amountMinor, 0n)
  const validated = (p.status ?? 'validated') === 'validated'
  return {
    id: p.id, siteId: 'site', billingOfficeId: p.billingOfficeId ?? 'regie', batchId: 'b', debtorId: p.debtorId ?? 'g-1', jointDebtorIds: [],
    status: validated ? 'validated' : 'draft', number: validated ? p.number : null, sequence: validated ? 1 : null, issueDate: validated ? p.issueDate : null,
    periodFrom: p.issueDate, periodTo: p.issueDate, dueDate: p.issueDate, directDebitDate: null, portalDisplayDate: p.issueDate, comment: null,
    currency: p.currency ?? 'EUR', lines, adjustments, linesTotalMinor: linesTotal, adjustmentsTotalMinor: adjTotal, totalMinor: linesTotal + adjTotal,
    previousBalanceMinor: 0n, instalments: [], paymentReference: null,
  }
}

/** A recorded payment: what it settled per invoice, the rest to the wallet. */
export function payment(p: {
  id: string
  date: LocalDate
  method: string
  amountMinor: bigint
  allocations?: Array<{ invoiceId: string; amountMinor: bigint }>
  payerId?: string
  billingOfficeId?: string
  refusedOn?: LocalDate
}): Payment {
  const allocations = p.allocations ?? []
  const allocated = allocations.reduce((s, a) => s + a.amountMinor, 0n)
  return {
    id: p.id, siteId: 'site', billingOfficeId: p.billingOfficeId ?? 'regie', payerId: p.payerId ?? 'g-1', method: p.method, product: null, date: p.date,
    currency: 'EUR', amountMinor: p.amountMinor, invoiceId: allocations[0]?.invoiceId ?? null, status: p.refusedOn ? 'refused' : 'recorded', depositId: null,
    allocations, walletCreditMinor: p.amountMinor - allocated, mandateId: null, endToEndId: null, bankEntryReference: null,
    refusal: p.refusedOn ? { reasonCode: 'AM04', date: p.refusedOn, action: 'retry' } : null,
  }
}

/** A credit note on an invoice, whole or by line. */
export function creditNote(p: { id: string; number: string; invoiceId: string; issueDate: LocalDate; amountMinor: bigint; lines?: Array<{ lineId: string; amountMinor: bigint }>; debtorId?: string }): CreditNote {
  return {
    id: p.id, siteId: 'site', billingOfficeId: 'regie', invoiceId: p.invoiceId, debtorId: p.debtorId ?? 'g-1', number: p.number, sequence: 1,
    issueDate: p.issueDate, reason: 'test', currency: 'EUR', amountMinor: p.amountMinor, lines: p.lines ?? [],
  }
}

/** A deposit of the given payments. */
export function deposit(p: { id: string; date: LocalDate; method: string; payments: Payment[] }): Deposit {
  return {
    id: p.id, siteId: 'site', method: p.method, bankAccountId: 'acc', date: p.date, paymentIds: p.payments.map((x) => x.id),
    totalMinor: p.payments.reduce((s, x) => s + x.amountMinor, 0n), totalsByProduct: {}, currency: 'EUR', locked: true,
  }
}

/** The FEC settings of the tests: one régie (journal prefix C), the year 2026, validated on 2027-01-15. */
export const FEC_2026 = {
  siren: '123456789',
  period: { from: '2026-01-01', to: '2026-12-31' },
  validatedOn: '2027-01-15',
  billingOffices: [{ id: 'regie', name: 'Régie cantine', journalPrefix: 'C' }],
} as const satisfies import('../fec').FecSettingsInput

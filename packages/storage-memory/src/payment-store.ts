import { assertAllocationsFit, depositReplay, EcoleError, paymentReplay, type CreditNote, type Deposit, type Invoice, type Payment, type PaymentRefusal } from '@ecole/core'
import type { CreatePaymentResult, Page, PageRequest, PaymentFilter, PaymentStore } from '@ecole/core/ports'
import { paginateTable, type Access } from './access'
import { copy } from './site-state'

const PAYMENTS = 'payments'
const BANK_REFS = 'paymentBankEntryReferences'
const DEPOSITS = 'deposits'


/** The in-memory {@link PaymentStore}. @internal */
export class MemoryPaymentStore implements PaymentStore {
  constructor(private readonly access: Access) {}

  createPayment(siteId: string, payment: Payment): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      const existing = v.read<Payment>(PAYMENTS).get(payment.id)
      if (existing) return paymentReplay(existing, payment)
      // the site's transactions run one at a time, so what is read here is what holds at commit
      const invoices = v.read<Invoice>('invoices')
      const targets = [...new Set(payment.allocations.map((a) => a.invoiceId))].flatMap((id) => {
        const inv = invoices.get(id)
        return inv ? [inv] : []
      })
      if (targets.length > 0) {
        const ids = new Set(targets.map((i) => i.id))
        const notes = [...v.read<CreditNote>('creditNotes').values()].filter((c) => ids.has(c.invoiceId))
        const others = [...v.read<Payment>(PAYMENTS).values()].filter((p) => p.status === 'recorded' && p.allocations.some((a) => ids.has(a.invoiceId)))
        assertAllocationsFit(payment, targets, notes, others)
      } else {
        assertAllocationsFit(payment, [], [], [])
      }
      const ref = payment.bankEntryReference
      if (ref !== null) {
        const holder = v.read<string>(BANK_REFS).get(ref)
        if (holder !== undefined) {
          throw new EcoleError('ID_CONFLICT', `bank entry ${ref} already made payment ${holder}`, { details: { id: payment.id, bankEntryReference: ref, paymentId: holder } })
        }
        v.write<string>(BANK_REFS).set(ref, payment.id)
      }
      v.write<Payment>(PAYMENTS).set(payment.id, copy(payment))
      return 'created'
    })
  }

  createPayments(siteId: string, payments: readonly Payment[]): Promise<CreatePaymentResult[]> {
    return this.access(siteId, (v) => {
      // everything is checked before anything is written: a refusal leaves the site as it was,
      // even inside a transaction whose caller goes on after catching it
      const stored = v.read<Payment>(PAYMENTS)
      const invoices = v.read<Invoice>('invoices')
      const bankRefs = v.read<string>(BANK_REFS)
      const results: CreatePaymentResult[] = []
      const fresh = new Map<string, Payment>()
      const freshRefs = new Map<string, string>()
      // the recorded payments and credit notes of the invoices the batch allocates to, read once
      const targetIds = new Set(payments.flatMap((p) => p.allocations.map((a) => a.invoiceId)).filter((id) => invoices.has(id)))
      const paidBy = new Map<string, Payment[]>()
      const notesOf = new Map<string, CreditNote[]>()
      if (targetIds.size > 0) {
        for (const p of stored.values()) {
          if (p.status !== 'recorded') continue
          for (const id of new Set(p.allocations.map((a) => a.invoiceId))) if (targetIds.has(id)) paidBy.set(id, [...(paidBy.get(id) ?? []), p])
        }
        for (const c of v.read<CreditNote>('creditNotes').values()) if (targetIds.has(c.invoiceId)) notesOf.set(c.invoiceId, [...(notesOf.get(c.invoiceId) ?? []), c])
      }
      for (const payment of payments) {
        const existing = stored.get(payment.id) ?? fresh.get(payment.id)
        if (existing) {
          results.push({ id: payment.id, status: paymentReplay(existing, payment) })
          continue
        }
        const ids = [...new Set(payment.allocations.map((a) => a.invoiceId))].filter((id) => invoices.has(id))
        const others = [...new Set(ids.flatMap((id) => paidBy.get(id) ?? []))]
        assertAllocationsFit(payment, ids.map((id) => invoices.get(id)!), ids.flatMap((id) => notesOf.get(id) ?? []), others)
        const ref = payment.bankEntryReference
        if (ref !== null) {
          const holder = bankRefs.get(ref) ?? freshRefs.get(ref)
          if (holder !== undefined) {
            throw new EcoleError('ID_CONFLICT', `bank entry ${ref} already made payment ${holder}`, { details: { id: payment.id, bankEntryReference: ref, paymentId: holder } })
          }
          freshRefs.set(ref, payment.id)
        }
        fresh.set(payment.id, payment)
        if (payment.status === 'recorded') for (const id of ids) paidBy.set(id, [...(paidBy.get(id) ?? []), payment])
        results.push({ id: payment.id, status: 'created' })
      }
      if (fresh.size > 0) {
        const wp = v.write<Payment>(PAYMENTS)
        for (const p of fresh.values()) wp.set(p.id, copy(p))
      }
      if (freshRefs.size > 0) {
        const wr = v.write<string>(BANK_REFS)
        for (const [ref, id] of freshRefs) wr.set(ref, id)
      }
      return results
    })
  }

  getPayment(siteId: string, paymentId: string): Promise<Payment | undefined> {
    return this.access(siteId, (v) => copy(v.read<Payment>(PAYMENTS).get(paymentId)))
  }

  listPayments(siteId: string, filter: PaymentFilter, page?: PageRequest): Promise<Page<Payment>> {
    return this.access(siteId, (v) => {
      const result = paginateTable(v.read<Payment>(PAYMENTS), 'id', page, (p) => {
        if (filter.payerId !== undefined && p.payerId !== filter.payerId) return false
        if (filter.invoiceId !== undefined && !p.allocations.some((a) => a.invoiceId === filter.invoiceId)) return false
        if (filter.invoiceIds !== undefined && !p.allocations.some((a) => filter.invoiceIds!.includes(a.invoiceId))) return false
        if (filter.depositId !== undefined && p.depositId !== filter.depositId) return false
        if (filter.method !== undefined && p.method !== filter.method) return false
        if (filter.status !== undefined && p.status !== filter.status) return false
        if (filter.inDeposit !== undefined && (p.depositId !== null) !== filter.inDeposit) return false
        if (filter.endToEndId !== undefined && p.endToEndId !== filter.endToEndId) return false
        return true
      })
      return { ...result, items: result.items.map(copy) }
    })
  }

  refusePayment(siteId: string, paymentId: string, refusal: PaymentRefusal): Promise<void> {
    return this.access(siteId, (v) => {
      const p = v.read<Payment>(PAYMENTS).get(paymentId)
      if (!p) throw new EcoleError('NOT_FOUND', `payment ${paymentId} does not exist`, { details: { paymentId } })
      if (p.status === 'refused') throw new EcoleError('PAYMENT_ALREADY_REFUSED', `payment ${paymentId} is already refused`, { details: { paymentId } })
      v.write<Payment>(PAYMENTS).set(paymentId, { ...copy(p), status: 'refused', refusal: copy(refusal) })
    })
  }

  deletePayment(siteId: string, paymentId: string): Promise<void> {
    return this.access(siteId, (v) => {
      const p = v.read<Payment>(PAYMENTS).get(paymentId)
      if (!p) return
      if (p.depositId !== null) throw new EcoleError('PAYMENT_IN_DEPOSIT', `payment ${paymentId} is in deposit ${p.depositId}`, { details: { paymentId, depositId: p.depositId } })
      v.write<Payment>(PAYMENTS).delete(paymentId)
      if (p.bankEntryReference !== null) v.write<string>(BANK_REFS).delete(p.bankEntryReference)
    })
  }

  createDeposit(siteId: string, deposit: Deposit): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      const existing = v.read<Deposit>(DEPOSITS).get(deposit.id)
      if (existing) return depositReplay(existing, deposit)
      const payments = v.read<Payment>(PAYMENTS)
      for (const id of deposit.paymentIds) {
        const p = payments.get(id)
        if (!p) throw new EcoleError('NOT_FOUND', `payment ${id} does not exist`, { details: { paymentId: id } })
        if (p.depositId !== null) throw new EcoleError('PAYMENT_IN_DEPOSIT', `payment ${id} is in deposit ${p.depositId}`, { details: { paymentId: id, depositId: p.depositId } })
      }
      const wp = v.write<Payment>(PAYMENTS)
      for (const id of deposit.paymentIds) wp.set(id, { ...copy(payments.get(id)!), depositId: deposit.id })
      v.write<Deposit>(DEPOSITS).set(deposit.id, copy(deposit))
      return 'created'
    })
  }

  getDeposit(siteId: string, depositId: string): Promise<Deposit | undefined> {
    return this.access(siteId, (v) => copy(v.read<Deposit>(DEPOSITS).get(depositId)))
  }

  deleteDeposit(siteId: string, depositId: string): Promise<void> {
    return this.access(siteId, (v) => {
      const d = v.read<Deposit>(DEPOSITS).get(depositId)
      if (!d) return
      if (d.locked) throw new EcoleError('DEPOSIT_LOCKED', `deposit ${depositId} is locked (handed to the bank)`, { details: { depositId } })
      const wp = v.write<Payment>(PAYMENTS)
      for (const id of d.paymentIds) {
        const p = wp.get(id)
        if (p && p.depositId === depositId) wp.set(id, { ...copy(p), depositId: null })
      }
      v.write<Deposit>(DEPOSITS).delete(depositId)
    })
  }

  lockDeposit(siteId: string, depositId: string): Promise<void> {
    return this.access(siteId, (v) => {
      const d = v.read<Deposit>(DEPOSITS).get(depositId)
      if (!d) throw new EcoleError('NOT_FOUND', `deposit ${depositId} does not exist`, { details: { depositId } })
      v.write<Deposit>(DEPOSITS).set(depositId, { ...copy(d), locked: true })
    })
  }
}

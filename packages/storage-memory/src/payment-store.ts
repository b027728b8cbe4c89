import { assertAllocationsFit, depositReplay, EcoleError, paymentReplay, type CreditNote, type Deposit, type Invoice, type Payment, type PaymentRefusal } from '@ecole/core'
import type { Page, PageRequest, PaymentFilter, PaymentStore } from '@ecole/core/ports'
import { paginate, type Access } from './access'
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

  getPayment(siteId: string, paymentId: string): Promise<Payment | undefined> {
    return this.access(siteId, (v) => copy(v.read<Payment>(PAYMENTS).get(paymentId)))
  }

  listPayments(siteId: string, filter: PaymentFilter, page?: PageRequest): Promise<Page<Payment>> {
    return this.access(siteId, (v) => {
      const entries: Array<[string, Payment]> = []
      for (const p of v.read<Payment>(PAYMENTS).values()) {
        if (filter.payerId !== undefined && p.payerId !== filter.payerId) continue
        if (filter.invoiceId !== undefined && !p.allocations.some((a) => a.invoiceId === filter.invoiceId)) continue
        if (filter.invoiceIds !== undefined && !p.allocations.some((a) => filter.invoiceIds!.includes(a.invoiceId))) continue
        if (filter.depositId !== undefined && p.depositId !== filter.depositId) continue
        if (filter.method !== undefined && p.method !== filter.method) continue
        if (filter.status !== undefined && p.status !== filter.status) continue
        if (filter.inDeposit !== undefined && (p.depositId !== null) !== filter.inDeposit) continue
        if (filter.endToEndId !== undefined && p.endToEndId !== filter.endToEndId) continue
        entries.push([p.id, p])
      }
      const result = paginate(entries, page)
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

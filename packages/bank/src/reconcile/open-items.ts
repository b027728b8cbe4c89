import { CurrencySchema, LocalDateSchema } from '@ecole/core'
import * as z from 'zod'
import { decimalToMinor } from '../statement/amount'

/** Money as JSON (`{ amount: '12.50', currency: 'EUR' }`), read into minor units. */
const MoneyJson = z
  .strictObject({ amount: z.string(), currency: CurrencySchema })
  .strict()
  .transform((m, ctx) => {
    const minor = decimalToMinor(m.amount.trim(), m.currency)
    if (typeof minor === 'string') {
      ctx.addIssue({ code: 'custom', message: minor, path: ['amount'] })
      return z.NEVER
    }
    return { minor, currency: m.currency }
  })

/** An invoice that can still be paid, with the payment reference printed on it. */
export const OpenInvoiceItemSchema = z
  .strictObject({
    id: z.string().min(1),
    /** The invoice's payment reference in any accepted spelling (OGM, RF, pagoPA notice or IUV, or any other text). */
    reference: z.string().min(1),
    /** What is left to pay. */
    amountDue: MoneyJson,
    /** Oldest first when one transfer pays several invoices. */
    dueDate: LocalDateSchema.optional(),
    /** IBANs the payer is known to pay from (used only to propose candidates for review). */
    payerIbans: z.array(z.string()).default([]),
    /** Names the payer's transfers may carry (guardians' names; used only to propose scored candidates for review). */
    payerNames: z.array(z.string()).default([]),
  })
  .strict()

/** A wallet (prepaid account) and its stable top-up reference. */
export const OpenWalletItemSchema = z
  .strictObject({
    id: z.string().min(1),
    /** The wallet's top-up reference (e.g. the family's OGM). */
    reference: z.string().min(1),
  })
  .strict()

/** A direct debit we sent (pain.008) and have not yet seen settled or returned. */
export const CollectedDebitItemSchema = z
  .strictObject({
    /** The end-to-end id written in the pain.008. */
    endToEndId: z.string().min(1),
    amount: MoneyJson,
    /** The invoices it collects, in the order to settle them. */
    invoiceIds: z.array(z.string().min(1)).default([]),
    mandateId: z.string().optional(),
  })
  .strict()

/**
 * What reconciliation matches statement entries against: open invoices, wallets, and the direct
 * debits we sent. Plain JSON, amounts as strings; validated once by `reconcile`.
 *
 * @example
 * OpenItemsSchema.parse({
 *   invoices: [{ id: 'INV-42', reference: '+++123/4567/89002+++', amountDue: { amount: '42.50', currency: 'EUR' } }],
 *   wallets: [{ id: 'wallet-17', reference: '+++042/1000/01735+++' }],
 * })
 */
export const OpenItemsSchema = z
  .strictObject({
    invoices: z.array(OpenInvoiceItemSchema).default([]),
    wallets: z.array(OpenWalletItemSchema).default([]),
    directDebits: z.array(CollectedDebitItemSchema).default([]),
  })
  .strict()

/** Open items as callers pass them. */
export type OpenItems = z.input<typeof OpenItemsSchema>
/** An open invoice as callers pass it. */
export type OpenInvoiceItem = z.input<typeof OpenInvoiceItemSchema>
/** A wallet as callers pass it. */
export type OpenWalletItem = z.input<typeof OpenWalletItemSchema>
/** A sent direct debit as callers pass it. */
export type CollectedDebitItem = z.input<typeof CollectedDebitItemSchema>

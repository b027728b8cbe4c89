import { asInputError, CurrencySchema, EcoleError, LocalDateSchema } from '@ecole/core'
import * as z from 'zod'
import { DocumentBaseSchema, drawHeader, drawStamp, minorSchema, openDraft, parseRequest, safeFileName } from '../common'
import { label } from '../language'
import type { Layout } from '../layout'
import { drawTotals } from './invoice'

/**
 * Schema of a deposit as `@ecole/core`'s `buildDeposit` returns it (`Deposit`).
 *
 * @example
 * DepositShapeSchema.parse(deposit)
 */
export const DepositShapeSchema = z.object({
  id: z.string().min(1),
  siteId: z.string().min(1),
  method: z.string().min(1),
  bankAccountId: z.string().min(1),
  date: LocalDateSchema,
  paymentIds: z.array(z.string().min(1)).min(1),
  totalMinor: minorSchema,
  totalsByProduct: z.record(z.string(), minorSchema),
  currency: CurrencySchema,
  locked: z.boolean(),
})

/**
 * Schema of a deposit-slip request: the deposit and one item per payment in it, in the deposit's
 * order (the drawer, the cheque's number and bank when known, the amount); the items must be
 * exactly the deposit's payments and add up to its total.
 *
 * @example
 * DepositSlipRequestSchema.parse({ language: 'fr', printedOn: '2027-01-08', issuer, deposit, items: [{ paymentId: 'p1', drawer: 'Marie Dupont', chequeNumber: '0001234', amountMinor: 4500n }] })
 */
export const DepositSlipRequestSchema = DocumentBaseSchema.extend({
  deposit: DepositShapeSchema,
  items: z.array(
    z.object({
      paymentId: z.string().min(1),
      drawer: z.string().trim().min(1).max(200),
      chequeNumber: z.string().trim().max(30).optional(),
      bank: z.string().trim().max(100).optional(),
      amountMinor: minorSchema,
    }),
  ),
})

/**
 * What callers pass to render a deposit slip.
 *
 * @example
 * const data: DepositSlipRequestInput = { language: 'fr', printedOn: '2027-01-08', issuer, deposit, items }
 */
export type DepositSlipRequestInput = z.input<typeof DepositSlipRequestSchema>

/**
 * A checked deposit-slip request.
 *
 * @example
 * const prepared: PreparedDepositSlip = prepareDepositSlip(data)
 */
export interface PreparedDepositSlip {
  /** The checked request. */
  request: z.output<typeof DepositSlipRequestSchema>
}

/**
 * Checks a deposit-slip request before any byte is written.
 *
 * @example
 * prepareDepositSlip(request)
 * @throws EcoleError `INVALID_INPUT` naming the field (`depositSlip.items` when they are not the deposit's payments or do not add up).
 */
export function prepareDepositSlip(input: DepositSlipRequestInput): PreparedDepositSlip {
  const request = parseRequest(DepositSlipRequestSchema, input, 'depositSlip')
  const ids = request.items.map((i) => i.paymentId)
  if (ids.length !== request.deposit.paymentIds.length || ids.some((id, i) => id !== request.deposit.paymentIds[i])) {
    throw new EcoleError('INVALID_INPUT', 'depositSlip.items: must be the payments of the deposit, in its order', { details: { field: 'depositSlip.items' } })
  }
  const sum = request.items.reduce((s, i) => s + i.amountMinor, 0n)
  if (sum !== request.deposit.totalMinor) {
    throw new EcoleError('INVALID_INPUT', `depositSlip.items: the amounts add up to ${sum}, the deposit's total is ${request.deposit.totalMinor}`, { details: { field: 'depositSlip.items' } })
  }
  return { request }
}

/**
 * Draws a deposit slip: the deposit's number, date, method and bank account, one row per
 * payment (drawer, cheque number, bank, amount), the count, the total and its split by product.
 *
 * @example
 * drawDepositSlip(prepareDepositSlip(request))
 */
export function drawDepositSlip(p: PreparedDepositSlip): Layout {
  try {
    const r = p.request
    const dep = r.deposit
    const heading = label(r.language, dep.method === 'cheque' ? 'depositSlip' : 'depositSlipOther')
    const d = openDraft(r, { title: `${heading} ${dep.id}` })
    const { layout: l, f, lang } = d
    drawHeader(d, r.issuer, heading, [
      [label(lang, 'number'), dep.id],
      [label(lang, 'date'), f.date(dep.date)],
      [label(lang, 'bankAccount'), dep.bankAccountId],
    ])
    const t = l.table([
      { label: '#', width: 30, align: 'right' },
      { label: label(lang, 'drawer'), width: 190 },
      { label: label(lang, 'chequeNumber'), width: 95 },
      { label: label(lang, 'bank'), width: 110 },
      { label: label(lang, 'amount'), width: l.width - 425, align: 'right' },
    ])
    r.items.forEach((x, i) => t.row([String(i + 1), x.drawer, x.chequeNumber ?? '', x.bank ?? '', f.money(x.amountMinor, dep.currency)], { id: x.paymentId }))
    t.end()
    const rows: Array<[string, string, boolean, string]> = [[label(lang, 'count'), String(r.items.length), false, 'count']]
    const products = Object.entries(dep.totalsByProduct)
    if (products.length > 1) for (const [k, v] of products.sort()) rows.push([`${label(lang, 'byProduct')} – ${k === '' ? label(lang, 'noProduct') : k}`, f.money(v, dep.currency), false, `product:${k}`])
    rows.push([label(lang, 'total2'), f.money(dep.totalMinor, dep.currency), true, 'total'])
    drawTotals(l, rows)
    drawStamp(d, r.issuer)
    return l
  } catch (error) {
    throw asInputError(error, 'drawDepositSlip', { p: [p, 'object', 'a prepared deposit slip (from prepareDepositSlip)'] })
  }
}

/**
 * The file name of a deposit slip.
 *
 * @example
 * depositSlipFileName(prepared) //=> 'deposit-DEP-2027-0003.pdf'
 */
export function depositSlipFileName(p: PreparedDepositSlip): string {
  return safeFileName('deposit', p.request.deposit.id)
}

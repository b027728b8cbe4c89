import { asInputError, LocalDateSchema } from '@ecole/core'
import * as z from 'zod'
import { DocumentBaseSchema, PartySchema, drawAddressee, drawHeader, minorSchema, openDraft, parseRequest, safeFileName } from '../common'
import { LABELS, colon, label, type LabelKey } from '../language'
import type { Layout } from '../layout'
import { drawTotals, totalsHeight } from './invoice'

const StatementLineSchema = z.object({
  transferId: z.string().min(1),
  date: LocalDateSchema,
  code: z.string().min(1),
  debit: minorSchema,
  credit: minorSchema,
  balance: minorSchema,
  memo: z.string().optional(),
})

/**
 * Schema of an account statement as `@ecole/core`'s `accountStatement` returns it
 * (`AccountStatement`; the fields a printed statement reads), checked: each month's opening plus
 * credits minus debits is its closing, and so is the whole statement's.
 *
 * @example
 * AccountStatementShapeSchema.parse(accountStatement(ledger, account, { from: '2027-01-01', to: '2027-01-31', timeZone: 'Europe/Brussels' }))
 */
export const AccountStatementShapeSchema = z
  .object({
    accountId: z.string().min(1),
    currency: z.string().length(3),
    from: LocalDateSchema,
    to: LocalDateSchema,
    opening: minorSchema,
    months: z.array(z.object({ month: z.string(), opening: minorSchema, lines: z.array(StatementLineSchema), debits: minorSchema, credits: minorSchema, closing: minorSchema })),
    debits: minorSchema,
    credits: minorSchema,
    closing: minorSchema,
    reservations: z.array(z.object({ transferId: z.string(), date: LocalDateSchema, amount: minorSchema })),
    available: minorSchema,
  })
  .superRefine((s, ctx) => {
    if (s.opening + s.credits - s.debits !== s.closing) ctx.addIssue({ code: 'custom', path: ['closing'], message: 'must be opening + credits - debits' })
    s.months.forEach((m, i) => {
      if (m.opening + m.credits - m.debits !== m.closing) ctx.addIssue({ code: 'custom', path: ['months', i, 'closing'], message: 'must be opening + credits - debits' })
    })
  })

/**
 * Schema of a wallet statement request (seed 001 "Imprimer le récapitulatif"): the holder, the
 * wallet's name, and one account statement per compartment (general, canteen...), all over the
 * same dates.
 *
 * @example
 * WalletStatementRequestSchema.parse({ language: 'fr', printedOn: '2027-02-01', issuer, holder, walletName: 'Famille Dupont', compartments: [{ name: 'Cantine', statement }] })
 */
export const WalletStatementRequestSchema = DocumentBaseSchema.extend({
  holder: PartySchema,
  walletName: z.string().trim().min(1).max(200),
  compartments: z.array(z.object({ name: z.string().trim().min(1).max(100), statement: AccountStatementShapeSchema })).min(1, 'a statement needs at least one compartment'),
}).refine((r) => r.compartments.every((c) => c.statement.from === r.compartments[0]!.statement.from && c.statement.to === r.compartments[0]!.statement.to), {
  message: 'must all cover the same dates',
  path: ['compartments'],
})

/**
 * What callers pass to render a wallet statement.
 *
 * @example
 * const data: WalletStatementRequestInput = { language: 'fr', printedOn: '2027-02-01', issuer, holder, walletName: 'Famille Dupont', compartments }
 */
export type WalletStatementRequestInput = z.input<typeof WalletStatementRequestSchema>

/**
 * A checked wallet-statement request.
 *
 * @example
 * const prepared: PreparedWalletStatement = prepareWalletStatement(data)
 */
export interface PreparedWalletStatement {
  /** The checked request. */
  request: z.output<typeof WalletStatementRequestSchema>
}

/**
 * Checks a wallet-statement request before any byte is written.
 *
 * @example
 * prepareWalletStatement(request)
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function prepareWalletStatement(input: WalletStatementRequestInput): PreparedWalletStatement {
  return { request: parseRequest(WalletStatementRequestSchema, input, 'walletStatement') }
}

function codeLabel(code: string): LabelKey {
  const key = `code_${code}`
  return key in LABELS ? (key as LabelKey) : 'code_other'
}

/**
 * Draws a wallet statement: per compartment, the opening balance, the movements of each month
 * (date, description, debit, credit, running balance), the closing balance, the pending bookings
 * and what is available. A compartment's totals stay on the page of its last movement, and every
 * page a compartment runs onto starts with its name, "(continued)".
 *
 * @example
 * drawWalletStatement(prepareWalletStatement(request))
 */
export function drawWalletStatement(p: PreparedWalletStatement): Layout {
  try {
    const r = p.request
    const first = r.compartments[0]!.statement
    const title = `${label(r.language, 'walletStatement')} – ${r.walletName}`
    const d = openDraft(r, { title })
    const { layout: l, f, lang } = d
    drawHeader(d, r.issuer, label(lang, 'walletStatement'), [
      [label(lang, 'holder'), r.walletName],
      [label(lang, 'period'), label(lang, 'periodValue', { from: f.date(first.from), to: f.date(first.to) })],
    ])
    drawAddressee(d, r.holder)
    for (const c of r.compartments) {
      const s = c.statement
      const cur = s.currency
      const rows: Array<[string, string, boolean, string]> = [
        [label(lang, 'debit'), f.money(s.debits, cur), false, `${c.name}:debits`],
        [label(lang, 'credit'), f.money(s.credits, cur), false, `${c.name}:credits`],
        [label(lang, 'closing'), f.money(s.closing, cur), true, `${c.name}:closing`],
      ]
      if (s.reservations.length > 0) {
        const reserved = s.reservations.reduce((a, x) => a + (x.amount > 0n ? x.amount : 0n), 0n)
        rows.push([`${label(lang, 'reserved')} (${s.reservations.length})`, f.money(-reserved, cur), false, `${c.name}:reserved`])
        rows.push([label(lang, 'available'), f.money(s.available, cur), true, `${c.name}:available`])
      }
      const lines = s.months.flatMap((m) => m.lines)
      const heading = `${label(lang, 'compartment')}${colon(lang)}${c.name}`
      // the heading keeps its opening balance, the table's header and first row with it (and the
      // totals, when that row is the last), so a table never starts at the foot of a page
      l.heading(heading, 60 + (lines.length <= 1 ? totalsHeight(l, rows) : 0))
      l.fields([[label(lang, 'opening'), f.money(s.opening, cur)]])
      l.gap(4)
      // the compartment's name heads every page its movements or totals run onto
      const stopRepeating = l.onNewPage(() => l.heading(`${heading} ${label(lang, 'continued')}`, 0))
      const t = l.table([
        { label: label(lang, 'date'), width: 75 },
        { label: label(lang, 'description'), width: 196 },
        { label: label(lang, 'debit'), width: 80, align: 'right' },
        { label: label(lang, 'credit'), width: 80, align: 'right' },
        { label: label(lang, 'balance'), width: l.width - 431, align: 'right' },
      ])
      lines.forEach((x, i) => {
        // the last movement stays with the totals: they never start a page alone
        const keepWith = i === lines.length - 1 ? totalsHeight(l, rows) : 0
        t.row([f.shortDate(x.date), x.memo ?? label(lang, codeLabel(x.code)), x.debit > 0n ? f.money(x.debit, cur) : '', x.credit > 0n ? f.money(x.credit, cur) : '', f.money(x.balance, cur)], { id: `${c.name}:${x.transferId}`, keepWith })
      })
      t.end()
      drawTotals(l, rows)
      stopRepeating()
    }
    return l
  } catch (error) {
    throw asInputError(error, 'drawWalletStatement', { p: [p, 'object', 'a prepared wallet statement (from prepareWalletStatement)'] })
  }
}

/**
 * The file name of a wallet statement.
 *
 * @example
 * walletStatementFileName(prepared) //=> 'wallet-statement-Famille_Dupont-2027-01-01-2027-01-31.pdf'
 */
export function walletStatementFileName(p: PreparedWalletStatement): string {
  const s = p.request.compartments[0]!.statement
  return safeFileName('wallet-statement', p.request.walletName, s.from, s.to)
}

import { asInputError, EcoleError, LocalDateSchema, pagoPa, parseInput, type LocalDate } from '@ecole/core'
import * as z from 'zod'
import { EntityFiscalCodeSchema, FiscalCodeSchema } from './fiscal-code'

const AMOUNT = /^(\d{1,9})(?:[.,](\d{1,2}))?$/

const AmountSchema = z.string().trim().regex(AMOUNT, 'must be an amount in euros with at most two decimals (12.50)').transform((s) => {
  const m = AMOUNT.exec(s)!
  return BigInt(m[1]!) * 100n + BigInt(((m[2] ?? '') + '00').slice(0, 2))
}).refine((minor) => minor > 0n, 'must be more than zero')

const NoticeCodeSchema = z.string().transform((s) => s.replace(/[\s.-]/g, '')).refine((s) => pagoPa.isValidNotice(s), 'must be an 18-digit pagoPA notice code with valid check digits')

/**
 * A pagoPA payment notice ("avviso di pagamento") as a form sends it: the creditor entity, the
 * debtor, what is paid, and either one payment or several instalments, each with its own notice
 * code, amount (euros as a string) and due date. `posteAccount` is the creditor's Poste current
 * account when it has one: the notice then carries a "Bollettino Postale PA" part per payment,
 * with its Poste data matrix (see {@link posteDataMatrixPayload}).
 *
 * @example
 * PagoPaNoticeSchema.parse({ creditor: { name: 'Comune di Roma', fiscalCode: '02438750586' }, debtor: { name: 'Giulia Bianchi', fiscalCode: 'BNCGLI80A41H501C' },
 *   subject: 'Mensa scolastica gennaio 2027', payments: [{ noticeCode: '301000000000000144', amount: '42.50', dueDate: '2027-02-28' }] })
 */
export const PagoPaNoticeSchema = z.strictObject({
  creditor: z.strictObject({
    /** The creditor entity (ente creditore). */
    name: z.string().trim().min(1, 'is required').max(100),
    /** Its fiscal code (11 digits, the last one the check digit): in the QR code, where a payment app looks the debt up by it and the notice code. */
    fiscalCode: EntityFiscalCodeSchema,
    /** The office or sector, printed under the name. */
    sector: z.string().trim().max(100).optional(),
    /** How to reach it (address, e-mail, website), printed as given. */
    contact: z.string().trim().max(200).optional(),
    /** CBILL code of the entity, when it has one (printed for home banking). */
    cbill: z.string().trim().regex(/^[A-Z0-9]{5}$/, 'must be the 5-character CBILL code').optional(),
    /** Its Poste current account number (12 digits), when it has one. */
    posteAccount: z.string().trim().regex(/^\d{12}$/, 'must be the 12-digit Poste account number').optional(),
    /** Who the Poste account is in the name of (intestatario), when it differs from `name`. */
    posteAccountHolder: z.string().trim().min(1).max(100).optional(),
    /** Poste Italiane's authorisation to print its bollettini ("autorizzazione alla stampa in proprio"), printed as given. */
    posteAuthorization: z.string().trim().min(1).max(100).optional(),
  }),
  debtor: z.strictObject({
    /** The person or body who pays. */
    name: z.string().trim().min(1, 'is required').max(100),
    /** Their fiscal code (16 characters for a person, 11 digits for a body), check character included. */
    fiscalCode: FiscalCodeSchema,
    /** Postal address, printed as given. */
    address: z.string().trim().max(200).optional(),
  }),
  /** What is paid (oggetto del pagamento). */
  subject: z.string().trim().min(1, 'is required').max(140),
  /** One payment, or the instalments (rate), in due-date order. */
  payments: z.array(z.strictObject({ noticeCode: NoticeCodeSchema, amount: AmountSchema, dueDate: LocalDateSchema })).min(1, 'needs at least one payment').max(12),
})
/** A pagoPA notice as a form sends it. */
export type PagoPaNoticeInput = z.input<typeof PagoPaNoticeSchema>
/** A pagoPA notice, validated (amounts in minor units). */
export type PagoPaNotice = z.output<typeof PagoPaNoticeSchema>

/**
 * The text of a pagoPA notice's QR code, per the pagoPA technical guide for notices (version 2 of
 * the payload): `PAGOPA|002|<notice code, 18 digits>|<creditor fiscal code, 11 digits>|<amount in
 * euro cents, no separators>`.
 *
 * @example
 * pagoPaQrPayload({ noticeCode: '301000000000000144', creditorFiscalCode: '02438750586', amountMinor: 4250n })
 * //=> 'PAGOPA|002|301000000000000144|02438750586|4250'
 * @throws EcoleError `INVALID_INPUT` naming the field (a notice code with wrong check digits, a `creditorFiscalCode` that is not 11 digits or
 * whose check digit is wrong, saying the expected one, an amount not positive).
 */
export function pagoPaQrPayload(args: { noticeCode: string; creditorFiscalCode: string; amountMinor: bigint }): string {
  try {
    const code = parseInput(NoticeCodeSchema, args.noticeCode, 'noticeCode')
    const fiscalCode = parseInput(EntityFiscalCodeSchema, args.creditorFiscalCode, 'creditorFiscalCode')
    if (typeof args.amountMinor !== 'bigint' || args.amountMinor <= 0n || args.amountMinor > 99_999_999_999n) {
      throw new EcoleError('INVALID_INPUT', 'amountMinor: must be a positive whole number of cents (a bigint)', { details: { field: 'amountMinor' } })
    }
    return `PAGOPA|002|${code}|${fiscalCode}|${args.amountMinor}`
  } catch (error) {
    throw asInputError(error, 'pagoPaQrPayload', { args: [args, 'object', 'the notice\'s payment ({ noticeCode, creditorFiscalCode, amountMinor })'] })
  }
}

/** The largest amount the Poste data matrix carries: 10 digits of cents (99,999,999.99 euros). */
const POSTE_MAX_MINOR = 9_999_999_999n

/**
 * Validates a notice as its form sends it: every notice code's check digits, the creditor's fiscal
 * code (11 digits, its check digit included: a payment app looks the debt up by it and the notice
 * code, so a wrong digit would make the notice unpayable), the debtor's (a person's 16 characters or
 * an entity's 11 digits, check character included), amounts, due dates; instalments must come in
 * due-date order, each with its own notice code.
 * What is accepted can be printed: when the creditor has a Poste account, each payment's amount
 * must fit the bollettino's data matrix (10 digits of cents, at most 99,999,999.99 euros).
 *
 * @example
 * preparePagoPaNotice(input).payments[0]!.amount //=> 4250n
 * @throws EcoleError `INVALID_INPUT` naming every wrong field (`payments.1.noticeCode: must be an 18-digit pagoPA notice code...`,
 * `creditor.fiscalCode: has a wrong check digit: the 11th digit must be 6, not 7...`, `debtor.fiscalCode: has a wrong check letter...`,
 * `payments.0.amount` above 99,999,999.99 euros with a Poste account).
 */
export function preparePagoPaNotice(input: PagoPaNoticeInput): PagoPaNotice {
  const notice = parseInput(PagoPaNoticeSchema, input, 'pagoPA notice')
  const codes = new Set<string>()
  let last: LocalDate | undefined
  notice.payments.forEach((p, i) => {
    if (codes.has(p.noticeCode)) throw new EcoleError('INVALID_INPUT', `pagoPA notice payments.${i}.noticeCode: each instalment needs its own notice code (${p.noticeCode} is used twice)`, { details: { field: `payments.${i}.noticeCode` } })
    codes.add(p.noticeCode)
    if (last !== undefined && p.dueDate < last) throw new EcoleError('INVALID_INPUT', `pagoPA notice payments.${i}.dueDate: instalments must be in due-date order`, { details: { field: `payments.${i}.dueDate` } })
    last = p.dueDate
    if (notice.creditor.posteAccount !== undefined && p.amount > POSTE_MAX_MINOR) {
      throw new EcoleError('INVALID_INPUT', `pagoPA notice payments.${i}.amount: must be at most 99999999.99 euros when the creditor collects on a Poste account (the bollettino's data matrix holds 10 digits of cents)`, {
        details: { field: `payments.${i}.amount` },
      })
    }
  })
  return notice
}

/** Characters the Poste data matrix carries in its text fields; any other becomes a space. */
const POSTE_TEXT = /[^A-Za-z0-9&'\-.:_, ]/g

function posteText(value: string, width: number, upper: boolean): string {
  const plain = value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(POSTE_TEXT, ' ')
  return (upper ? plain.toUpperCase() : plain).slice(0, width).padEnd(width, ' ')
}

/**
 * The text of the Poste data matrix printed on the "Bollettino Postale PA" part of a pagoPA
 * notice when the creditor collects on a Poste current account: a fixed-length string of 256
 * characters,
 *
 * `codfase=NBPA;` · `18` + notice code (18) · `12` + Poste account (12, zeros on the left) ·
 * `10` + amount in euro cents (10, zeros on the left) · `3` + `896` (the document type, bollettino
 * PA) · `1P1` · creditor fiscal code (11) · debtor fiscal code (16, spaces on the right) · debtor
 * name (40, capitals) · subject (110) · 12 spaces · `A`.
 *
 * Text fields keep letters, digits, spaces and `& ' - . : _ ,`: accents are dropped (à → a) and any
 * other character becomes a space; a longer text is cut at its field's width. The layout follows
 * what pagoPA's app reads back (notice code at 15-33, amount at 49-59, creditor at 66-77) and the
 * open-source notice printers that write it; Poste's own manual ("Autorizzazione alla stampa in
 * proprio", §4.2) is the normative source (see docs/italy.md).
 *
 * @example
 * posteDataMatrixPayload({ noticeCode: '301000000000000144', posteAccount: '000012345678', amountMinor: 4250n, creditorFiscalCode: '02438750586',
 *   debtorFiscalCode: 'BNCGLI80A41H501C', debtorName: 'Giulia Bianchi', subject: 'Mensa scolastica' }).slice(0, 63)
 * //=> 'codfase=NBPA;18301000000000000144120000123456781000000042503896'
 * @throws EcoleError `INVALID_INPUT` naming the field (a notice code with wrong check digits, an account that is not 1 to 12 digits, an amount not positive or above 10 digits,
 * a `creditorFiscalCode` or `debtorFiscalCode` of the wrong form or with a wrong check character, saying the expected one).
 */
export function posteDataMatrixPayload(args: {
  noticeCode: string
  posteAccount: string
  amountMinor: bigint
  creditorFiscalCode: string
  debtorFiscalCode: string
  debtorName: string
  subject: string
}): string {
  try {
    const code = parseInput(NoticeCodeSchema, args.noticeCode, 'noticeCode')
    const creditor = parseInput(EntityFiscalCodeSchema, args.creditorFiscalCode, 'creditorFiscalCode')
    const account = parseInput(z.string().trim().regex(/^\d{1,12}$/, 'must be the Poste account number (up to 12 digits)'), args.posteAccount, 'posteAccount')
    const debtor = parseInput(FiscalCodeSchema, args.debtorFiscalCode, 'debtorFiscalCode')
    if (typeof args.amountMinor !== 'bigint' || args.amountMinor <= 0n || args.amountMinor > POSTE_MAX_MINOR) {
      throw new EcoleError('INVALID_INPUT', 'amountMinor: must be a positive whole number of cents of at most 10 digits (a bigint)', { details: { field: 'amountMinor' } })
    }
    const codeline = `18${code}12${account.padStart(12, '0')}10${String(args.amountMinor).padStart(10, '0')}3896`
    return `codfase=NBPA;${codeline}1P1${creditor}${debtor.padEnd(16, ' ')}${posteText(args.debtorName, 40, true)}${posteText(args.subject, 110, false)}${' '.repeat(12)}A`
  } catch (error) {
    throw asInputError(error, 'posteDataMatrixPayload', { args: [args, 'object', 'the notice\'s payment and debtor ({ noticeCode, posteAccount, amountMinor, ... })'] })
  }
}

import { asInputError, EcoleError, type CreditNote, type Deposit, type Invoice, type LocalDate, type Payment } from '@ecole/core'
import { checkFecData } from './fec-data-check'
import type { FecAccount, FecAccounts, FecSettings } from './fec-settings'
import { isBlankFecText } from './fec-text'
import { CREDIT_NOTE_EXCESS_METHOD } from './fec-data-check'


/**
 * What a wallet movement means in the accounts (the ledger's transfer codes that touch a family's
 * prepaid wallet): a top-up received on the bank account, a booking paid from the wallet, a
 * cancellation credited back, an invoice settled from the wallet, money paid back, a small
 * balance abandoned.
 *
 * @example
 * const code: FecWalletCode = 'booking'
 */
export type FecWalletCode = 'topUp' | 'booking' | 'cancellation' | 'invoicePayment' | 'refund' | 'writeOff'

/**
 * One movement of a family's prepaid wallet, as the FEC needs it. A top-up that a recorded
 * {@link Payment} already carries (its `walletCreditMinor`) names that payment in `paymentId` and is
 * not posted twice.
 *
 * @example
 * const m: FecWalletMovement = { id: 't-1', billingOfficeId: 'regie', guardianId: 'g-1', date: '2026-03-02',
 *   code: 'booking', amountMinor: 415n, currency: 'EUR', serviceId: 'canteen' }
 */
export interface FecWalletMovement {
  /** The transfer id (PieceRef). */
  id: string
  /** Billing office of the wallet. */
  billingOfficeId: string
  /** The guardian whose wallet it is. */
  guardianId: string
  /** Day of the movement. */
  date: LocalDate
  /** What it means. */
  code: FecWalletCode
  /** Amount, minor units, positive. */
  amountMinor: bigint
  /** Currency (EUR). */
  currency: string
  /** For a booking or a cancellation: the service (its revenue account). */
  serviceId?: string | undefined
  /** For a top-up: the payment that already carries it. */
  paymentId?: string | undefined
  /** A label (EcritureLib); a default one is made from the code. */
  label?: string | undefined
}

/**
 * A debtor (a guardian) as the FEC names it: the auxiliary account (CompAuxNum, the guardian's id
 * by default) and the name (CompAuxLib).
 *
 * @example
 * const d: FecDebtor = { name: 'DUPONT Marie', auxiliaryAccount: 'F0001' }
 */
export interface FecDebtor {
  /** The name printed as CompAuxLib. */
  name: string
  /** The auxiliary account number; the guardian's id when absent. */
  auxiliaryAccount?: string | undefined
}

/**
 * The library's records a FEC is made from. Only validated invoices count; every record dated
 * outside the period is left out.
 *
 * @example
 * const data: FecData = { invoices, creditNotes, payments, deposits, walletMovements, debtors: { 'g-1': { name: 'DUPONT Marie' } } }
 */
export interface FecData {
  /** Invoices (drafts are left out with a warning). */
  invoices?: readonly Invoice[] | undefined
  /** Credit notes. */
  creditNotes?: readonly CreditNote[] | undefined
  /** Payments, recorded or refused. */
  payments?: readonly Payment[] | undefined
  /** Deposits handed to the bank (their payments must be among `payments`). */
  deposits?: readonly Deposit[] | undefined
  /** Movements of the families' prepaid wallets. */
  walletMovements?: readonly FecWalletMovement[] | undefined
  /** Every debtor named by a record, by guardian id. */
  debtors: Readonly<Record<string, FecDebtor>>
}

/**
 * The kind of journal an entry is written to.
 *
 * @example
 * const k: FecJournalKind = 'sales'
 */
export type FecJournalKind = 'sales' | 'receipts' | 'bank' | 'wallet'

/** The suffix of each journal kind's code and its label. */
export const FEC_JOURNALS: Readonly<Record<FecJournalKind, { suffix: string; label: string }>> = {
  sales: { suffix: 'VT', label: 'Ventes' },
  receipts: { suffix: 'EN', label: 'Encaissements' },
  bank: { suffix: 'BQ', label: 'Remises en banque' },
  wallet: { suffix: 'PM', label: 'Porte-monnaie' },
}

/** One line of an entry: an account (and auxiliary account), debit or credit. */
export interface FecLine {
  /** The account. */
  account: FecAccount
  /** The auxiliary account (a debtor), if any. */
  auxNum: string
  /** The auxiliary account's label. */
  auxLabel: string
  /** Debit, minor units (0n when the line is a credit). */
  debitMinor: bigint
  /** Credit, minor units (0n when the line is a debit). */
  creditMinor: bigint
}

/**
 * One accounting entry (écriture) before numbering: lines that balance.
 *
 * @example
 * const balanced = (e: FecEntry) => e.lines.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0n) === 0n
 */
export interface FecEntry {
  /** Billing office. */
  billingOfficeId: string
  /** Journal kind. */
  journal: FecJournalKind
  /** Entry date (EcritureDate). */
  date: LocalDate
  /** The document's reference (PieceRef). */
  pieceRef: string
  /** The document's date (PieceDate). */
  pieceDate: LocalDate
  /** Entry label (EcritureLib). */
  label: string
  /** Its lines. */
  lines: FecLine[]
}

/**
 * A note about what was left out or changed while building a file.
 *
 * @example
 * const w: ExportWarning = { code: 'DRAFT_SKIPPED', ref: 'inv-7', message: 'invoice inv-7 is a draft: not an accounting entry' }
 */
export interface ExportWarning {
  /** Stable code. */
  code: string
  /** The record concerned. */
  ref: string
  /** What happened, in words. */
  message: string
}

type Post = [account: FecAccount, aux: { num: string; label: string } | undefined, signedMinor: bigint]

function entryOf(meta: Omit<FecEntry, 'lines'>, posts: Post[]): FecEntry {
  let sum = 0n
  const lines: FecLine[] = []
  for (const [account, aux, signed] of posts) {
    if (signed === 0n) continue
    sum += signed
    lines.push({ account, auxNum: aux?.num ?? '', auxLabel: aux?.label ?? '', debitMinor: signed > 0n ? signed : 0n, creditMinor: signed < 0n ? -signed : 0n })
  }
  if (sum !== 0n) {
    throw new EcoleError('FEC_UNBALANCED_ENTRY', `${meta.pieceRef}: its amounts do not add up (debit - credit = ${sum} minor units); the document's totals disagree with its parts`, {
      details: { pieceRef: meta.pieceRef, differenceMinor: sum.toString() },
    })
  }
  return { ...meta, lines }
}

const inPeriod = (d: LocalDate, s: FecSettings) => d >= s.period.from && d <= s.period.to

/** The builder's context: settings, debtors and the indexes it needs. */
interface Ctx {
  settings: FecSettings
  accounts: FecAccounts
  offices: ReadonlySet<string>
  debtors: Readonly<Record<string, FecDebtor>>
  warnings: ExportWarning[]
  /** The given deposits, by the id of each payment they hold. */
  depositOfPayment: ReadonlyMap<string, { deposit: Deposit; index: number }>
}

function checkRecord(ctx: Ctx, field: string, officeId: string, currency: string): void {
  if (!ctx.offices.has(officeId)) {
    throw new EcoleError('INVALID_INPUT', `${field}.billingOfficeId: ${officeId} is not one of the billing offices of this FEC`, { details: { field: `${field}.billingOfficeId` } })
  }
  if (currency !== 'EUR') {
    throw new EcoleError('INVALID_INPUT', `${field}.currency: a FEC is kept in euros, not ${currency}`, { details: { field: `${field}.currency` } })
  }
}

function debtor(ctx: Ctx, field: string, guardianId: string): { num: string; label: string } {
  const d = Object.prototype.hasOwnProperty.call(ctx.debtors, guardianId) ? ctx.debtors[guardianId] : undefined
  if (!d || isBlankFecText(d.name)) {
    throw new EcoleError('INVALID_INPUT', `debtors.${guardianId}: ${field} names debtor ${guardianId}, who has no name in debtors (CompAuxLib is required with CompAuxNum)`, {
      details: { field: `debtors.${guardianId}` },
    })
  }
  // CompAuxNum and CompAuxLib go together: both filled or both empty
  const num = d.auxiliaryAccount ?? guardianId
  if (isBlankFecText(num)) {
    const at = `debtors.${guardianId}.auxiliaryAccount`
    throw new EcoleError('INVALID_INPUT', `${at}: must not be empty (${field} names this debtor); it is the auxiliary account (CompAuxNum, the guardian's id when absent), required with the debtor's name (CompAuxLib)`, {
      details: { field: at },
    })
  }
  return { num, label: d.name }
}

function revenueAccount(ctx: Ctx, serviceId: string | undefined): FecAccount {
  return (serviceId !== undefined ? ctx.accounts.revenueByService[serviceId] : undefined) ?? ctx.accounts.revenue
}

function invoiceEntry(ctx: Ctx, inv: Invoice, i: number): FecEntry | undefined {
  const field = `invoices[${i}]`
  if (inv.status !== 'validated' || inv.number === null || inv.issueDate === null) {
    ctx.warnings.push({ code: 'DRAFT_SKIPPED', ref: inv.id, message: `invoice ${inv.id} is a draft: it is not an accounting entry` })
    return undefined
  }
  if (!inPeriod(inv.issueDate, ctx.settings)) return undefined
  checkRecord(ctx, field, inv.billingOfficeId, inv.currency)
  const payer = debtor(ctx, field, inv.debtorId)
  const posts: Post[] = [[ctx.accounts.receivables, payer, inv.totalMinor]]
  for (const l of inv.lines) posts.push([revenueAccount(ctx, l.serviceId), undefined, -l.amountMinor])
  for (const a of inv.adjustments) {
    // a reduction (negative effect) is a debit on 709; a surcharge a credit on 7088
    const acc = a.amountMinor < 0n ? ctx.accounts.reductions : ctx.accounts.surcharges
    posts.push([acc, undefined, -a.amountMinor])
  }
  return entryOf({ billingOfficeId: inv.billingOfficeId, journal: 'sales', date: inv.issueDate, pieceRef: inv.number, pieceDate: inv.issueDate, label: `Facture ${inv.number}` }, posts)
}

function creditNoteEntry(ctx: Ctx, cn: CreditNote, i: number, invoices: ReadonlyMap<string, Invoice>): FecEntry | undefined {
  if (!inPeriod(cn.issueDate, ctx.settings)) return undefined
  const field = `creditNotes[${i}]`
  checkRecord(ctx, field, cn.billingOfficeId, cn.currency)
  const payer = debtor(ctx, field, cn.debtorId)
  const inv = invoices.get(cn.invoiceId)
  const posts: Post[] = []
  let byLines = 0n
  for (const l of cn.lines) {
    const line = inv?.lines.find((x) => x.id === l.lineId)
    posts.push([revenueAccount(ctx, line?.serviceId), undefined, l.amountMinor])
    byLines += l.amountMinor
  }
  // a whole or lump-sum credit note (or the rest of one by line) reverses revenue on the default account
  if (cn.amountMinor !== byLines) posts.push([ctx.accounts.revenue, undefined, cn.amountMinor - byLines])
  posts.push([ctx.accounts.receivables, payer, -cn.amountMinor])
  return entryOf({ billingOfficeId: cn.billingOfficeId, journal: 'sales', date: cn.issueDate, pieceRef: cn.number, pieceDate: cn.issueDate, label: `Avoir ${cn.number} sur facture ${inv?.number ?? cn.invoiceId}` }, posts)
}

const BUILT_IN_METHOD_ACCOUNTS: Record<string, (a: FecAccounts) => FecAccount> = {
  cash: (a) => a.cash,
  cheque: (a) => a.chequesToDeposit,
  card: (a) => a.cardsToDeposit,
  transfer: (a) => a.bank,
  directDebit: (a) => a.bank,
}

function methodAccount(ctx: Ctx, field: string, method: string): FecAccount {
  const own = Object.prototype.hasOwnProperty.call(ctx.accounts.paymentMethods, method) ? ctx.accounts.paymentMethods[method] : undefined
  if (own) return own
  const builtIn = Object.prototype.hasOwnProperty.call(BUILT_IN_METHOD_ACCOUNTS, method) ? BUILT_IN_METHOD_ACCOUNTS[method] : undefined
  if (builtIn) return builtIn(ctx.accounts)
  throw new EcoleError('INVALID_INPUT', `${field}.method: no account for payment method ${method}; add it to accounts.paymentMethods`, { details: { field: `accounts.paymentMethods.${method}` } })
}

/**
 * A payment of method `creditNote`: what a credit note freed on a paid invoice, which the note's own
 * entry already credited to the payer's 411. What it settles on the payer's other invoices stays on
 * that 411 (no entry); what it put in the wallet moves from 411 to 4191 (wallet journal), reversed
 * on the day a returned direct debit took it back. No bank or cash account is touched.
 */
function creditNoteExcessEntries(ctx: Ctx, p: Payment, payer: { num: string; label: string }, received: boolean, refusedOn: LocalDate | undefined): FecEntry[] {
  if (p.walletCreditMinor === 0n) return []
  const posts = (sign: bigint): Post[] => [
    [ctx.accounts.receivables, payer, sign * p.walletCreditMinor],
    [ctx.accounts.walletAdvances, payer, -sign * p.walletCreditMinor],
  ]
  const out: FecEntry[] = []
  if (received) out.push(entryOf({ billingOfficeId: p.billingOfficeId, journal: 'wallet', date: p.date, pieceRef: p.id, pieceDate: p.date, label: "Excédent d'avoir porté au porte-monnaie" }, posts(1n)))
  if (refusedOn !== undefined) out.push(entryOf({ billingOfficeId: p.billingOfficeId, journal: 'wallet', date: refusedOn, pieceRef: p.id, pieceDate: refusedOn, label: `Reprise de l'excédent d'avoir ${p.id}` }, posts(-1n)))
  return out
}

/**
 * Refuses a deposit dated after the refusal of a payment it holds: the records contradict each other
 * (a refused payment cannot be deposited), and no account could say where the money is.
 */
function checkDepositedBeforeRefusal(p: Payment, deposit: Deposit, index: number): void {
  const refusedOn = p.status === 'refused' && p.refusal ? p.refusal.date : undefined
  if (refusedOn === undefined || deposit.date <= refusedOn) return
  throw new EcoleError(
    'INVALID_INPUT',
    `deposits[${index}].date: deposit ${deposit.id} of ${deposit.date} holds payment ${p.id}, refused on ${refusedOn}, before it; a refused payment cannot be deposited: correct the deposit's date or the refusal's`,
    { details: { field: `deposits[${index}].date`, depositId: deposit.id, paymentId: p.id } },
  )
}

/**
 * The account a refused payment's money is taken back from: the bank (512) once the payment was in
 * a deposit (the bank takes the unpaid cheque back from the account the deposit credited), else the
 * account it waited on (5112 for a cheque not yet deposited).
 */
function refusalAccount(ctx: Ctx, field: string, p: Payment): FecAccount {
  const deposited = ctx.depositOfPayment.has(p.id) || (typeof p.depositId === 'string' && p.depositId !== '')
  return deposited ? ctx.accounts.bank : methodAccount(ctx, field, p.method)
}

function paymentEntries(ctx: Ctx, p: Payment, i: number): FecEntry[] {
  const field = `payments[${i}]`
  const out: FecEntry[] = []
  const received = inPeriod(p.date, ctx.settings)
  const refusedOn = p.status === 'refused' && p.refusal ? p.refusal.date : undefined
  const refused = refusedOn !== undefined && inPeriod(refusedOn, ctx.settings)
  if (!received && !refused) return out
  const given = ctx.depositOfPayment.get(p.id)
  if (given !== undefined) checkDepositedBeforeRefusal(p, given.deposit, given.index)
  if (refusedOn !== undefined && refusedOn < p.date) {
    // rejected before its own date (a direct debit rejected before settlement): no money ever moved
    ctx.warnings.push({ code: 'REFUSED_BEFORE_RECEIVED', ref: p.id, message: `payment ${p.id} of ${p.date} was refused on ${refusedOn}, before its date: it never moved money, neither it nor its refusal is an entry` })
    return out
  }
  checkRecord(ctx, field, p.billingOfficeId, p.currency)
  const payer = debtor(ctx, field, p.payerId)
  let allocated = 0n
  for (const a of p.allocations) allocated += a.amountMinor
  if (p.method === CREDIT_NOTE_EXCESS_METHOD) return creditNoteExcessEntries(ctx, p, payer, received, refused ? refusedOn : undefined)
  const posts = (money: FecAccount, sign: bigint): Post[] => [
    [money, undefined, sign * p.amountMinor],
    [ctx.accounts.receivables, payer, -sign * allocated],
    [ctx.accounts.walletAdvances, payer, -sign * p.walletCreditMinor],
  ]
  if (received) out.push(entryOf({ billingOfficeId: p.billingOfficeId, journal: 'receipts', date: p.date, pieceRef: p.id, pieceDate: p.date, label: `Règlement ${p.method}` }, posts(methodAccount(ctx, field, p.method), 1n)))
  if (refused && refusedOn !== undefined) {
    out.push(entryOf({ billingOfficeId: p.billingOfficeId, journal: 'receipts', date: refusedOn, pieceRef: p.id, pieceDate: refusedOn, label: `Rejet du règlement ${p.id} (${p.refusal?.reasonCode ?? ''})` }, posts(refusalAccount(ctx, field, p), -1n)))
  }
  return out
}

function depositEntries(ctx: Ctx, d: Deposit, i: number, payments: ReadonlyMap<string, Payment>): FecEntry[] {
  if (!inPeriod(d.date, ctx.settings)) return []
  const field = `deposits[${i}]`
  // a deposit may hold payments of several offices: one entry per office
  const byOffice = new Map<string, bigint>()
  for (const id of d.paymentIds) {
    const p = payments.get(id)
    if (!p) throw new EcoleError('INVALID_INPUT', `${field}.paymentIds: payment ${id} is not among the payments given`, { details: { field: `${field}.paymentIds` } })
    checkRecord(ctx, `payments(${id})`, p.billingOfficeId, p.currency)
    checkDepositedBeforeRefusal(p, d, i)
    byOffice.set(p.billingOfficeId, (byOffice.get(p.billingOfficeId) ?? 0n) + p.amountMinor)
  }
  const from = methodAccount(ctx, field, d.method)
  if (from.number === ctx.accounts.bank.number) {
    ctx.warnings.push({ code: 'DEPOSIT_ALREADY_ON_BANK', ref: d.id, message: `deposit ${d.id}: ${d.method} payments are received on the bank account itself, no transfer is posted` })
    return []
  }
  return [...byOffice].map(([officeId, amount]) =>
    entryOf({ billingOfficeId: officeId, journal: 'bank', date: d.date, pieceRef: d.id, pieceDate: d.date, label: `Remise ${d.method} ${d.id}` }, [
      [ctx.accounts.bank, undefined, amount],
      [from, undefined, -amount],
    ]),
  )
}

const WALLET_LABELS: Record<FecWalletCode, string> = {
  topUp: 'Rechargement du porte-monnaie',
  booking: 'Consommation sur porte-monnaie',
  cancellation: 'Annulation recréditée au porte-monnaie',
  invoicePayment: 'Facture réglée par le porte-monnaie',
  refund: 'Remboursement du porte-monnaie',
  writeOff: 'Solde du porte-monnaie abandonné',
}

function walletEntry(ctx: Ctx, m: FecWalletMovement, i: number): FecEntry | undefined {
  if (!inPeriod(m.date, ctx.settings)) return undefined
  if (m.code === 'topUp' && m.paymentId !== undefined) return undefined
  const field = `walletMovements[${i}]`
  checkRecord(ctx, field, m.billingOfficeId, m.currency)
  if (m.amountMinor <= 0n) throw new EcoleError('INVALID_INPUT', `${field}.amountMinor: must be positive`, { details: { field: `${field}.amountMinor` } })
  const who = debtor(ctx, field, m.guardianId)
  const a = ctx.accounts
  const wallet = (sign: bigint): Post => [a.walletAdvances, who, sign * m.amountMinor]
  const other = (acc: FecAccount, aux: { num: string; label: string } | undefined, sign: bigint): Post => [acc, aux, sign * m.amountMinor]
  let posts: Post[]
  switch (m.code) {
    case 'topUp': posts = [other(a.bank, undefined, 1n), wallet(-1n)]; break
    case 'booking': posts = [wallet(1n), other(revenueAccount(ctx, m.serviceId), undefined, -1n)]; break
    case 'cancellation': posts = [other(revenueAccount(ctx, m.serviceId), undefined, 1n), wallet(-1n)]; break
    case 'invoicePayment': posts = [wallet(1n), other(a.receivables, who, -1n)]; break
    case 'refund': posts = [wallet(1n), other(a.bank, undefined, -1n)]; break
    case 'writeOff': posts = [wallet(1n), other(a.writeOff, undefined, -1n)]; break
    default: {
      const never: never = m.code
      throw new EcoleError('INVALID_INPUT', `${field}.code: ${String(never)} is not a wallet movement code`, { details: { field: `${field}.code` } })
    }
  }
  return entryOf({ billingOfficeId: m.billingOfficeId, journal: 'wallet', date: m.date, pieceRef: m.id, pieceDate: m.date, label: m.label ?? WALLET_LABELS[m.code] }, posts)
}

/**
 * The accounting entries of a period, every one balanced, before numbering and writing.
 *
 * Rules (one entry per document, in the office's journal of its kind):
 * - a validated invoice: debit 411 (the payer) by its total, credit revenue per service by line,
 *   a reduction debits 709 and a surcharge credits 7088; drafts are left out with a warning;
 * - a credit note: debit revenue (by credited line when the invoice is known), credit 411;
 * - a payment: debit the method's account (cash 530, cheques 5112, cards 5115, transfers and direct
 *   debits 512), credit 411 by what it settled and 4191 by what went to the wallet; a refused payment
 *   is reversed on its refusal day, on the method's account while the money waited there (a cheque
 *   refused before its deposit: 5112) and on the bank (512) once it was in a deposit (payment
 *   `depositId`, or among a given deposit's payments: the bank takes the unpaid cheque back); a
 *   payment refused before its own date (a direct debit rejected before settlement) never moved
 *   money: neither it nor its refusal is an entry (warning `REFUSED_BEFORE_RECEIVED`); a payment of
 *   method `creditNote` (a credit note's excess carried from a paid invoice, no money in) moves only
 *   what it put in the wallet from 411 to 4191;
 * - a deposit: debit 512, credit the account the payments waited on; it holds each payment once (and
 *   a payment is in one deposit), every one given and of the deposit's method, never a credit note's
 *   excess, and its `totalMinor` is their sum;
 * - a wallet movement: between 4191 (the guardian) and the bank, revenue, 411 or 758 by its code.
 *
 * @example
 * const { entries, warnings } = buildFecEntries(FecSettingsSchema.parse(settings), data)
 *
 * Every record is checked first, whatever its date: its dates are real calendar days (`YYYY-MM-DD`),
 * its amounts bigints, the texts that become PieceRef or EcritureLib are not blank, a debtor's
 * auxiliary account and name are both filled, and a top-up naming its payment (`paymentId`) names
 * one given.
 *
 * @throws EcoleError `INVALID_INPUT` naming the record and field at fault (an office not in the settings, a currency
 * other than EUR, a debtor without a name or with an empty auxiliaryAccount, a method without an account, a date that
 * is no calendar day, an amount that is not a bigint, an empty number, id or label, a deposit that holds a payment
 * twice, one held by another deposit, of another method or of method creditNote, a deposit dated after the refusal of
 * a payment it holds, a top-up naming a payment not given); `FEC_UNBALANCED_ENTRY` when a document's totals disagree
 * with its parts (a deposit's `totalMinor` with its payments included).
 */
export function buildFecEntries(settings: FecSettings, data: FecData): { entries: FecEntry[]; warnings: ExportWarning[] } {
  try {
    checkFecData(settings, data)
    const deposits = data.deposits ?? []
    const depositOfPayment = new Map<string, { deposit: Deposit; index: number }>()
    deposits.forEach((deposit, index) => {
      for (const id of deposit.paymentIds) if (!depositOfPayment.has(id)) depositOfPayment.set(id, { deposit, index })
    })
    const ctx: Ctx = { settings, accounts: settings.accounts, offices: new Set(settings.billingOffices.map((o) => o.id)), debtors: data.debtors ?? {}, warnings: [], depositOfPayment }
    const invoices = data.invoices ?? []
    const invoiceById = new Map(invoices.map((inv) => [inv.id, inv]))
    const payments = data.payments ?? []
    const paymentById = new Map(payments.map((p) => [p.id, p]))
    const entries: FecEntry[] = []
    invoices.forEach((inv, i) => {
      const e = invoiceEntry(ctx, inv, i)
      if (e) entries.push(e)
    })
    ;(data.creditNotes ?? []).forEach((cn, i) => {
      const e = creditNoteEntry(ctx, cn, i, invoiceById)
      if (e) entries.push(e)
    })
    payments.forEach((p, i) => entries.push(...paymentEntries(ctx, p, i)))
    deposits.forEach((d, i) => entries.push(...depositEntries(ctx, d, i, paymentById)))
    ;(data.walletMovements ?? []).forEach((m, i) => {
      const e = walletEntry(ctx, m, i)
      if (e) entries.push(e)
    })
    return { entries, warnings: ctx.warnings }
  } catch (error) {
    throw asInputError(error, 'buildFecEntries', { settings: [settings, 'object', 'the checked FEC settings'], data: [data, 'object', 'the period\'s records'] })
  }
}

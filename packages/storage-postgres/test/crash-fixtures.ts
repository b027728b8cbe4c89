/**
 * Shared data of the crash-safety test (`crash-safety.test.ts`) and its child process
 * (`crash-child.ts`): drafts to validate and a bank statement to import, both derived from their
 * index only, so the parent and every restarted child agree on them without exchanging files.
 *
 * @module
 */
import { defineInvoiceNumbering, invoiceCounterKey, invoiceSeriesKey, systemAccountId, walletAccountId, type Invoice, type LedgerAccount, type LocalDate } from '@ecole/core'

/** The billing office every crash-test record belongs to. */
export const CRASH_OFFICE = 'office-crash'
/** The batch the crash-test drafts belong to. */
export const CRASH_BATCH = 'batch-crash'
/** The issue date of the validation run. */
export const CRASH_ISSUE_DATE: LocalDate = '2027-01-04'
/** Numbering of the validation run (continuous yearly series, `F2027-000001`). */
export const CRASH_NUMBERING = defineInvoiceNumbering({ prefix: 'F{YYYY}-', digits: 6 })
/** The counter row the validation run takes its numbers from. */
export const CRASH_SERIES = invoiceSeriesKey(invoiceCounterKey(CRASH_NUMBERING, CRASH_OFFICE, 'invoice', CRASH_ISSUE_DATE))
/** How many wallets the bank statement credits. */
export const CRASH_WALLETS = 50

/** Invoice id of draft `i` (zero-padded so that id order is index order). */
export function crashDraftId(i: number): string {
  return `${CRASH_BATCH}:g${String(i).padStart(5, '0')}`
}

/** Draft `i`: one line of one charge, 1,000 + i cents. */
export function crashDraft(siteId: string, i: number): Invoice {
  const id = crashDraftId(i)
  const amount = BigInt(1000 + i)
  return {
    id, siteId, billingOfficeId: CRASH_OFFICE, batchId: CRASH_BATCH, debtorId: `g${i}`, jointDebtorIds: [],
    status: 'draft', number: null, sequence: null, issueDate: null,
    periodFrom: '2026-12-01', periodTo: '2026-12-31', dueDate: '2027-01-20', directDebitDate: null, portalDisplayDate: '2027-01-05',
    comment: null, currency: 'EUR',
    lines: [{
      id: `${id}:1`, beneficiaryId: `child-${i}`, serviceId: 'canteen', unitPriceMinor: amount, quantity: 1, amountMinor: amount,
      chargeIds: [`charge-${i}`], dates: ['2026-12-07'], from: '2026-12-07', to: '2026-12-07',
    }],
    adjustments: [], linesTotalMinor: amount, adjustmentsTotalMinor: 0n, totalMinor: amount, previousBalanceMinor: 0n, instalments: [], paymentReference: null,
  }
}

/** The bank clearing account the top-ups are debited from. */
export const CRASH_BANK_ACCOUNT = systemAccountId('bankClearing', CRASH_OFFICE)

/** Wallet of guardian `w` (0 <= w < {@link CRASH_WALLETS}). */
export function crashWalletId(w: number): string {
  return walletAccountId(`g${w}`, CRASH_OFFICE)
}

/** The accounts of the import run: bank clearing and the wallets. */
export function crashAccounts(): LedgerAccount[] {
  const accounts: LedgerAccount[] = [{ id: CRASH_BANK_ACCOUNT, kind: 'system', role: 'bankClearing', billingOfficeId: CRASH_OFFICE, currency: 'EUR', overdraft: { kind: 'unbounded' } }]
  for (let w = 0; w < CRASH_WALLETS; w++) {
    accounts.push({ id: crashWalletId(w), kind: 'wallet', guardianId: `g${w}`, billingOfficeId: CRASH_OFFICE, compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } })
  }
  return accounts
}

/** One credit line of the statement: a wallet top-up. */
export interface CrashStatementEntry {
  /** The bank's unique entry reference. */
  reference: string
  /** Index of the wallet credited. */
  wallet: number
  /** Amount in cents. */
  amountMinor: bigint
  /** Booking date. */
  bookingDate: LocalDate
}

/** Entry `i` of the statement: wallet `i mod CRASH_WALLETS`, 500 + (i * 37 mod 9,500) cents. */
export function crashStatementEntry(i: number): CrashStatementEntry {
  return { reference: `BANKREF-${String(i).padStart(6, '0')}`, wallet: i % CRASH_WALLETS, amountMinor: BigInt(500 + ((i * 37) % 9500)), bookingDate: '2027-01-18' }
}

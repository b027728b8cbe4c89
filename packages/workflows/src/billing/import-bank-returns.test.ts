import { parseCamt053, testCamt053, type TestCamtEntry } from '@ecole/bank'
import { rf, standardLedgerAccounts, systemAccountId, walletAccountId } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { describe, expect, it } from 'vitest'
import { importBankStatement, recordPayment, type BankImportWallet, type BillingDeps } from './index'
import { storageForFile } from '../test-support/storage-for-file'

// Money the bank takes back: a returned direct debit whose wallet credit was spent meanwhile, and a
// transfer we received that the payer's bank sends back. Neither is posted blindly; each is kept
// for a person, naming what it concerns.
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const IBAN = 'BE68539007547034'
const G1 = rf.generate('1001')
const wallets: BankImportWallet[] = [{ payerId: 'g1', reference: G1 }]
const k = (ref: string) => `${IBAN}|${ref}`
let sites = 0

function onStorage(name: string, create: () => Promise<StoragePorts>) {
  const open = storageForFile(create)

  /** A site where g1 has a wallet at office `regie` (and the office a lunch service to spend on). */
  async function site() {
    const storage = await open()
    const deps: BillingDeps = { storage, clock }
    const siteId = `returns-${process.pid}-${++sites}`
    await storage.ledger!.createAccounts(siteId, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: 'regie', serviceIds: ['lunch'] }], guardians: [{ guardianId: 'g1', billingOfficeIds: ['regie'] }] }))
    const imp = (entries: TestCamtEntry[]) => importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(testCamt053(IBAN, entries)), wallets })
    const balance = async () => (await storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')]))[0]!.posted
    const review = async () => (await storage.bankImports!.listBankEntries(siteId, { outcome: 'review' }, { limit: 100 })).items
    /** A 20.00 direct debit of g1 with no invoice to pay: all of it credited to g1's wallet. */
    const collected = () => recordPayment(deps, { id: 'dd:E2E-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'directDebit', endToEndId: 'E2E-1', date: '2027-01-10', amount: '20.00' })
    /** g1 spends `cents` of the wallet on meals. */
    const spend = (cents: bigint) => storage.ledger!.createTransfers(siteId, [{
      id: `meals-${cents}`, debitAccountId: walletAccountId('g1', 'regie'), creditAccountId: systemAccountId('revenue', 'regie', 'lunch'), amount: cents, currency: 'EUR', code: 'booking', timestamp: clock.now(),
    }], clock.now())
    return { storage, siteId, imp, balance, review, collected, spend }
  }

  const returned: TestCamtEntry = { ref: 'RET-1', cents: 2000n, credit: false, date: '2027-01-18', endToEndId: 'E2E-1', returnCode: 'AM04' }

  describe(`importBankStatement, a returned direct debit whose wallet credit was spent, on ${name}`, () => {
    it('records the return, reports the wallet credit it could not take back (amount, payer, reason) and keeps it for review', async () => {
      const s = await site()
      await s.collected()
      expect((await s.spend(1500n))[0]!.status).toBe('created')
      const report = await s.imp([returned])
      expect(report.imported.map((l) => l.outcome)).toEqual([{ kind: 'directDebitReturn', paymentId: 'dd:E2E-1', reasonCode: 'AM04' }])
      expect(report.walletReversalsFailed).toEqual([{
        entryReference: k('RET-1'), paymentId: 'dd:E2E-1', payerId: 'g1', billingOfficeId: 'regie', amountMinor: 2000n, currency: 'EUR',
        reasonCode: 'AM04', failure: 'EXCEEDS_BALANCE', reviewReference: `${k('RET-1')}#walletReversal`,
      }])
      const review = await s.review()
      expect(review.map((e) => [e.entryReference, e.amountMinor, e.direction, e.outcome])).toEqual([[`${k('RET-1')}#walletReversal`, 2000n, 'debit', {
        kind: 'review', reason: 'AMBIGUOUS', candidates: ['wallet:g1'], rule: 'WALLET_REVERSAL_FAILED', suggestions: [{ kind: 'wallet', id: 'g1', amountMinor: 2000n }],
      }]])
      // the wallet keeps what was left: nothing taken back behind the reviewer's back
      expect(await s.balance()).toBe(500n)
      // importing the file again changes nothing and keeps the one review item
      const again = await s.imp([returned])
      expect([again.imported, again.duplicates, again.walletReversalsFailed]).toEqual([[], [k('RET-1')], undefined])
      expect((await s.review()).length).toBe(1)
    })

    it('takes the wallet credit back and reports nothing to review when the wallet still holds it', async () => {
      const s = await site()
      await s.collected()
      const report = await s.imp([returned])
      expect(report.walletReversalsFailed).toBeUndefined()
      expect(await s.review()).toEqual([])
      expect(await s.balance()).toBe(0n)
    })
  })

  describe(`importBankStatement, a transfer we received sent back by the payer's bank, on ${name}`, () => {
    it('keeps a returned transfer for review naming the wallet its structured communication names, as a reversal does, and posts nothing', async () => {
      const s = await site()
      await s.imp([{ ref: 'A1', cents: 2000n, credit: true, date: '2027-01-16', structured: { reference: G1, issuer: 'ISO' }, endToEndId: 'PARENT-E2E-1' }])
      expect(await s.balance()).toBe(2000n)
      const report = await s.imp([{ ref: 'R1', cents: 2000n, credit: false, date: '2027-01-18', structured: { reference: G1, issuer: 'ISO' }, endToEndId: 'PARENT-E2E-1', returnCode: 'AC04' }])
      expect(report.imported.map((l) => l.outcome)).toEqual([{
        kind: 'review', reason: 'AMBIGUOUS', candidates: ['wallet:g1'], rule: 'RETURNED_TRANSFER', suggestions: [{ kind: 'wallet', id: 'g1' }],
      }])
      expect(await s.balance()).toBe(2000n)
    })

    it('leaves a returned transfer whose references name nothing of ours unmatched, with no candidate', async () => {
      const s = await site()
      const report = await s.imp([{ ref: 'R2', cents: 700n, credit: false, date: '2027-01-18', text: 'retour', endToEndId: 'SOMEONE-ELSE', returnCode: 'AC04' }])
      expect(report.imported.map((l) => l.outcome)).toEqual([{ kind: 'review', reason: 'UNMATCHED', candidates: [] }])
    })
  })
}

onStorage('storage-memory', async () => createMemoryStorage())
onStorage('storage-postgres on PGlite', () => createPostgresStorage({}))

import { parseCamt053, testCamt053 } from '@ecole/bank'
import { isEcoleError, rf, walletAccountId, type Actor } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { decideHeldStatement, importBankStatement, previewBankStatement, type BillingDeps } from './index'

// A misspelt key of a bank import's input is refused before anything is read or written: read as
// absent, a misspelt `wallets` sent every top-up to review, and a correct import of the same file
// then found the entries imported and never credited them.
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const IBAN = 'BE68539007547034'
const G1 = rf.generate('1001')
let sites = 0

async function refusal(p: Promise<unknown>): Promise<{ code: string; issues: Array<{ path: string; message: string }> } | undefined> {
  try {
    await p
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, issues: (e.details as { issues: Array<{ path: string; message: string }> }).issues }
    throw e
  }
  return undefined
}

describe('importBankStatement, previewBankStatement and decideHeldStatement refuse a key they do not know', () => {
  const setup = () => {
    const storage = createMemoryStorage()
    const deps: BillingDeps = { storage, clock }
    const siteId = `options-${++sites}`
    const statements = parseCamt053(testCamt053(IBAN, [{ ref: 'T1', cents: 1000n, credit: true, date: '2027-01-16', structured: { reference: G1, issuer: 'ISO' } }]))
    return { storage, deps, siteId, statements }
  }

  it('refuses a misspelt `wallets` with INVALID_INPUT naming input.walets and the nearest known key, records nothing, and a correct import then credits the top-up', async () => {
    const { storage, deps, siteId, statements } = setup()
    const wallets = [{ payerId: 'g1', reference: G1 }]
    const error = await refusal(importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements, walets: wallets } as never))
    expect(error?.code).toBe('INVALID_INPUT')
    expect(error?.issues).toEqual([expect.objectContaining({ path: 'input.walets', message: expect.stringContaining('did you mean `wallets`?') })])
    expect((await storage.bankImports!.listBankEntries(siteId, {})).items).toEqual([])
    const report = await importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements, wallets })
    expect(report.imported.map((l) => l.outcome.kind)).toEqual(['walletTopUp'])
    expect((await storage.ledger!.getBalances(siteId, [walletAccountId('g1', 'regie')]))[0]!.posted).toBe(1000n)
  })

  it('refuses an unknown key of a wallet (a compartment the import cannot route to) naming wallets[0].compartment, and records nothing', async () => {
    const { storage, deps, siteId, statements } = setup()
    const error = await refusal(importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements, wallets: [{ payerId: 'g1', reference: G1, compartment: 'garderie' }] } as never))
    expect(error?.code).toBe('INVALID_INPUT')
    expect(error?.issues.map((i) => i.path)).toEqual(['wallets[0].compartment'])
    expect((await storage.bankImports!.listBankEntries(siteId, {})).items).toEqual([])
    expect((await storage.payments!.listPayments(siteId, {})).items).toEqual([])
  })

  it('names the nearest known key of a misspelt wallet key (billingOffice for billingOfficeId)', async () => {
    const { deps, siteId, statements } = setup()
    const error = await refusal(importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements, wallets: [{ payerId: 'g1', reference: G1, billingOffice: 'regie' }] } as never))
    expect(error?.issues).toEqual([expect.objectContaining({ path: 'wallets[0].billingOffice', message: expect.stringContaining('did you mean `billingOfficeId`?') })])
  })

  it('refuses a misspelt key of a preview (timezone for timeZone) and of a decision on a held statement (reasons for reason)', async () => {
    const { deps, siteId, statements } = setup()
    const preview = await refusal(previewBankStatement(deps, { siteId, billingOfficeId: 'regie', statements, timezone: 'Europe/Brussels' } as never))
    expect(preview?.issues).toEqual([expect.objectContaining({ path: 'input.timezone', message: expect.stringContaining('did you mean `timeZone`?') })])
    const actor: Actor = { userId: 'u', siteId, profile: 'staff', permissions: ['payments.write'], scope: { schoolIds: 'all', serviceIds: 'all' } }
    const decided = await refusal(decideHeldStatement(deps, { siteId, billingOfficeId: 'regie', key: 'camt.053|x|y', actor, decision: 'reject', reasons: 'wrong file' } as never))
    expect(decided?.issues).toEqual([expect.objectContaining({ path: 'input.reasons', message: expect.stringContaining('did you mean `reason`?') })])
  })
})

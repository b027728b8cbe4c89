/**
 * Listing a large ledger a page at a time in memory: every transfer of a site (20,000) read in
 * pages of 1,000 through `listTransfers`, and every account (20,000 wallets) through `listAccounts`,
 * beside the former path measured in the same run on the same rows (the site's transfers or
 * accounts sorted again at each page: pages x rows log rows; each item copied out, as the store
 * does). Target: the store at least twice the former path's rate for a full listing of 20,000.
 *
 * `npx vitest bench --run --project storage-memory bench/ledger-paging.bench.ts`
 */
import type { LedgerAccount, LedgerTransfer } from '@ecole/core'
import { bench, describe } from 'vitest'
import { paginate, tupleKey } from '../src/access'
import { createMemoryStorage } from '../src/memory-storage'
import { copy } from '../src/site-state'

const N = 20_000
const BANK = 'system:bankClearing:o1'
const bank: LedgerAccount = { id: BANK, kind: 'system', role: 'bankClearing', billingOfficeId: 'o1', currency: 'EUR', overdraft: { kind: 'unbounded' } }
const wallets: LedgerAccount[] = Array.from({ length: N }, (_, i) => ({
  id: `wallet:g-${(i * 7919) % N}:o1:general`, kind: 'wallet', guardianId: `g-${i}`, billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'unbounded' },
}))
const transfers: LedgerTransfer[] = wallets.map((w, i) => ({
  id: `t-${(i * 104_729) % N}`, debitAccountId: BANK, creditAccountId: w.id, amount: 100n, currency: 'EUR', code: 'topUp', timestamp: new Date(Date.UTC(2027, 0, 4, 8, 0, i % 60)),
}))
const storage = createMemoryStorage()
await storage.ledger!.createAccounts('s', [bank, ...wallets])
await storage.ledger!.createTransfers('s', transfers, new Date('2027-01-04T09:00:00Z'))

async function pages(list: (after: string | undefined) => Promise<{ items: unknown[]; next?: string | undefined }>): Promise<number> {
  let n = 0
  let after: string | undefined
  do {
    const page = await list(after)
    n += page.items.length
    after = page.next
  } while (after)
  if (n === 0) throw new Error('nothing listed')
  return n
}

describe(`all ${N.toLocaleString('en')} transfers of a site, pages of 1,000`, () => {
  bench('listTransfers (sorted index kept beside the ledger)', async () => {
    await pages((after) => storage.ledger!.listTransfers('s', {}, { limit: 1000, ...(after ? { after } : {}) }))
  })
  bench('former path: the transfers sorted again at each page', async () => {
    await pages(async (after) => {
      const page = paginate(transfers.map((t) => [tupleKey(t.timestamp.toISOString(), t.id), t] as [string, LedgerTransfer]), { limit: 1000, ...(after ? { after } : {}) })
      return { ...page, items: page.items.map(copy) }
    })
  })
})

describe(`all ${N.toLocaleString('en')} wallet accounts of a site, pages of 1,000`, () => {
  bench('listAccounts (sorted index kept beside the ledger)', async () => {
    await pages((after) => storage.ledger!.listAccounts('s', { kind: 'wallet' }, { limit: 1000, ...(after ? { after } : {}) }))
  })
  bench('former path: the accounts sorted again at each page', async () => {
    await pages(async (after) => {
      const page = paginate(wallets.map((a) => [a.id, a] as [string, LedgerAccount]), { limit: 1000, ...(after ? { after } : {}) })
      return { ...page, items: page.items.map(copy) }
    })
  })
})

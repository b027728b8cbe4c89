import { accountStatement, applyTransfers, createLedger, openAccounts, systemAccountId, walletAccountId, type LedgerAccount, type LedgerTransfer } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { bench, describe } from 'vitest'
import { readAccountStatement } from './index'

// One family's wallet over a school year: 4,000 movements (a top-up every week, a prepaid day
// every school day for two children, posted; a few voided). The month statement of March read from
// the store (readAccountStatement) beside the same statement computed by core's accountStatement
// over an in-memory ledger already holding the transfers (the floor: no storage at all).
const siteId = 'bench-site'
const wallet = walletAccountId('g1', 'o1')
const revenue = systemAccountId('revenue', 'o1', 'lunch')
const clearing = systemAccountId('bankClearing', 'o1')
const accounts: LedgerAccount[] = [
  { id: wallet, kind: 'wallet', guardianId: 'g1', billingOfficeId: 'o1', compartment: 'general', currency: 'EUR', overdraft: { kind: 'unbounded' } },
  { id: revenue, kind: 'system', role: 'revenue', billingOfficeId: 'o1', serviceId: 'lunch', currency: 'EUR', overdraft: { kind: 'unbounded' } },
  { id: clearing, kind: 'system', role: 'bankClearing', billingOfficeId: 'o1', currency: 'EUR', overdraft: { kind: 'unbounded' } },
]
const transfers: LedgerTransfer[] = []
const start = Date.UTC(2026, 8, 1, 8)
for (let i = 0; transfers.length < 4000; i++) {
  const at = new Date(start + i * 2 * 3_600_000)
  if (i % 40 === 0) transfers.push({ id: `in-${i}`, debitAccountId: clearing, creditAccountId: wallet, amount: 5000n, code: 'topUp', timestamp: at })
  else transfers.push({ id: `day-${i}`, debitAccountId: wallet, creditAccountId: revenue, amount: 415n, code: 'booking', timestamp: at })
}
const options = { from: '2027-03-01', to: '2027-03-31', timeZone: 'Europe/Paris' } as const

async function filled(storage: StoragePorts, site: string): Promise<StoragePorts> {
  await storage.ledger!.createAccounts(site, accounts)
  for (let i = 0; i < transfers.length; i += 500) await storage.ledger!.createTransfers(site, transfers.slice(i, i + 500), new Date(start + 400 * 86_400_000))
  return storage
}

const ledger = createLedger()
openAccounts(ledger, accounts)
applyTransfers(ledger, transfers, new Date(start + 400 * 86_400_000))
const memory = await filled(createMemoryStorage(), siteId)
const url = process.env['ECOLE_PG_URL']
const serverSite = `bench-statement-${process.pid}-${Date.now()}`
const server = url ? await filled(await createPostgresStorage({ connectionString: url, poolSize: 2 }), serverSite) : undefined

describe('a wallet\'s month statement, 4,000 movements in its history', () => {
  bench('baseline: core accountStatement over an in-memory ledger', () => {
    accountStatement(ledger, wallet, options)
  })
  bench('readAccountStatement on the memory adapter', async () => {
    await readAccountStatement(memory, siteId, wallet, options)
  })
  bench.skipIf(!server)('readAccountStatement on a PostgreSQL server', async () => {
    await readAccountStatement(server!, serverSite, wallet, options)
  })
})

import type { LedgerAccount, LedgerTransfer } from '@ecole/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryStorage } from './memory-storage'

const BANK = 'system:bankClearing:o1'
const wallet = (g: string, office = 'o1'): LedgerAccount => ({ id: `wallet:${g}:${office}:general`, kind: 'wallet', guardianId: g, billingOfficeId: office, compartment: 'general', currency: 'EUR', overdraft: { kind: 'unbounded' } })
const bank: LedgerAccount = { id: BANK, kind: 'system', role: 'bankClearing', billingOfficeId: 'o1', currency: 'EUR', overdraft: { kind: 'unbounded' } }
const topUp = (id: string, g: string, second: number): LedgerTransfer => ({
  id, debitAccountId: BANK, creditAccountId: wallet(g).id, amount: 100n, currency: 'EUR', code: 'topUp', timestamp: new Date(Date.UTC(2027, 0, 4, 8, 0, second)),
})
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
/** The order every adapter lists transfers in: timestamp, then id. */
const transferOrder = (a: LedgerTransfer, b: LedgerTransfer) => a.timestamp.getTime() - b.timestamp.getTime() || byCodeUnit(a.id, b.id)

type Ports = Pick<ReturnType<typeof createMemoryStorage>, 'ledger'>

async function allTransfers(ports: Ports, filter: { accountId?: string } = {}, limit = 500): Promise<string[]> {
  const ids: string[] = []
  let after: string | undefined
  do {
    const page = await ports.ledger!.listTransfers('s', filter, { limit, ...(after ? { after } : {}) })
    ids.push(...page.items.map((r) => r.transfer.id))
    after = page.next
  } while (after)
  return ids
}

describe('paging the ledger of a site in memory (accounts and transfers read from a sorted index kept beside the ledger)', () => {
  it('lists every account of 3,000 and every transfer of 12,000 exactly once, in key order, a page at a time, and only those the filter asks for', async () => {
    const storage = createMemoryStorage()
    const guardians = Array.from({ length: 3000 }, (_, i) => `g-${(i * 7919) % 3000}`)
    await storage.ledger!.createAccounts('s', [bank, ...guardians.map((g) => wallet(g)), ...guardians.filter((_, i) => i % 2 === 1).map((g) => wallet(g, 'o2'))])
    const transfers = Array.from({ length: 12_000 }, (_, i) => topUp(`t-${(i * 104_729) % 12_000}`, guardians[i % 30]!, (i * 13) % 50))
    expect((await storage.ledger!.createTransfers('s', transfers, new Date('2027-01-04T09:00:00Z'))).every((r) => r.status === 'created')).toBe(true)

    expect(await allTransfers(storage)).toEqual([...transfers].sort(transferOrder).map((t) => t.id))
    const one = wallet(guardians[7]!).id
    expect(await allTransfers(storage, { accountId: one }, 64)).toEqual(transfers.filter((t) => t.creditAccountId === one).sort(transferOrder).map((t) => t.id))

    const accounts: string[] = []
    let after: string | undefined
    do {
      const page = await storage.ledger!.listAccounts('s', { kind: 'wallet', billingOfficeId: 'o2' }, { limit: 333, ...(after ? { after } : {}) })
      accounts.push(...page.items.map((a) => a.id))
      after = page.next
    } while (after)
    expect(accounts).toEqual(guardians.filter((_, i) => i % 2 === 1).map((g) => wallet(g, 'o2').id).sort(byCodeUnit))
  })

  it('sees the transfers written between two pages, inside a transaction and outside, and forgets those of a transaction rolled back (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-e]{1,3}$/), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.array(fc.tuple(fc.stringMatching(/^[a-e]{1,3}$/), fc.integer({ min: 0, max: 3 })), { maxLength: 3 })), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (initial, steps, inTransaction) => {
          const storage = createMemoryStorage()
          await storage.ledger!.createAccounts('s', [bank, wallet('g')])
          const stored = new Map<string, LedgerTransfer>()
          for (const id of initial) stored.set(id, topUp(id, 'g', id.length))
          await storage.ledger!.createTransfers('s', [...stored.values()], new Date('2027-01-04T09:00:00Z'))
          const cursorOf = (t: LedgerTransfer) => `${t.timestamp.toISOString()}\u0000${t.id}`
          const run = async (ports: Ports) => {
            let after: string | undefined
            for (const [limit, writes] of steps) {
              const page = await ports.ledger!.listTransfers('s', {}, { limit, ...(after !== undefined ? { after } : {}) })
              // what sorting the ledger's transfers at this page gives
              const expected = [...stored.values()].sort(transferOrder).filter((t) => after === undefined || cursorOf(t) > after)
              expect(page.items.map((r) => r.transfer.id)).toEqual(expected.slice(0, limit).map((t) => t.id))
              expect(page.next).toBe(expected.length > limit ? cursorOf(expected[limit - 1]!) : undefined)
              for (const [id, second] of writes) {
                if (stored.has(id)) continue
                const t = topUp(id, 'g', second)
                await ports.ledger!.createTransfers('s', [t], new Date('2027-01-04T09:00:00Z'))
                stored.set(id, t)
              }
              if (page.next === undefined) break
              after = page.next
            }
          }
          if (inTransaction) await storage.transaction('s', (tx) => run(tx))
          else await run(storage)
          // a transaction that rolls back leaves no transfer behind in the listing
          await expect(storage.transaction('s', async (tx) => {
            await tx.ledger!.createTransfers('s', [topUp('zz-rolled-back', 'g', 1)], new Date('2027-01-04T09:00:00Z'))
            expect(await allTransfers(tx)).toContain('zz-rolled-back')
            throw new Error('roll back')
          })).rejects.toThrow('roll back')
          expect(await allTransfers(storage)).toEqual([...stored.values()].sort(transferOrder).map((t) => t.id))
        },
      ),
      { numRuns: 60 },
    )
  })
})

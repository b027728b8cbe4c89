import type { Payment } from '@ecole/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryStorage } from './memory-storage'

function payment(id: string, payerId: string): Payment {
  return {
    id, siteId: 's', billingOfficeId: 'office-1', payerId, method: 'transfer', product: null, date: '2027-01-12', currency: 'EUR',
    amountMinor: 100n, invoiceId: null, status: 'recorded', depositId: null, allocations: [], walletCreditMinor: 100n,
    mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null,
  }
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

describe('paging the payments, invoices, outbox and bank entries of a site in memory (a sorted index kept beside each table)', () => {
  it('returns every payment of 12,000 exactly once, in id order, a page at a time, and only those of the payer asked', async () => {
    const storage = createMemoryStorage()
    const all = Array.from({ length: 12_000 }, (_, i) => payment(`p-${(i * 7919) % 12_000}`, `g-${i % 3}`))
    await storage.transaction('s', (tx) => tx.payments!.createPayments('s', all))
    const read = async (payerId?: string) => {
      const ids: string[] = []
      let after: string | undefined
      do {
        const page = await storage.payments!.listPayments('s', payerId ? { payerId } : {}, { limit: 500, ...(after ? { after } : {}) })
        ids.push(...page.items.map((p) => p.id))
        after = page.next
      } while (after)
      return ids
    }
    expect(await read()).toEqual(all.map((p) => p.id).sort(byCodeUnit))
    expect(await read('g-1')).toEqual(all.filter((p) => p.payerId === 'g-1').map((p) => p.id).sort(byCodeUnit))
  })

  it('sees the writes made between two pages, inside a transaction and outside: a payment after the cursor is listed, one before it is not (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-e]{1,3}$/), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 7 }), fc.array(fc.stringMatching(/^[a-e]{1,3}$/), { maxLength: 3 })), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (initial, steps, inTransaction) => {
          const storage = createMemoryStorage()
          await storage.payments!.createPayments('s', initial.map((id) => payment(id, 'g')))
          const run = async (ports: Pick<typeof storage, 'payments'>) => {
            const stored = new Set(initial)
            let after: string | undefined
            for (const [limit, writes] of steps) {
              const page = await ports.payments!.listPayments('s', {}, { limit, ...(after !== undefined ? { after } : {}) })
              // what sorting the table at this page gives
              const expected = [...stored].sort(byCodeUnit).filter((id) => after === undefined || id > after)
              expect(page.items.map((p) => p.id)).toEqual(expected.slice(0, limit))
              expect(page.next).toBe(expected.length > limit ? expected[limit - 1] : undefined)
              for (const id of writes) {
                await ports.payments!.createPayments('s', [payment(id, 'g')])
                stored.add(id)
              }
              if (page.next === undefined) break
              after = page.next
            }
          }
          if (inTransaction) await storage.transaction('s', (tx) => run(tx))
          else await run(storage)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('lists bank entries and outbox messages in their key order a page at a time', async () => {
    const storage = createMemoryStorage()
    const refs = Array.from({ length: 300 }, (_, i) => `E-${(i * 37) % 300}`)
    for (const r of refs) {
      await storage.bankImports!.createBankEntry('s', {
        entryReference: r, accountIban: 'FR76', bookingDate: '2027-01-12', amountMinor: 100n, currency: 'EUR', direction: 'credit', counterpartyName: null, remittance: null,
        outcome: { kind: 'review', reason: 'UNMATCHED', candidates: [] },
      })
    }
    const seen: string[] = []
    let after: string | undefined
    do {
      const page = await storage.bankImports!.listBankEntries('s', {}, { limit: 64, ...(after ? { after } : {}) })
      seen.push(...page.items.map((e) => e.entryReference))
      after = page.next
    } while (after)
    expect(seen).toEqual([...refs].sort(byCodeUnit))
    await storage.outbox!.enqueueMany('s', Array.from({ length: 30 }, (_, i) => ({ id: `m-${29 - i}`, topic: 'mail', payload: { n: i } })))
    const sequences: number[] = []
    after = undefined
    do {
      const page = await storage.outbox!.list('s', {}, { limit: 7, ...(after ? { after } : {}) })
      sequences.push(...page.items.map((m) => m.sequence))
      after = page.next
    } while (after)
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b))
    expect(sequences).toHaveLength(30)
  })
})

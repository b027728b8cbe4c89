import { isEcoleError } from '@ecole/core'
import { STORAGE_CAPABILITIES, storageCapabilities, type StorageTransaction } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { createMemoryStorage } from './memory-storage'

describe('createMemoryStorage transactions', () => {
  it('refuses to open a transaction of the same site from inside one, instead of deadlocking', async () => {
    const storage = createMemoryStorage()
    const error = await storage.transaction('s1', () => storage.invoiceNumbers!.lastNumber('s1', 'x')).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('NESTED_TRANSACTION')
  })

  it('lets a transaction of one site read another site meanwhile', async () => {
    const storage = createMemoryStorage()
    await storage.invoiceNumbers!.nextNumbers('s2', 'x', 3)
    expect(await storage.transaction('s1', () => storage.invoiceNumbers!.lastNumber('s2', 'x'))).toBe(3)
  })

  it('refuses the ports of a transaction used after it ended (TRANSACTION_CLOSED)', async () => {
    const storage = createMemoryStorage()
    let leaked: StorageTransaction | undefined
    await storage.transaction('s1', async (tx) => {
      leaked = tx
    })
    const error = await leaked!.invoiceNumbers!.nextNumbers('s1', 'x', 1).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('TRANSACTION_CLOSED')
  })

  it('runs transactions of one site one after another, in call order', async () => {
    const storage = createMemoryStorage()
    const order: number[] = []
    await Promise.all(
      [30, 0, 10].map((delay, i) =>
        storage.transaction('s1', async () => {
          order.push(i)
          await new Promise((r) => setTimeout(r, delay))
          order.push(i)
        }),
      ),
    )
    expect(order).toEqual([0, 0, 1, 1, 2, 2])
  })

  it('leaves out the capabilities named in `without`', () => {
    const storage = createMemoryStorage({ without: ['ledger', 'documents'] })
    expect(storage.ledger).toBeUndefined()
    expect(storage.documents).toBeUndefined()
    expect(storageCapabilities(storage)).toEqual(STORAGE_CAPABILITIES.filter((c) => c !== 'ledger' && c !== 'documents'))
  })

  it('provides every capability when nothing is left out, in a transaction as outside one', async () => {
    const storage = createMemoryStorage()
    expect(storageCapabilities(storage)).toEqual([...STORAGE_CAPABILITIES])
    expect(await storage.transaction('s1', async (tx) => storageCapabilities(tx))).toEqual([...STORAGE_CAPABILITIES])
  })

  it('forgets everything on clear()', async () => {
    const storage = createMemoryStorage()
    await storage.invoiceNumbers!.nextNumbers('s1', 'x', 2)
    storage.clear()
    expect(await storage.invoiceNumbers!.lastNumber('s1', 'x')).toBe(0)
  })
})

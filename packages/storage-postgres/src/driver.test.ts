import { isEcoleError } from '@ecole/core'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storageError } from './errors'
import { createPostgresStorage, type PostgresStorage } from './postgres-storage'
import type { RetryEvent } from './retry'

let pglite: PGlite
let storage: PostgresStorage

beforeAll(async () => {
  pglite = await PGlite.create()
  storage = await createPostgresStorage({ pglite })
})
afterAll(async () => {
  await storage.close()
  await pglite.close()
})

describe('createPostgresStorage', () => {
  it('runs a transaction again after a serialisation failure or a deadlock, at most maxRetries times', async () => {
    let attempts = 0
    const result = await storage.transaction('site-retry', async (tx) => {
      attempts += 1
      const n = await tx.invoiceNumbers!.nextNumbers('site-retry', 's', 1)
      if (attempts < 3) throw storageError(Object.assign(new Error('could not serialize access'), { code: attempts === 1 ? '40001' : '40P01' }), 'query')
      return n
    })
    expect(attempts).toBe(3)
    expect(result).toBe(1)
    let tries = 0
    const error = await storage
      .transaction(
        'site-retry-2',
        async () => {
          tries += 1
          throw storageError(Object.assign(new Error('deadlock detected'), { code: '40P01' }), 'query')
        },
        { maxRetries: 2 },
      )
      .catch((e: unknown) => e)
    expect(tries).toBe(3)
    expect(isEcoleError(error) && error.code).toBe('STORAGE_RETRYABLE')
  })

  it('tells options.retry.onRetry of each retry (attempt, SQLSTATE, a wait within the policy) and refuses a negative maxRetries', async () => {
    const events: RetryEvent[] = []
    const tuned = await createPostgresStorage({ pglite, migrate: false, retry: { baseDelayMs: 2, maxDelayMs: 3, onRetry: (e) => events.push(e) } })
    let attempts = 0
    await tuned.transaction('site-on-retry', async () => {
      attempts += 1
      if (attempts <= 3) throw storageError(Object.assign(new Error('deadlock detected'), { code: attempts === 2 ? '40001' : '40P01' }), 'query')
    })
    expect(events.map((e) => [e.siteId, e.attempt, e.sqlState])).toEqual([
      ['site-on-retry', 1, '40P01'],
      ['site-on-retry', 2, '40001'],
      ['site-on-retry', 3, '40P01'],
    ])
    expect(events.map((e) => e.delayMs >= 1 && e.delayMs <= 3)).toEqual([true, true, true])
    const error = await tuned.transaction('site-on-retry', async () => 1, { maxRetries: -1 }).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
  })

  it('does not retry any other error, and rethrows it unchanged', async () => {
    let tries = 0
    const boom = new Error('boom')
    const error = await storage
      .transaction('site-retry-3', async () => {
        tries += 1
        throw boom
      })
      .catch((e: unknown) => e)
    expect(tries).toBe(1)
    expect(error).toBe(boom)
  })

  it('surfaces a failing statement as an EcoleError with the driver error as cause', async () => {
    const error = await storage
      .transaction('site-err', async (tx) => {
        await tx.ledger!.createAccounts('site-err', [
          { id: 'w', kind: 'wallet', guardianId: 'g', billingOfficeId: 'o', compartment: 'general', currency: 'EUR', overdraft: { kind: 'limit', limit: -1n } },
        ])
      })
      .catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
  })

  it('keeps a wallet from going below its policy even when code bypasses the store (CHECK constraint)', async () => {
    await storage.ledger!.createAccounts('site-ck', [
      { id: 'w', kind: 'wallet', guardianId: 'g', billingOfficeId: 'o', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
    ])
    const error = await pglite.query(`UPDATE ecole_ledger_accounts SET debits_posted = 5 WHERE site_id = 'site-ck'`).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect((error as { code?: string }).code).toBe('23514')
    const mapped = storageError(error, 'query')
    expect([mapped.code, mapped.details['sqlState'], mapped.cause]).toEqual(['STORAGE_CONSTRAINT', '23514', error])
  })

  it('refuses to edit or delete a ledger transfer (append-only trigger)', async () => {
    await storage.ledger!.createAccounts('site-ao', [
      { id: 'w', kind: 'wallet', guardianId: 'g', billingOfficeId: 'o', compartment: 'general', currency: 'EUR', overdraft: { kind: 'none' } },
      { id: 'b', kind: 'system', role: 'bankClearing', billingOfficeId: 'o', currency: 'EUR', overdraft: { kind: 'unbounded' } },
    ])
    await storage.ledger!.createTransfers('site-ao', [{ id: 't1', debitAccountId: 'b', creditAccountId: 'w', amount: 100n, code: 'topUp', timestamp: new Date(0) }], new Date(0))
    const update = await pglite.query(`UPDATE ecole_ledger_transfers SET amount = 1 WHERE site_id = 'site-ao'`).then(() => undefined, (e: unknown) => e)
    const remove = await pglite.query(`DELETE FROM ecole_ledger_transfers WHERE site_id = 'site-ao'`).then(() => undefined, (e: unknown) => e)
    expect([(update as { code?: string }).code, (remove as { code?: string }).code]).toEqual(['23514', '23514'])
    expect((await storage.ledger!.getTransfer('site-ao', 't1'))?.transfer.amount).toBe(100n)
  })

  it('refuses to open a transaction of the same storage from inside one (NESTED_TRANSACTION)', async () => {
    const error = await storage.transaction('site-nest', () => storage.invoiceNumbers!.lastNumber('site-nest', 's')).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('NESTED_TRANSACTION')
  })

  it('refuses more than one database option', async () => {
    const error = await createPostgresStorage({ pglite, connectionString: 'postgresql://x@127.0.0.1/db' }).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('INVALID_INPUT')
  })

  it('reports an unreachable server as STORAGE_UNAVAILABLE with the driver error as cause', async () => {
    const error = await createPostgresStorage({ connectionString: 'postgresql://postgres@127.0.0.1:1/ecole' }).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('STORAGE_UNAVAILABLE')
    expect((error as Error).cause).toBeInstanceOf(Error)
  })

  it('keeps the data of an embedded database in its folder across restarts', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = await mkdtemp(join(tmpdir(), 'ecole-pglite-'))
    try {
      const first = await createPostgresStorage({ pglite: { dataDir: dir } })
      await first.invoiceNumbers!.nextNumbers('site-dir', 's', 4)
      await first.close()
      const second = await createPostgresStorage({ pglite: { dataDir: dir } })
      expect(await second.invoiceNumbers!.lastNumber('site-dir', 's')).toBe(4)
      await second.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

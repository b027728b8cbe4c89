import type { StoragePorts, StorageTransaction } from '@ecole/core/ports'

/**
 * A storage whose port method `port.method`, once it has written, holds its transaction open until
 * `release()` is called: the moment another writer that takes no common lock slips in (race tests
 * on a PostgreSQL server). `written` resolves when the method has returned inside the transaction.
 */
export function heldOpenAfter(storage: StoragePorts, port: keyof StorageTransaction, method: string): { storage: StoragePorts; written: Promise<void>; release: () => void } {
  let release!: () => void
  let written!: () => void
  const gate = new Promise<void>((r) => { release = r })
  const writtenP = new Promise<void>((r) => { written = r })
  const wrap = (tx: StorageTransaction): StorageTransaction => new Proxy(tx, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown
      if (key !== port || !value) return value
      return new Proxy(value as object, {
        get(b, k, r) {
          const f = Reflect.get(b, k, r) as unknown
          if (k !== method || typeof f !== 'function') return typeof f === 'function' ? f.bind(b) : f
          return async (...args: unknown[]) => {
            const out = await (f as (...a: unknown[]) => Promise<unknown>).apply(b, args)
            written()
            await gate
            return out
          }
        },
      })
    },
  })
  const held = new Proxy(storage, {
    get(target, key, receiver) {
      if (key === 'transaction') {
        return (siteId: string, fn: (tx: StorageTransaction) => Promise<unknown>) => target.transaction(siteId, (tx) => fn(wrap(tx)))
      }
      const value = Reflect.get(target, key, receiver) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { storage: held, written: writtenP, release }
}

/** `p`, or a failure naming `what` after 10 s. */
export const within = <T>(p: Promise<T>, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, no) => setTimeout(() => no(new Error(`not seen in 10 s: ${what}`)), 10_000))])

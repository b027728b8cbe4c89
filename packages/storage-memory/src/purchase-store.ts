import { checkIdempotentReplay } from '@ecole/core'
import type { Page, PageRequest, Purchase, PurchaseStore, ReceivedInvoiceFile } from '@ecole/core/ports'
import { paginate, type Access } from './access'
import { copy } from './site-state'

const FILES = 'receivedInvoiceFiles'
const PURCHASES = 'purchases'

/** The in-memory {@link PurchaseStore}: one file per (site, SHA-256), one purchase per (site, id). @internal */
export class MemoryPurchaseStore implements PurchaseStore {
  constructor(private readonly access: Access) {}

  createReceivedFile(siteId: string, file: ReceivedInvoiceFile): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      if (v.read(FILES).has(file.sha256)) return 'exists'
      v.write<ReceivedInvoiceFile>(FILES).set(file.sha256, copy(file))
      return 'created'
    })
  }

  getReceivedFile(siteId: string, sha256: string): Promise<ReceivedInvoiceFile | undefined> {
    return this.access(siteId, (v) => {
      const f = v.read<ReceivedInvoiceFile>(FILES).get(sha256)
      return f === undefined ? undefined : copy(f)
    })
  }

  listReceivedFiles(siteId: string, page?: PageRequest): Promise<Page<ReceivedInvoiceFile>> {
    return this.access(siteId, (v) => {
      const result = paginate([...v.read<ReceivedInvoiceFile>(FILES).entries()], page)
      return { ...result, items: result.items.map(copy) }
    })
  }

  createPurchase(siteId: string, purchase: Purchase): Promise<'created' | 'exists'> {
    return this.access(siteId, (v) => {
      const stored = v.read<Purchase>(PURCHASES).get(purchase.id)
      if (stored) return checkIdempotentReplay('purchase', purchase.id, stored, purchase, { ignore: ['receivedAt'] })
      v.write<Purchase>(PURCHASES).set(purchase.id, copy(purchase))
      return 'created'
    })
  }

  getPurchase(siteId: string, id: string): Promise<Purchase | undefined> {
    return this.access(siteId, (v) => {
      const p = v.read<Purchase>(PURCHASES).get(id)
      return p === undefined ? undefined : copy(p)
    })
  }

  listPurchases(siteId: string, page?: PageRequest): Promise<Page<Purchase>> {
    return this.access(siteId, (v) => {
      const result = paginate([...v.read<Purchase>(PURCHASES).entries()], page)
      return { ...result, items: result.items.map(copy) }
    })
  }
}

import type { LowBalanceAlertMark, MessagingStateStore } from '@ecole/core/ports'
import type { Access } from './access'
import { copy } from './site-state'

const ALERTS = 'lowBalanceAlerts'

const byKey = <T>(entries: Iterable<[string, T]>): T[] => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => copy(v))

/** The in-memory {@link MessagingStateStore}: low-balance marks per site (mail accounts are directory records). @internal */
export class MemoryMessagingStore implements MessagingStateStore {
  constructor(private readonly access: Access) {}

  markLowBalanceAlerted(siteId: string, mark: LowBalanceAlertMark): Promise<'marked' | 'already-alerted'> {
    return this.access(siteId, (v) => {
      if (v.read(ALERTS).has(mark.accountId)) return 'already-alerted'
      v.write<LowBalanceAlertMark>(ALERTS).set(mark.accountId, copy(mark))
      return 'marked'
    })
  }

  rearmLowBalance(siteId: string, accountId: string): Promise<boolean> {
    return this.access(siteId, (v) => {
      if (!v.read(ALERTS).has(accountId)) return false
      v.write(ALERTS).delete(accountId)
      return true
    })
  }

  listLowBalanceAlerted(siteId: string): Promise<LowBalanceAlertMark[]> {
    return this.access(siteId, (v) => byKey(v.read<LowBalanceAlertMark>(ALERTS).entries()))
  }
}

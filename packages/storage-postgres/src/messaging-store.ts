import type { LowBalanceAlertMark, MessagingStateStore } from '@ecole/core/ports'
import type { PgAccess } from './access'
import { encodeDocument } from './documents'
import { allRecords, deleteRecord } from './records'

/** Low-balance marks are records of `ecole_records` (primary key (site, kind, id)); mail accounts are directory records. */
const ALERT = 'lowBalanceAlert'

/**
 * The PostgreSQL {@link MessagingStateStore}: a low-balance mark is inserted with `ON CONFLICT DO
 * NOTHING`, so of two concurrent marks of one wallet exactly one inserts (the other waits on the
 * row's key and finds it); re-arming deletes it. @internal
 */
export class PgMessagingStore implements MessagingStateStore {
  constructor(private readonly access: PgAccess) {}

  markLowBalanceAlerted(siteId: string, mark: LowBalanceAlertMark): Promise<'marked' | 'already-alerted'> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query('INSERT INTO ecole_records (site_id, kind, id, body) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (site_id, kind, id) DO NOTHING RETURNING id', [
        siteId, ALERT, mark.accountId, encodeDocument(mark),
      ])
      return rows.length > 0 ? 'marked' : 'already-alerted'
    })
  }

  rearmLowBalance(siteId: string, accountId: string): Promise<boolean> {
    return this.access(siteId, ({ client: c }) => deleteRecord(c, siteId, ALERT, accountId))
  }

  listLowBalanceAlerted(siteId: string): Promise<LowBalanceAlertMark[]> {
    // a Date is stored as its ISO text
    return this.access(siteId, async ({ client: c }) => (await allRecords<LowBalanceAlertMark>(c, siteId, ALERT)).map(([, m]) => ({ ...m, alertedAt: new Date(m.alertedAt) })))
  }
}


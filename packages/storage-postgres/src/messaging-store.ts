import type { MailAccount } from '@ecole/core'
import type { LowBalanceAlertMark, MessagingStateStore } from '@ecole/core/ports'
import type { PgAccess } from './access'
import { encodeDocument } from './documents'
import { allRecords, deleteRecord, getRecord, putRecord } from './records'

/** Low-balance marks and mail accounts are records of `ecole_records` (primary key (site, kind, id)). */
const ALERT = 'lowBalanceAlert'
const ACCOUNT = 'mailAccount'

/**
 * The PostgreSQL {@link MessagingStateStore}: a low-balance mark is inserted with `ON CONFLICT DO
 * NOTHING`, so of two concurrent marks of one wallet exactly one inserts (the other waits on the
 * row's key and finds it); re-arming deletes it. Mail accounts are records replaced whole. @internal
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

  putMailAccount(siteId: string, account: MailAccount): Promise<'created' | 'updated'> {
    return this.access(siteId, ({ client: c }) => putRecord(c, siteId, ACCOUNT, account.id, account))
  }

  getMailAccount(siteId: string, id: string): Promise<MailAccount | undefined> {
    return this.access(siteId, ({ client: c }) => getRecord<MailAccount>(c, siteId, ACCOUNT, id))
  }

  listMailAccounts(siteId: string): Promise<MailAccount[]> {
    return this.access(siteId, async ({ client: c }) => (await allRecords<MailAccount>(c, siteId, ACCOUNT)).map(([, a]) => a))
  }

  deleteMailAccount(siteId: string, id: string): Promise<boolean> {
    return this.access(siteId, ({ client: c }) => deleteRecord(c, siteId, ACCOUNT, id))
  }
}


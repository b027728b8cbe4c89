/**
 * The messaging-state port: what the messaging workflows keep between runs. Types only.
 *
 * **Low-balance alerts.** A wallet is alerted once when its available balance falls under its
 * threshold, and not again until it has recovered (the ledger's hysteresis,
 * `evaluateLowBalanceAlerts`). The store keeps the wallets alerted and not yet re-armed: marking one
 * is a compare-and-set (of two concurrent marks of the same wallet exactly one returns `marked`, so
 * exactly one alert is queued); re-arming removes the mark.
 *
 * **Mail accounts** (seed 002, PRONOTE-style): the establishment's accounts (secretariat,
 * direction...) with the staff authorised to send from them, and each staff member's personal
 * account, keyed (site, id), validated by `MailAccountSchema` before they are stored.
 *
 * Contract: every method takes `siteId` first; a record of one site is never visible from another.
 *
 * @module
 */
import type { MailAccount } from '../messaging/mail-account'

/**
 * A wallet alerted for a low balance and not yet re-armed.
 *
 * @example
 * const mark: LowBalanceAlertMark = { accountId: 'wallet:g1:o1:general', available: 120n, threshold: 500n, alertedAt: new Date('2027-01-20T09:00:00Z') }
 */
export interface LowBalanceAlertMark {
  /** The wallet's ledger account. */
  accountId: string
  /** Its available balance when it was alerted (minor units). */
  available: bigint
  /** The threshold it fell under (minor units). */
  threshold: bigint
  /** When. */
  alertedAt: Date
}

/**
 * The messaging-state store.
 *
 * @example
 * const fresh = await storage.messaging!.markLowBalanceAlerted('site-1', mark) //=> 'marked' (then 'already-alerted')
 */
export interface MessagingStateStore {
  /**
   * Marks a wallet alerted unless it already is: `marked` (queue the alert) or `already-alerted`
   * (an alert was sent and the wallet has not recovered since: queue nothing).
   *
   * @example
   * await tx.messaging!.markLowBalanceAlerted('site-1', { accountId: 'w1', available: 120n, threshold: 500n, alertedAt: now }) //=> 'marked'
   */
  markLowBalanceAlerted(siteId: string, mark: LowBalanceAlertMark): Promise<'marked' | 'already-alerted'>
  /**
   * Re-arms a wallet (it recovered): true when it was alerted.
   *
   * @example
   * await tx.messaging!.rearmLowBalance('site-1', 'w1') //=> true
   */
  rearmLowBalance(siteId: string, accountId: string): Promise<boolean>
  /**
   * The wallets alerted and not yet re-armed, by account id.
   *
   * @example
   * (await storage.messaging!.listLowBalanceAlerted('site-1')).map((m) => m.accountId) //=> ['w1']
   */
  listLowBalanceAlerted(siteId: string): Promise<LowBalanceAlertMark[]>
  /**
   * Stores a mail account (already checked by `MailAccountSchema`), replacing the one of that id.
   *
   * @example
   * await tx.messaging!.putMailAccount('site-1', secretariat) //=> 'created'
   */
  putMailAccount(siteId: string, account: MailAccount): Promise<'created' | 'updated'>
  /**
   * A mail account, or undefined.
   *
   * @example
   * await storage.messaging!.getMailAccount('site-1', 'secretariat')
   */
  getMailAccount(siteId: string, id: string): Promise<MailAccount | undefined>
  /**
   * Every mail account of the site, by id.
   *
   * @example
   * (await storage.messaging!.listMailAccounts('site-1')).map((a) => a.id) //=> ['direction', 'secretariat']
   */
  listMailAccounts(siteId: string): Promise<MailAccount[]>
  /**
   * Deletes a mail account: true when it existed.
   *
   * @example
   * await tx.messaging!.deleteMailAccount('site-1', 'secretariat') //=> true
   */
  deleteMailAccount(siteId: string, id: string): Promise<boolean>
}

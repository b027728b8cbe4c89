/**
 * The messaging-state port: what the messaging workflows keep between runs. Types only.
 *
 * **Low-balance alerts.** A wallet is alerted once when its available balance falls under its
 * threshold, and not again until it has recovered (the ledger's hysteresis,
 * `evaluateLowBalanceAlerts`). The store keeps the wallets alerted and not yet re-armed: marking one
 * is a compare-and-set (of two concurrent marks of the same wallet exactly one returns `marked`, so
 * exactly one alert is queued); re-arming removes the mark.
 *
 * **Mail accounts** (seed 002) are records of the directory (`DirectoryStore`, kind `mailAccount`),
 * not of this port.
 *
 * Contract: every method takes `siteId` first; a record of one site is never visible from another.
 *
 * @module
 */

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
}

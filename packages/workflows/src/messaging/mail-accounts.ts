import { EcoleError, MailAccountSchema, checkOptions, parseInput, type OptionKinds, type MailAccount, type MailAccountInput, type SmtpSettings } from '@ecole/core'
import type { DirectoryStore, Mailer, MailerCheckStage, StoragePorts, StorageTransaction } from '@ecole/core/ports'
import { testMailAccount } from './notifications'
import { asUseCaseError } from '../use-case-error'

/** What {@link saveMailAccount} answers: stored, or the step of its test send that failed (nothing stored). */
export type SaveMailAccountResult =
  | { ok: true; account: MailAccount; saved: 'created' | 'updated' }
  | { ok: false; stage: MailerCheckStage; reason: string; code?: number | undefined }

/** Mail accounts are records of the directory (kind `mailAccount`). */
function store(tx: StorageTransaction | StoragePorts): DirectoryStore {
  if (!tx.directory) throw new EcoleError('PORT_MISSING', 'the storage adapter has no directory port (mail accounts are directory records)', { details: { port: 'directory' } })
  return tx.directory
}

/** Every mail account of the site, by id (a page at a time). */
async function allAccounts(directory: DirectoryStore, siteId: string): Promise<MailAccount[]> {
  const accounts: MailAccount[] = []
  let after: string | undefined
  do {
    const page = await directory.listDirectoryRecords(siteId, 'mailAccount', after === undefined ? { limit: 1000 } : { limit: 1000, after })
    accounts.push(...page.items)
    after = page.next
  } while (after !== undefined)
  return accounts
}

/**
 * A mail account to save, and optionally a test send through the site's SMTP server first.
 *
 * @example
 * const args: SaveMailAccountArgs = { siteId: 's1', account: { id: 'regie', siteId: 's1', kind: 'shared', name: 'Régie', address: 'regie@example.fr', senderName: 'Régie', authorisedUserIds: ['u1'] }, test: { settings, to: 'admin@example.fr' } }
 */
export interface SaveMailAccountArgs {
  /** The site. */
  siteId: string
  /** The account (checked with `MailAccountSchema`). */
  account: MailAccountInput
  /** Send a test message through these settings first; nothing is saved when it fails. */
  test?: { settings: SmtpSettings; to: string } | undefined
}

/**
 * A staff member whose mail accounts are listed.
 *
 * @example
 * const args: MailAccountsOfArgs = { siteId: 's1', userId: 'u1' }
 */
export interface MailAccountsOfArgs {
  /** The site. */
  siteId: string
  /** The staff member. */
  userId: string
}

/**
 * A stored mail account, by id.
 *
 * @example
 * const args: MailAccountRef = { siteId: 's1', id: 'regie' }
 */
export interface MailAccountRef {
  /** The site. */
  siteId: string
  /** The account's id. */
  id: string
}

const SAVE_KINDS: OptionKinds<SaveMailAccountArgs> = { siteId: 'any', account: 'any', test: 'object?' }
const TEST_KINDS: OptionKinds<NonNullable<SaveMailAccountArgs['test']>> = { settings: 'any', to: 'any' }
const OF_KINDS: OptionKinds<MailAccountsOfArgs> = { siteId: 'any', userId: 'any' }
const REF_KINDS: OptionKinds<MailAccountRef> = { siteId: 'any', id: 'any' }

function fail(field: string, rule: string): never {
  throw new EcoleError('INVALID_INPUT', `${field}: ${rule}`, { details: { field } })
}

/**
 * Stores a mail account of a site (seed 002, PRONOTE-style): a staff member's **personal**
 * account (one per staff member) or an **establishment** account (secretariat, direction...) with
 * the staff authorised to send from it. The account is checked first: its schema
 * (`MailAccountSchema`), its site, one personal account per staff member, an address not used by
 * another account of the site, and every staff member named (owner, authorised) a user of the site
 * when the storage keeps users. With `test` (the server's settings and an address), the account's
 * test send ("Tester l'envoi") runs first: when it fails nothing is stored and the answer names
 * the step. Stored in one transaction.
 *
 * @example
 * const r = await saveMailAccount({ storage }, { siteId: 's1', account: { kind: 'establishment', id: 'secretariat', siteId: 's1', name: 'Secrétariat', address: 'secretariat@lycee.fr', senderName: 'Secrétariat du lycée', authorisedUserIds: ['u1'] } })
 * r.ok //=> true
 * @throws EcoleError `INVALID_INPUT` naming the field, `PORT_MISSING` without the directory port.
 */
export async function saveMailAccount(
  ports: { storage: StoragePorts; mailer?: Mailer | undefined },
  args: SaveMailAccountArgs,
): Promise<SaveMailAccountResult> {
  try {
    checkOptions<SaveMailAccountArgs>('saveMailAccount', 'args', args, SAVE_KINDS)
    if (args.test !== undefined) checkOptions<NonNullable<SaveMailAccountArgs['test']>>('saveMailAccount', 'args.test', args.test, TEST_KINDS)
    const account = parseInput(MailAccountSchema, args.account, 'mailAccount')
    if (account.siteId !== args.siteId) fail('mailAccount.siteId', `must be the site the account is saved on (${args.siteId})`)
    store(ports.storage)
    if (args.test) {
      if (!ports.mailer) fail('mailer', 'a test send needs the mailer')
      const check = await testMailAccount(ports.mailer, { siteId: args.siteId, settings: args.test.settings, account, to: args.test.to })
      if (!check.ok) return check.code === undefined ? { ok: false, stage: check.stage, reason: check.reason } : { ok: false, stage: check.stage, reason: check.reason, code: check.code }
    }
    return await ports.storage.transaction(args.siteId, async (tx) => {
      const accounts = store(tx)
      const others = (await allAccounts(accounts, args.siteId)).filter((a) => a.id !== account.id)
      const sameAddress = others.find((a) => a.address.toLowerCase() === account.address.toLowerCase())
      if (sameAddress) fail('mailAccount.address', `is already the address of mail account ${sameAddress.id} (${sameAddress.name})`)
      if (account.kind === 'personal') {
        const mine = others.find((a) => a.kind === 'personal' && a.ownerUserId === account.ownerUserId)
        if (mine) fail('mailAccount.ownerUserId', `staff member ${account.ownerUserId} already has a personal account (${mine.id}): one per staff member`)
      }
      if (tx.access) {
        const staff = account.kind === 'personal' ? [account.ownerUserId] : account.authorisedUserIds
        for (const [i, userId] of staff.entries()) {
          if (!(await tx.access.getUser(args.siteId, userId))) {
            fail(account.kind === 'personal' ? 'mailAccount.ownerUserId' : `mailAccount.authorisedUserIds.${i}`, `names no user of site ${args.siteId} (${userId})`)
          }
        }
      }
      const saved = await accounts.putDirectoryRecord(args.siteId, 'mailAccount', account)
      return { ok: true as const, account, saved }
    })
  } catch (error) {
    throw asUseCaseError(error, 'saveMailAccount', { ports: [ports, 'object', 'the host’s wiring ({ storage, mailer })'], args: [args, 'object', 'the account to save ({ siteId, account })'] })
  }
}

/**
 * The mail accounts a staff member may send from: their personal account and the establishment
 * accounts they are authorised on, by id.
 *
 * @example
 * (await mailAccountsOf({ storage }, { siteId: 's1', userId: 'u1' })).map((a) => a.id) //=> ['perso-u1', 'secretariat']
 * @throws EcoleError `PORT_MISSING` without the directory port; `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function mailAccountsOf(ports: { storage: StoragePorts }, args: MailAccountsOfArgs): Promise<MailAccount[]> {
  try {
    checkOptions<MailAccountsOfArgs>('mailAccountsOf', 'args', args, OF_KINDS)
    const all = await allAccounts(store(ports.storage), args.siteId)
    return all.filter((a) => (a.kind === 'personal' ? a.ownerUserId === args.userId : a.authorisedUserIds.includes(args.userId)))
  } catch (error) {
    throw asUseCaseError(error, 'mailAccountsOf', { ports: [ports, 'object', 'the host’s wiring ({ storage })'], args: [args, 'object', 'the user ({ siteId, userId })'] })
  }
}

/**
 * Removes a mail account: true when it existed.
 *
 * @example
 * await removeMailAccount({ storage }, { siteId: 's1', id: 'secretariat' }) //=> true
 * @throws EcoleError `PORT_MISSING` without the directory port; `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function removeMailAccount(ports: { storage: StoragePorts }, args: MailAccountRef): Promise<boolean> {
  try {
    checkOptions<MailAccountRef>('removeMailAccount', 'args', args, REF_KINDS)
    return await ports.storage.transaction(args.siteId, (tx) => store(tx).deleteDirectoryRecord(args.siteId, 'mailAccount', args.id))
  } catch (error) {
    throw asUseCaseError(error, 'removeMailAccount', { ports: [ports, 'object', 'the host’s wiring ({ storage })'], args: [args, 'object', 'the account ({ siteId, id })'] })
  }
}

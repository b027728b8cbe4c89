/**
 * Access storage: one-time tokens (hashes only), password hashes, portal accounts, users and roles.
 *
 * @module
 */
import type { CredentialSubject, OneTimeTokenRecord, PortalAccount, User } from '../access'
import type { Page, PageRequest } from './storage'

/** A stored password hash of a subject (scrypt, self-describing string). */
export interface StoredCredential {
  /** Whose password. */
  subject: CredentialSubject
  /** The hash (`scrypt$N$r$p$salt$hash`), never the password. */
  passwordHash: string
  /** When it was set (ISO instant). */
  updatedAt: string
}

/**
 * Access storage.
 *
 * Contract:
 * - every method takes the `siteId` first; nothing crosses sites;
 * - tokens are stored as hashes only; at most one token per subject: `putOneTimeToken`
 *   replaces (deletes) any earlier token of the same subject, used or not, so a new token
 *   replaces the old;
 * - `markOneTimeTokenUsed` is a compare-and-set: of two concurrent calls for one token, exactly
 *   one returns `true`;
 * - portal logins and user logins are unique per site (a put that would duplicate one throws
 *   `EcoleError` `LOGIN_TAKEN`);
 * - `createUser` never replaces a user: an id already taken by another content throws `USER_EXISTS`;
 * - a user's secrets go with the user: `deleteUser` deletes, in the same transaction, the user's
 *   credential (`{ kind: 'user', id }`) and every one-time token whose subject is that user, and
 *   `createUser` deletes any such leftover when it creates, so a new user given the id of a
 *   deleted one has no password and no token until their own token is used;
 * - a guardian's secrets go with their portal account: `deletePortalAccount` deletes, in the same
 *   transaction, the guardian's credential (`{ kind: 'guardian', id }`) and every one-time token
 *   whose subject is that guardian, so an access opened again has no password until its token is used;
 * - reads return equal copies, listings are in id order and paginate stably.
 *
 * @example
 * await storage.access!.putOneTimeToken('site-1', record)
 * const found = await storage.access!.findOneTimeTokenByHash('site-1', record.hash)
 */
export interface AccessStore {
  /**
   * Stores a token record, replacing every earlier token of its subject.
   *
   * @example
   * await store.putOneTimeToken('site-1', record)
   */
  putOneTimeToken(siteId: string, record: OneTimeTokenRecord): Promise<void>
  /**
   * The token record with this hash, used or not.
   *
   * @example
   * await store.findOneTimeTokenByHash('site-1', sha256hex)
   */
  findOneTimeTokenByHash(siteId: string, hash: string): Promise<OneTimeTokenRecord | undefined>
  /**
   * Marks a token used at `usedAt` if it is still unused; `false` when it was already used or is gone.
   *
   * @example
   * await store.markOneTimeTokenUsed('site-1', 't1', '2026-09-01T08:00:00.000Z') //=> true (then false)
   */
  markOneTimeTokenUsed(siteId: string, tokenId: string, usedAt: string): Promise<boolean>
  /**
   * A subject's password hash.
   *
   * @example
   * await store.getCredential('site-1', { kind: 'guardian', id: 'marie' })
   */
  getCredential(siteId: string, subject: CredentialSubject): Promise<StoredCredential | undefined>
  /**
   * Sets a subject's password hash.
   *
   * @example
   * await store.putCredential('site-1', { subject, passwordHash, updatedAt })
   */
  putCredential(siteId: string, credential: StoredCredential): Promise<void>
  /**
   * A guardian's portal account.
   *
   * @example
   * await store.getPortalAccount('site-1', 'marie')
   */
  getPortalAccount(siteId: string, guardianId: string): Promise<PortalAccount | undefined>
  /**
   * The portal account with this login (lower-cased e-mail).
   *
   * @example
   * await store.findPortalAccountByLogin('site-1', 'marie@example.fr')
   */
  findPortalAccountByLogin(siteId: string, login: string): Promise<PortalAccount | undefined>
  /**
   * Creates or updates a guardian's portal account.
   *
   * @example
   * await store.putPortalAccount('site-1', account)
   */
  putPortalAccount(siteId: string, account: PortalAccount): Promise<void>
  /**
   * Deletes a guardian's portal account (and so their access), their login, their password hash
   * (credential `{ kind: 'guardian', id: guardianId }`) and every one-time token whose subject is
   * that guardian, all in one transaction (the caller's when called inside
   * `StoragePorts.transaction`); `false` when there was no account (the credential and the tokens
   * of that guardian are deleted all the same). The guardian is then an unknown login, a token
   * mailed to them no longer works, and an access opened again later starts with no password.
   *
   * @example
   * await store.deletePortalAccount('site-1', 'marie') //=> true
   * await store.getCredential('site-1', { kind: 'guardian', id: 'marie' }) //=> undefined
   */
  deletePortalAccount(siteId: string, guardianId: string): Promise<boolean>
  /**
   * A back-office user.
   *
   * @example
   * await store.getUser('site-1', 'u1')
   */
  getUser(siteId: string, userId: string): Promise<User | undefined>
  /**
   * The user whose login is `login`, or `undefined`. The login is compared as users' logins are
   * stored (`UserSchema` lower-cases them and trims the spaces around them), so `login` is trimmed
   * and lower-cased first: ` Anne.Roy@Mairie.fr ` finds `anne.roy@mairie.fr`. The same key makes
   * logins unique (`LOGIN_TAKEN`); it is read through that key (an index in PostgreSQL), never by
   * listing the site's users. Another site's user is never found.
   *
   * @example
   * await store.findUserByLogin('site-1', 'Anne.Roy@Mairie.fr') //=> the user 'u1' whose login is 'anne.roy@mairie.fr'
   */
  findUserByLogin(siteId: string, login: string): Promise<User | undefined>
  /**
   * Creates a user that must not exist yet, atomically: `'created'`; `'exists'` when a user with
   * this id and the very same content is already stored (a replay); and `EcoleError` `USER_EXISTS`
   * when the id is taken by a user with other content, which is left untouched (creating never
   * replaces anyone: change a user with `putUser` after `updateUser`, which is audited). Of two
   * concurrent creations of one id, exactly one is `'created'`. Throws `LOGIN_TAKEN` like `putUser`.
   * A user `'created'` has no password and no token: a credential or token left under this id
   * (by a user deleted before `deleteUser` took them along) is deleted in the same transaction; a
   * replay (`'exists'`) touches nothing.
   *
   * @example
   * await store.createUser('site-1', user) //=> 'created' (then 'exists' for the same user)
   */
  createUser(siteId: string, user: User): Promise<'created' | 'exists'>
  /**
   * Creates or updates a user (an update should come from `updateUser` of `@ecole/core`, whose
   * audit entry the caller keeps; use {@link AccessStore.createUser} to create).
   *
   * @example
   * await store.putUser('site-1', user)
   */
  putUser(siteId: string, user: User): Promise<void>
  /**
   * Deletes a user, their login, their password hash (credential `{ kind: 'user', id: userId }`)
   * and every one-time token whose subject is that user, all in one transaction (the caller's when
   * called inside `StoragePorts.transaction`); `false` when there was no user (the credential and
   * the tokens of that id are deleted all the same). A deleted user is an unknown login, and
   * nothing of theirs passes to a user created later with the same id.
   *
   * @example
   * await store.deleteUser('site-1', 'u1') //=> true
   */
  deleteUser(siteId: string, userId: string): Promise<boolean>
  /**
   * Users in id order.
   *
   * @example
   * await store.listUsers('site-1', { limit: 50 })
   */
  listUsers(siteId: string, page?: PageRequest): Promise<Page<User>>
}

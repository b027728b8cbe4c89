import { expectString } from '../describe-value'
import type { Guardian } from '../directory/guardian'
import { asInputError } from '../input-error'

/** A guardian's parent-portal login (seed 001 "Portail parents"): the login is their e-mail, lower-cased. */
export interface PortalAccount {
  /** The site. */
  siteId: string
  /** The guardian who logs in. */
  guardianId: string
  /** The login: the guardian's e-mail, lower-cased. */
  login: string
  /** When access was (last) opened, ISO instant: a password set before it is not this access's (absent on accounts stored before it existed). */
  openedAt?: string | undefined
}

/** Why a portal-account operation was refused. */
export type PortalAccountRefusal =
  | { code: 'EMAIL_REQUIRED'; guardianId: string }
  | { code: 'LOGIN_TAKEN'; login: string; guardianId: string }
  | { code: 'GUARDIAN_ARCHIVED'; guardianId: string }
  | { code: 'ACCOUNT_EXISTS'; guardianId: string }

/** What a portal-account operation returns. */
export type PortalAccountOutcome = { ok: true; account: PortalAccount; changed: boolean } | { ok: false; refusal: PortalAccountRefusal }

/**
 * The portal login of an e-mail address: trimmed, lower-cased.
 *
 * @example
 * portalLogin(' Marie.Dupont@Example.FR ') //=> 'marie.dupont@example.fr'
 */
export function portalLogin(email: string): string {
  expectString(email, 'email')
  return email.trim().toLowerCase()
}

function takenBy(login: string, guardianId: string, accounts: readonly PortalAccount[]): PortalAccount | undefined {
  return accounts.find((a) => a.login === login && a.guardianId !== guardianId)
}

/**
 * Creates a guardian's portal login from their e-mail. Refused without an e-mail
 * (`EMAIL_REQUIRED`: add it to the guardian first), when another guardian of the site already
 * logs in with it (`LOGIN_TAKEN`), for an archived guardian, or when the guardian has one.
 *
 * @example
 * createPortalAccount(marie, []) //=> { ok: true, account: { siteId: 's1', guardianId: 'marie', login: 'marie@example.fr' }, changed: true }
 * createPortalAccount({ ...marie, email: undefined }, []) //=> { ok: false, refusal: { code: 'EMAIL_REQUIRED', guardianId: 'marie' } }
 */
export function createPortalAccount(guardian: Guardian, accounts: readonly PortalAccount[]): PortalAccountOutcome {
  try {
    if (!guardian.email) return { ok: false, refusal: { code: 'EMAIL_REQUIRED', guardianId: guardian.id } }
    if (guardian.archived !== null) return { ok: false, refusal: { code: 'GUARDIAN_ARCHIVED', guardianId: guardian.id } }
    if (accounts.some((a) => a.guardianId === guardian.id)) return { ok: false, refusal: { code: 'ACCOUNT_EXISTS', guardianId: guardian.id } }
    const login = portalLogin(guardian.email)
    const other = takenBy(login, guardian.id, accounts)
    if (other) return { ok: false, refusal: { code: 'LOGIN_TAKEN', login, guardianId: other.guardianId } }
    return { ok: true, account: { siteId: guardian.siteId, guardianId: guardian.id, login }, changed: true }
  } catch (error) {
    throw asInputError(error, 'createPortalAccount', {
      guardian: [guardian, 'object', 'a guardian'],
      accounts: [accounts, 'array', "the site's portal accounts"],
    })
  }
}

/**
 * Updates a portal login after the guardian's e-mail changed (`changed` says whether it did).
 * Refused when the e-mail was removed (delete the account instead) or is another guardian's login.
 *
 * @example
 * syncPortalAccount(account, { ...marie, email: 'marie.d@example.fr' }, accounts) //=> { ok: true, account: { ..., login: 'marie.d@example.fr' }, changed: true }
 */
export function syncPortalAccount(account: PortalAccount, guardian: Guardian, accounts: readonly PortalAccount[]): PortalAccountOutcome {
  try {
    if (!guardian.email) return { ok: false, refusal: { code: 'EMAIL_REQUIRED', guardianId: guardian.id } }
    const login = portalLogin(guardian.email)
    if (login === account.login) return { ok: true, account, changed: false }
    const other = takenBy(login, guardian.id, accounts)
    if (other) return { ok: false, refusal: { code: 'LOGIN_TAKEN', login, guardianId: other.guardianId } }
    return { ok: true, account: { ...account, login }, changed: true }
  } catch (error) {
    throw asInputError(error, 'syncPortalAccount', {
      account: [account, 'object', "the guardian's portal account"],
      guardian: [guardian, 'object', 'a guardian'],
      accounts: [accounts, 'array', "the site's portal accounts"],
    })
  }
}

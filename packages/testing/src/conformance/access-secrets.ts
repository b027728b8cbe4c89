import type { CredentialSubject, OneTimeTokenRecord } from '@ecole/core'
import type { AccessStore } from '@ecole/core/ports'

/** The instant the access cases store their secrets at. @internal */
export const SECRETS_AT = '2027-01-20T09:00:00.000Z'

/** A pending one-time token of `subject` (hash kept opaque by the stores). */
function pendingToken(siteId: string, id: string, subject: CredentialSubject, hash: string, purpose: OneTimeTokenRecord['purpose']): OneTimeTokenRecord {
  return { id, siteId, subject, purpose, hash, issuedAt: SECRETS_AT, expiresAt: '2027-01-22T09:00:00.000Z', usedAt: null }
}

/**
 * Stores a password hash (`scrypt$1024$8$1$<tag>$<tag>`) and a pending token (`t-<tag>`, hash
 * `hash-<tag>`) for `subject`: what deleting the subject must take along, or leave. @internal
 */
export async function giveSecrets(store: AccessStore, siteId: string, subject: CredentialSubject, tag: string, purpose: OneTimeTokenRecord['purpose']): Promise<void> {
  await store.putCredential(siteId, { subject, passwordHash: `scrypt$1024$8$1$${tag}$${tag}`, updatedAt: SECRETS_AT })
  await store.putOneTimeToken(siteId, pendingToken(siteId, `t-${tag}`, subject, `hash-${tag}`, purpose))
}

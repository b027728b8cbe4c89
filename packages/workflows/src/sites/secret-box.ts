import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { EcoleError, checkOptions, type OptionKinds, type SealedSecret } from '@ecole/core'

/** Seals and opens secrets (SMTP passwords...) with AES-256-GCM under the host's keys. */
export interface SecretBox {
  /** Id of the key new secrets are sealed with. */
  readonly currentKeyId: string
  /**
   * Encrypts `plain` with the current key and a fresh random 96-bit nonce.
   *
   * @example
   * const sealed = box.seal('s3cret') //=> { algorithm: 'aes-256-gcm', keyId: 'k1', iv: '...', tag: '...', ciphertext: '...' }
   */
  seal(plain: string): SealedSecret
  /**
   * Decrypts a sealed secret (only to hand it to the mailer, never to show it).
   *
   * @example
   * box.open(sealed) //=> 's3cret'
   * @throws EcoleError `UNKNOWN_KEY` for a key the box does not hold, `SECRET_UNREADABLE` when tampered with or not a sealed secret at all (`null`, a string...).
   */
  open(sealed: SealedSecret): string
}

/** Options of {@link createSecretBox}. */
export interface SecretBoxOptions {
  /** The host's keys by id: 32 bytes each, as bytes or base64 (from a secret manager, never from code). */
  keys: Readonly<Record<string, Uint8Array | string>>
  /** The key new secrets are sealed with (older keys still open older secrets: rotation). */
  currentKeyId: string
}

const SECRET_BOX_OPTION_KINDS: OptionKinds<SecretBoxOptions> = { keys: 'object', currentKeyId: 'string' }

function keyBytes(id: string, key: Uint8Array | string): Buffer {
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) throw new EcoleError('INVALID_KEY', `secret key ${JSON.stringify(id)} must be bytes or base64`, { details: { keyId: id } })
  const bytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.from(key)
  if (bytes.length !== 32) {
    throw new EcoleError('INVALID_KEY', `secret key ${JSON.stringify(id)} must be 32 bytes (AES-256), got ${bytes.length}`, { details: { keyId: id } })
  }
  return bytes
}

/**
 * A {@link SecretBox} over the host's keys: AES-256-GCM (node:crypto), a random 12-byte nonce per
 * secret, the 16-byte tag checked on open, and the key id bound to the ciphertext as additional
 * authenticated data (a secret cannot be replayed under another key id).
 *
 * @example
 * const box = createSecretBox({ keys: { k1: process.env.ECOLE_SECRET_KEY! }, currentKeyId: 'k1' })
 * box.open(box.seal('s3cret')) //=> 's3cret'
 * @throws EcoleError `INVALID_INPUT` naming the key when `options` is not an object, has an unknown
 * or misspelt key (`currentKeyID`: did you mean `currentKeyId`?), or `keys` / `currentKeyId` of the
 * wrong kind; `INVALID_KEY` when a key is not 32 bytes or the current key is missing.
 */
export function createSecretBox(options: SecretBoxOptions): SecretBox {
  if (options === undefined) throw EcoleError.invalidInput('options', 'must be { keys: { id: 32-byte key }, currentKeyId }, got undefined', { function: 'createSecretBox' })
  options = checkOptions<SecretBoxOptions>('createSecretBox', 'options', options, SECRET_BOX_OPTION_KINDS)
  const keys = new Map<string, Buffer>()
  for (const [id, key] of Object.entries(options.keys)) keys.set(id, keyBytes(id, key))
  const current = keys.get(options.currentKeyId)
  if (!current) throw new EcoleError('INVALID_KEY', `the current key ${JSON.stringify(options.currentKeyId)} is not among the keys given`)
  const currentKeyId = options.currentKeyId
  return {
    currentKeyId,
    seal(plain: string): SealedSecret {
      if (typeof plain !== 'string') throw EcoleError.invalidInput('plain', 'must be a string')
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', current, iv)
      cipher.setAAD(Buffer.from(currentKeyId, 'utf8'))
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return { algorithm: 'aes-256-gcm', keyId: currentKeyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') }
    },
    open(sealed: SealedSecret): string {
      const fields = ['keyId', 'iv', 'tag', 'ciphertext'] as const
      if (typeof sealed !== 'object' || sealed === null || fields.some((f) => typeof (sealed as unknown as Record<string, unknown>)[f] !== 'string')) {
        throw new EcoleError('SECRET_UNREADABLE', 'not a sealed secret: expected { keyId, iv, tag, ciphertext } strings (as seal returns)')
      }
      const key = keys.get(sealed.keyId)
      if (!key) throw new EcoleError('UNKNOWN_KEY', `no key ${JSON.stringify(sealed.keyId)} to open this secret`, { details: { keyId: sealed.keyId } })
      try {
        // a full 16-byte tag only: Node otherwise accepts a tag cut to 4 bytes, which is easy to forge
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), { authTagLength: 16 })
        decipher.setAAD(Buffer.from(sealed.keyId, 'utf8'))
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'))
        return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8')
      } catch (cause) {
        throw new EcoleError('SECRET_UNREADABLE', 'the sealed secret failed its authentication check (wrong key or tampered)', { cause })
      }
    },
  }
}

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { EcoleError, checkOptions, type OptionKinds } from '@ecole/core'

/** scrypt cost parameters. */
export interface ScryptParams {
  /** CPU/memory cost N (a power of two); 32768 by default. */
  N: number
  /** Block size r; 8 by default. */
  r: number
  /** Parallelism p; 1 by default. */
  p: number
}

/** The default scrypt parameters (N = 2^15, r = 8, p = 1: about 32 MiB and tens of milliseconds). */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 32768, r: 8, p: 1 })

const KEY_LENGTH = 32

/** @internal The keys of {@link ScryptParams}. */
export const SCRYPT_KINDS: OptionKinds<ScryptParams> = { N: 'any', r: 'any', p: 'any' }

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

/**
 * Hashes a password with scrypt (node:crypto) and a random 16-byte salt, as a self-describing
 * string `scrypt$N$r$p$salt$hash` (base64). The password is NFC-normalised first, so the same
 * accented password typed on two keyboards matches.
 *
 * @example
 * const stored = await hashPassword('correct horse battery') //=> 'scrypt$32768$8$1$...$...'
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  if (typeof password !== 'string') throw EcoleError.invalidInput('password', 'must be a string')
  if (typeof params === 'object' && params !== null) checkOptions<ScryptParams>('hashPassword', 'params', params, SCRYPT_KINDS)
  if (!validParams(params)) throw EcoleError.invalidInput('params', 'must be { N, r, p } with N a power of two from 2 to 2^20, r from 1 to 32, p from 1 to 16')
  const salt = randomBytes(16)
  const key = await derive(password, salt, params)
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

/**
 * Whether `password` matches a hash from {@link hashPassword} (compared in constant time).
 *
 * @example
 * await verifyPassword('correct horse battery', stored) //=> true
 * @throws EcoleError `INVALID_PASSWORD_HASH` for a string that is not such a hash.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (typeof password !== 'string') throw EcoleError.invalidInput('password', 'must be a string')
  const m = typeof stored === 'string' ? /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored) : null
  if (!m) throw new EcoleError('INVALID_PASSWORD_HASH', 'the stored password hash is not a scrypt$N$r$p$salt$hash string')
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }
  const expected = Buffer.from(m[5]!, 'base64')
  // a corrupt hash (N not a power of two, a cost beyond the memory limit, an empty key) is a corrupt hash, not a crash
  if (!validParams(params) || expected.length === 0) {
    throw new EcoleError('INVALID_PASSWORD_HASH', 'the stored password hash has scrypt parameters out of range (N a power of two up to 2^20, r up to 32, p up to 16) or no key')
  }
  let key: Buffer
  try {
    key = await derive(password, Buffer.from(m[4]!, 'base64'), params)
  } catch (cause) {
    throw new EcoleError('INVALID_PASSWORD_HASH', 'the stored password hash cannot be checked: scrypt refused its parameters', { cause })
  }
  return key.length === expected.length && timingSafeEqual(key, expected)
}

function validParams(params: ScryptParams): boolean {
  if (typeof params !== 'object' || params === null) return false
  const { N, r, p } = params
  const int = (x: unknown, min: number, max: number) => typeof x === 'number' && Number.isSafeInteger(x) && x >= min && x <= max
  return int(N, 2, 2 ** 20) && (N & (N - 1)) === 0 && int(r, 1, 32) && int(p, 1, 16)
}

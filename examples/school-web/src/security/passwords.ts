/**
 * The password rules of the portal and the back office: at least 8 characters, typed twice, and
 * not one of the most common passwords (the library checks length and confirmation; the list is
 * the host's).
 */
import { checkNewPassword, type PasswordRefusalCode } from '@ecole/core'

/** Fewest characters of a password. */
export const MIN_PASSWORD_LENGTH = 8

/**
 * The most common passwords of public breach corpora (the top of the lists every password
 * checker ships), lower-cased, with the school words a parent might reach for first.
 */
const COMMON = new Set(
  `123456 123456789 12345678 password 12345 qwerty 1234567 111111 1234567890 123123 abc123 password1 1234 iloveyou 1q2w3e4r
000000 qwerty123 zaq12wsx dragon sunshine princess letmein 654321 monkey 27653 1qaz2wsx 123321 qwertyuiop superman asdfghjkl
azerty azerty123 azertyuiop motdepasse motdepasse1 soleil123 bonjour bonjour1 doudou chouchou marseille loulou nicolas
password123 welcome welcome1 admin admin123 football baseball master shadow michael jennifer trustno1 passw0rd starwars
11111111 00000000 12341234 87654321 abcd1234 aa123456 qwertyui 1q2w3e4r5t 123qwe 123abc iloveyou1 computer whatever
benvenuto ciao1234 password! wachtwoord welkom123 azerty12 ecole123 cantine123 garderie ecole2026 ecole2027 portail123
`.split(/\s+/).filter(Boolean),
)

/** Why a new password is refused: the library's codes and `PASSWORD_COMMON`. */
export type HostPasswordRefusal = PasswordRefusalCode | 'PASSWORD_COMMON'

/** Every reason a new password typed twice is refused (empty when accepted). */
export function checkPassword(password: string, confirmation: string): HostPasswordRefusal[] {
  const codes: HostPasswordRefusal[] = checkNewPassword(password, confirmation, { minLength: MIN_PASSWORD_LENGTH })
  if (isCommonPassword(password)) codes.push('PASSWORD_COMMON')
  return codes
}

/** Whether a password is on the common-password list (case-insensitive). */
export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.trim().toLowerCase())
}

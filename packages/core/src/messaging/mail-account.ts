import { EcoleError } from '../errors'
import { assertHeaderValue, headerText } from './header-text'
import * as z from 'zod'
import { EmailSchema, RecordIdSchema, requiredString } from '../directory/fields'
import { asInputError } from '../input-error'

/**
 * Schema of a mail account (seed 002): a personal account of one staff member, or an
 * establishment account (secretariat, direction...) usable by the staff authorised on it; each
 * with its address and the sender name recipients see.
 *
 * @example
 * MailAccountSchema.parse({ id: 'secr', siteId: 's1', kind: 'establishment', name: 'Secrétariat', address: 'secretariat@lycee.fr', senderName: 'Lycée Jean Moulin – Secrétariat', authorisedUserIds: ['u1'] })
 */
export const MailAccountSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('personal'),
    id: RecordIdSchema,
    siteId: RecordIdSchema,
    /** Account name (the staff member's name). */
    name: requiredString(100),
    /** Sending address. */
    address: EmailSchema,
    /** Sender name shown to recipients. */
    senderName: headerText(200),
    /** The staff member it belongs to. */
    ownerUserId: RecordIdSchema,
  }),
  z.strictObject({
    kind: z.literal('establishment'),
    id: RecordIdSchema,
    siteId: RecordIdSchema,
    /** Account name (a service of the establishment). */
    name: requiredString(100),
    /** Sending address. */
    address: EmailSchema,
    /** Sender name shown to recipients. */
    senderName: headerText(200),
    /** Staff members allowed to send from it. */
    authorisedUserIds: z.array(RecordIdSchema).default([]).transform((ids) => [...new Set(ids)].sort()),
  }),
])
/** A mail account as its form sends it. */
export type MailAccountInput = z.input<typeof MailAccountSchema>
/** A mail account. */
export type MailAccount = z.output<typeof MailAccountSchema>

/**
 * Whether a user may send from an account: a personal account by its owner only, an
 * establishment account by the staff authorised on it only.
 *
 * @example
 * canSendFrom(secretariat, 'u1') //=> true
 * canSendFrom(secretariat, 'u9') //=> false
 */
export function canSendFrom(account: MailAccount, userId: string): boolean {
  try {
    return account.kind === 'personal' ? account.ownerUserId === userId : account.authorisedUserIds.includes(userId)
  } catch (error) {
    throw asInputError(error, 'canSendFrom', { account: [account, 'object', 'a mail account'], userId: [userId, 'string'] })
  }
}

/**
 * The establishment account with more staff authorised (each once).
 *
 * @example
 * authoriseOnMailAccount(secretariat, ['u2']).authorisedUserIds //=> ['u1', 'u2']
 */
export function authoriseOnMailAccount(account: Extract<MailAccount, { kind: 'establishment' }>, userIds: readonly string[]): Extract<MailAccount, { kind: 'establishment' }> {
  try {
    return { ...account, authorisedUserIds: [...new Set([...account.authorisedUserIds, ...userIds])].sort() }
  } catch (error) {
    throw asInputError(error, 'authoriseOnMailAccount', {
      account: [account, 'object', 'an establishment mail account'],
      userIds: [userIds, 'array', 'the user ids'],
    })
  }
}

/**
 * The establishment account without a staff member's authorisation.
 *
 * @example
 * revokeFromMailAccount(secretariat, 'u1').authorisedUserIds //=> []
 */
export function revokeFromMailAccount(account: Extract<MailAccount, { kind: 'establishment' }>, userId: string): Extract<MailAccount, { kind: 'establishment' }> {
  try {
    return { ...account, authorisedUserIds: account.authorisedUserIds.filter((id) => id !== userId) }
  } catch (error) {
    throw asInputError(error, 'revokeFromMailAccount', { account: [account, 'object', 'an establishment mail account'], userId: [userId, 'string'] })
  }
}

/**
 * The `From` of a message sent from an account: sender name and address, with the name quoted
 * as RFC 5322 requires (quotes and backslashes escaped); a line break in the name or the address is
 * refused (`INVALID_INPUT`), never silently removed.
 *
 * @example
 * mailFrom(secretariat) //=> '"Lycée Jean Moulin – Secrétariat" <secretariat@lycee.fr>'
 */
export function mailFrom(account: Pick<MailAccount, 'senderName' | 'address'>): string {
  if (typeof account !== 'object' || account === null) throw EcoleError.invalidInput('account', 'must be { senderName, address }')
  const name = assertHeaderValue(account.senderName, 'account.senderName').replace(/(["\\])/g, '\\$1')
  assertHeaderValue(account.address, 'account.address')
  return `"${name}" <${account.address}>`
}

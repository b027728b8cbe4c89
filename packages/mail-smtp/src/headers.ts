import { asInputError, EcoleError } from '@ecole/core'
import type { OutgoingMail } from '@ecole/core/ports'

const LINE_BREAK = /[\r\n\u2028\u2029]/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

function check(field: string, value: string | undefined): void {
  if (value === undefined) return
  if (LINE_BREAK.test(value)) {
    throw new EcoleError('INVALID_HEADER', `${field} must not contain a line break (CR or LF): a header value with one could add headers of its own`, {
      details: { field, rule: 'no CR/LF in a header' },
    })
  }
  if (CONTROL.test(value)) {
    throw new EcoleError('INVALID_HEADER', `${field} must not contain control characters`, { details: { field, rule: 'no control characters in a header' } })
  }
}

/**
 * Refuses a message any of whose header inputs (from, each recipient, subject, reply-to,
 * Message-ID, List-Unsubscribe, attachment names and types) holds a line break or a control
 * character: the mailer is the last boundary before the wire, so it checks even what templates
 * already cleaned.
 *
 * @example
 * assertHeadersSafe({ from: 'a@x.fr', to: ['b@x.fr'], subject: 'Hi\r\nBcc: evil@x.fr' }) // throws EcoleError INVALID_HEADER naming `subject`
 * @throws EcoleError `INVALID_HEADER` naming the field; `INVALID_INPUT` when `message` is not an outgoing mail.
 */
export function assertHeadersSafe(message: OutgoingMail): void {
  try {
    check('from', message.from)
    message.to.forEach((to, i) => check(`to.${i}`, to))
    check('subject', message.subject)
    check('replyTo', message.replyTo)
    check('messageId', message.messageId)
    check('listUnsubscribe', message.listUnsubscribe)
    message.attachments?.forEach((a, i) => {
      check(`attachments.${i}.filename`, a.filename)
      check(`attachments.${i}.contentType`, a.contentType)
    })
    if (message.messageId !== undefined && !/^<[^<>\s@]+@[^<>\s@]+>$/.test(message.messageId)) {
      throw new EcoleError('INVALID_HEADER', 'messageId must look like <local@domain>', { details: { field: 'messageId', rule: 'msg-id' } })
    }
  } catch (error) {
    throw asInputError(error, 'assertHeadersSafe', { message: [message, 'object', 'an outgoing mail ({ from, to, subject, ... })'] })
  }
}

import { asInputError, EcoleError, HEADER_LINE_BREAKS, headerValueProblem } from '@ecole/core'
import type { OutgoingMail } from '@ecole/core/ports'

// the rule is core's (`headerValueProblem`): the outbox refuses the same characters when a mail is queued
function check(field: string, value: string | undefined): void {
  if (value === undefined) return
  const problem = headerValueProblem(value)
  if (problem === undefined) return
  const lineBreak = typeof value === 'string' && HEADER_LINE_BREAKS.test(value)
  throw new EcoleError('INVALID_HEADER', `${field} ${problem}`, {
    details: { field, rule: lineBreak ? 'no line break in a header' : 'no control characters in a header' },
  })
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

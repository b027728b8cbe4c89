import { asInputError, checkOptions, type OptionKinds } from '@ecole/core'
import type { Site } from '@ecole/core'

/**
 * The `From` and `Reply-To` of a mail, as {@link mailSender} gives them and the use cases that
 * queue mail take them.
 *
 * @example
 * const sender: MailFrom = { from: '"École Jules Ferry" <no-reply@ecole.example>', replyTo: 'secretariat@ecole-ferry.fr' }
 */
export interface MailFrom {
  /** The `From` header: an address, with a quoted name. */
  from: string
  /** Where replies go, when not to `from`. */
  replyTo?: string | undefined
}

const MAIL_FROM_KINDS: OptionKinds<MailFrom> = { from: 'any', replyTo: 'string?' }

/**
 * @internal Checks a request's keys and, when it has one, its sender's (`INVALID_INPUT` naming
 * `args.<key>` or `args.sender.<key>` and the nearest known key): the check of every use case that
 * queues mail from a request with a `sender`.
 */
export function checkMailRequest<T extends object>(fn: string, args: unknown, kinds: OptionKinds<T>): T {
  const checked = checkOptions<T>(fn, 'args', args, kinds)
  const sender = (checked as { sender?: unknown }).sender
  if (typeof sender === 'object' && sender !== null) checkOptions<MailFrom>(fn, 'args.sender', sender, MAIL_FROM_KINDS)
  return checked
}

/**
 * The `From` (and `Reply-To`) of a site's mail. A site with its own SMTP account sends as that
 * account (its sender name, or the site's name); a site without one sends through the platform,
 * from the platform's address with the site's name (seed 000's no-reply default, seed 002's
 * delegated sending), and replies go to the site's contact address when it has one. Names are
 * quoted as RFC 5322 requires, line breaks removed.
 *
 * @example
 * mailSender({ name: 'École Jules Ferry', smtp: null, contact: { email: 'secretariat@ecole-ferry.fr' } }, 'no-reply@ecole.example')
 * //=> { from: '"École Jules Ferry" <no-reply@ecole.example>', replyTo: 'secretariat@ecole-ferry.fr' }
 */
export function mailSender(
  site: Pick<Site, 'name' | 'smtp'> & { contact?: { email?: string | undefined } | undefined },
  platformAddress: string,
): MailFrom {
  try {
    const quote = (name: string) => `"${name.replace(/[\r\n]+/g, ' ').replace(/(["\\])/g, '\\$1')}"`
    if (site.smtp) {
      const address = site.smtp.fromAddress ?? site.smtp.username
      return { from: `${quote(site.smtp.fromName ?? site.name)} <${address}>` }
    }
    const replyTo = site.contact?.email
    return replyTo ? { from: `${quote(site.name)} <${platformAddress}>`, replyTo } : { from: `${quote(site.name)} <${platformAddress}>` }
  } catch (error) {
    throw asInputError(error, 'mailSender', { site: [site, 'object', 'the site ({ name, smtp })'], platformAddress: [platformAddress, 'string'] })
  }
}

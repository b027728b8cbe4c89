/**
 * Who the host's e-mails come from: the site as stored. A site without its own SMTP account sends
 * through the platform's server, from the platform's address with the site's name and the site's
 * contact address as `Reply-To`; a site with one (Administration, site settings: seed 000) sends
 * from its own address, and the outbox worker delivers through its server (`compose.ts`).
 */
import { mailSender } from '@ecole/workflows'
import type { AppContext } from './compose'
import { SITE } from './site-settings'

/** The `From` (and `Reply-To`) of the site's service e-mails, and its name as they say it. */
export interface SiteMailIdentity {
  /** What `DocumentNotify.sender` and the other notices take. */
  sender: { from: string; replyTo?: string | undefined }
  /** The site's name, as stored. */
  siteName: string
  /** Whether the site sends through its own SMTP account (its mail accounts go through it too). */
  ownServer: boolean
}

/**
 * The stored site's sender (`mailSender`): read at the moment a message is queued, so a change of
 * the site's SMTP account applies to the next message.
 *
 * @example
 * const { sender, siteName } = await siteMailIdentity(ctx, actor.siteId)
 */
export async function siteMailIdentity(ctx: AppContext, siteId: string): Promise<SiteMailIdentity> {
  const site = await ctx.storage.directory!.getSite(siteId)
  const stored = site ?? { name: SITE.name, smtp: null }
  return { sender: mailSender(stored, SITE.platformFrom), siteName: stored.name, ownServer: stored.smtp !== null }
}

/** What a notice (`TokenNotify`...) takes of the identity: the sender and the site's name. */
export function noticeSender(identity: SiteMailIdentity): Pick<SiteMailIdentity, 'sender' | 'siteName'> {
  return { sender: identity.sender, siteName: identity.siteName }
}

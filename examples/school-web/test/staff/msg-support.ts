/**
 * What the messages and portal-login tests share: the people site with e-mail addresses (Claire
 * Martin has one, Paul Roux none), a host whose outbox worker delivers to an SMTP server on
 * loopback, and the text of a mail as received (quoted-printable undone).
 */
import { GuardianSchema } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import type { Hono } from 'hono'
import { createApp } from '../../src/app'
import { compose, type AppContext, type WebConfig } from '../../src/compose'
import type { AppEnv } from '../../src/env'
import { peopleSite } from './people-support'
import { smtpServerForFile } from './smtp-support'
import { Client, NOW } from './support'

export const CLAIRE = 'claire.martin@example.fr'

/**
 * An SMTP relay on loopback for a test file, as the host's platform mailer uses it (no
 * authentication), keeping what it receives: `smtpServerForFile({ auth: false })`.
 */
export function relayForFile(): { port: number; received: Array<{ to: string[]; data: string }> } {
  return smtpServerForFile({ auth: false })
}

/** The people site, Claire Martin (g1) with an e-mail, Paul Roux (g2) without. */
export async function messageSite(storage: StoragePorts, siteId: string): Promise<void> {
  await peopleSite(storage, siteId)
  await storage.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g1', siteId, householdId: 'h1', firstName: 'Claire', lastName: 'Martin', email: CLAIRE, attributes: {} }))
}

/**
 * A host over `storage` whose mail goes to the SMTP server at `smtpPort` (its outbox worker runs;
 * `ctx.flushMail()` delivers at once). `clock.now` can be moved on. Stop it with `stop()` (the
 * storage stays open for the file's other tests).
 */
export async function mailHost(storage: StoragePorts, siteId: string, smtpPort: number): Promise<{ ctx: AppContext; app: Hono<AppEnv>; clock: { at: Date }; stop: () => Promise<void>; as: (login: string) => Promise<Client> }> {
  const clock = { at: NOW }
  const config: WebConfig = {
    port: 0, publicUrl: 'http://localhost', https: false, siteId, dataDir: '/nonexistent', devMailbox: false, smtp: { host: '127.0.0.1', port: smtpPort },
    sleep: async () => {},
  }
  const ctx = await compose(config, { storage, clock: { now: () => clock.at } })
  const app = createApp(ctx)
  return {
    ctx, app, clock,
    stop: async () => {
      await ctx.outbox?.stop()
      await ctx.mailer.close()
    },
    as: async (login: string) => {
      const client = new Client(app, ctx)
      await client.login(login)
      return client
    },
  }
}

/** The decoded text of a received mail (soft line breaks and =XX of quoted-printable undone). */
export function mailText(data: string): string {
  const joined = data.replace(/=\r?\n/g, '')
  return Buffer.from(joined.replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
}

/** The one-time token of a portal token mail. */
export function tokenOf(data: string): string {
  const m = mailText(data).match(/\b([0-9A-HJKMNP-TV-Z]{32})\b/)
  if (!m) throw new Error('no token in the mail')
  return m[1]!
}

import { MailAccountSchema } from '@ecole/core'
import { afterAll, describe, expect, it } from 'vitest'
import { CLAIRE, mailHost, mailText, messageSite, relayForFile } from './msg-support'
import { SMTP_ACCOUNT, smtpServerForFile } from './smtp-support'
import { pgliteForFile } from './support'

// Which server a site's mail goes through, and from which address (seed 000: « Configuration SMTP
// (optionnelle) … les notifications par e-mail seront envoyées directement depuis votre adresse
// personnalisée »; seed 002: personal and establishment accounts send through the server's
// settings). Two SMTP servers on loopback: the platform's relay and the site's own account.
const db = pgliteForFile()
const relay = relayForFile()
const own = smtpServerForFile()
const stops: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const stop of stops) await stop()
})
let site = 0

const SECRETARY = 'secretariat@jaures.example'
const CASHIER = 'regisseur@jaures.example'
const SITE_ADDRESS = 'ecole@jaures.example'

async function fresh(options: { ownServer: boolean }) {
  const siteId = `site-mail-${++site}`
  await messageSite(db.storage, siteId)
  const h = await mailHost(db.storage, siteId, relay.port)
  stops.push(h.stop)
  if (options.ownServer) {
    await h.ctx.storage.directory!.putSmtpSettings(siteId, {
      host: '127.0.0.1', port: own.port, security: 'none', username: SMTP_ACCOUNT.username, password: h.ctx.secrets.seal(SMTP_ACCOUNT.password), fromAddress: SITE_ADDRESS, fromName: 'École Jean-Jaurès',
    })
  }
  await h.ctx.storage.directory!.putDirectoryRecord(siteId, 'mailAccount', MailAccountSchema.parse({
    kind: 'establishment', id: 'secretariat', siteId, name: 'Secrétariat', address: 'secretariat@jaures.example', senderName: 'Secrétariat Jean-Jaurès', authorisedUserIds: ['u-bo-secretariat'],
  }))
  const counts = () => ({ relay: relay.received.length, own: own.received.length })
  return { ...h, siteId, counts }
}

const family = (over: Record<string, string> = {}) => ({ target: 'family', household: 'Martin', channel: 'email', lang: 'fr', format: 'text', subject: 'Sortie', body: 'Bonjour {{guardian.firstName}},\nla sortie est vendredi.', ...over })
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#10;/g, '\n')
const sendForm = (page: string) =>
  Object.fromEntries([...page.slice(page.indexOf('id="preview"')).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].filter((m) => m[1] !== '_csrf').map((m) => [m[1]!, unescape(m[2]!)]))
/** A header of a received mail, its folded lines joined. */
const header = (data: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(data.replace(/\r?\n[ \t]+/g, ' '))?.[1]

describe('a site without its own SMTP account', () => {
  it('sends a family message through the platform relay, from the platform address with the site name, and offers no account to send from', async () => {
    const { as, counts } = await fresh({ ownServer: false })
    const secretary = await as(SECRETARY)
    const page = await secretary.get('/staff/messages/new')
    expect(page.text).not.toContain('id="f-fromAccount"')
    const preview = await secretary.post('/staff/messages/preview', family())
    expect(unescape(preview.text)).toContain('<strong>De</strong> École de test <no-reply@ecole.example>')
    const before = counts()
    expect((await secretary.post('/staff/messages/send', sendForm(preview.text))).status).toBe(303)
    const mails = relay.received.slice(before.relay)
    expect(mails.map((m) => m.to)).toEqual([[CLAIRE]])
    expect(header(mails[0]!.data, 'From')).toContain('<no-reply@ecole.example>')
    expect(counts().own).toBe(before.own)
  })
})

describe('a site with its own SMTP account (seed 000)', () => {
  it('sends a family message through the site’s server, from the site’s address; the platform relay receives nothing', async () => {
    const { as, counts } = await fresh({ ownServer: true })
    const secretary = await as(SECRETARY)
    const preview = await secretary.post('/staff/messages/preview', family())
    expect(unescape(preview.text)).toContain(`<strong>De</strong> École Jean-Jaurès <${SITE_ADDRESS}>`)
    const before = counts()
    expect((await secretary.post('/staff/messages/send', sendForm(preview.text))).status).toBe(303)
    const mails = own.received.slice(before.own)
    expect(mails.map((m) => m.to)).toEqual([[CLAIRE]])
    expect(header(mails[0]!.data, 'From')).toContain(`<${SITE_ADDRESS}>`)
    expect(mailText(mails[0]!.data)).toContain('Bonjour Claire,')
    expect(counts().relay).toBe(before.relay)
  })

  it('sends the service e-mails too (the portal access of a guardian) through the site’s server, from its address', async () => {
    const { as, counts } = await fresh({ ownServer: true })
    const secretary = await as(SECRETARY)
    const before = counts()
    const opened = await secretary.post('/staff/portal-access/g1/open', {})
    expect(opened.status).toBe(303)
    const mails = own.received.slice(before.own)
    expect(mails.map((m) => m.to)).toEqual([[CLAIRE]])
    expect(header(mails[0]!.data, 'From')).toContain(`<${SITE_ADDRESS}>`)
    expect(counts().relay).toBe(before.relay)
  })

  it('lets an authorised staff member send from the secretariat account (seed 002), and refuses the account to a user not authorised on it, queueing nothing', async () => {
    const { as, counts, ctx, siteId } = await fresh({ ownServer: true })
    const secretary = await as(SECRETARY)
    const page = await secretary.get('/staff/messages/new')
    expect(unescape(page.text)).toContain(`<option value="">l’adresse du site (${SITE_ADDRESS})</option>`)
    expect(unescape(page.text)).toContain('<option value="secretariat">Secrétariat (secretariat@jaures.example)</option>')
    const preview = await secretary.post('/staff/messages/preview', family({ fromAccount: 'secretariat' }))
    expect(unescape(preview.text)).toContain('<strong>De</strong> Secrétariat Jean-Jaurès <secretariat@jaures.example>')
    const before = counts()
    expect((await secretary.post('/staff/messages/send', sendForm(preview.text))).status).toBe(303)
    const mails = own.received.slice(before.own)
    expect(mails.map((m) => m.to)).toEqual([[CLAIRE]])
    expect(header(mails[0]!.data, 'From')).toContain('<secretariat@jaures.example>')
    // the cashier is not authorised on it: the form does not offer it, and a forged choice is refused
    const cashier = await as(CASHIER)
    expect((await cashier.get('/staff/messages/new')).text).not.toContain('value="secretariat"')
    const queued = (await ctx.storage.outbox!.list(siteId, {}, { limit: 100 })).items.length
    for (const path of ['/staff/messages/preview', '/staff/messages/send']) {
      const refused = await cashier.post(path, family({ fromAccount: 'secretariat', messageId: 'forged-message-1' }))
      expect(refused.status).toBe(403)
      expect(unescape(refused.text)).toContain('Vous ne pouvez pas envoyer depuis ce compte')
    }
    expect((await ctx.storage.outbox!.list(siteId, {}, { limit: 100 })).items).toHaveLength(queued)
  })
})

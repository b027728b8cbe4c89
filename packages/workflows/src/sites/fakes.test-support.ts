// Test doubles for the site workflows' tests (not exported from the package).
import type { CredentialSubject, OneTimeTokenRecord, PortalAccount, Site, SmtpSettings, User } from '@ecole/core'
import type { AccessStore, DirectoryStore, Mailer, MailerCheckStage, MailerTestMessage, OutgoingMail, Page, StoredCredential } from '@ecole/core/ports'

const key = (s: CredentialSubject) => `${s.kind}:${s.id}`
const page = <T>(items: T[]): Page<T> => ({ items })

/** In-memory AccessStore for tests (single site). */
export function fakeAccessStore() {
  const tokens = new Map<string, OneTimeTokenRecord>()
  const credentials = new Map<string, StoredCredential>()
  const accounts = new Map<string, PortalAccount>()
  const users = new Map<string, User>()
  const store: AccessStore = {
    async putOneTimeToken(_siteId, record) {
      for (const [id, t] of tokens) if (key(t.subject) === key(record.subject)) tokens.delete(id)
      tokens.set(record.id, structuredClone(record))
    },
    async findOneTimeTokenByHash(_siteId, hash) {
      const t = [...tokens.values()].find((r) => r.hash === hash)
      return t && structuredClone(t)
    },
    async markOneTimeTokenUsed(_siteId, id, usedAt) {
      const t = tokens.get(id)
      if (!t || t.usedAt !== null) return false
      t.usedAt = usedAt
      return true
    },
    async getCredential(_siteId, subject) {
      return credentials.get(key(subject))
    },
    async putCredential(_siteId, c) {
      credentials.set(key(c.subject), c)
    },
    async getPortalAccount(_siteId, guardianId) {
      return accounts.get(guardianId)
    },
    async findPortalAccountByLogin(_siteId, login) {
      return [...accounts.values()].find((a) => a.login === login)
    },
    async putPortalAccount(_siteId, a) {
      accounts.set(a.guardianId, a)
    },
    async deletePortalAccount(_siteId, id) {
      // the port's contract: the guardian's password and tokens go with the account
      credentials.delete(key({ kind: 'guardian', id }))
      for (const [tokenId, t] of tokens) if (key(t.subject) === key({ kind: 'guardian', id })) tokens.delete(tokenId)
      return accounts.delete(id)
    },
    async getUser(_s, id) {
      return users.get(id)
    },
    async findUserByLogin(_s, login) {
      return [...users.values()].find((u) => u.login === login.trim().toLowerCase())
    },
    async createUser(_s, u) {
      if (users.has(u.id)) return 'exists'
      users.set(u.id, u)
      return 'created'
    },
    async putUser(_s, u) {
      users.set(u.id, u)
    },
    async deleteUser(_s, id) {
      return users.delete(id)
    },
    async listUsers() {
      return page([...users.values()])
    },
  }
  return { store, tokens, credentials, accounts, users }
}


/** A fake mailer: fails at the stage asked (or not), records the checks and test messages. */
export function fakeMailer(behaviour: { failAt?: MailerCheckStage; reason?: string } = {}) {
  const checks: Array<{ siteId: string; settings: SmtpSettings; testMessage?: MailerTestMessage | undefined }> = []
  const sent: OutgoingMail[] = []
  const mailer: Mailer = {
    async verify(siteId, settings, options) {
      checks.push({ siteId, settings, testMessage: options?.testMessage })
      if (behaviour.failAt === 'connect') return { ok: false, stage: 'connect', reason: behaviour.reason ?? `ECONNREFUSED ${settings.host}:${settings.port}` }
      if (behaviour.failAt === 'authenticate') return { ok: false, stage: 'authenticate', reason: behaviour.reason ?? '535 5.7.8 authentication failed' }
      if (options?.testMessage && behaviour.failAt === 'send') return { ok: false, stage: 'send', reason: behaviour.reason ?? '550 5.1.1 mailbox unavailable' }
      return options?.testMessage ? { ok: true, testMessageId: `test-${checks.length}` } : { ok: true }
    },
    async send(_siteId, message) {
      sent.push(message)
      return { messageId: `m-${sent.length}`, accepted: [...message.to], refused: [] }
    },
  }
  return { mailer, checks, sent }
}

/** An in-memory DirectoryStore holding sites only (what the SMTP workflows use). */
export function fakeSiteDirectory(initial: Site[] = []) {
  const sites = new Map<string, Site>(initial.map((s) => [s.id, structuredClone(s)]))
  const writes: string[] = []
  const unused = () => Promise.reject(new Error('not used in this test'))
  const directory: DirectoryStore = {
    async getSite(siteId) {
      const s = sites.get(siteId)
      return s && structuredClone(s)
    },
    async putSite(siteId, site) {
      writes.push(`site:${siteId}`)
      const existed = sites.has(siteId)
      // as the port says: no smtp keeps the stored SMTP settings
      sites.set(siteId, structuredClone({ ...site, smtp: site.smtp === undefined ? (sites.get(siteId)?.smtp ?? null) : site.smtp }))
      return existed ? 'updated' : 'created'
    },
    async putSmtpSettings(siteId, smtp) {
      writes.push(`smtp:${siteId}`)
      const s = sites.get(siteId)
      if (!s) throw new Error('no site')
      s.smtp = structuredClone(smtp)
    },
    getDirectoryRecord: unused,
    getDirectoryRecords: unused,
    putDirectoryRecord: unused,
    deleteDirectoryRecord: unused,
    listDirectoryRecords: unused,
    listSepaMandatesOf: unused,
    listBillingRulesOf: unused,
    listDirectoryRecordsOf: unused,
    searchDirectoryRecords: unused,
    loadDirectory: unused,
  }
  return { directory, sites, writes }
}

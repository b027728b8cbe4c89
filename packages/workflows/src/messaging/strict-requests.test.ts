import { GuardianSchema, HouseholdSchema, MailAccountSchema, MessageTemplateSchema, type LocalDate } from '@ecole/core'
import type { Mailer, OutgoingMail } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { strictRequestsSuite, type StrictRequestRow } from '../test-support/strict-requests'
import {
  deliverOutbox, listDeadLetters, mailAccountsOf, previewGroupMessage, queueDocumentNotices, queueFamilyMessage, queueGroupMessage, queueLowBalanceAlerts, queueMail,
  queueMailFromAccount, queueMails, queuePortalTokenMail, removeMailAccount, saveMailAccount, startOutboxWorker, testMailAccount,
} from './index'

// The rule (issue 12): a misspelt key in what a caller passes is refused with INVALID_INPUT naming
// the function, the key and the nearest known key, never read as absent so that a default applies
// (a message sent now instead of on its day, a mail without its Reply-To or its PDF, a staff
// member's mail telling them to open the families' portal...).

const siteId = 's1'
const now = new Date('2026-10-05T08:00:00Z')
const storage = createMemoryStorage()
await storage.directory!.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h1', siteId, name: 'Famille Dupont' }))
await storage.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'marie', siteId, householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' }))
const outbox = storage.outbox!
const mailer = {
  send: async (_siteId: string, mail: OutgoingMail) => ({ accepted: [...mail.to], rejected: [], response: '250 Ok' }),
  verify: async () => ({ ok: true }),
} as unknown as Mailer
const clock = { now: () => now }
const sender = { from: 'ecole@example.fr', replyTo: 'secretariat@example.fr' }
const template = MessageTemplateSchema.parse({ subject: 'Bonjour {{guardian.firstName}}', body: 'Sortie demain.', format: 'text' })
const filter = { source: 'guardians' as const, date: '2026-10-05' as LocalDate }
const account = MailAccountSchema.parse({ kind: 'establishment', id: 'regie', siteId, name: 'Régie', address: 'regie@example.fr', senderName: 'Régie', authorisedUserIds: ['u1'] })
const smtp = { host: 'smtp.example.fr', port: 587, username: 'ecole@example.fr', password: 'Pa55-w0rd!', security: 'starttls' as const, fromAddress: 'ecole@example.fr', fromName: 'École' }
const notice = { kind: 'invoice' as const, documentId: 'F-1', reference: 'F-1', guardianId: 'marie', guardianName: 'Marie Dupont', email: 'marie@example.fr', displayDate: '2026-10-06' as LocalDate, attachment: { filename: 'F-1.pdf', contentType: 'application/pdf', content: new Uint8Array([37, 80, 68, 70]) } }
const mail = { from: 'ecole@example.fr', to: ['marie@example.fr'], subject: 'Cantine', text: 'Bonjour', replyTo: 'secretariat@example.fr' }
let n = 0
const id = () => `m${++n}`

const rows: StrictRequestRow[] = [
  { fn: 'previewGroupMessage', param: 'args', key: 'limit', typo: 'limt', call: (t) => previewGroupMessage({ storage }, t({ siteId, filter, template, limit: 1 })) },
  { fn: 'queueGroupMessage', param: 'args', key: 'availableAt', typo: 'availableat', call: (t) => queueGroupMessage({ storage }, t({ siteId, id: id(), filter, template, sender, availableAt: new Date('2026-10-06T06:00:00Z') })) },
  { fn: 'queueGroupMessage', param: 'args.sender', key: 'replyTo', typo: 'replyto', call: (t) => queueGroupMessage({ storage }, { siteId, id: id(), filter, template, sender: t(sender) }) },
  { fn: 'queueFamilyMessage', param: 'args', key: 'moreContexts', typo: 'moreContext', call: (t) => queueFamilyMessage({ storage }, t({ siteId, id: id(), householdId: 'h1', date: '2026-10-05' as LocalDate, template, sender, moreContexts: [] })) },
  { fn: 'queueDocumentNotices', param: 'args', key: 'portalUrl', typo: 'portalURL', call: (t) => queueDocumentNotices(outbox, t({ siteId, timeZone: 'Europe/Paris', locale: 'fr' as const, sender, portalUrl: 'https://portail.example.fr', notices: [] })) },
  { fn: 'queueDocumentNotices', param: 'args.notices.0', key: 'attachment', typo: 'attachement', call: (t) => queueDocumentNotices(outbox, { siteId, timeZone: 'Europe/Paris', locale: 'fr', sender, portalUrl: 'https://portail.example.fr', notices: [t({ ...notice, documentId: id() })] }) },
  { fn: 'queuePortalTokenMail', param: 'args', key: 'audience', typo: 'audiance', call: (t) => queuePortalTokenMail(outbox, t({ siteId, id: id(), purpose: 'passwordReset' as const, siteName: 'École', locale: 'fr' as const, sender, to: 'anne@mairie.fr', login: 'anne@mairie.fr', token: 'K7Q2', portalUrl: 'https://ecole.example/staff', audience: 'backOffice' as const })) },
  { fn: 'queueLowBalanceAlerts', param: 'args', key: 'previous', typo: 'previus', call: (t) => queueLowBalanceAlerts({ storage, clock }, t({ siteId, id: id(), previous: { alerted: [] }, balances: [], policy: { threshold: 500n, rearmAt: 1000n }, currency: 'EUR', locale: 'fr' as const, sender, holderOf: () => undefined })) },
  { fn: 'queueMailFromAccount', param: 'args', key: 'html', typo: 'htm', call: (t) => queueMailFromAccount(outbox, t({ siteId, id: id(), account, userId: 'u1', to: ['marie@example.fr'], subject: 'Cantine', text: 'Bonjour', html: '<p>Bonjour</p>' })) },
  { fn: 'testMailAccount', param: 'args', key: 'to', typo: 'To', call: (t) => testMailAccount(mailer, t({ siteId, settings: smtp, account, to: 'admin@example.fr' })) },
  { fn: 'saveMailAccount', param: 'args', key: 'test', typo: 'tests', call: (t) => saveMailAccount({ storage, mailer }, t({ siteId, account, test: { settings: smtp, to: 'admin@example.fr' } })) },
  { fn: 'saveMailAccount', param: 'args.test', key: 'to', typo: 'To', call: (t) => saveMailAccount({ storage, mailer }, { siteId, account, test: t({ settings: smtp, to: 'admin@example.fr' }) }) },
  { fn: 'mailAccountsOf', param: 'args', key: 'userId', typo: 'userID', call: (t) => mailAccountsOf({ storage }, t({ siteId, userId: 'u1' })) },
  { fn: 'removeMailAccount', param: 'args', key: 'id', typo: 'ID', call: (t) => removeMailAccount({ storage }, t({ siteId, id: 'nothing-stored' })) },
  { fn: 'queueMail', param: 'queued', key: 'availableAt', typo: 'availableAT', call: (t) => queueMail(outbox, siteId, t({ id: id(), purpose: 'test', mail, availableAt: new Date('2026-10-06T06:00:00Z') })) },
  { fn: 'queueMail', param: 'queued.mail', key: 'replyTo', typo: 'replyto', call: (t) => queueMail(outbox, siteId, { id: id(), purpose: 'test', mail: t(mail) }) },
  { fn: 'queueMails', param: 'queued.0', key: 'recipientId', typo: 'recipientID', call: (t) => queueMails(outbox, siteId, [t({ id: id(), purpose: 'test', recipientId: 'marie', mail })]) },
  { fn: 'listDeadLetters', param: 'page', key: 'limit', typo: 'Limit', call: (t) => listDeadLetters(outbox, siteId, t({ limit: 10 })) },
  { fn: 'deliverOutbox', param: 'options', key: 'maxMessages', typo: 'maxMessage', call: (t) => deliverOutbox({ outbox, mailer, clock }, 'another-site', t({ messageIdDomain: 'ecole.example', maxMessages: 1 })) },
  { fn: 'deliverOutbox', param: 'options.backoff', key: 'maxMs', typo: 'maxms', call: (t) => deliverOutbox({ outbox, mailer, clock }, 'another-site', { messageIdDomain: 'ecole.example', backoff: t({ baseMs: 1000, maxMs: 60_000 }) }) },
  {
    fn: 'startOutboxWorker', param: 'options', key: 'pollMs', typo: 'pollms',
    call: async (t) => void (await startOutboxWorker({ outbox, mailer, clock }, t({ siteIds: ['another-site'], messageIdDomain: 'ecole.example', pollMs: 60_000 })).stop()),
  },
]

strictRequestsSuite('messaging use cases read their requests and options strictly', rows)

import { EcoleError, GuardianSchema, HouseholdSchema, MessageTemplateSchema, MailAccountSchema, isEcoleError } from '@ecole/core'
import type { MailSendResult, Mailer, OutgoingMail } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { previewGroupMessage, queueGroupMessage, queueFamilyMessage } from './group-message'
import { outboxMessageId, queueMail, type MailPayload } from './mail-outbox'
import { queueDocumentNotices, queueLowBalanceAlerts, queueMailFromAccount, queuePortalTokenMail } from './notifications'
import { deliverOutbox, startOutboxWorker, type MailDeliveryRecord } from './outbox-worker'
import { htmlToText } from './html-to-text'
import { mailSender } from './sender'

const FROM = '"École" <no-reply@ecole.example>'

async function directory() {
  const storage = createMemoryStorage()
  await storage.directory!.putDirectoryRecord('s1', 'household', HouseholdSchema.parse({ id: 'h1', siteId: 's1', name: 'Famille Dupont' }))
  await storage.directory!.putDirectoryRecord('s1', 'household', HouseholdSchema.parse({ id: 'h2', siteId: 's1', name: 'Famille Rossi' }))
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'marie', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' }))
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'paul', siteId: 's1', householdId: 'h1', firstName: 'Paul', lastName: 'Dupont' }))
  await storage.directory!.putDirectoryRecord('s1', 'guardian', GuardianSchema.parse({ id: 'zoe', siteId: 's1', householdId: 'h2', firstName: '<script>alert(1)</script>', lastName: 'Rossi & "fils"', email: 'zoe@example.it' }))
  return storage
}
const payloads = async (storage: ReturnType<typeof createMemoryStorage>) => (await storage.outbox!.list('s1', {})).items.map((m) => ({ id: m.id, ...(m.payload as MailPayload) }))

describe('previewGroupMessage', () => {
  it('shows the first messages as each recipient reads them, the count sending would queue and who has no e-mail, and queues nothing', async () => {
    const storage = await directory()
    const template = MessageTemplateSchema.parse({ subject: 'Bonjour {{guardian.firstName}}', body: '<p>{{guardian.fullName}} doit {{invoice.amountDue}}</p>' })
    const p = await previewGroupMessage({ storage }, {
      siteId: 's1', filter: { source: 'guardians', date: '2026-10-05' }, template, contexts: ['guardian', 'invoice'], limit: 1,
      values: (g) => ({ 'invoice.amountDue': g === 'marie' ? '12,50 €' : '3,00 €' }),
    })
    expect(p).toEqual({ count: 2, messages: [{ recipientId: 'marie', email: 'marie@example.fr', subject: 'Bonjour Marie', body: '<p>Marie Dupont doit 12,50 €</p>', sanitized: false }], withoutEmail: ['paul'] })
    expect(await payloads(storage)).toEqual([])
  })

  it('refuses what sending would refuse: a variable the contexts do not offer', async () => {
    const storage = await directory()
    const template = MessageTemplateSchema.parse({ subject: 'x', body: '{{invoice.amountDue}}', format: 'text' })
    const error = await previewGroupMessage({ storage }, { siteId: 's1', filter: { source: 'guardians', date: '2026-10-05' }, template }).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('TEMPLATE_INVALID')
  })
})

describe('queueFamilyMessage with values', () => {
  it('merges the values given for the contexts added (an amount already formatted for the family’s language)', async () => {
    const storage = await directory()
    const template = MessageTemplateSchema.parse({ subject: 'Solde', body: 'Reste dû : {{invoice.amountDue}}', format: 'text' })
    await queueFamilyMessage({ storage }, { siteId: 's1', id: 'msg-v', householdId: 'h1', date: '2026-10-05', template, sender: { from: FROM }, moreContexts: ['invoice'], values: () => ({ 'invoice.amountDue': '100,00 €' }) })
    expect((await payloads(storage)).map((m) => [m.id, m.text])).toEqual([['msg-v:marie', 'Reste dû : 100,00 €']])
  })
})

describe('queueGroupMessage', () => {
  it('queues one mail per guardian with an e-mail, values escaped in the HTML, the same text in the plain part, and lists those without e-mail', async () => {
    const storage = await directory()
    const template = MessageTemplateSchema.parse({ subject: 'Bonjour {{guardian.firstName}}', body: '<p>Bonjour {{guardian.fullName}} ({{household.name}})</p>' })
    const r = await queueGroupMessage({ storage }, { siteId: 's1', id: 'msg-1', filter: { source: 'guardians', date: '2026-10-05' }, template, sender: { from: FROM }, listUnsubscribe: (g) => `<https://portal.example/unsubscribe/${g}>` })
    expect(r).toEqual({ queued: ['msg-1:marie', 'msg-1:zoe'], withoutEmail: ['paul'] })
    const [marie, zoe] = await payloads(storage)
    expect(marie).toMatchObject({ to: ['marie@example.fr'], subject: 'Bonjour Marie', html: '<p>Bonjour Marie Dupont (Famille Dupont)</p>', text: 'Bonjour Marie Dupont (Famille Dupont)', listUnsubscribe: '<https://portal.example/unsubscribe/marie>' })
    expect(zoe!.html).toBe('<p>Bonjour &lt;script&gt;alert(1)&lt;/script&gt; Rossi &amp; &quot;fils&quot; (Famille Rossi)</p>')
    expect(zoe!.html).not.toContain('<script>')
    expect(zoe!.text).toBe('Bonjour <script>alert(1)</script> Rossi & "fils" (Famille Rossi)')
  })

  it('refuses an unknown variable, naming it, and queues nothing', async () => {
    const storage = await directory()
    const template = MessageTemplateSchema.parse({ subject: 'Facture', body: '<p>{{guardian.firstName}} {{invoice.number}} {{guardian.shoeSize}}</p>' })
    const error = await queueGroupMessage({ storage }, { siteId: 's1', id: 'msg-2', filter: { source: 'guardians', date: '2026-10-05' }, template, sender: { from: FROM } }).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('TEMPLATE_INVALID')
    expect(isEcoleError(error) && error.message).toContain('unknown variable {{invoice.number}}')
    expect(isEcoleError(error) && error.details['variables']).toEqual(['invoice.number', 'guardian.shoeSize'])
    expect(await payloads(storage)).toEqual([])
  })

  it('refuses the whole message when a recipient lacks a value, and queues nothing', async () => {
    const storage = await directory()
    const template = MessageTemplateSchema.parse({ subject: 'Hello', body: '{{household.address}}', format: 'text' })
    const error = await queueGroupMessage({ storage }, { siteId: 's1', id: 'msg-3', filter: { source: 'guardians', date: '2026-10-05' }, template, sender: { from: FROM } }).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.message).toContain('no value for {{household.address}}')
    expect(await payloads(storage)).toEqual([])
  })

  it('is idempotent by id: sending the same message twice queues each mail once', async () => {
    const storage = await directory()
    const template = MessageTemplateSchema.parse({ subject: 'x', body: 'y', format: 'text' })
    const args = { siteId: 's1', id: 'msg-4', householdId: 'h1', date: '2026-10-05' as const, template, sender: { from: FROM } }
    await queueFamilyMessage({ storage }, args)
    await queueFamilyMessage({ storage }, args)
    expect((await payloads(storage)).map((p) => p.id)).toEqual(['msg-4:marie'])
  })
})

describe('notifications', () => {
  it('announces an invoice on its display date, from midnight in the site zone, with the date in words and the amount in the money format', async () => {
    const storage = createMemoryStorage()
    const pdf = { filename: 'facture-2026-0042.pdf', contentType: 'application/pdf', content: new Uint8Array([37, 80, 68, 70]) }
    await storage.transaction('s1', (tx) =>
      queueDocumentNotices(tx.outbox!, {
        siteId: 's1', timeZone: 'Europe/Paris', locale: 'fr', sender: { from: FROM }, portalUrl: 'https://portail.example',
        notices: [{ kind: 'invoice', documentId: 'inv-42', reference: '2026-0042', guardianId: 'marie', guardianName: 'Marie Dupont', email: 'marie@example.fr', displayDate: '2027-01-04', amount: { minor: 4250n, currency: 'EUR' }, attachment: pdf }],
      }),
    )
    const [m] = (await storage.outbox!.list('s1', {})).items
    expect(m!.id).toBe('notice:invoice:inv-42:marie')
    expect(m!.availableAt.toISOString()).toBe('2027-01-03T23:00:00.000Z')
    const p = m!.payload as MailPayload
    expect(p.subject).toBe('Votre facture 2026-0042 est disponible')
    expect(p.text).toMatch(/Votre facture 2026-0042 \(42,50\s€\) est disponible sur le portail depuis le lundi 4 janvier 2027\./u)
    expect(p.attachments).toEqual([{ filename: 'facture-2026-0042.pdf', contentType: 'application/pdf', contentBase64: 'JVBERg==' }])
  })

  it('writes a token mail with the user name and the token, and no other secret', async () => {
    const storage = createMemoryStorage()
    await queuePortalTokenMail(storage.outbox!, { siteId: 's1', id: 't1', purpose: 'firstLogin', siteName: 'École Jules Ferry', locale: 'nl', sender: { from: FROM }, to: 'marie@example.fr', login: 'marie@example.fr', token: 'K7Q2-99XZ', portalUrl: 'https://portal.example' })
    const p = (await storage.outbox!.get('s1', 't1'))!.payload as MailPayload
    expect(p.subject).toBe('École Jules Ferry: uw toegang tot het portaal')
    expect(p.text).toContain('Gebruikersnaam: marie@example.fr')
    expect(p.text).toContain('Code voor de eerste aanmelding: K7Q2-99XZ')
    expect(p.text).not.toMatch(/password|wachtwoord/i)
  })

  it('sends one low-balance alert, then none until the wallet has recovered to rearmAt (hysteresis)', async () => {
    const storage = createMemoryStorage()
    const common = { siteId: 's1', policy: { threshold: 500n, rearmAt: 1000n }, currency: 'EUR', locale: 'it' as const, sender: { from: FROM }, holderOf: () => ({ guardianId: 'g1', name: 'Anna', email: 'anna@example.it' }) }
    const first = await queueLowBalanceAlerts({ storage }, { ...common, id: 'a1', previous: { alerted: [] }, balances: [{ accountId: 'w1', available: 300n }] })
    const second = await queueLowBalanceAlerts({ storage }, { ...common, id: 'a2', previous: first.state, balances: [{ accountId: 'w1', available: 200n }] })
    const recovered = await queueLowBalanceAlerts({ storage }, { ...common, id: 'a3', previous: second.state, balances: [{ accountId: 'w1', available: 1000n }] })
    const third = await queueLowBalanceAlerts({ storage }, { ...common, id: 'a4', previous: recovered.state, balances: [{ accountId: 'w1', available: 100n }] })
    expect([first.queued, second.queued, recovered.queued, third.queued]).toEqual([['a1:w1'], [], [], ['a4:w1']])
    const p = (await storage.outbox!.get('s1', 'a1:w1'))!.payload as MailPayload
    expect(p.text).toMatch(/3,00\s€/u)
  })

  it('lets only the staff authorised on an establishment account send from it', async () => {
    const storage = createMemoryStorage()
    const account = MailAccountSchema.parse({ id: 'secr', siteId: 's1', kind: 'establishment', name: 'Secrétariat', address: 'secretariat@lycee.fr', senderName: 'Lycée – Secrétariat', authorisedUserIds: ['u1'] })
    await queueMailFromAccount(storage.outbox!, { siteId: 's1', id: 'm1', account, userId: 'u1', to: ['p@example.fr'], subject: 'Réunion', text: 'Jeudi' })
    expect(((await storage.outbox!.get('s1', 'm1'))!.payload as MailPayload).from).toBe('"Lycée – Secrétariat" <secretariat@lycee.fr>')
    const error = await queueMailFromAccount(storage.outbox!, { siteId: 's1', id: 'm2', account, userId: 'u9', to: ['p@example.fr'], subject: 'x', text: 'y' }).catch((e: unknown) => e)
    expect(isEcoleError(error) && error.code).toBe('NOT_AUTHORISED')
    expect(await storage.outbox!.get('s1', 'm2')).toBeUndefined()
  })
})

describe('mailSender, htmlToText, outboxMessageId', () => {
  it("sends from the platform's address with the site's name when the site has no SMTP account, replies going to the site", () => {
    expect(mailSender({ name: 'École "Ferry"', smtp: null, contact: { email: 'ecole@ferry.fr' } }, 'no-reply@ecole.example')).toEqual({ from: '"École \\"Ferry\\"" <no-reply@ecole.example>', replyTo: 'ecole@ferry.fr' })
  })

  it('keeps paragraphs and decodes entities in the text part', () => {
    expect(htmlToText('<p>A &amp; B</p><p>C<br>D</p>')).toBe('A & B\n\nC\nD')
  })

  it('keeps the address of each web or mail link after its text in the text part (a text-only reader can still follow it), never a script address', () => {
    expect(htmlToText('<p><a href="https://portail.example/?a=1&amp;b=2">Consulter le portail</a></p>')).toBe('Consulter le portail <https://portail.example/?a=1&b=2>')
    expect(htmlToText('<p><a href="mailto:ecole@ferry.fr">mailto:ecole@ferry.fr</a></p>')).toBe('mailto:ecole@ferry.fr')
    expect(htmlToText('<p><a href="javascript:alert(1)">Cliquez</a></p>')).toBe('Cliquez')
  })

  it('derives one Message-ID per site and outbox id, distinct for distinct ids', () => {
    expect(outboxMessageId('s1', 'a.b', 'ecole.example')).toBe('<a=2Eb.s1@ecole.example>')
    expect(outboxMessageId('s1', 'a', 'ecole.example')).not.toBe(outboxMessageId('s1.a', '', 'ecole.example'))
  })
})

describe('deliverOutbox with a recording mailer', () => {
  function mailer(answer: (m: OutgoingMail) => MailSendResult | Error) {
    const sent: OutgoingMail[] = []
    const m: Mailer = {
      verify: async () => ({ ok: true }),
      async send(_s, message) {
        sent.push(message)
        const a = answer(message)
        if (a instanceof Error) throw a
        return a
      },
    }
    return { m, sent }
  }

  it('spreads retries with exponential backoff and jitter, capped at maxMs', async () => {
    const storage = createMemoryStorage()
    let now = new Date('2026-10-05T08:00:00Z')
    const { m } = mailer((msg) => ({ messageId: msg.messageId!, accepted: [], refused: [{ address: 'a@x.fr', code: 451, response: '451 try later', permanent: false }] }))
    await queueMail(storage.outbox!, 's1', { id: 'm', purpose: 't', mail: { from: FROM, to: ['a@x.fr'], subject: 's', text: 't' } })
    const delays: number[] = []
    for (let i = 0; i < 5; i++) {
      await deliverOutbox({ outbox: storage.outbox!, mailer: m, clock: { now: () => now } }, 's1', { messageIdDomain: 'e.x', backoff: { baseMs: 1000, maxMs: 5000, jitter: 0.2 }, random: () => 0 })
      const stored = (await storage.outbox!.get('s1', 'm'))!
      delays.push(stored.availableAt.getTime() - now.getTime())
      now = stored.availableAt
    }
    expect(delays).toEqual([800, 1600, 3200, 4000, 4000])
  })

  it('retries when the site settings cannot be read (a fixable error), and buries a message the mailer refuses as such', async () => {
    const storage = createMemoryStorage()
    await queueMail(storage.outbox!, 's1', { id: 'm', purpose: 't', mail: { from: FROM, to: ['a@x.fr'], subject: 's', text: 't' } })
    const { m } = mailer((msg) => ({ messageId: msg.messageId!, accepted: [...msg.to], refused: [] }))
    const clock = { now: () => new Date('2026-10-05T08:00:00Z') }
    const broken = await deliverOutbox({ outbox: storage.outbox!, mailer: m, clock, smtpSettings: async () => { throw new Error('no key k2 to open this secret') } }, 's1', { messageIdDomain: 'e.x' })
    expect(broken).toMatchObject({ retried: 1, dead: 0 })
    expect((await storage.outbox!.get('s1', 'm'))?.lastError).toContain('no key k2')
    await queueMail(storage.outbox!, 's1', { id: 'h', purpose: 't', mail: { from: FROM, to: ['b@x.fr'], subject: 's', text: 't' } })
    const refusing = mailer(() => new EcoleError('INVALID_HEADER', 'subject must not contain a line break', { details: { field: 'subject' } }))
    expect(await deliverOutbox({ outbox: storage.outbox!, mailer: refusing.m, clock }, 's1', { messageIdDomain: 'e.x' })).toMatchObject({ dead: 1 })
    expect((await storage.outbox!.get('s1', 'h'))?.status).toBe('dead')
  })

  it('gives a message of another topic to its handler, and buries one without a handler', async () => {
    const storage = createMemoryStorage()
    await storage.outbox!.enqueue('s1', { id: 'e1', topic: 'invoice.validated', payload: { id: 'i1' } })
    await storage.outbox!.enqueue('s1', { id: 'e2', topic: 'unknown', payload: null })
    const seen: unknown[] = []
    const { m } = mailer(() => new Error('unused'))
    const r = await deliverOutbox({ outbox: storage.outbox!, mailer: m, clock: { now: () => new Date() } }, 's1', { messageIdDomain: 'e.x', handlers: { 'invoice.validated': async (_s, msg) => void seen.push(msg.payload) } })
    expect(r).toEqual({ claimed: 2, delivered: 1, retried: 0, dead: 1 })
    expect(seen).toEqual([{ id: 'i1' }])
    expect((await storage.outbox!.get('s1', 'e2'))?.lastError).toBe('no handler for topic "unknown"')
  })

  it('a started worker delivers what is queued while it runs, and stops', async () => {
    const storage = createMemoryStorage()
    const { m, sent } = mailer((msg) => ({ messageId: msg.messageId!, accepted: [...msg.to], refused: [], response: '250 queued as X1' }))
    const worker = startOutboxWorker({ outbox: storage.outbox!, mailer: m, clock: { now: () => new Date() } }, { siteIds: ['s1'], messageIdDomain: 'e.x', pollMs: 10 })
    await queueMail(storage.outbox!, 's1', { id: 'late', purpose: 't', mail: { from: FROM, to: ['a@x.fr'], subject: 's', text: 't' } })
    const reports = await worker.wake()
    await worker.stop()
    expect(sent.map((s) => s.messageId)).toEqual(['<late.s1@e.x>'])
    expect(((await storage.outbox!.get('s1', 'late'))!.record as MailDeliveryRecord).recipients['a@x.fr']).toMatchObject({ status: 'sent', queueId: 'X1' })
  })
})

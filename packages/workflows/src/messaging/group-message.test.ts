import { ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, SchoolClassSchema, SchoolSchema } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import { previewGroupMessage, queueFamilyMessage, queueGroupMessage } from './group-message'
import type { MailPayload } from './mail-outbox'

const FROM = '"École" <no-reply@ecole.example>'
const s = 's1'

/** Marie has Léa and Noé in CP A; Karim has Sami in CP A; Anne has Tom in CE1. */
async function school() {
  const storage = createMemoryStorage()
  const d = storage.directory!
  await d.putDirectoryRecord(s, 'household', HouseholdSchema.parse({ id: 'h1', siteId: s, name: 'Famille Dupont' }))
  await d.putDirectoryRecord(s, 'household', HouseholdSchema.parse({ id: 'h2', siteId: s, name: 'Famille Haddad' }))
  await d.putDirectoryRecord(s, 'household', HouseholdSchema.parse({ id: 'h3', siteId: s, name: 'Famille Roy' }))
  await d.putDirectoryRecord(s, 'guardian', GuardianSchema.parse({ id: 'marie', siteId: s, householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' }))
  await d.putDirectoryRecord(s, 'guardian', GuardianSchema.parse({ id: 'karim', siteId: s, householdId: 'h2', firstName: 'Karim', lastName: 'Haddad', email: 'karim@example.fr' }))
  await d.putDirectoryRecord(s, 'guardian', GuardianSchema.parse({ id: 'anne', siteId: s, householdId: 'h3', firstName: 'Anne', lastName: 'Roy', email: 'anne@example.fr' }))
  await d.putDirectoryRecord(s, 'school', SchoolSchema.parse({ id: 'sc', siteId: s, name: 'École Jules-Ferry' }))
  await d.putDirectoryRecord(s, 'schoolClass', SchoolClassSchema.parse({ id: 'cpa', siteId: s, schoolId: 'sc', name: 'CP A' }))
  await d.putDirectoryRecord(s, 'schoolClass', SchoolClassSchema.parse({ id: 'ce1', siteId: s, schoolId: 'sc', name: 'CE1' }))
  const children = [
    // ids in the reverse order of the first names: the mail names them in the order of their names
    { id: 'c2', firstName: 'Léa', lastName: 'Dupont', guardian: 'marie', classId: 'cpa', birthDate: '2020-03-14' },
    { id: 'c1', firstName: 'Noé', lastName: 'Dupont', guardian: 'marie', classId: 'cpa', birthDate: '2020-03-14' },
    { id: 'c3', firstName: 'Sami', lastName: 'Haddad', guardian: 'karim', classId: 'cpa', birthDate: '2020-07-01' },
    { id: 'c4', firstName: 'Tom', lastName: 'Roy', guardian: 'anne', classId: 'ce1', birthDate: '2019-01-01' },
  ]
  for (const c of children) {
    await d.putDirectoryRecord(s, 'child', ChildSchema.parse({ id: c.id, siteId: s, firstName: c.firstName, lastName: c.lastName, birthDate: c.birthDate, guardians: [{ guardianId: c.guardian, relationship: 'mother' }] }))
    await d.putDirectoryRecord(s, 'enrolment', EnrolmentSchema.parse({ id: `e-${c.id}`, siteId: s, beneficiaryId: c.id, schoolId: 'sc', classId: c.classId, from: '2026-09-01' }))
  }
  return storage
}
const mails = async (storage: ReturnType<typeof createMemoryStorage>) =>
  Object.fromEntries((await storage.outbox!.list(s, {})).items.map((m) => [m.id, m.payload as MailPayload]))

const zoo = { subject: 'Sortie au zoo pour {{child.firstName}}', body: '<p>{{child.fullName}} ({{child.className}}) part au zoo.</p>', format: 'html' as const }
const cpa = { source: 'children' as const, date: '2026-10-05' as const, classIds: ['cpa'] }

describe('queueGroupMessage: one mail per parent, naming all their children', () => {
  it('sends a parent with two children in the selected class one mail that names both, in the order of their first names', async () => {
    const storage = await school()
    const r = await queueGroupMessage({ storage }, { siteId: s, id: 'zoo', filter: cpa, template: zoo, sender: { from: FROM } })
    expect(r.queued).toEqual(['zoo:karim', 'zoo:marie'])
    const m = await mails(storage)
    expect(m['zoo:marie']).toMatchObject({ subject: 'Sortie au zoo pour Léa et Noé', html: '<p>Léa Dupont et Noé Dupont (CP A) part au zoo.</p>', text: 'Léa Dupont et Noé Dupont (CP A) part au zoo.' })
    expect(m['zoo:karim']).toMatchObject({ subject: 'Sortie au zoo pour Sami', html: '<p>Sami Haddad (CP A) part au zoo.</p>' })
  })

  it('joins the names with the "and" of the language given, for all or per parent', async () => {
    const storage = await school()
    await queueGroupMessage({ storage }, { siteId: s, id: 'en', filter: cpa, template: zoo, sender: { from: FROM }, locale: 'en' })
    await queueGroupMessage({ storage }, { siteId: s, id: 'it', filter: cpa, template: zoo, sender: { from: FROM }, locale: () => 'it' })
    await queueGroupMessage({ storage }, { siteId: s, id: 'nl', filter: cpa, template: zoo, sender: { from: FROM }, locale: (g) => (g === 'marie' ? 'nl' : 'fr') })
    const m = await mails(storage)
    expect([m['en:marie']!.subject, m['it:marie']!.subject, m['nl:marie']!.subject]).toEqual(['Sortie au zoo pour Léa and Noé', 'Sortie au zoo pour Léa e Noé', 'Sortie au zoo pour Léa en Noé'])
  })

  it('shows the same merge in the preview as in the mails', async () => {
    const storage = await school()
    const p = await previewGroupMessage({ storage }, { siteId: s, filter: cpa, template: zoo, limit: 5 })
    expect(p.messages.find((x) => x.recipientId === 'marie')?.subject).toBe('Sortie au zoo pour Léa et Noé')
  })
})

describe('queueGroupMessage: birth dates in words', () => {
  it('writes a child’s birth date in the reader’s language, not as an ISO date', async () => {
    const storage = await school()
    const template = { subject: 'Anniversaire', body: '<p>{{child.firstName}}, né(e) le {{child.birthDate}}</p>', format: 'html' as const }
    await queueGroupMessage({ storage }, { siteId: s, id: 'fr', filter: cpa, template, sender: { from: FROM } })
    await queueGroupMessage({ storage }, { siteId: s, id: 'en', filter: cpa, template, sender: { from: FROM }, locale: 'en' })
    const m = await mails(storage)
    expect(m['fr:karim']!.text).toBe('Sami, né(e) le 1 juillet 2020')
    expect(m['en:karim']!.text).toBe('Sami, né(e) le 1 July 2020')
    // twins: their shared birth date is said once
    expect(m['fr:marie']!.text).toBe('Léa et Noé, né(e) le 14 mars 2020')
  })
})

describe('queueGroupMessage: a template without format', () => {
  it('sends a template saved without format as HTML (the schema’s default), with the text part read from it', async () => {
    const storage = await school()
    const template = { subject: 'Info', body: '<p>Bonjour {{guardian.firstName}} &amp; bienvenue</p>' }
    await queueGroupMessage({ storage }, { siteId: s, id: 'nofmt', filter: { source: 'guardians', date: '2026-10-05', householdIds: ['h1'] }, template, sender: { from: FROM } })
    const m = (await mails(storage))['nofmt:marie']!
    expect(m.html).toBe('<p>Bonjour Marie &amp; bienvenue</p>')
    expect(m.text).toBe('Bonjour Marie & bienvenue')
  })

  it('merges and sends a family message without format the same way: no raw tag reaches a text-only mail', async () => {
    const storage = await school()
    await queueFamilyMessage({ storage }, { siteId: s, id: 'fam', householdId: 'h2', date: '2026-10-05', template: { subject: 'Info', body: '<p>Bonjour {{guardian.firstName}}</p>' }, sender: { from: FROM } })
    const m = (await mails(storage))['fam:karim']!
    expect(m.html).toBe('<p>Bonjour Karim</p>')
    expect(m.text).toBe('Bonjour Karim')
  })

  it('still sends a text template as text only', async () => {
    const storage = await school()
    await queueFamilyMessage({ storage }, { siteId: s, id: 'txt', householdId: 'h2', date: '2026-10-05', template: { subject: 'Info', body: 'Bonjour {{guardian.firstName}} <3', format: 'text' }, sender: { from: FROM } })
    const m = (await mails(storage))['txt:karim']!
    expect(m.html).toBeUndefined()
    expect(m.text).toBe('Bonjour Karim <3')
  })
})

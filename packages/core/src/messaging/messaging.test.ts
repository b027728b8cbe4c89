import { describe, expect, it } from 'vitest'
import { emptyDirectory, type DirectoryOutcome, type DirectoryState } from '../directory/directory-state'
import { enrol, subscribeToService } from '../directory/enrolment-operations'
import { addGuardian, createHousehold, linkChildToGuardian } from '../directory/household-operations'
import { SchoolClassSchema, SchoolSchema } from '../directory/school'
import { ServiceSchema } from '../directory/service'
import { acceptConsent, consentAcceptances, consentsForBooking, missingConsents, type Consent } from './consent'
import { checkStorageQuota, documentsForGuardian, storageUsed, type PortalDocument } from './document'
import { MailAccountSchema, authoriseOnMailAccount, canSendFrom, mailFrom, revokeFromMailAccount } from './mail-account'
import { directoryValues, selectRecipients } from './recipients'

const rules: Consent = { id: 'rules', siteId: 's1', label: 'Règlement intérieur', validity: { from: '2026-09-01', to: '2027-07-03' }, scope: { kind: 'site' }, documentId: 'doc-rules' }
const photos: Consent = { id: 'photos', siteId: 's1', label: 'Droit à l’image', validity: { from: '2026-09-01' }, scope: { kind: 'groups', groupIds: ['cpa'] }, documentId: undefined }
const meals: Consent = { id: 'meals', siteId: 's1', label: 'Charte cantine', validity: { from: '2026-09-01' }, scope: { kind: 'services', serviceIds: ['meal'] }, documentId: undefined }

describe('consents (seed 001 "ajouter un consentement")', () => {
  const query = { guardianId: 'marie', date: '2026-10-05' as const, groupIds: ['sc1', 'cpa'], subscribedServiceIds: ['meal'] }

  it('lists what a guardian still has to accept for a child, a service and a day', () => {
    expect(missingConsents([rules, photos, meals], [], { ...query, serviceId: 'meal' }).map((c) => c.id)).toEqual(['meals', 'photos', 'rules'])
    const { acceptances } = acceptConsent([], 'rules', 'marie', '2026-08-28T19:02:00.000Z')
    expect(missingConsents([rules, photos, meals], acceptances, { ...query, serviceId: 'meal' }).map((c) => c.id)).toEqual(['meals', 'photos'])
  })

  it('applies a consent only within its validity, its groups and its services', () => {
    expect(missingConsents([rules], [], { ...query, date: '2027-07-04' })).toEqual([])
    expect(missingConsents([photos], [], { ...query, groupIds: ['sc1', 'ce1'] })).toEqual([])
    expect(missingConsents([meals], [], { ...query, serviceId: 'care' })).toEqual([])
    // with no service named, a service consent concerns a child with rights to that service
    expect(missingConsents([meals], [], query).map((c) => c.id)).toEqual(['meals'])
    expect(missingConsents([meals], [], { ...query, subscribedServiceIds: [] })).toEqual([])
  })

  it('is accepted once per guardian, the other parent still has to accept', () => {
    let a = acceptConsent([], 'rules', 'marie', '2026-08-28T19:02:00.000Z').acceptances
    const again = acceptConsent(a, 'rules', 'marie', '2026-08-29T08:00:00.000Z')
    expect(again.added).toBe(false)
    expect(again.acceptances).toEqual(a)
    expect(missingConsents([rules], a, { ...query, guardianId: 'paul' }).map((c) => c.id)).toEqual(['rules'])
    a = acceptConsent(a, 'rules', 'paul', '2026-08-30T10:00:00.000Z').acceptances
    expect(consentAcceptances('rules', a, { marie: { firstName: 'Marie', lastName: 'Dupont' }, paul: { firstName: 'Paul', lastName: 'Bernard' } })).toEqual([
      { guardianId: 'paul', firstName: 'Paul', lastName: 'Bernard', acceptedAt: '2026-08-30T10:00:00.000Z' },
      { guardianId: 'marie', firstName: 'Marie', lastName: 'Dupont', acceptedAt: '2026-08-28T19:02:00.000Z' },
    ])
  })

  it('hands booking eligibility the same consents', () => {
    const out = consentsForBooking([photos, meals], [{ consentId: 'meals', guardianId: 'marie', acceptedAt: 'x' }])
    expect(out).toEqual({
      consents: [
        { id: 'photos', label: 'Droit à l’image', from: '2026-09-01', to: undefined, groupIds: ['cpa'] },
        { id: 'meals', label: 'Charte cantine', from: '2026-09-01', to: undefined, serviceIds: ['meal'] },
      ],
      consentsGiven: [{ consentId: 'meals', guardianId: 'marie' }],
    })
  })
})

describe('documents (seed 001 "ajouter un document")', () => {
  const doc = (id: string, audience: PortalDocument['audience'], from: '2026-09-01' | '2026-10-01', to?: '2026-09-30'): PortalDocument => ({
    id, siteId: 's1', name: id, description: undefined, key: `s1/${id}`, mediaType: 'application/pdf', sizeBytes: 1000, audience, available: { from, to },
  })
  const docs = [
    doc('menu-sept', { kind: 'site' }, '2026-09-01', '2026-09-30'),
    doc('menu-oct', { kind: 'site' }, '2026-10-01'),
    doc('marie-only', { kind: 'guardian', guardianId: 'marie' }, '2026-09-01'),
    doc('paul-only', { kind: 'guardian', guardianId: 'paul' }, '2026-09-01'),
    doc('lea-sheet', { kind: 'child', childId: 'lea' }, '2026-09-01'),
    doc('cp-trip', { kind: 'groups', groupIds: ['cpa'] }, '2026-09-01'),
    doc('ce1-trip', { kind: 'groups', groupIds: ['ce1'] }, '2026-09-01'),
  ]

  it('shows a guardian only their documents, during their availability dates', () => {
    const viewer = { guardianId: 'marie', children: [{ childId: 'lea', groupIds: ['sc1', 'cpa'] }] }
    expect(documentsForGuardian(docs, viewer, '2026-09-30').map((d) => d.id)).toEqual(['menu-sept', 'marie-only', 'lea-sheet', 'cp-trip'])
    expect(documentsForGuardian(docs, viewer, '2026-10-01').map((d) => d.id)).toEqual(['menu-oct', 'marie-only', 'lea-sheet', 'cp-trip'])
  })

  it('counts documents against the storage licence', () => {
    expect(storageUsed(docs)).toBe(7000)
    expect(checkStorageQuota({ usedBytes: 999_999_000, addedBytes: 1000, maxStorageGb: 1 })).toEqual({ ok: true, remainingBytes: 0 })
    expect(checkStorageQuota({ usedBytes: 999_999_000, addedBytes: 1001, maxStorageGb: 1 })).toEqual({
      ok: false,
      refusal: { code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: 999_999_000, addedBytes: 1001, limitBytes: 1_000_000_000 },
    })
    expect(checkStorageQuota({ usedBytes: 5e12, addedBytes: 1, maxStorageGb: null })).toEqual({ ok: true, remainingBytes: null })
  })
})

describe('mail accounts (seed 002)', () => {
  const secretariat = MailAccountSchema.parse({ id: 'secr', siteId: 's1', kind: 'establishment', name: 'Secrétariat', address: 'secretariat@lycee.fr', senderName: 'Lycée "Jean Moulin"', authorisedUserIds: ['u1'] })
  const mine = MailAccountSchema.parse({ id: 'me', siteId: 's1', kind: 'personal', name: 'Anne Roy', address: 'anne.roy@ac-paris.fr', senderName: 'Anne Roy', ownerUserId: 'u2' })

  it('lets only authorised staff send from an establishment account', () => {
    expect(canSendFrom(secretariat, 'u1')).toBe(true)
    expect(canSendFrom(secretariat, 'u2')).toBe(false)
    if (secretariat.kind !== 'establishment') throw new Error('kind')
    const more = authoriseOnMailAccount(secretariat, ['u2', 'u1'])
    expect(more.authorisedUserIds).toEqual(['u1', 'u2'])
    expect(canSendFrom(revokeFromMailAccount(more, 'u1'), 'u1')).toBe(false)
  })

  it('lets only its owner send from a personal account', () => {
    expect(canSendFrom(mine, 'u2')).toBe(true)
    expect(canSendFrom(mine, 'u1')).toBe(false)
  })

  it('quotes the sender name', () => {
    expect(mailFrom(secretariat)).toBe('"Lycée \\"Jean Moulin\\"" <secretariat@lycee.fr>')
  })
})

describe('recipients of a group message', () => {
  function ok(r: DirectoryOutcome): DirectoryState {
    if (!r.ok) throw new Error(JSON.stringify(r.refusal))
    return r.state
  }
  let s: DirectoryState = {
    ...emptyDirectory('s1'),
    schools: { sc1: SchoolSchema.parse({ id: 'sc1', siteId: 's1', name: 'École' }) },
    classes: {
      cpa: SchoolClassSchema.parse({ id: 'cpa', siteId: 's1', schoolId: 'sc1', name: 'CP A' }),
      ce1: SchoolClassSchema.parse({ id: 'ce1', siteId: 's1', schoolId: 'sc1', name: 'CE1' }),
    },
    services: { meal: ServiceSchema.parse({ id: 'meal', siteId: 's1', name: 'Repas', billing: 'invoiced', billingOfficeId: 'bo' }) },
  }
  s = ok(createHousehold(s, {
    household: { id: 'h1', name: 'Famille Dupont', address: { line1: '3 rue des Lilas', postcode: '75011', city: 'Paris' } },
    guardian: { id: 'marie', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' },
    child: { newChild: { id: 'lea', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14' }, relationship: 'mother' },
    today: '2026-09-01',
  }))
  s = ok(addGuardian(s, 'h1', { id: 'paul', firstName: 'Paul', lastName: 'Dupont' }))
  s = ok(linkChildToGuardian(s, 'lea', 'paul', 'father'))
  s = ok(createHousehold(s, {
    household: { id: 'h2', name: 'Famille Roy' },
    guardian: { id: 'anne', firstName: 'Anne', lastName: 'Roy', email: 'anne@example.fr' },
    child: { newChild: { id: 'tom', firstName: 'Tom', lastName: 'Roy', birthDate: '2018-01-01' }, relationship: 'mother' },
    today: '2026-09-01',
  }))
  s = ok(enrol(s, { id: 'e1', beneficiaryId: 'lea', schoolId: 'sc1', classId: 'cpa', from: '2026-09-01' }, { maxPupils: null }))
  s = ok(enrol(s, { id: 'e2', beneficiaryId: 'tom', schoolId: 'sc1', classId: 'ce1', from: '2026-09-01' }, { maxPupils: null }))
  s = ok(subscribeToService(s, { id: 'r1', beneficiaryId: 'tom', serviceId: 'meal', from: '2026-09-01' }))

  it('writes to the guardians of the children of a class, listing those without e-mail', () => {
    expect(selectRecipients(s, { source: 'children', date: '2026-10-05', classIds: ['cpa'] })).toEqual({
      recipients: [{ guardianId: 'marie', email: 'marie@example.fr', childIds: ['lea'] }],
      withoutEmail: ['paul'],
    })
  })

  it('filters guardians by their children’s services', () => {
    expect(selectRecipients(s, { source: 'guardians', date: '2026-10-05', serviceIds: ['meal'] }).recipients.map((r) => r.guardianId)).toEqual(['anne'])
    expect(selectRecipients(s, { source: 'guardians', date: '2026-10-05' }).recipients.map((r) => r.guardianId)).toEqual(['anne', 'marie'])
  })

  it('writes only to the guardians named (the debtors of unpaid invoices), from either list', () => {
    expect(selectRecipients(s, { source: 'guardians', date: '2026-10-05', guardianIds: ['marie', 'paul'] })).toEqual({
      recipients: [{ guardianId: 'marie', email: 'marie@example.fr', childIds: [] }],
      withoutEmail: ['paul'],
    })
    expect(selectRecipients(s, { source: 'children', date: '2026-10-05', classIds: ['cpa'], guardianIds: ['paul'] })).toEqual({ recipients: [], withoutEmail: ['paul'] })
    expect(selectRecipients(s, { source: 'guardians', date: '2026-10-05', guardianIds: [] })).toEqual({ recipients: [], withoutEmail: [] })
  })

  it('provides the guardian, household and child variables', () => {
    expect(directoryValues(s, 'marie', 'lea', '2026-10-05')).toEqual({
      'guardian.firstName': 'Marie', 'guardian.lastName': 'Dupont', 'guardian.fullName': 'Marie Dupont', 'guardian.email': 'marie@example.fr',
      'household.name': 'Famille Dupont', 'household.address': '3 rue des Lilas, 75011 Paris',
      'child.firstName': 'Léa', 'child.lastName': 'Dupont', 'child.fullName': 'Léa Dupont', 'child.birthDate': '14 mai 2019', 'child.className': 'CP A',
    })
  })
})

import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { CONSENT_LANGUAGES, bookingConsentOf, consentOfVersionId, consentVersionId, defineConsent, reviseConsent, type ConsentRecordInput } from './consent-records'

const text = fc.option(fc.string({ maxLength: 50 }), { nil: undefined })
const day = fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10))
const id = fc.stringMatching(/^[a-z0-9-]{1,20}$/)
const input: fc.Arbitrary<ConsentRecordInput> = fc.record({
  id,
  siteId: fc.constant('s1'),
  label: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,30}$/),
  texts: fc.record({ fr: fc.stringMatching(/^[a-z][a-z .]{0,40}$/), en: text, it: text, nl: text }),
  validity: fc.tuple(day, fc.option(day, { nil: undefined })).map(([a, b]) => (b === undefined ? { from: a } : a <= b ? { from: a, to: b } : { from: b, to: a })),
  scope: fc.oneof(
    fc.constant({ kind: 'site' as const }),
    fc.record({ kind: fc.constant('groups' as const), groupIds: fc.array(id, { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('services' as const), serviceIds: fc.array(id, { minLength: 1, maxLength: 3 }) }),
  ),
  documentId: fc.option(id, { nil: undefined }),
  active: fc.boolean(),
  version: fc.integer({ min: 1, max: 50 }),
})

describe('stored consents (properties)', () => {
  test.prop([input])('a defined consent defined again is the same record (the stored form is a fixed point)', (i) => {
    const r = defineConsent(i)
    expect(defineConsent(r)).toEqual(r)
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  test.prop([id, fc.integer({ min: 1, max: 1_000_000 })])('a version id reads back to its consent and version', (c, v) => {
    expect(consentOfVersionId(consentVersionId(c, v))).toEqual({ consentId: c, version: v })
  })

  test.prop([input, input, fc.boolean()])('an edit keeps the version or moves it up by one, and only when a text or the document changed after an acceptance', (a, b, accepted) => {
    const before = defineConsent(a)
    const edited = { ...b, id: a.id }
    const { record, newVersion } = reviseConsent(before, edited, accepted)
    const changed = CONSENT_LANGUAGES.some((l) => before.texts[l] !== record.texts[l]) || before.documentId !== record.documentId
    expect(newVersion).toBe(changed && accepted)
    expect(record.version).toBe(before.version + (newVersion ? 1 : 0))
  })

  test.prop([input])('booking gates an active consent under its current version id, never an inactive one', (i) => {
    const r = defineConsent(i)
    const c = bookingConsentOf(r)
    if (!r.active) expect(c).toBeUndefined()
    else expect(c?.id).toBe(consentVersionId(r.id, r.version))
  })
})

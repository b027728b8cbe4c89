import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { bookingConsentOf, consentOfVersionId, consentText, consentVersionId, defineConsent, reviseConsent, type ConsentRecordInput } from './consent-records'

const rules: ConsentRecordInput = {
  id: 'rules',
  siteId: 's1',
  label: 'Règlement intérieur 2026-2027',
  texts: { fr: "  J'ai lu le règlement\r\net je l'accepte.  ", en: '', it: null },
  validity: { from: '2026-09-01', to: null },
  scope: { kind: 'services', serviceIds: ['cantine'] },
  documentId: ' ',
}

function issuePaths(f: () => unknown): string[] {
  try {
    f()
  } catch (error) {
    if (isEcoleError(error, 'INVALID_INPUT')) return error.details.issues.map((i) => i.path)
    throw error
  }
  throw new Error('no error')
}

describe('defineConsent', () => {
  it('stores a consent as version 1, active, with its texts trimmed, line breaks as \\n and empty languages left out', () => {
    const r = defineConsent(rules)
    expect(r).toEqual({
      id: 'rules', siteId: 's1', label: 'Règlement intérieur 2026-2027', texts: { fr: "J'ai lu le règlement\net je l'accepte." },
      validity: { from: '2026-09-01' }, scope: { kind: 'services', serviceIds: ['cantine'] }, active: true, version: 1,
    })
  })

  it('refuses a consent with no text in any language, naming texts.fr', () => {
    expect(issuePaths(() => defineConsent({ ...rules, texts: { fr: ' ', nl: '' } }))).toEqual(['consent.texts.fr'])
  })

  it('refuses a text longer than 4000 characters or with control characters, naming the language', () => {
    expect(issuePaths(() => defineConsent({ ...rules, texts: { fr: 'ok', it: 'x'.repeat(4001) } }))).toEqual(['consent.texts.it'])
    expect(issuePaths(() => defineConsent({ ...rules, texts: { nl: 'a\u0007b' } }))).toEqual(['consent.texts.nl'])
  })

  it('refuses a validity that ends before it starts, an empty label, an empty scope and an id with ~', () => {
    expect(issuePaths(() => defineConsent({ ...rules, validity: { from: '2026-09-01', to: '2026-08-31' } }))).toEqual(['consent.validity.to'])
    expect(issuePaths(() => defineConsent({ ...rules, label: '  ' }))).toEqual(['consent.label'])
    expect(issuePaths(() => defineConsent({ ...rules, scope: { kind: 'groups', groupIds: [] } }))).toEqual(['consent.scope.groupIds'])
    expect(issuePaths(() => defineConsent({ ...rules, id: 'a~v2' }))).toEqual(['consent.id'])
  })
})

describe('versions', () => {
  it('names version 1 by the consent id and later versions id~vN, and reads them back', () => {
    expect(consentVersionId('rules', 1)).toBe('rules')
    expect(consentVersionId('rules', 12)).toBe('rules~v12')
    expect(consentOfVersionId('rules~v12')).toEqual({ consentId: 'rules', version: 12 })
    expect(consentOfVersionId('rules')).toEqual({ consentId: 'rules', version: 1 })
    expect(() => consentVersionId('rules', 0)).toThrow(/version/)
  })

  it('makes a new version when the text of an accepted consent changes, and keeps it when nobody accepted it', () => {
    const v1 = defineConsent(rules)
    const edited = { ...rules, texts: { fr: 'Nouveau règlement.' } }
    expect(reviseConsent(v1, edited, true)).toMatchObject({ newVersion: true, record: { version: 2, texts: { fr: 'Nouveau règlement.' } } })
    expect(reviseConsent(v1, edited, false)).toMatchObject({ newVersion: false, record: { version: 1 } })
  })

  it('makes a new version when the linked document of an accepted consent changes', () => {
    expect(reviseConsent(defineConsent(rules), { ...rules, documentId: 'doc-2' }, true).record.version).toBe(2)
  })

  it('keeps the version when only the label, validity, scope or active flag change', () => {
    const v3 = defineConsent({ ...rules, version: 3 })
    const edited: ConsentRecordInput = { ...rules, label: 'Règlement', validity: { from: '2026-10-01' }, scope: { kind: 'site' }, active: false }
    expect(reviseConsent(v3, edited, true)).toMatchObject({ newVersion: false, record: { version: 3, label: 'Règlement', active: false } })
  })

  it('starts a new consent at version 1 whatever version the form sends, and refuses an edit of another consent', () => {
    expect(reviseConsent(undefined, { ...rules, version: 7 }, true).record.version).toBe(1)
    expect(issuePaths(() => reviseConsent(defineConsent(rules), { ...rules, id: 'other' }, false))).toEqual(['consent.id'])
  })
})

describe('reading a stored consent', () => {
  it('gives booking the consent of the current version, and nothing for an inactive consent', () => {
    const r = defineConsent({ ...rules, version: 2, documentId: 'doc-1' })
    expect(bookingConsentOf(r)).toEqual({ id: 'rules~v2', siteId: 's1', label: r.label, validity: { from: '2026-09-01' }, scope: r.scope, documentId: 'doc-1' })
    expect(bookingConsentOf({ ...r, active: false })).toBeUndefined()
  })

  it('refuses a stored record changed behind the library, naming the field', () => {
    expect(issuePaths(() => bookingConsentOf({ ...defineConsent(rules), label: '' }))).toEqual(['consent.label'])
  })

  it('gives the text in the language asked, else French, else the first language written', () => {
    const r = defineConsent({ ...rules, texts: { fr: 'Texte', it: 'Testo' } })
    expect(consentText(r, 'it')).toBe('Testo')
    expect(consentText(r, 'nl')).toBe('Texte')
    expect(consentText(defineConsent({ ...rules, texts: { nl: 'Tekst' } }), 'en')).toBe('Tekst')
  })
})

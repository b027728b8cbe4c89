/**
 * Stored consents (seed 001, Administration > consents): the consents that gate booking from the
 * portal, as directory records (kind `consent`) a back office creates, edits and deletes. Each
 * holds a label, its text per language (plain text), a validity, a scope (the whole site, some
 * groups, some services), an optional linked document, whether it is active, and a version.
 *
 * Versions: a guardian accepts one version of a consent. Changing the text or the linked document
 * of a consent that guardians already accepted makes a new version ({@link reviseConsent}) that
 * every guardian must accept again; the earlier acceptances stay stored under the earlier
 * version's id ({@link consentVersionId}), as its history. Changing only the label, the validity,
 * the scope or the active flag keeps the version and its acceptances.
 */
import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { LocalDateSchema, type LocalDate } from '../time'
import { ConsentScopeSchema, ConsentSchema, type Consent, type ConsentScope } from './consent'

/** The languages a consent's text is written in. */
export const CONSENT_LANGUAGES = ['fr', 'en', 'it', 'nl'] as const
/** A language of a consent's text. */
export type ConsentLanguage = (typeof CONSENT_LANGUAGES)[number]
/** The longest text of a consent in one language (characters). */
export const CONSENT_TEXT_MAX = 4000
/** The longest id of a stored consent (the version suffix must still fit a record id). */
export const CONSENT_ID_MAX = 90

const ConsentIdSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(CONSENT_ID_MAX, `must be at most ${CONSENT_ID_MAX} characters`)
  .refine((v) => !v.includes('~'), 'must not contain ~ (it separates the version)')
const SiteIdSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')

// plain text: line breaks and tabs are kept, other control characters refused
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
const ConsentTextSchema = z
  .string()
  .nullish()
  .transform((v) => (v == null ? undefined : v.replace(/\r\n?/g, '\n').trim() || undefined))
  .pipe(
    z
      .string()
      .max(CONSENT_TEXT_MAX, `must be at most ${CONSENT_TEXT_MAX} characters`)
      .refine((v) => !CONTROL.test(v), 'must be plain text (no control characters)')
      .optional(),
  )

const ConsentRecordSchema = z
  .strictObject({
    id: ConsentIdSchema,
    siteId: SiteIdSchema,
    label: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
    texts: z.strictObject({ fr: ConsentTextSchema, en: ConsentTextSchema, it: ConsentTextSchema, nl: ConsentTextSchema }),
    validity: z
      .strictObject({ from: LocalDateSchema, to: LocalDateSchema.nullish().transform((v) => v ?? undefined) })
      .refine((v) => v.to === undefined || v.from <= v.to, { message: 'must be on or after from', path: ['to'] }),
    scope: ConsentScopeSchema,
    documentId: z
      .string()
      .nullish()
      .transform((v) => (v == null || v.trim() === '' ? undefined : v.trim()))
      .pipe(z.string().max(100, 'must be at most 100 characters').optional()),
    active: z.boolean().default(true),
    version: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000, 'must be at most 1000000').default(1),
  })
  .superRefine((r, ctx) => {
    if (CONSENT_LANGUAGES.every((l) => r.texts[l] === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['texts', 'fr'], message: 'at least one language needs the text guardians accept' }) // the form shows it under French
    }
  })

/**
 * A consent as a directory record (kind `consent`): what the back office edits and the portal
 * shows. Built by {@link defineConsent}; {@link bookingConsentOf} gives the `Consent` that gates booking.
 */
export interface ConsentRecord {
  /** The consent's id (at most {@link CONSENT_ID_MAX} characters, no `~`). */
  id: string
  /** The site. */
  siteId: string
  /** The label shown to families and staff (at most 200 characters). */
  label: string
  /** The text guardians accept, per language (plain text, at most {@link CONSENT_TEXT_MAX} characters each; at least one). */
  texts: Partial<Record<ConsentLanguage, string>>
  /** The days it gates bookings (open-ended when `to` is absent). */
  validity: { from: LocalDate; to?: LocalDate }
  /** Who it concerns: the site, some groups (class or school ids), some services. */
  scope: ConsentScope
  /** A stored portal document to read before accepting. */
  documentId?: string
  /** Whether it gates bookings (an inactive consent is kept with its acceptances, and asks nothing). */
  active: boolean
  /** The version guardians accept (1 first; see {@link reviseConsent}). */
  version: number
}

/** What {@link defineConsent} takes: a consent as its form sends it (texts empty or absent are left out). */
export interface ConsentRecordInput {
  /** The consent's id. */
  id: string
  /** The site. */
  siteId: string
  /** The label. */
  label: string
  /** The text per language; at least one. */
  texts: Partial<Record<ConsentLanguage, string | null | undefined>>
  /** Validity: `from` a day, `to` a day or open-ended. */
  validity: { from: string; to?: string | null | undefined }
  /** The scope. */
  scope: { kind: 'site' } | { kind: 'groups'; groupIds: string[] } | { kind: 'services'; serviceIds: string[] }
  /** A stored document's id, or empty for none. */
  documentId?: string | null | undefined
  /** Active (default true). */
  active?: boolean | undefined
  /** The version (default 1; {@link reviseConsent} decides it on an edit). */
  version?: number | undefined
}

/**
 * Checks a consent and returns the record to store (texts trimmed, line breaks as `\n`, empty
 * languages left out).
 *
 * @example
 * const rules = defineConsent({ id: 'rules', siteId: 's1', label: 'Règlement intérieur', texts: { fr: "J'accepte le règlement." },
 *   validity: { from: '2026-09-01' }, scope: { kind: 'services', serviceIds: ['cantine'] } })
 * rules.version //=> 1
 * rules.active //=> true
 * @throws EcoleError `INVALID_INPUT` naming the field (`consent.label`, `consent.texts.fr`, `consent.validity.to`...).
 */
export function defineConsent(input: ConsentRecordInput): ConsentRecord {
  const r = parseInput(ConsentRecordSchema, input, 'consent')
  const texts: Partial<Record<ConsentLanguage, string>> = {}
  for (const l of CONSENT_LANGUAGES) if (r.texts[l] !== undefined) texts[l] = r.texts[l]
  return {
    id: r.id,
    siteId: r.siteId,
    label: r.label,
    texts,
    validity: { from: r.validity.from, ...(r.validity.to !== undefined ? { to: r.validity.to } : {}) },
    scope: r.scope,
    ...(r.documentId !== undefined ? { documentId: r.documentId } : {}),
    active: r.active,
    version: r.version,
  }
}

/**
 * The id under which guardians accept one version of a consent (the id acceptances are stored
 * with, and the `Consent` id booking checks): the consent's id for version 1, `<id>~v<n>` after.
 *
 * @example
 * consentVersionId('rules', 1) //=> 'rules'
 * consentVersionId('rules', 2) //=> 'rules~v2'
 * @throws EcoleError `INVALID_INPUT` naming `consentId` or `version`.
 */
export function consentVersionId(consentId: string, version: number): string {
  const id = parseInput(ConsentIdSchema, consentId, 'consentId')
  const v = parseInput(z.number().int('must be a whole number').min(1, 'must be at least 1'), version, 'version')
  return v === 1 ? id : `${id}~v${v}`
}

/**
 * The consent and version an acceptance id names (the inverse of {@link consentVersionId}).
 *
 * @example
 * consentOfVersionId('rules~v2') //=> { consentId: 'rules', version: 2 }
 * consentOfVersionId('rules') //=> { consentId: 'rules', version: 1 }
 * @throws EcoleError `INVALID_INPUT` naming `versionId`.
 */
export function consentOfVersionId(versionId: string): { consentId: string; version: number } {
  const text = parseInput(z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'), versionId, 'versionId')
  const m = /^(.*)~v([1-9][0-9]{0,6})$/.exec(text)
  if (m === null) return { consentId: text, version: 1 }
  return { consentId: m[1]!, version: Number(m[2]) }
}

/**
 * The `Consent` that gates booking for a stored record (its id the current version's id, see
 * {@link consentVersionId}), or `undefined` when the record is not active. The record is checked
 * again (a record changed behind the library's back is refused).
 *
 * @example
 * bookingConsentOf(rules)!.id //=> 'rules'
 * bookingConsentOf({ ...rules, version: 3 })!.id //=> 'rules~v3'
 * bookingConsentOf({ ...rules, active: false }) //=> undefined
 * @throws EcoleError `INVALID_INPUT` naming the field when the record is not valid.
 */
export function bookingConsentOf(record: ConsentRecord): Consent | undefined {
  const r = defineConsent(record as unknown as ConsentRecordInput)
  if (!r.active) return undefined
  return parseInput(
    ConsentSchema,
    { id: consentVersionId(r.id, r.version), siteId: r.siteId, label: r.label, validity: r.validity, scope: r.scope, documentId: r.documentId },
    'consent',
  )
}

/**
 * A consent's text in a language, falling back to French, then English, Italian, Dutch (the first
 * language it is written in).
 *
 * @example
 * consentText({ ...rules, texts: { fr: "J'accepte." } }, 'nl') //=> "J'accepte."
 * @throws EcoleError `INVALID_INPUT` naming the field when the record or the language is not valid.
 */
export function consentText(record: ConsentRecord, lang: ConsentLanguage): string {
  const r = defineConsent(record as unknown as ConsentRecordInput)
  const l = parseInput(z.enum(CONSENT_LANGUAGES), lang, 'lang')
  for (const k of [l, ...CONSENT_LANGUAGES]) {
    const text = r.texts[k]
    if (text !== undefined) return text
  }
  throw new EcoleError('INVALID_INPUT', 'consent.texts: a consent has a text in at least one language')
}

/**
 * Decides the record an edit stores: the edited consent, keeping the current version, or the next
 * version when its text (in any language) or its linked document changed and guardians already
 * accepted the current version (they must accept the new one; their earlier acceptances stay
 * stored under the earlier version's id). A new consent (`before` undefined) is version 1.
 *
 * @example
 * reviseConsent(rules, { ...rules, texts: { fr: 'Nouveau règlement.' } }, true).newVersion //=> true
 * reviseConsent(rules, { ...rules, label: 'Règlement 2026' }, true).record.version //=> 1
 * @throws EcoleError `INVALID_INPUT` naming the field of the edited consent; `INVALID_INPUT` naming
 * `consent.id` when the edit is of another consent.
 */
export function reviseConsent(
  before: ConsentRecord | undefined,
  edited: ConsentRecordInput,
  acceptedCurrentVersion: boolean,
): { record: ConsentRecord; newVersion: boolean } {
  const accepted = parseInput(z.boolean(), acceptedCurrentVersion, 'acceptedCurrentVersion')
  const prior = before === undefined ? undefined : defineConsent(before as unknown as ConsentRecordInput)
  const parsed = defineConsent(edited)
  if (prior === undefined) return { record: { ...parsed, version: 1 }, newVersion: false }
  if (prior.id !== parsed.id || prior.siteId !== parsed.siteId) throw EcoleError.invalidInput('consent.id', `must be the edited consent's id (${prior.id})`)
  const changed = CONSENT_LANGUAGES.some((l) => prior.texts[l] !== parsed.texts[l]) || prior.documentId !== parsed.documentId
  if (changed && accepted) return { record: { ...parsed, version: prior.version + 1 }, newVersion: true }
  return { record: { ...parsed, version: prior.version }, newVersion: false }
}

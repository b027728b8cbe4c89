import * as z from 'zod'
import { COUNTRY_TIME_ZONES, TimeZoneSchema } from '../time'
import { asInputError } from '../input-error'
import { CountryCodeSchema, EmailSchema, PhoneSchema, RecordIdSchema, optionalLimit, optionalString, optionalText, requiredString } from './fields'
import { ImageRefSchema } from './image'

/**
 * Schema of a secret stored encrypted (AES-256-GCM): what a store keeps instead of a password.
 * The key is the host's, named by `keyId`; core never sees it (encryption is in `@ecole/workflows`).
 *
 * @example
 * SealedSecretSchema.parse({ algorithm: 'aes-256-gcm', keyId: 'k1', iv: 'AAAA', tag: 'BBBB', ciphertext: 'CCCC' })
 */
export const SealedSecretSchema = z.strictObject({
  /** Always AES-256-GCM. */
  algorithm: z.literal('aes-256-gcm'),
  /** Which host key sealed it (key rotation). */
  keyId: requiredString(100),
  /** 96-bit nonce, base64. */
  iv: z.string().min(1),
  /** 128-bit authentication tag, base64. */
  tag: z.string().min(1),
  /** The encrypted bytes, base64. */
  ciphertext: z.string().min(1),
})
/** A secret sealed with AES-256-GCM under a host key. */
export type SealedSecret = z.output<typeof SealedSecretSchema>

/** SMTP transport security: implicit TLS (`ssl`, usually port 465), STARTTLS (587), or none. */
export const SMTP_SECURITY = ['ssl', 'starttls', 'none'] as const
/** SMTP transport security. */
export type SmtpSecurity = (typeof SMTP_SECURITY)[number]

const PortSchema = z
  .union([z.number(), z.string().trim().regex(/^\d+$/, 'must be a port number').transform(Number)])
  .pipe(z.number().int('must be a whole number').min(1, 'must be 1 to 65535').max(65535, 'must be 1 to 65535'))

const smtpShape = {
  /** SMTP server host name. */
  host: requiredString(253).regex(/^[A-Za-z0-9.-]+$/, 'must be a host name such as smtp.example.fr'),
  /** SMTP port (465 for ssl, 587 for starttls). */
  port: PortSchema,
  /** Account user name at the mail provider. */
  username: requiredString(320),
  /** Transport security. */
  security: z.enum(SMTP_SECURITY),
  /** Sender address of the site's service e-mails (defaults to the user name when it is an address). */
  fromAddress: optionalText(EmailSchema),
  /** Sender name shown to families (the site's name when absent). */
  fromName: optionalString(200),
}

/**
 * Schema of the SMTP settings a site's form sends (seed 000): server, port, user, password,
 * SSL/TLS. The password is in clear here only; it is sealed before storage and never read back.
 *
 * @example
 * SmtpSettingsInputSchema.parse({ host: 'smtp.example.it', port: '465', username: 'scuola@example.it', password: 's3cret', security: 'ssl' })
 */
export const SmtpSettingsInputSchema = z.strictObject({
  ...smtpShape,
  /** The account password, in clear (only in this input). */
  password: z.string().min(1, 'is required'),
})
/** SMTP settings as the form sends them. */
export type SmtpSettingsInput = z.input<typeof SmtpSettingsInputSchema>
/** SMTP settings, validated, password in clear: only ever passed to the mailer and the sealer. */
export type SmtpSettings = z.output<typeof SmtpSettingsInputSchema>

/**
 * Schema of SMTP settings as stored: the password sealed ({@link SealedSecret}).
 *
 * @example
 * StoredSmtpSettingsSchema.shape.password //=> SealedSecretSchema
 */
export const StoredSmtpSettingsSchema = z.strictObject({ ...smtpShape, password: SealedSecretSchema })
/** SMTP settings as stored. */
export type StoredSmtpSettings = z.output<typeof StoredSmtpSettingsSchema>

/** SMTP settings as a read returns them: no password, only whether one is set. */
export type SmtpSettingsView = Omit<StoredSmtpSettings, 'password'> & { passwordSet: true }

/**
 * Where a site's portal texts appear.
 *
 * @example
 * PORTAL_TEXT_KEYS.includes('contact') //=> true
 */
export const PORTAL_TEXT_KEYS = ['login', 'home', 'contact', 'bookings'] as const
/** Where a site's portal text appears. */
export type PortalTextKey = (typeof PORTAL_TEXT_KEYS)[number]
/**
 * The languages a portal text may be written in.
 *
 * @example
 * PORTAL_LANGUAGES //=> ['fr', 'en', 'it', 'nl']
 */
export const PORTAL_LANGUAGES = ['fr', 'en', 'it', 'nl'] as const
/** A language of portal texts. */
export type PortalLanguage = (typeof PORTAL_LANGUAGES)[number]

const siteShape = {
  /** The site id (every record of the site carries it; every storage key starts with it). */
  id: RecordIdSchema,
  /** Site name (required). */
  name: requiredString(200),
  /** Logo shown inside the site (see `IMAGE_LIMITS.siteLogo`). */
  logo: ImageRefSchema.nullish().transform((v) => v ?? null),
  /** Country (required), ISO 3166-1 alpha-2: sets the default time zone. */
  country: CountryCodeSchema,
  /** IANA time zone of every record of the site; derived from the country when absent. */
  timeZone: optionalText(TimeZoneSchema),
  /** Contact data visible to families. */
  contact: z
    .strictObject({
      address: optionalString(200),
      city: optionalString(100),
      province: optionalString(100),
      postcode: optionalString(20),
      phone: optionalText(PhoneSchema),
      fax: optionalText(PhoneSchema),
      email: optionalText(EmailSchema),
      /** Italian certified e-mail (posta elettronica certificata). */
      pec: optionalText(EmailSchema),
    })
    .default({}),
  /** VAT number the site receives supplier e-invoices under. */
  vatNumber: optionalString(30),
  /** Options (seed 000's advanced options). */
  options: z
    .strictObject({
      /** Show supplier e-invoices received under the site's VAT number (off: sites sharing a VAT number keep them apart). */
      supplierEInvoices: z.boolean().default(false),
      /** Let families record attendance from a browser wherever they are (off is recommended). */
      browserAttendance: z.boolean().default(false),
    })
    .default({ supplierEInvoices: false, browserAttendance: false }),
  /** Licence limits; `null` = unlimited. */
  licence: z
    .strictObject({
      /** Maximum pupils (children with a current enrolment); enrolling beyond is refused with LICENCE_LIMIT. */
      maxPupils: optionalLimit(),
      /** Maximum document storage, in GB (10^9 bytes; decimals allowed, e.g. 0.5). */
      maxStorageGb: optionalLimit({ whole: false }),
    })
    .default({ maxPupils: null, maxStorageGb: null }),
  /** The site's website. */
  website: optionalText(z.url({ protocol: /^https?$/, error: 'must be a web address starting with http:// or https://' })),
  /**
   * Texts the site shows on its families' portal (seed 001): on the login page, the home page, in
   * the contact box and on the bookings page; each per language (`fr`, `en`, `it`, `nl`), at most
   * 2,000 characters of plain text. See {@link portalText}.
   */
  portalTexts: z
    .partialRecord(z.enum(PORTAL_TEXT_KEYS), z.partialRecord(z.enum(PORTAL_LANGUAGES), z.string().trim().max(2000, 'must be at most 2,000 characters')))
    .default({}),
}

/**
 * A site's portal text in a language: that language's, else the first language written in the
 * order `fallbacks` gives (default: French, English, Italian, Dutch), else `undefined`.
 *
 * @example
 * portalText({ portalTexts: { home: { fr: 'Bienvenue', en: 'Welcome' } } }, 'home', 'it') //=> 'Bienvenue'
 * portalText({ portalTexts: { home: { fr: 'Bienvenue', en: 'Welcome' } } }, 'home', 'en') //=> 'Welcome'
 */
export function portalText(
  site: { portalTexts?: Partial<Record<PortalTextKey, Partial<Record<PortalLanguage, string>>>> | undefined },
  key: PortalTextKey,
  lang: PortalLanguage,
  fallbacks: readonly PortalLanguage[] = PORTAL_LANGUAGES,
): string | undefined {
  const texts = site?.portalTexts?.[key]
  if (texts === undefined || texts === null || typeof texts !== 'object') return undefined
  for (const l of [lang, ...(Array.isArray(fallbacks) ? fallbacks : PORTAL_LANGUAGES)]) {
    const text = (texts as Record<string, unknown>)[l]
    if (typeof text === 'string' && text.length > 0) return text
  }
  return undefined
}

/**
 * Schema of a site (Italian "plesso", a tenant) as its form sends it, with every field of seed
 * 000: logo, required name, required country (the time zone defaults to the country's, see
 * `timeZoneForCountry`, and may be overridden), contacts including PEC, the supplier e-invoice and
 * browser-attendance options (both off by default), licence limits (empty = unlimited) and
 * website. SMTP settings are not part of this form: they are saved by `saveSmtpSettings` after a
 * check.
 *
 * @example
 * SiteSchema.parse({ id: 's1', name: 'Plesso Garibaldi', country: 'it' }).timeZone //=> 'Europe/Rome'
 */
export const SiteSchema = z
  .strictObject(siteShape)
  .superRefine((s, ctx) => {
    if (s.timeZone === undefined && COUNTRY_TIME_ZONES[s.country] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['timeZone'], message: `is required: no default time zone for country ${s.country}` })
    }
  })
  .transform((s) => ({ ...s, timeZone: s.timeZone ?? (COUNTRY_TIME_ZONES[s.country] as string) }))
/** A site as its form sends it. */
export type SiteInput = z.input<typeof SiteSchema>
/** A site's settings, validated, time zone resolved. */
export type SiteSettings = z.output<typeof SiteSchema>

/** A site as stored: its settings and, optionally, sealed SMTP settings. */
export type Site = SiteSettings & {
  /** The site's own SMTP account (instead of the platform's no-reply sender), sealed; `null` when none. */
  smtp: StoredSmtpSettings | null
}

/**
 * A site as `DirectoryStore.putSite` takes it: its settings and, optionally, its sealed SMTP
 * settings. Left out (`undefined`), the SMTP settings stored are kept as they are, read under the
 * store's own lock of the site: a site form saved at the moment an SMTP account is saved never
 * puts back the SMTP settings it read before.
 *
 * @example
 * const settingsOnly: SiteToStore = SiteSchema.parse({ id: 's1', name: 'Plesso Garibaldi', country: 'IT' })
 */
export type SiteToStore = SiteSettings & { smtp?: StoredSmtpSettings | null | undefined }

/** A site as a read returns it: SMTP password never included. */
export type SiteView = SiteSettings & { smtp: SmtpSettingsView | null }

/**
 * The site without its secrets: what every read returns. The sealed SMTP password is replaced by
 * `passwordSet: true`.
 *
 * @example
 * siteView(site).smtp //=> { host: 'smtp.example.it', port: 465, ..., passwordSet: true }
 */
export function siteView(site: Site): SiteView {
  try {
    if (!site.smtp) return { ...site, smtp: null }
    const { password: _sealed, ...rest } = site.smtp
    return { ...site, smtp: { ...rest, passwordSet: true } }
  } catch (error) {
    throw asInputError(error, 'siteView', { site: [site, 'object', 'a stored site'] })
  }
}

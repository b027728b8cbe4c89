import {
  EcoleError, SiteSchema, SmtpSettingsInputSchema, checkOptions, parseInput, type OptionKinds, siteView, type Site, type SiteInput, type SiteView, type SmtpSettings,
  type SmtpSettingsInput, type SmtpSettingsView, type StoredSmtpSettings,
} from '@ecole/core'
import type { DirectoryStore, Mailer, MailerCheckStage } from '@ecole/core/ports'
import type { SecretBox } from './secret-box'
import { asUseCaseError } from '../use-case-error'

/** The ports the site workflows use. */
export interface SitePorts {
  /** Directory storage (the site record). */
  directory: DirectoryStore
  /** The mailer that checks SMTP settings. */
  mailer: Mailer
  /** Seals and opens secrets with the host's key. */
  secrets: SecretBox
}

/** What {@link saveSmtpSettings} answers: saved (shown without the password), or why not. */
/**
 * A site's SMTP account to check and save.
 *
 * @example
 * const args: SaveSmtpSettingsArgs = { siteId: 's1', input: { host: 'smtp.example.fr', port: 587, security: 'starttls', username: 'ecole', password: 's3cret', fromAddress: 'ecole@example.fr', fromName: 'École' }, testMessageTo: 'admin@example.fr' }
 */
export interface SaveSmtpSettingsArgs {
  /** The site. */
  siteId: string
  /** The account, as the form sends it (checked with `SmtpSettingsInputSchema`). */
  input: SmtpSettingsInput
  /** Also send a test message to this address (only the connection and sign-in are checked when absent). */
  testMessageTo?: string | undefined
}

const SAVE_SMTP_KINDS: OptionKinds<SaveSmtpSettingsArgs> = { siteId: 'any', input: 'any', testMessageTo: 'string?' }

export type SaveSmtpResult = { ok: true; smtp: SmtpSettingsView } | { ok: false; stage: MailerCheckStage; reason: string; code?: number | undefined }

async function requireSite(directory: DirectoryStore, siteId: string): Promise<Site> {
  const site = await directory.getSite(siteId)
  if (!site) throw new EcoleError('NOT_FOUND', `site ${JSON.stringify(siteId)} does not exist`, { details: { siteId } })
  return site
}

/**
 * Saves a site's own SMTP account (seed 000): the settings are first tried through the mailer
 * (connect, authenticate, and, when `testMessageTo` is given, send a test message). If the try
 * fails nothing is saved and the answer says at which stage and why; if it succeeds the password
 * is sealed (AES-256-GCM with the host's key) and the settings stored. The answer never contains
 * the password.
 *
 * @example
 * const r = await saveSmtpSettings(ports, { siteId: 's1', input: { host: 'smtp.example.it', port: 465, username: 'scuola@example.it', password: 's3cret', security: 'ssl' } })
 * if (!r.ok) console.log(`${r.stage}: ${r.reason}`) //=> 'authenticate: 535 5.7.8 authentication failed'
 * @throws EcoleError `INVALID_INPUT` naming the field, `NOT_FOUND` for an unknown site.
 */
export async function saveSmtpSettings(
  ports: SitePorts,
  args: SaveSmtpSettingsArgs,
): Promise<SaveSmtpResult> {
  try {
    checkOptions<SaveSmtpSettingsArgs>('saveSmtpSettings', 'args', args, SAVE_SMTP_KINDS)
    const settings = parseInput(SmtpSettingsInputSchema, args.input, 'smtp')
    const site = await requireSite(ports.directory, args.siteId)
    const testMessage = args.testMessageTo
      ? { to: args.testMessageTo, subject: `${site.name}: SMTP test`, text: `This test message confirms that ${site.name} can send e-mail through ${settings.host}.` }
      : undefined
    const check = await ports.mailer.verify(args.siteId, settings, { testMessage })
    if (!check.ok) return check.code === undefined ? { ok: false, stage: check.stage, reason: check.reason } : { ok: false, stage: check.stage, reason: check.reason, code: check.code }
    const { password, ...rest } = settings
    const stored: StoredSmtpSettings = { ...rest, password: ports.secrets.seal(password) }
    await ports.directory.putSmtpSettings(args.siteId, stored)
    return { ok: true, smtp: { ...rest, passwordSet: true } }
  } catch (error) {
    throw asUseCaseError(error, 'saveSmtpSettings', { ports: [ports, 'object', 'the site’s ports ({ directory, mailer, secrets })'], args: [args, 'object', 'the settings ({ siteId, input })'] })
  }
}

/**
 * Removes a site's SMTP account: mail goes out through the platform's sender again.
 *
 * @example
 * await removeSmtpSettings(ports, 's1')
 * @throws EcoleError `NOT_FOUND` for an unknown site; `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function removeSmtpSettings(ports: Pick<SitePorts, 'directory'>, siteId: string): Promise<void> {
  try {
    await requireSite(ports.directory, siteId)
    await ports.directory.putSmtpSettings(siteId, null)
  } catch (error) {
    throw asUseCaseError(error, 'removeSmtpSettings', { ports: [ports, 'object', 'the site’s ports ({ directory })'], siteId: [siteId, 'string'] })
  }
}

/**
 * A site as a read returns it: settings, and SMTP settings without the password.
 *
 * @example
 * (await readSite(ports, 's1')).smtp?.passwordSet //=> true
 * @throws EcoleError `NOT_FOUND` for an unknown site; `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function readSite(ports: Pick<SitePorts, 'directory'>, siteId: string): Promise<SiteView> {
  try {
    return siteView(await requireSite(ports.directory, siteId))
  } catch (error) {
    throw asUseCaseError(error, 'readSite', { ports: [ports, 'object', 'the site’s ports ({ directory })'], siteId: [siteId, 'string'] })
  }
}

/**
 * Creates or updates a site's settings from its form (`SiteSchema`: required name and country,
 * time zone from the country unless given...). SMTP settings are kept as they are: they change
 * only through {@link saveSmtpSettings}.
 *
 * @example
 * await saveSiteSettings(ports, 's1', { name: 'Plesso Garibaldi', country: 'IT', licence: { maxPupils: '300' } })
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export async function saveSiteSettings(ports: Pick<SitePorts, 'directory'>, siteId: string, input: Omit<SiteInput, 'id'>): Promise<SiteView> {
  try {
    const settings = parseInput(SiteSchema, { ...input, id: siteId }, 'site')
    // no smtp: the store keeps the stored SMTP settings under its own lock of the site, so an SMTP
    // account saved meanwhile is never replaced by what this save would have read before it
    await ports.directory.putSite(siteId, settings)
    return siteView(await requireSite(ports.directory, siteId))
  } catch (error) {
    throw asUseCaseError(error, 'saveSiteSettings', { ports: [ports, 'object', 'the site’s ports ({ directory })'], siteId: [siteId, 'string'], input: [input, 'object', 'the site’s settings'] })
  }
}

/**
 * The site's SMTP settings with the password opened, to hand to the mailer when sending; never
 * show or log them. `undefined` when the site uses the platform's sender.
 *
 * @example
 * await mailer.send('s1', message, await smtpSettingsForSending(ports, 's1'))
 * @throws EcoleError `NOT_FOUND`, `UNKNOWN_KEY`, `SECRET_UNREADABLE`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function smtpSettingsForSending(ports: Pick<SitePorts, 'directory' | 'secrets'>, siteId: string): Promise<SmtpSettings | undefined> {
  try {
    const site = await requireSite(ports.directory, siteId)
    if (!site.smtp) return undefined
    const { password, ...rest } = site.smtp
    return { ...rest, password: ports.secrets.open(password) }
  } catch (error) {
    throw asUseCaseError(error, 'smtpSettingsForSending', { ports: [ports, 'object', 'the site’s ports ({ directory, secrets })'], siteId: [siteId, 'string'] })
  }
}

import { format } from 'date-fns'
import { enGB, fr, it, nl } from 'date-fns/locale'
import { EcoleError } from '../errors'
import { asLocalDate, type LocalDate } from '../time'
import { utcDay } from '../time/utc-day'

/**
 * The languages of mail texts (the project's four).
 *
 * @example
 * const locale: MailLocale = 'nl'
 */
export type MailLocale = 'fr' | 'en' | 'it' | 'nl'

/**
 * The locales of {@link mailerCheckText} and {@link formatMailDate}.
 *
 * @example
 * MAIL_LOCALES.map((l) => formatMailDate('2027-01-04', l))
 */
export const MAIL_LOCALES = ['fr', 'en', 'it', 'nl'] as const satisfies readonly MailLocale[]

/**
 * The step of a check of SMTP settings (or of a send) that failed; the mailer port's
 * `MailerCheckStage` is this type.
 *
 * @example
 * const stage: MailCheckStage = 'tls'
 */
export type MailCheckStage = 'dns' | 'connect' | 'tls' | 'authenticate' | 'sender' | 'recipient' | 'send'

/**
 * What a check of SMTP settings found (the mailer port's `MailerCheck` is this type).
 *
 * @example
 * const check: MailCheckOutcome = { ok: false, stage: 'authenticate', code: 535, reason: '535 5.7.8 authentication failed' }
 */
export type MailCheckOutcome =
  | { ok: true; testMessageId?: string | undefined }
  | { ok: false; stage: MailCheckStage; reason: string; code?: number | undefined }

const DATE_LOCALES = { fr, en: enGB, it, nl } as const

/**
 * A day as people read it in a mail, with date-fns and the locale's own words: weekday, day,
 * month, year; without the weekday when `options.weekday` is `false` (a birth date). The same on
 * any host time zone (a `LocalDate` is a day, not an instant).
 *
 * @example
 * formatMailDate('2027-01-04', 'fr') //=> 'lundi 4 janvier 2027'
 * formatMailDate('2027-01-04', 'nl') //=> 'maandag 4 januari 2027'
 * formatMailDate('2020-07-01', 'it', { weekday: false }) //=> '1 luglio 2020'
 */
export function formatMailDate(date: LocalDate, locale: MailLocale, options?: { weekday?: boolean | undefined }): string {
  assertLocale(locale)
  const [y, m, d] = asLocalDate(date).split('-').map(Number) as [number, number, number]
  // a Date whose fields are UTC's: the host's zone (even one that skipped that day) plays no part
  return format(utcDay(y, m, d), options?.weekday === false ? 'd MMMM yyyy' : 'EEEE d MMMM yyyy', { locale: DATE_LOCALES[locale] })
}

const AND: Record<MailLocale, string> = { fr: 'et', en: 'and', it: 'e', nl: 'en' }

/**
 * A list as people write it in a sentence of a mail: commas, and the locale's "and" before the
 * last item ("Léa, Noé et Sami"; "Léa and Noé" — no comma before "and", as British English writes it).
 *
 * @example
 * formatMailList(['Léa', 'Noé'], 'fr') //=> 'Léa et Noé'
 * formatMailList(['Léa', 'Noé', 'Sami'], 'nl') //=> 'Léa, Noé en Sami'
 * formatMailList(['Léa'], 'en') //=> 'Léa'
 */
export function formatMailList(items: readonly string[], locale: MailLocale): string {
  assertLocale(locale)
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} ${AND[locale]} ${items[items.length - 1]}`
}

const STAGES: Record<MailCheckStage, Record<MailLocale, string>> = {
  dns: {
    fr: "Le nom du serveur SMTP est introuvable (DNS) : vérifiez l'adresse du serveur.",
    en: 'The SMTP server name does not resolve (DNS): check the server address.',
    it: "Il nome del server SMTP non esiste (DNS): controllate l'indirizzo del server.",
    nl: 'De naam van de SMTP-server bestaat niet (DNS): controleer het serveradres.',
  },
  connect: {
    fr: 'Impossible de joindre le serveur SMTP : vérifiez le serveur et le port.',
    en: 'The SMTP server could not be reached: check the server and the port.',
    it: 'Impossibile raggiungere il server SMTP: controllate server e porta.',
    nl: 'De SMTP-server is niet bereikbaar: controleer de server en de poort.',
  },
  tls: {
    fr: 'La connexion sécurisée (SSL/TLS) a échoué : vérifiez le type de sécurité et le port (465 pour SSL, 587 pour STARTTLS).',
    en: 'The secure connection (SSL/TLS) failed: check the security type and the port (465 for SSL, 587 for STARTTLS).',
    it: 'La connessione sicura (SSL/TLS) non è riuscita: controllate il tipo di sicurezza e la porta (465 per SSL, 587 per STARTTLS).',
    nl: 'De beveiligde verbinding (SSL/TLS) is mislukt: controleer het beveiligingstype en de poort (465 voor SSL, 587 voor STARTTLS).',
  },
  authenticate: {
    fr: "Le serveur a refusé l'identifiant ou le mot de passe.",
    en: 'The server refused the user name or the password.',
    it: 'Il server ha rifiutato il nome utente o la password.',
    nl: 'De server heeft de gebruikersnaam of het wachtwoord geweigerd.',
  },
  sender: {
    fr: "Le serveur a refusé l'adresse d'expédition : ce compte ne peut pas envoyer avec cette adresse.",
    en: 'The server refused the sender address: this account may not send from it.',
    it: "Il server ha rifiutato l'indirizzo del mittente: questo account non può inviare da esso.",
    nl: 'De server heeft het afzenderadres geweigerd: dit account mag er niet mee verzenden.',
  },
  recipient: {
    fr: "Le serveur a refusé l'adresse du destinataire du message de test.",
    en: 'The server refused the address the test message was sent to.',
    it: "Il server ha rifiutato l'indirizzo del destinatario del messaggio di prova.",
    nl: 'De server heeft het adres van de ontvanger van het testbericht geweigerd.',
  },
  send: {
    fr: "Le serveur a refusé le message ou la connexion s'est interrompue pendant l'envoi.",
    en: 'The server refused the message, or the connection was cut while sending.',
    it: "Il server ha rifiutato il messaggio, oppure la connessione si è interrotta durante l'invio.",
    nl: 'De server heeft het bericht geweigerd, of de verbinding werd tijdens het verzenden verbroken.',
  },
}

const OK: Record<MailLocale, { saved: string; sent: string }> = {
  fr: { saved: 'Connexion et identification réussies.', sent: 'Connexion et identification réussies ; le message de test a été envoyé.' },
  en: { saved: 'Connection and sign-in succeeded.', sent: 'Connection and sign-in succeeded; the test message was sent.' },
  it: { saved: 'Connessione e autenticazione riuscite.', sent: 'Connessione e autenticazione riuscite; il messaggio di prova è stato inviato.' },
  nl: { saved: 'Verbinding en aanmelding gelukt.', sent: 'Verbinding en aanmelding gelukt; het testbericht is verzonden.' },
}

const REPLY: Record<MailLocale, string> = { fr: 'Réponse du serveur', en: 'Server reply', it: 'Risposta del server', nl: 'Antwoord van de server' }

/**
 * What a check of SMTP settings found, in words for the person who typed them (seed 000 "Tester
 * l'envoi"): the step that failed, what to check, and the server's own reply with its code.
 *
 * @example
 * mailerCheckText({ ok: false, stage: 'authenticate', code: 535, reason: '535 5.7.8 bad credentials' }, 'fr')
 * //=> "Le serveur a refusé l'identifiant ou le mot de passe. Réponse du serveur : 535 5.7.8 bad credentials"
 */
export function mailerCheckText(check: MailCheckOutcome, locale: MailLocale): string {
  assertLocale(locale)
  if (typeof check !== 'object' || check === null || typeof check.ok !== 'boolean') {
    throw EcoleError.invalidInput('check', 'must be the outcome of a mailer check ({ ok: true } or { ok: false, stage, reason })')
  }
  if (!check.ok && (!Object.hasOwn(STAGES, check.stage) || typeof check.reason !== 'string')) {
    throw EcoleError.invalidInput('check', `must name a known stage (${Object.keys(STAGES).join(', ')}) and a reason`)
  }
  if (check.ok) return check.testMessageId ? OK[locale].sent : OK[locale].saved
  const reply = check.code !== undefined && !check.reason.startsWith(String(check.code)) ? `${check.code} ${check.reason}` : check.reason
  return `${STAGES[check.stage][locale]} ${REPLY[locale]}${locale === 'fr' ? ' :' : ':'} ${reply}`
}

/**
 * Refuses a language the mail texts are not written in (`INVALID_INPUT` naming `locale`).
 *
 * @example
 * assertLocale('de') // throws EcoleError INVALID_INPUT: locale must be one of fr, en, it, nl
 */
export function assertLocale(locale: unknown): asserts locale is MailLocale {
  if (typeof locale !== 'string' || !Object.hasOwn(DATE_LOCALES, locale)) {
    throw EcoleError.invalidInput('locale', `must be one of ${Object.keys(DATE_LOCALES).join(', ')}`)
  }
}

import {
  auditEntry, checkOptions, ConsentSchema, consentOfVersionId, EcoleError, LocalDateSchema, Money, parseInput, periodsOf, bookingReservations, checkBooking, consentsForBooking, prepareBookingContext, standardLedgerAccounts, systemAccountId, walletAccountId,
  type BillingRuleInput, type BookingContext, type BookingContextInput, type BookingRefusal, type Consent, type ConsentInput, type CurrencyCode, type LocalDate,
  type LedgerTransfer, type OptionKinds, type PeriodInput, type TransferResult,
} from '@ecole/core'
import { randomUUID } from 'node:crypto'
import type { Clock, LedgerStore, StoragePorts, StorageTransaction, StoredBooking } from '@ecole/core/ports'
import { readAll } from '../billing/support'
import { billedBookingIds } from './billed-bookings'
import { consentShownVersion, lockConsent } from './consents'
import { asUseCaseError } from '../use-case-error'

/**
 * What the booking workflows need: the storage adapter and the clock.
 *
 * @example
 * const deps: BookingDeps = { storage: createMemoryStorage(), clock: { now: () => new Date() } }
 */
export interface BookingDeps {
  /** The storage adapter (`directory`, with the billing rules, `bookings` and `ledger` ports). */
  storage: StoragePorts
  /** The clock: cut-offs are judged, and bookings and reservations stamped, at its `now()`. */
  clock: Clock
}

/**
 * What a site decides about booking that its stored records do not hold: its zone and currency,
 * the billing office whose wallets pay prepaid days, the services' booking settings (weekdays,
 * cut-offs, price of a prepaid day, capacity per day and school), which schools each service is
 * offered to, the calendar's closures and openings, the public holidays, and the consents that
 * gate booking (the messaging module's `Consent` records).
 *
 * @example
 * const settings: BookingSiteSettings = {
 *   timeZone: 'Europe/Paris', billingOfficeId: 'regie',
 *   services: [{ id: 'lunch', weekdays: [1, 2, 4, 5], capacity: 60, bookingCutoff: { kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' } }],
 *   offers: [{ serviceId: 'lunch', schoolId: 'school-1' }],
 *   periods: [{ id: 'winter', kind: 'closure', label: "Vacances d'hiver", from: '2027-02-20', to: '2027-03-07', scopes: [{ serviceId: 'lunch' }] }],
 * }
 */
export interface BookingSiteSettings {
  /** The site's IANA zone (cut-offs are local times there). */
  timeZone: string
  /** The currency of prices and wallets (EUR by default). */
  currency?: CurrencyCode | undefined
  /** The billing office whose wallets pay prepaid days and whose revenue accounts receive them. */
  billingOfficeId: string
  /** Booking settings per service. */
  services: BookingContextInput['services']
  /** Which schools (and classes) each service is offered to. */
  offers: NonNullable<BookingContextInput['offers']>
  /** The calendar's closures and openings (the calendar module's periods). */
  periods?: PeriodInput[] | undefined
  /**
   * Also read the site's stored periods (directory kind `period`, saved by `savePeriod` /
   * `saveSchoolCalendar`) inside each booking transaction, after its day locks, and add them to
   * `periods`: a closure saved while a family books is then either seen by the booking or waits
   * for it (and deletes it, or is refused as `PERIOD_IMPACT_CHANGED` when it was not confirmed).
   */
  storedPeriods?: boolean | undefined
  /** Public holidays (closed unless a service opens on them). */
  publicHolidays?: LocalDate[] | undefined
  /** The consents that gate booking from the portal (checked with `ConsentSchema`). */
  consents?: ConsentInput[] | undefined
}

/**
 * The outcome of one day of a {@link changeBookings} request: done, or refused with the library's
 * reasons (`bookingRefusalMessage` explains each one in four languages).
 *
 * @example
 * const o: DayOutcome = { date: '2027-02-11', ok: false, reasons: [{ code: 'FULL', capacity: 20, booked: 20 }] }
 */
export type DayOutcome = { date: LocalDate; ok: true } | { date: LocalDate; ok: false; reasons: BookingRefusal[] }

/**
 * The directory and billing rules a booking context is made of: what bookers do not race on,
 * read once and reused for several contexts (see {@link loadBookingFacts}).
 *
 * @example
 * const facts: BookingFacts = await storage.transaction('site-1', (tx) => loadBookingFacts(tx))
 */
export interface BookingFacts {
  /** The site's children with their enrolments and subscriptions. */
  children: Array<{
    id: string
    archived: boolean
    /** The classes and schools of its enrolments (consents scoped to groups match them). */
    groupIds: string[]
    enrolments: Array<{ schoolId: string; classId: string; from: LocalDate; to?: LocalDate | undefined }>
    subscriptions: Array<{ serviceId: string; from: LocalDate; to?: LocalDate | undefined }>
  }>
  /** The site's billing rules (those covering the children read, when `beneficiaryIds` is set). */
  rules: BillingRuleInput[]
  /**
   * Set when the facts are those of these children only (`loadBookingFacts(tx, { beneficiaryIds })`):
   * {@link loadBookingContext} then also reads the children it lacks that have bookings among the
   * days it reads (their enrolments: the places left at each school are counted site-wide).
   */
  beneficiaryIds?: readonly string[] | undefined
}

/**
 * What {@link loadBookingFacts} reads.
 *
 * @example
 * const options: LoadBookingFactsOptions = { beneficiaryIds: ['lea'] }
 */
export interface LoadBookingFactsOptions {
  /**
   * Only these children (a family's), their enrolments and service rights, and the billing rules
   * covering them, instead of the whole site's (at most 1,000 children). Children with no record
   * are left out.
   */
  beneficiaryIds?: readonly string[] | undefined
}

const PAGE = 1000

/** The keys of {@link BookingSiteSettings}: a misspelt one is refused, never read as absent (`storedPeriods`, `currency`...). */
const SETTINGS_KINDS: OptionKinds<BookingSiteSettings> = {
  timeZone: 'any', currency: 'string?', billingOfficeId: 'any', services: 'any', offers: 'any', periods: 'array?', storedPeriods: 'boolean?', publicHolidays: 'array?', consents: 'any',
}
const FACTS_OPTION_KINDS: OptionKinds<LoadBookingFactsOptions> = { beneficiaryIds: 'any' }

/** @internal Checks the site's booking settings key by key (`INVALID_INPUT` naming `settings.<key>` and the nearest known key). */
export function checkSettings(fn: string, settings: unknown): void {
  if (typeof settings !== 'object' || settings === null) throw invalid('settings', 'must be the site\'s booking settings (an object)')
  checkOptions<BookingSiteSettings>(fn, 'settings', settings, SETTINGS_KINDS)
}

function port<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new EcoleError('PORT_MISSING', `[ecole] the storage adapter has no ${name} port, which booking needs`, { details: { port: name } })
  return value
}

/** The most children {@link loadBookingFacts} reads by id at once. */
const MAX_CHILDREN = 1000

/** Checks the children a narrow read asks for: an array of at most 1,000 non-empty strings, answered once each. */
function checkBeneficiaryIds(value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid('beneficiaryIds', 'must be an array of child ids')
  if (value.length > MAX_CHILDREN) throw invalid('beneficiaryIds', `at most ${MAX_CHILDREN} children at once (got ${value.length})`)
  value.forEach((id, i) => text(id, `beneficiaryIds[${i}]`))
  return [...new Set(value as string[])]
}

/** The children with these ids, their enrolments and (with `withRights`) service rights: three reads. */
async function childrenByIds(tx: StorageTransaction, ids: readonly string[], withRights: boolean): Promise<BookingFacts['children']> {
  if (ids.length === 0) return []
  const directory = port(tx.directory, 'directory')
  const siteId = tx.siteId
  const children = await directory.getDirectoryRecords(siteId, 'child', ids)
  const enrolments = await directory.listDirectoryRecordsOf(siteId, 'enrolment', ids)
  const subscriptions = withRights ? await directory.listDirectoryRecordsOf(siteId, 'subscription', ids) : []
  return factsOfChildren([...children.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), enrolments, subscriptions)
}

/**
 * Reads the directory (children, enrolments, subscriptions and billing rules, all of the
 * `directory` port) a booking context needs, one query at a time (a transaction is one
 * connection): the whole site's, or, with `options.beneficiaryIds`, those of a family's children
 * only (a few indexed reads whatever the site's size; {@link loadBookingContext} completes them
 * with the booked children it counts).
 *
 * @throws EcoleError `INVALID_INPUT` naming `beneficiaryIds` when it is not an array of at most
 * 1,000 non-empty strings.
 * @example
 * const facts = await storage.transaction('site-1', (tx) => loadBookingFacts(tx))
 * facts.children.length //=> 240
 * const family = await storage.transaction('site-1', (tx) => loadBookingFacts(tx, { beneficiaryIds: ['lea', 'tom'] }))
 * family.children.map((c) => c.id) //=> ['lea', 'tom']
 */
export async function loadBookingFacts(tx: StorageTransaction, options: LoadBookingFactsOptions = {}): Promise<BookingFacts> {
  try {
    if (typeof tx !== 'object' || tx === null) throw invalid('tx', 'must be a storage transaction')
    text(tx.siteId, 'tx.siteId')
    if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object')
    checkOptions<LoadBookingFactsOptions>('loadBookingFacts', 'options', options, FACTS_OPTION_KINDS)
    const siteId = tx.siteId
    const directory = port(tx.directory, 'directory')
    if (options.beneficiaryIds !== undefined) {
      const ids = checkBeneficiaryIds(options.beneficiaryIds)
      const children = await childrenByIds(tx, ids, true)
      // the rules covering these children, in id order, each once (one indexed read)
      const rules: BillingRuleInput[] = await directory.listBillingRulesOf(siteId, ids)
      return { children, rules, beneficiaryIds: ids }
    }
    const children = await readAll((p) => directory.listDirectoryRecords(siteId, 'child', p), PAGE)
    const enrolments = await readAll((p) => directory.listDirectoryRecords(siteId, 'enrolment', p), PAGE)
    const subscriptions = await readAll((p) => directory.listDirectoryRecords(siteId, 'subscription', p), PAGE)
    const rules = await readAll((p) => directory.listDirectoryRecords(siteId, 'billingRule', p), PAGE)
    return { children: factsOfChildren(children, enrolments, subscriptions), rules }
  } catch (error) {
    throw asUseCaseError(error, 'loadBookingFacts', { tx: [tx, 'object', 'a storage transaction'], options: [options, 'object?', 'the options ({ beneficiaryIds })'] })
  }
}

/** The children as the booking context takes them, with their enrolments and service rights. */
function factsOfChildren(
  children: ReadonlyArray<{ id: string; archived: unknown }>,
  enrolments: ReadonlyArray<{ beneficiaryId: string; schoolId: string; classId: string; from: LocalDate; to?: LocalDate | undefined }>,
  subscriptions: ReadonlyArray<{ beneficiaryId: string; serviceId: string; from: LocalDate; to?: LocalDate | undefined }>,
): BookingFacts['children'] {
  const enrolmentsOf = new Map<string, BookingFacts['children'][number]['enrolments']>()
  for (const e of enrolments) {
    const list = enrolmentsOf.get(e.beneficiaryId) ?? []
    list.push({ schoolId: e.schoolId, classId: e.classId, from: e.from, to: e.to })
    enrolmentsOf.set(e.beneficiaryId, list)
  }
  const subscriptionsOf = new Map<string, BookingFacts['children'][number]['subscriptions']>()
  for (const s of subscriptions) {
    const list = subscriptionsOf.get(s.beneficiaryId) ?? []
    list.push({ serviceId: s.serviceId, from: s.from, to: s.to })
    subscriptionsOf.set(s.beneficiaryId, list)
  }
  return children.map((c) => {
    const own = enrolmentsOf.get(c.id) ?? []
    // the groups a consent scoped to groups matches: the classes and schools of its enrolments (as `directoryForBooking`)
    const groupIds = [...new Set(own.flatMap((e) => [e.classId, e.schoolId]))].sort()
    return { id: c.id, archived: c.archived !== null, groupIds, enrolments: own, subscriptions: subscriptionsOf.get(c.id) ?? [] }
  })
}

/**
 * The site's consents, checked (`ConsentSchema`): an invalid one throws `INVALID_INPUT`.
 *
 * @example
 * siteConsents('site-1', settings).map((c) => c.id) //=> ['rules-2026']
 */
export function siteConsents(siteId: string, settings: BookingSiteSettings): Consent[] {
  text(siteId, 'siteId')
  checkSettings('siteConsents', settings)
  const consents: unknown = settings.consents ?? []
  if (!Array.isArray(consents)) throw invalid('settings.consents', 'must be an array of consents')
  return consents.map((c: unknown, i) => parseInput(ConsentSchema, typeof c === 'object' && c !== null ? { ...c, siteId } : c, `settings.consents[${i}]`))
}

function invalid(field: string, rule: string): EcoleError {
  return new EcoleError('INVALID_INPUT', `[ecole] ${field}: ${rule}`, { details: { field, issues: [{ path: field, code: 'invalid_value', message: rule }] } })
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'must be a non-empty string')
  return value
}

/** The booking settings and a request, checked before anything is read (INVALID_INPUT naming the field). */
function checkRequest(settings: BookingSiteSettings, request: ChangeBookingsRequest): { dates: LocalDate[] } {
  checkSettings('changeBookings', settings)
  text(settings.timeZone, 'settings.timeZone')
  text(settings.billingOfficeId, 'settings.billingOfficeId')
  if (!Array.isArray(settings.services)) throw invalid('settings.services', 'must be an array of services')
  if (typeof request !== 'object' || request === null) throw invalid('request', 'must be an object')
  checkOptions<ChangeBookingsRequest>('changeBookings', 'request', request, CHANGE_BOOKINGS_REQUEST_KINDS)
  for (const f of ['siteId', 'guardianId', 'beneficiaryId', 'serviceId'] as const) text(request[f], f)
  if (request.action !== 'book' && request.action !== 'cancel') throw invalid('action', "must be 'book' or 'cancel'")
  if (!Array.isArray(request.dates)) throw invalid('dates', 'must be an array of days (YYYY-MM-DD)')
  if (request.dates.length > 366) throw invalid('dates', `at most 366 days at once (got ${request.dates.length})`)
  return { dates: request.dates.map((d, i) => parseInput(LocalDateSchema, d, `dates[${i}]`)) }
}

function checkDeps(deps: BookingDeps): void {
  if (typeof deps !== 'object' || deps === null || typeof deps.storage !== 'object' || deps.storage === null || typeof deps.clock?.now !== 'function') {
    throw invalid('deps', 'must be { storage, clock } (the storage adapter and a clock)')
  }
}

function checkAnswer(fn: string, answer: ConsentAnswer): void {
  if (typeof answer !== 'object' || answer === null) throw invalid('answer', 'must be an object')
  checkOptions<ConsentAnswer>(fn, 'answer', answer, CONSENT_ANSWER_KINDS)
  for (const f of ['siteId', 'consentId', 'guardianId'] as const) text(answer[f], f)
  if (answer.shownVersion !== undefined && (typeof answer.shownVersion !== 'string' || !/^v1-[0-9a-f]{16}$/.test(answer.shownVersion))) {
    throw invalid('shownVersion', 'must be the consentShownVersion of the stored consent shown (v1- and 16 hexadecimal digits)')
  }
}

/**
 * What {@link loadBookingContext} reads besides the settings.
 *
 * @example
 * const options: LoadBookingContextOptions = { from: '2027-03-01', to: '2027-03-31', guardianIds: ['g1'], now: new Date(), serviceId: 'lunch' }
 */
export interface LoadBookingContextOptions {
  /** First day whose bookings are read. */
  from: LocalDate
  /** Last day whose bookings are read. */
  to: LocalDate
  /** The guardians whose wallets and consents are read. */
  guardianIds: readonly string[]
  /** The instant wallets are read at. */
  now: Date
  /** Only this service's bookings (all services when absent). */
  serviceId?: string | undefined
  /** Facts already read (see {@link loadBookingFacts}); read here when absent. */
  facts?: BookingFacts | undefined
}

const CONTEXT_OPTION_KINDS: OptionKinds<LoadBookingContextOptions> = { from: 'any', to: 'any', guardianIds: 'any', now: 'any', serviceId: 'string?', facts: 'object?' }

/**
 * The booking context of a site for the days `from`..`to`, read through `tx`: the facts, the
 * active bookings of those days, the given guardians' wallet balances (available: pending
 * reservations included) and consent acceptances, with the site's settings. A booking is marked
 * billed (so `checkBooking` refuses its cancellation with `ALREADY_BILLED` and a week template
 * keeps it) when its prepaid reservation was posted or its charge is on an invoice or a draft.
 *
 * @example
 * const context = await storage.transaction('site-1', (tx) => loadBookingContext(tx, settings, { from: '2027-02-01', to: '2027-02-26', guardianIds: ['g1'], now: new Date() }))
 * checkBooking(context, { beneficiaryId: 'c1', serviceId: 'lunch', date: '2027-02-11', at: new Date(), actor: { kind: 'guardian', guardianId: 'g1' }, action: 'book' })
 */
export async function loadBookingContext(tx: StorageTransaction, settings: BookingSiteSettings, options: LoadBookingContextOptions): Promise<BookingContext> {
  try {
    if (typeof tx !== 'object' || tx === null) throw invalid('tx', 'must be a storage transaction')
    text(tx.siteId, 'tx.siteId')
    if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object')
    checkOptions<LoadBookingContextOptions>('loadBookingContext', 'options', options, CONTEXT_OPTION_KINDS)
    parseInput(LocalDateSchema, options.from, 'from')
    parseInput(LocalDateSchema, options.to, 'to')
    if (!Array.isArray(options.guardianIds)) throw invalid('guardianIds', 'must be an array of guardian ids')
    if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) throw invalid('now', 'must be a valid Date')
    checkSettings('loadBookingContext', settings)
    const siteId = tx.siteId
    const bookingsPort = port(tx.bookings, 'bookings')
    const currency = settings.currency ?? 'EUR'
    const facts = options.facts ?? (await loadBookingFacts(tx))
    const bookings = await readAll((p) => bookingsPort.listBookings(siteId, { from: options.from, to: options.to, ...(options.serviceId ? { serviceId: options.serviceId } : {}) }, p), PAGE)
    let children = facts.children
    if (facts.beneficiaryIds !== undefined) {
      // facts of some children only: the other booked children are read too (their enrolments say
      // at which school each booking takes a place; nothing else of theirs is checked)
      const known = new Set([...facts.beneficiaryIds, ...children.map((c) => c.id)])
      const missing = [...new Set(bookings.filter((b) => b.status === 'booked' && !known.has(b.beneficiaryId)).map((b) => b.beneficiaryId))]
      for (let i = 0; i < missing.length; i += MAX_CHILDREN) children = [...children, ...(await childrenByIds(tx, missing.slice(i, i + MAX_CHILDREN), false))]
    }
    const guardianIds = [...new Set(options.guardianIds)]
    const hasPrepaid = settings.services.some((s) => s.payment === 'prepaid')
    const wallets = guardianIds.length && hasPrepaid && tx.ledger
      ? await tx.ledger.getBalances(siteId, guardianIds.map((g) => walletAccountId(g, settings.billingOfficeId)), options.now).catch(() => [])
      : []
    // the stored periods, all of them (a cut-off counted in school days looks before `from`): tens a year
    const storedPeriods = settings.storedPeriods === true ? periodsOf(await readAll((p) => port(tx.directory, 'directory').listDirectoryRecords(siteId, 'period', p), PAGE)) : []
    const consents = siteConsents(siteId, settings)
    const acceptances = consents.length === 0 ? [] : (await Promise.all(guardianIds.map((g) => bookingsPort.listConsentAcceptances(siteId, { guardianId: g })))).flat()
    const gate = consentsForBooking(consents, acceptances.map((a) => ({ consentId: a.consentId, guardianId: a.guardianId, acceptedAt: a.acceptedAt.toISOString() })))
    // which active bookings are billed (posted, or on an invoice or a draft): they cannot be cancelled
    // (ALREADY_BILLED) nor dropped by a week template; without this, a served or invoiced day was
    // cancelled and the family kept the charge. Those of the facts' children only, when narrowed.
    const active = bookings.filter((b) => b.status === 'booked')
    const asked = facts.beneficiaryIds === undefined ? undefined : new Set(facts.beneficiaryIds)
    const billed = await billedBookingIds(tx, asked === undefined ? active : active.filter((b) => asked.has(b.beneficiaryId)))
    return prepareBookingContext({
      timeZone: settings.timeZone,
      currency,
      services: settings.services,
      offers: settings.offers,
      periods: [...(settings.periods ?? []), ...storedPeriods],
      publicHolidays: settings.publicHolidays ?? [],
      children,
      billingRules: facts.rules,
      consents: gate.consents,
      consentsGiven: gate.consentsGiven,
      // getBalances leaves out a guardian without a wallet: each balance is matched by its account, not its position
      wallets: guardianIds.flatMap((g) => {
        const w = wallets.find((x) => x.accountId === walletAccountId(g, settings.billingOfficeId))
        return w ? [{ guardianId: g, available: Money.fromMinor(w.available, currency).toJSON() }] : []
      }),
      bookings: active.map((b) => ({ beneficiaryId: b.beneficiaryId, serviceId: b.serviceId, date: b.date, billed: billed.has(b.id) })),
    })
  } catch (error) {
    throw asUseCaseError(error, 'loadBookingContext', { tx: [tx, 'object', 'a storage transaction'], settings: [settings, 'object', 'the site’s booking settings'], options: [options, 'object', 'the days and guardians to read ({ from, to, guardianIds, now })'] })
  }
}

/**
 * A request to book or cancel days of one service for one child, as a guardian from the portal.
 *
 * @example
 * const request: ChangeBookingsRequest = { siteId: 'site-1', guardianId: 'g1', beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2027-02-11', '2027-02-12'], action: 'book' }
 */
export interface ChangeBookingsRequest {
  /** The site. */
  siteId: string
  /** The guardian who books (from the host's session, never from the request). */
  guardianId: string
  /** The child. */
  beneficiaryId: string
  /** The service. */
  serviceId: string
  /** The days (duplicates ignored; at most 366). */
  dates: readonly LocalDate[]
  /** Book or cancel. */
  action: 'book' | 'cancel'
}

/**
 * The audit entry a guardian's change is recorded with, in the transaction of the change (when the
 * storage has an `audit` port): its id (client-chosen, so a replay stores it once) and the
 * guardian's household (what the family's own history lists).
 *
 * @example
 * const audit: PortalAudit = { entryId: 'a-3f2c', householdId: 'h1' }
 * // a back-office user booking on the guardian's behalf:
 * const staff: PortalAudit = { entryId: 'a-3f2d', actor: { kind: 'user', id: 'u-secretary' } }
 */
export interface PortalAudit {
  /** The entry's id. */
  entryId: string
  /** The household of the guardian who made the change. */
  householdId?: string | undefined
  /**
   * Who made the change when it is not the guardian: a back-office user booking on their behalf.
   * The entry then names that user as its actor and the guardian as `after.onBehalfOf`
   * (`changeBookings` only).
   */
  actor?: { kind: 'user'; id: string } | undefined
}

/**
 * The options of {@link changeBookings}, {@link acceptBookingConsent} and {@link withdrawBookingConsent}.
 *
 * @example
 * const options: PortalAuditOptions = { audit: { entryId: 'a-3f2c', householdId: 'h1' } }
 */
export interface PortalAuditOptions {
  /** The audit entry the change is recorded with, in its transaction (none when absent). */
  audit?: PortalAudit | undefined
}

const CHANGE_BOOKINGS_REQUEST_KINDS: OptionKinds<ChangeBookingsRequest> = { siteId: 'any', guardianId: 'any', beneficiaryId: 'any', serviceId: 'any', dates: 'any', action: 'any' }
const CONSENT_ANSWER_KINDS: OptionKinds<ConsentAnswer> = { siteId: 'any', consentId: 'any', guardianId: 'any', shownVersion: 'any' }
const AUDIT_OPTION_KINDS: OptionKinds<PortalAuditOptions> = { audit: 'object?' }
const PORTAL_AUDIT_KINDS: OptionKinds<PortalAudit> = { entryId: 'any', householdId: 'string?', actor: 'any' }
const ACTOR_KINDS: OptionKinds<NonNullable<PortalAudit['actor']>> = { kind: 'any', id: 'any' }

/** Checks the options of a portal change key by key, and its audit entry's (`options.audit.<key>`). */
function checkAuditOptions(fn: string, options: unknown): void {
  const o = checkOptions<PortalAuditOptions>(fn, 'options', options, AUDIT_OPTION_KINDS)
  if (o.audit === undefined) return
  const audit = checkOptions<PortalAudit>(fn, 'options.audit', o.audit, PORTAL_AUDIT_KINDS)
  if (typeof audit.actor === 'object' && audit.actor !== null) checkOptions(fn, 'options.audit.actor', audit.actor, ACTOR_KINDS)
}

function checkAudit(audit: PortalAudit | undefined): void {
  if (audit === undefined) return
  if (typeof audit !== 'object' || audit === null || typeof audit.entryId !== 'string' || audit.entryId === '') {
    throw new EcoleError('INVALID_INPUT', '[ecole] options.audit.entryId: must be a non-empty string', { details: { field: 'options.audit.entryId' } })
  }
  const actor = audit.actor as unknown
  if (actor !== undefined && (typeof actor !== 'object' || actor === null || (actor as { kind?: unknown }).kind !== 'user' || typeof (actor as { id?: unknown }).id !== 'string' || (actor as { id: string }).id === '')) {
    throw new EcoleError('INVALID_INPUT', "[ecole] options.audit.actor: must be { kind: 'user', id } with a non-empty id", { details: { field: 'options.audit.actor' } })
  }
}

const defaultBookingId = (beneficiaryId: string, serviceId: string, date: string) => `portal:${beneficiaryId}:${serviceId}:${date}`

/**
 * The id of a day's new reservation: its booking's id, the clock's millisecond and a random UUID.
 * The millisecond alone was not unique: a day booked, cancelled and booked again within one
 * millisecond (two requests at once, or a clock that stands still) named the new reservation as
 * the voided one, the ledger answered `exists`, and the day was booked with no money reserved.
 */
export function newReservationId(bookingId: string, now: Date): string {
  return `${bookingId}:${now.getTime()}:${randomUUID()}`
}

/** How many payers one day's reservation chain may name (far above any billing rule's). */
const MAX_CHAIN = 100

/**
 * Voids every pending reservation of the given bookings, in one ledger call, and answers the
 * minor units released per booking. A booking's `reservationTransferId` is the first member
 * (`…:0`) of its day's chain: a day paid by several payers holds one reservation per payer
 * (`…:1`, `…:2`, …, see {@link dayReservationChain}), and each is given back to its payer. Only
 * the first was voided before, so the other payers' shares stayed held after a cancellation.
 *
 * @throws EcoleError `BOOKING_REFUND_FAILED` when the ledger refuses a void (nothing is voided).
 */
export async function releaseReservations(
  ledger: LedgerStore, siteId: string, bookings: ReadonlyArray<{ bookingId: string; reservationTransferId: string }>, now: Date, where: string, memo?: string,
): Promise<Map<string, bigint>> {
  const voids: Array<LedgerTransfer & { bookingId: string }> = []
  for (const b of bookings) {
    const first = b.reservationTransferId
    const members = [await ledger.getTransfer(siteId, first)]
    if (first.endsWith(':0')) {
      const prefix = first.slice(0, -2)
      for (let i = 1; i < MAX_CHAIN; i++) {
        const next = await ledger.getTransfer(siteId, `${prefix}:${i}`)
        if (next === undefined) break
        members.push(next)
      }
    }
    for (const m of members) {
      if (m?.pendingStatus !== 'pending') continue
      const p = m.transfer
      voids.push({ id: `${p.id}:void`, debitAccountId: p.debitAccountId, creditAccountId: p.creditAccountId, amount: p.amount, currency: p.currency, code: 'cancellation', flags: { void: true }, pendingId: p.id, timestamp: now, ...(memo ? { memo } : {}), bookingId: b.bookingId })
    }
  }
  const released = new Map<string, bigint>()
  if (voids.length === 0) return released
  const results = await ledger.createTransfers(siteId, voids.map(({ bookingId: _, ...t }) => t), now)
  const i = results.findIndex((r) => r.status === 'failed')
  if (i >= 0) {
    const failed = results[i]!
    const code = failed.status === 'failed' ? failed.code : ''
    throw new EcoleError('BOOKING_REFUND_FAILED', `[ecole] ${where}: the refund of ${voids[i]!.bookingId} was refused by the ledger (${code})`, { details: { bookingId: voids[i]!.bookingId, code } })
  }
  for (const v of voids) released.set(v.bookingId, (released.get(v.bookingId) ?? 0n) + v.amount)
  return released
}

/**
 * Throws when the ledger did not create a day's new reservation: `exists` cannot be the answer
 * for an id made by {@link newReservationId}, and a day written on an earlier transfer would hold
 * no money.
 */
export function checkReservationsCreated(where: string, transfers: readonly { id: string }[], results: readonly TransferResult[]): void {
  results.forEach((r, i) => {
    if (r.status === 'exists') {
      throw new EcoleError('BOOKING_RESERVATION_FAILED', `[ecole] ${where}: the reservation ${transfers[i]!.id} already exists in the ledger, so it reserves nothing for this booking`, { details: { transferId: transfers[i]!.id, code: 'EXISTS' } })
    }
  })
}

/**
 * A booked day's reservations as ledger transfers: one pending transfer per payer from its wallet
 * to the service's revenue account, ids `${idPrefix}:0`, `:1`..., linked into one chain so that a
 * day paid by several payers is reserved entirely or not at all. `links` goes on every transfer
 * when given. A zero share (a payer weighted 0) is left out: the ledger refuses a 0.00 transfer,
 * and it reserved nothing (`bookingReservations` and `planWeekTemplate` already leave such shares
 * out, so the chain's members are the reservations given, in order). @internal
 */
export function dayReservationChain(
  idPrefix: string,
  given: ReadonlyArray<{ guardianId: string; amount: { minor: bigint } }>,
  day: { office: string; serviceId: string; currency: string; date: LocalDate; now: Date; links?: Record<string, string> },
) {
  const reservations = given.filter((r) => r.amount.minor !== 0n)
  return reservations.map((r, i) => ({
    id: `${idPrefix}:${i}`, debitAccountId: walletAccountId(r.guardianId, day.office), creditAccountId: systemAccountId('revenue', day.office, day.serviceId),
    amount: r.amount.minor, currency: day.currency, code: 'booking' as const,
    flags: { pending: true, ...(i < reservations.length - 1 ? { linked: true } : {}) }, timestamp: day.now, memo: `${day.serviceId} ${day.date}`,
    ...(day.links ? { links: day.links } : {}),
  }))
}

/**
 * Books (or cancels) days of one service for one child, as a guardian, at the clock's `now`,
 * through the library's checks. Each day is decided on its own: some may be refused (with
 * `checkBooking`'s reasons: cut-off passed, closed, not enrolled, not the payer, consent missing,
 * full...) while the others go through.
 *
 * - A prepaid day reserves its price in the payer's wallet at once (a pending ledger transfer
 *   from the wallet to the service's revenue account); the ledger refuses it when the wallet
 *   cannot pay (`INSUFFICIENT_BALANCE` with the shortfall) and nothing of that day is written; any
 *   other refusal of the ledger throws `BOOKING_RESERVATION_FAILED` and nothing is written. A payer
 *   weighted 0 reserves nothing.
 * - A cancellation in time voids the reservation (the refund) and keeps the booking as cancelled.
 *   A billed day (its prepaid reservation posted, or its charge on an invoice or a draft) is
 *   refused with `ALREADY_BILLED`: correct it with a credit note. A day that is not booked is
 *   refused with `NOT_BOOKED` (nothing to cancel) and left out of the audit entry.
 * - Capacity holds under concurrency: everything runs in one storage transaction that first
 *   locks the requested days of the service (`lockServiceDays`, in day order), so two bookers of
 *   one day run one after the other and the second counts the first one's booking.
 * - With `options.audit`, the days booked (or cancelled) are recorded in the audit trail
 *   (`booking.booked` / `booking.cancelled`, by the guardian, about the child) in the same
 *   transaction; nothing is recorded when no day went through. With `options.audit.actor`, a
 *   back-office user booking on the guardian's behalf is the entry's actor (`after.onBehalfOf`
 *   names the guardian).
 *
 * @example
 * const outcomes = await changeBookings({ storage, clock }, settings, { siteId: 'site-1', guardianId: 'g1', beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2027-02-11'], action: 'book' })
 * //=> [{ date: '2027-02-11', ok: true }]
 */
export async function changeBookings(deps: BookingDeps, settings: BookingSiteSettings, request: ChangeBookingsRequest, options: PortalAuditOptions = {}): Promise<DayOutcome[]> {
  try {
    checkDeps(deps)
    checkAuditOptions('changeBookings', options)
    checkAudit(options?.audit)
    const checked = checkRequest(settings, request)
    const { siteId, guardianId, beneficiaryId, serviceId, action } = request
    const dates = [...new Set(checked.dates)].sort()
    if (dates.length === 0) return []
    const currency = settings.currency ?? 'EUR'
    const office = settings.billingOfficeId
    return await deps.storage.transaction(siteId, async (tx) => {
      const bookings = port(tx.bookings, 'bookings')
      const now = deps.clock.now()
      /** Books the days that passed their checks: their reservations in one ledger call (each day's linked), their bookings in one write. */
      async function bookDays(tx: StorageTransaction, context: BookingContext, days: readonly LocalDate[], outcomes: Map<LocalDate, DayOutcome>): Promise<void> {
        const planned = days.map((date) => {
          const id = defaultBookingId(beneficiaryId, serviceId, date)
          const transferId = newReservationId(id, now)
          const reservations = bookingReservations(context, { beneficiaryId, serviceId, date })
          const transfers = dayReservationChain(transferId, reservations, { office, serviceId, currency, date, now })
          return { date, id, transferId, reservations, transfers }
        })
        const transfers = planned.flatMap((p) => p.transfers)
        if (transfers.length > 0) {
          // the service's revenue account and the payers' wallets (opening an existing account changes nothing), as applyWeekTemplate
          // does: without them the ledger refused every day, reported as a balance shortfall (found by the back office's bookings grid)
          const payers = [...new Set(planned.flatMap((p) => p.reservations.map((r) => r.guardianId)))]
          await port(tx.ledger, 'ledger').createAccounts(siteId, standardLedgerAccounts({ currency, billingOffices: [{ id: office, serviceIds: [serviceId] }], guardians: payers.map((g) => ({ guardianId: g, billingOfficeIds: [office] })) }))
        }
        const results = transfers.length > 0 ? await port(tx.ledger, 'ledger').createTransfers(siteId, transfers, now) : []
        checkReservationsCreated('changeBookings', transfers, results)
        const failedIds = new Set(results.flatMap((r, i) => (r.status === 'failed' ? [transfers[i]!.id] : [])))
        const refused = planned.filter((p) => p.transfers.some((t) => failedIds.has(t.id)))
        if (refused.length > 0) {
          // a wallet cannot pay these days: nothing of them is written. The payer named is the one
          // whose reservation failed on its own (a chain's other members answer LINKED_EVENT_FAILED)
          const codeOf = new Map(results.flatMap((r, i) => (r.status === 'failed' ? [[transfers[i]!.id, r.code] as const] : [])))
          const causes = refused.map((p) => {
            const i = Math.max(0, p.transfers.findIndex((t) => codeOf.has(t.id) && codeOf.get(t.id) !== 'LINKED_EVENT_FAILED'))
            return { p, reservation: p.reservations[i]!, code: codeOf.get(p.transfers[i]!.id)! }
          })
          // only a wallet that cannot pay is a balance shortfall; any other refusal of the ledger is
          // not the family's to fix, and nothing is written (as applyWeekTemplate does)
          const other = causes.find((x) => x.code !== 'EXCEEDS_BALANCE')
          if (other !== undefined) {
            throw new EcoleError('BOOKING_RESERVATION_FAILED', `[ecole] changeBookings: the reservation of ${other.p.date} was refused by the ledger (${other.code})`, { details: { date: other.p.date, code: other.code } })
          }
          // every payer of a refused day whose share does not fit is named, not only the one the
          // ledger's chain stopped at (its other members answer LINKED_EVENT_FAILED unchecked)
          const payers = [...new Set(causes.flatMap((x) => x.p.reservations.map((r) => r.guardianId)))]
          const balances = await port(tx.ledger, 'ledger').getBalances(siteId, payers.map((g) => walletAccountId(g, office)), now)
          const availableOf = (guardianId: string) => balances.find((b) => b.accountId === walletAccountId(guardianId, office))?.available ?? 0n
          for (const { p, reservation } of causes) {
            const shortOnes = p.reservations.filter((r) => r.amount.minor > availableOf(r.guardianId))
            const named = shortOnes.length > 0 ? shortOnes : [reservation]
            outcomes.set(p.date, {
              date: p.date, ok: false, reasons: named.map((r) => {
                const available = availableOf(r.guardianId)
                const missing = r.amount.minor - available
                return { code: 'INSUFFICIENT_BALANCE' as const, guardianId: r.guardianId, price: Money.fromMinor(r.amount.minor, currency).toJSON(), available: Money.fromMinor(available, currency).toJSON(), shortfall: Money.fromMinor(missing > 0n ? missing : 0n, currency).toJSON() }
              }),
            })
          }
        }
        const written = planned.filter((p) => !refused.includes(p))
        if (written.length === 0) return
        const puts = await bookings.putBookings(siteId, written.map((p) => ({ id: p.id, beneficiaryId, serviceId, date: p.date, status: 'booked' as const, bookedAt: now, ...(p.transfers.length ? { reservationTransferId: `${p.transferId}:0` } : {}) })))
        puts.forEach((put, i) => {
          const date = written[i]!.date
          if (put.status === 'conflict') throw new EcoleError('BOOKING_SLOT_TAKEN', `[ecole] changeBookings: ${beneficiaryId} is already booked on ${date} for ${serviceId} (${put.existingId}) although the check found the day free`, { details: { date, existingId: put.existingId } })
          outcomes.set(date, { date, ok: true })
        })
      }
      /** Cancels the days that passed their checks: their bookings read at once, the refunds in one ledger call, the bookings in one write. */
      async function cancelDays(tx: StorageTransaction, days: readonly LocalDate[], outcomes: Map<LocalDate, DayOutcome>): Promise<void> {
        if (days.length === 0) return
        const wanted = new Set(days)
        const active = new Map<LocalDate, StoredBooking>()
        for (const b of await readAll((p) => bookings.listBookings(siteId, { from: days[0]!, to: days[days.length - 1]!, beneficiaryId, serviceId }, p), PAGE)) {
          if (b.status === 'booked' && wanted.has(b.date)) active.set(b.date, b)
        }
        // every payer's reservation of each day is given back (a day several payers share is a chain)
        const reserved = days.flatMap((date) => {
          const existing = active.get(date)
          return existing?.reservationTransferId ? [{ bookingId: existing.id, reservationTransferId: existing.reservationTransferId }] : []
        })
        if (reserved.length > 0) await releaseReservations(port(tx.ledger, 'ledger'), siteId, reserved, now, 'changeBookings')
        const cancelled = [...active.values()]
        if (cancelled.length > 0) await bookings.putBookings(siteId, cancelled.map((b) => ({ ...b, status: 'cancelled' as const, cancelledAt: now })))
        // a day with no active booking has nothing to cancel (checkBooking says NOT_BOOKED first; a
        // booking gone since the context was read is answered the same): it is not done, nor audited
        for (const date of days) outcomes.set(date, active.has(date) ? { date, ok: true } : { date, ok: false, reasons: [{ code: 'NOT_BOOKED', date }] })
      }
      // the child's directory records and rules first (nobody races on them), outside the locks;
      // the other children booked on those days are read with the days' bookings, under the locks
      const facts = await loadBookingFacts(tx, { beneficiaryIds: [beneficiaryId] })
      // then the days, in order: concurrent bookers of a day queue up here, then read its bookings
      // and the wallet as the bookers before them left them
      await bookings.lockServiceDays(siteId, serviceId, dates)
      // every payer of the child's service: a day both parents pay reserves a share in each wallet,
      // and with only the asking parent's balance known the other's share counted as 0.00 (refused)
      const payers = [...new Set([guardianId, ...facts.rules.filter((r) => r.covers.some((c) => c.beneficiaryId === beneficiaryId && c.serviceId === serviceId)).flatMap((r) => r.payers.map((x) => x.guardianId))])]
      const context = await loadBookingContext(tx, settings, { from: dates[0]!, to: dates[dates.length - 1]!, guardianIds: payers, now, serviceId, facts })
      // each day is decided on its own, then the writes of the days that pass go out together: one
      // ledger call for every day's reservations (or refunds) and one write of the bookings
      const outcomes = new Map<LocalDate, DayOutcome>()
      const passing: LocalDate[] = []
      for (const date of dates) {
        const verdict = checkBooking(context, { beneficiaryId, serviceId, date, at: now, actor: { kind: 'guardian' as const, guardianId }, action })
        if (verdict.ok) passing.push(date)
        else outcomes.set(date, { date, ok: false, reasons: verdict.reasons })
      }
      if (action === 'book') await bookDays(tx, context, passing, outcomes)
      else await cancelDays(tx, passing, outcomes)
      const out = dates.map((date) => outcomes.get(date)!)
      const done = out.filter((o) => o.ok).map((o) => o.date)
      if (options.audit && tx.audit && done.length > 0) {
        await tx.audit.recordAuditEntries(siteId, [auditEntry({
          id: options.audit.entryId, siteId, at: now.toISOString(), actor: options.audit.actor ?? { kind: 'guardian', id: guardianId }, action: action === 'book' ? 'booking.booked' : 'booking.cancelled',
          subject: { kind: 'child', id: beneficiaryId }, ...(options.audit.householdId ? { householdId: options.audit.householdId } : {}),
          after: { serviceId, dates: done, ...(options.audit.actor ? { onBehalfOf: guardianId } : {}) },
        })])
      }
      return out
    })
  } catch (error) {
    throw asUseCaseError(error, 'changeBookings', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], settings: [settings, 'object', 'the site’s booking settings'], request: [request, 'object', 'the booking request'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * A guardian's answer to a consent from the portal.
 *
 * @example
 * const answer: ConsentAnswer = { siteId: 'site-1', consentId: 'rules-2026', guardianId: 'g1' }
 */
export interface ConsentAnswer {
  /** The site. */
  siteId: string
  /** The consent (one of the site's `settings.consents`). */
  consentId: string
  /** The guardian (from the host's session). */
  guardianId: string
  /**
   * The version of the stored consent as the guardian's page showed it (`consentShownVersion`),
   * kept in the form. When given, an acceptance is refused with `RECORD_CHANGED` if the stored consent was
   * edited in place (its text, label, validity or scope), given a new version, made inactive or
   * deleted since the page was read: a guardian accepts only the text they read. Leave it out for
   * a consent that is not stored (one written in the site's settings).
   */
  shownVersion?: string | undefined
}

function knownConsent(fn: string, settings: BookingSiteSettings, answer: ConsentAnswer): Consent {
  checkAnswer(fn, answer)
  checkSettings(fn, settings)
  const consent = siteConsents(answer.siteId, settings).find((c) => c.id === answer.consentId)
  if (!consent) throw new EcoleError('NOT_FOUND', `[ecole] consentId: no consent ${answer.consentId} on site ${answer.siteId}`, { details: { field: 'consentId' } })
  return consent
}

/**
 * Records a guardian's acceptance of one of the site's consents, stamped with the clock: the
 * bookings it gated go through from then on. Accepting again keeps the first acceptance. An
 * unknown consent throws `NOT_FOUND`. With `options.audit`, the acceptance is recorded in the
 * audit trail (`consent.accepted`, by the guardian) in the same transaction.
 *
 * The acceptance takes the consent's lock, as `saveConsent` and `deleteConsent` do, so an edit or
 * a deletion at the same instant sees it (a new version; `CONSENT_ACCEPTED`). A stored consent
 * (a directory record) given a new version or made inactive since `settings` was read is refused
 * with `RECORD_CHANGED`, and nothing is recorded. With `answer.shownVersion` (the
 * `consentShownVersion` of the record the page showed), an edit in place and a deletion since the
 * page was read are refused the same way: the guardian accepts only the text they read.
 *
 * @example
 * await acceptBookingConsent({ storage, clock }, settings, { siteId: 'site-1', consentId: 'rules-2026', guardianId: 'g1' }) //=> 'created'
 * @throws EcoleError `NOT_FOUND` (not a consent of `settings`), `RECORD_CHANGED` (the stored consent changed since), `INVALID_INPUT`.
 */
export async function acceptBookingConsent(deps: BookingDeps, settings: BookingSiteSettings, answer: ConsentAnswer, options: PortalAuditOptions = {}): Promise<'created' | 'already-accepted'> {
  try {
    checkDeps(deps)
    knownConsent('acceptBookingConsent', settings, answer)
    checkAuditOptions('acceptBookingConsent', options)
    checkAudit(options?.audit)
    const now = deps.clock.now()
    const audit = options.audit
    return await deps.storage.transaction(answer.siteId, async (tx) => {
      await stillOffered(tx, answer)
      const result = await port(tx.bookings, 'bookings').acceptConsent(answer.siteId, { consentId: answer.consentId, guardianId: answer.guardianId, acceptedAt: now })
      if (result === 'created' && audit) await recordConsentChange(tx, answer, audit, 'consent.accepted', now)
      return result
    })
  } catch (error) {
    throw asUseCaseError(error, 'acceptBookingConsent', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], settings: [settings, 'object', 'the site’s booking settings'], answer: [answer, 'object', 'the guardian’s answer ({ siteId, consentId, guardianId })'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * Locks the consent an acceptance names (as its writers do) and, when it is stored (a directory
 * record of kind `consent`), checks that the version accepted is still its current, active one: an
 * edit that made a new version, or a deactivation, committed after the guardian's page was read is
 * refused with `RECORD_CHANGED`, never recorded as an acceptance of the new text.
 */
async function stillOffered(tx: StorageTransaction, answer: ConsentAnswer): Promise<void> {
  const { consentId, version } = consentOfVersionId(answer.consentId)
  await lockConsent(tx, answer.siteId, consentId)
  const record = tx.directory ? await tx.directory.getDirectoryRecord(answer.siteId, 'consent', consentId) : undefined
  const shown = answer.shownVersion
  if (shown !== undefined && (record === undefined || consentShownVersion(record) !== shown)) {
    const now = record === undefined ? 'deleted' : record.version !== version ? `now at version ${record.version}` : record.active ? 'edited' : 'made inactive'
    throw new EcoleError('RECORD_CHANGED', `[ecole] consentId: consent ${consentId} changed since it was shown (${now}): show it again to be accepted`, {
      details: {
        kind: 'consent', id: consentId, expectedVersion: version, field: 'consentId', shownVersion: shown,
        ...(record === undefined ? { deleted: true } : { actualVersion: record.version, active: record.active, storedVersion: consentShownVersion(record) }),
      },
    })
  }
  if (record === undefined || (record.version === version && record.active)) return
  throw new EcoleError('RECORD_CHANGED', `[ecole] consentId: consent ${consentId} changed since it was shown (${record.active ? `now at version ${record.version}` : 'made inactive'}): show it again to be accepted`, {
    details: { kind: 'consent', id: consentId, expectedVersion: version, actualVersion: record.version, active: record.active, field: 'consentId' },
  })
}

/** The audit entry of a consent accepted or withdrawn from the portal, in the change's transaction. */
async function recordConsentChange(tx: StorageTransaction, answer: ConsentAnswer, audit: PortalAudit, action: string, now: Date): Promise<void> {
  if (!tx.audit) return
  await tx.audit.recordAuditEntries(answer.siteId, [auditEntry({
    id: audit.entryId, siteId: answer.siteId, at: now.toISOString(), actor: { kind: 'guardian', id: answer.guardianId }, action,
    subject: { kind: 'consent', id: answer.consentId }, ...(audit.householdId ? { householdId: audit.householdId } : {}),
  })])
}

/**
 * Withdraws a guardian's acceptance: bookings the consent gates are refused again
 * (`CONSENT_MISSING`); bookings already made stay. True when there was an acceptance. With
 * `options.audit`, the withdrawal is recorded in the audit trail (`consent.withdrawn`) in the same transaction.
 *
 * @example
 * await withdrawBookingConsent({ storage, clock }, settings, { siteId: 'site-1', consentId: 'rules-2026', guardianId: 'g1' }) //=> true
 */
export async function withdrawBookingConsent(deps: BookingDeps, settings: BookingSiteSettings, answer: ConsentAnswer, options: PortalAuditOptions = {}): Promise<boolean> {
  try {
    checkDeps(deps)
    knownConsent('withdrawBookingConsent', settings, answer)
    checkAuditOptions('withdrawBookingConsent', options)
    checkAudit(options?.audit)
    if (!options.audit) return await port(deps.storage.bookings, 'bookings').withdrawConsent(answer.siteId, answer.consentId, answer.guardianId)
    const audit = options.audit
    return await deps.storage.transaction(answer.siteId, async (tx) => {
      const withdrawn = await port(tx.bookings, 'bookings').withdrawConsent(answer.siteId, answer.consentId, answer.guardianId)
      if (withdrawn) await recordConsentChange(tx, answer, audit, 'consent.withdrawn', deps.clock.now())
      return withdrawn
    })
  } catch (error) {
    throw asUseCaseError(error, 'withdrawBookingConsent', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], settings: [settings, 'object', 'the site’s booking settings'], answer: [answer, 'object', 'the guardian’s answer ({ siteId, consentId, guardianId })'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * One of the site's consents as a guardian sees it: accepted or not, and when.
 *
 * @example
 * const shown: GuardianConsent = { consent: siteConsents('site-1', settings)[0]!, acceptedAt: new Date('2026-08-30T18:00:00Z') }
 */
export interface GuardianConsent {
  /** The consent. */
  consent: Consent
  /** When the guardian accepted it (absent: not accepted). */
  acceptedAt?: Date | undefined
}

/**
 * Whose consents {@link guardianConsents} answers, and on which day.
 *
 * @example
 * const query: GuardianConsentsQuery = { siteId: 'site-1', guardianId: 'g1', date: '2027-02-08' }
 */
export interface GuardianConsentsQuery {
  /** The site. */
  siteId: string
  /** The guardian (from the host's session). */
  guardianId: string
  /** The day: the consents in force that day. */
  date: LocalDate
}

const GUARDIAN_CONSENTS_QUERY_KINDS: OptionKinds<GuardianConsentsQuery> = { siteId: 'any', guardianId: 'any', date: 'any' }

/**
 * The site's consents in force on `date` with the guardian's acceptance of each, by id.
 *
 * @example
 * (await guardianConsents({ storage, clock }, settings, { siteId: 'site-1', guardianId: 'g1', date: '2027-02-08' })).map((c) => [c.consent.id, c.acceptedAt !== undefined])
 * //=> [['rules-2026', true]]
 */
export async function guardianConsents(deps: BookingDeps, settings: BookingSiteSettings, query: GuardianConsentsQuery): Promise<GuardianConsent[]> {
  try {
    checkDeps(deps)
    if (typeof query !== 'object' || query === null) throw invalid('query', 'must be an object')
    checkOptions<GuardianConsentsQuery>('guardianConsents', 'query', query, GUARDIAN_CONSENTS_QUERY_KINDS)
    checkSettings('guardianConsents', settings)
    text(query.guardianId, 'guardianId')
    parseInput(LocalDateSchema, query.date, 'date')
    const consents = siteConsents(query.siteId, settings).filter((c) => c.validity.from <= query.date && (c.validity.to === undefined || query.date <= c.validity.to))
    if (consents.length === 0) return []
    const accepted = new Map((await port(deps.storage.bookings, 'bookings').listConsentAcceptances(query.siteId, { guardianId: query.guardianId })).map((a) => [a.consentId, a.acceptedAt]))
    return consents.sort((a, b) => (a.id < b.id ? -1 : 1)).map((consent) => ({ consent, ...(accepted.has(consent.id) ? { acceptedAt: accepted.get(consent.id) } : {}) }))
  } catch (error) {
    throw asUseCaseError(error, 'guardianConsents', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], settings: [settings, 'object', 'the site’s booking settings'], query: [query, 'object', 'the guardian and the day ({ siteId, guardianId, date })'] })
  }
}

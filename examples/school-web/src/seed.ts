/**
 * The demo school of `npm run demo` (examples/billing-run: École Jean-Jaurès, Créteil, 32
 * families, December 2026 and January 2027 billed), seeded once into the host's storage, plus
 * what a web host needs on top: the directory records (site, school, classes, services, families),
 * the billing rules, portal accounts and staff users.
 *
 * The billing is the billing-run example's own code (`runDemo`), imported, not copied.
 */
import {
  BillingOfficeSchema, BillingRuleSchema, ChildSchema, EnrolmentSchema, GuardianSchema, HouseholdSchema, RoleSchema, SchoolClassSchema, SchoolSchema,
  ServiceSchema, ServiceSubscriptionSchema, SiteSchema, UserSchema, PERMISSION_CATALOGUE, defineFamilyQuotients, defineServicePricing, standardLedgerAccounts, type Permission,
} from '@ecole/core'
import { definePeriod, generateSchoolPeriods, type PeriodRecord } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { CREDITOR_ID, demoBillingRules, demoFamilies, demoPricing, demoQuotients, SERVICES, type DemoFamily } from '@ecole/example-billing-run/demo-site'
import { runDemo, seedDemoSetup } from '@ecole/example-billing-run/run-demo'
import { hashPassword, issueOneTimeToken, openPortalAccess, recordPayment, setWalletNumbers, type ScryptParams } from '@ecole/workflows'
import { SITE, type ServiceBookingSettings } from './site-settings'
import { BACK_OFFICE_LOGINS, seedStaffAccess } from './staff/staff-access'
import { DEMO_CONSENTS, seedDemoConsents } from './demo-consents'

const cutoff = { kind: 'daysBefore', days: 2, count: 'weekdays', at: '10:00' } as const

/**
 * The demo services' booking settings (cut-offs two working days before at 10:00, the canteen's
 * 60 places, the holiday centre on opening days only, the prepaid snack at 0.80 EUR), stored on
 * the service records by {@link seedDirectory}; the portal reads them back from there.
 */
export const DEMO_BOOKING_SERVICES: readonly ServiceBookingSettings[] = [
  { id: SERVICES.canteen.id, weekdays: [1, 2, 4, 5], payment: 'invoiced', startsAt: '11:30', bookingCutoff: cutoff, cancellationCutoff: cutoff, capacity: 60 },
  { id: SERVICES.care.id, weekdays: [1, 2, 4, 5], payment: 'invoiced', startsAt: '16:30', bookingCutoff: cutoff, cancellationCutoff: cutoff },
  { id: SERVICES.centre.id, weekdays: [1, 2, 3, 4, 5], payment: 'invoiced', startsAt: '08:30', bookingCutoff: cutoff, cancellationCutoff: cutoff, openingsOnly: true },
  { id: SERVICES.snack.id, weekdays: [1, 2, 4, 5], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, startsAt: '16:30', bookingCutoff: cutoff, cancellationCutoff: cutoff },
]

/** The demo site's portal texts (seed 001), stored on the site record by {@link seedDirectory}. */
export const DEMO_PORTAL_TEXTS = {
  login: { fr: "Bienvenue sur le portail des familles de l'école Jean-Jaurès.", en: 'Welcome to the families portal of École Jean-Jaurès.' },
  home: { fr: 'Les menus de février sont en ligne dans vos documents.', en: "February's menus are in your documents." },
  contact: { fr: 'Régie périscolaire : regie@creteil.example.fr, 01 23 45 67 89 (lundi, mardi, jeudi 8 h 30 - 12 h).', en: 'Billing office: regie@creteil.example.fr, +33 1 23 45 67 89 (Mon, Tue, Thu 8:30-12:00).' },
  bookings: { fr: 'Réservez au plus tard deux jours ouvrés avant 10 h.', en: 'Book at the latest two working days before, by 10:00.' },
}

/** The password of every demo login that has one. */
export const DEMO_PASSWORD = 'jaures-demo-2027'

/** The demo's logins, printed by `npm run web`. */
export interface DemoLogins {
  /** A parent who has not logged in yet: their username and an unused one-time token. */
  firstLogin: { username: string; token: string }
  /** A parent with a password (a prepaid wallet and invoices). */
  withPassword: { username: string; password: string }
  /** Separated parents (alternate weeks), each with their own login. */
  separated: Array<{ username: string; password: string }>
  /** A joint debtor. */
  jointDebtor: { username: string; password: string }
  /** One staff user per role. */
  staff: Array<{ role: string; username: string; password: string }>
}

/** The e-mail of a demo guardian (the address the billing-run example mails invoices to). */
export const guardianEmail = (guardianId: string) => `${guardianId}@familles.example`

const FIRST_LOGIN = 'resp-02'
const WITH_PASSWORD = ['resp-21', 'resp-01', 'resp-03', 'resp-03b', 'resp-05j', 'resp-22']
const STAFF = [
  { role: 'administrator', label: 'Administrateur', permissions: Object.values(PERMISSION_CATALOGUE).flatMap((c) => Object.keys(c)) as Permission[], user: { id: 'u-admin', firstName: 'Sophie', lastName: 'Admin' } },
  { role: 'accountant', label: 'Régisseur', permissions: ['invoices.read', 'invoices.write', 'invoices.validate', 'payments.write', 'wallets.read', 'wallets.credit', 'households.read'] as Permission[], user: { id: 'u-regie', firstName: 'Marc', lastName: 'Régisseur' } },
  { role: 'staff', label: 'Animateur', permissions: ['bookings.read', 'attendance.write', 'households.read'] as Permission[], user: { id: 'u-anim', firstName: 'Nora', lastName: 'Animatrice' } },
]
const staffLogin = (id: string) => `${id.slice(2)}@jaures.example`

function split(name: string): { firstName: string; lastName: string } {
  const i = name.lastIndexOf(' ')
  return i < 0 ? { firstName: name, lastName: name } : { firstName: name.slice(0, i), lastName: name.slice(i + 1) }
}

/** Whether the demo site is already in the storage. */
export async function isSeeded(storage: StoragePorts): Promise<boolean> {
  return (await storage.directory!.getSite(SITE.id)) !== undefined
}

/**
 * Seeds the demo school (once: a storage that has it is left alone) and answers the demo logins
 * (a fresh first-login token each call while that parent has no password yet).
 */
export async function seedDemoSchool(storage: StoragePorts, options: { now: Date; log?: (line: string) => void; scrypt?: ScryptParams }): Promise<DemoLogins> {
  const log = options.log ?? (() => {})
  const siteId = SITE.id
  if (!(await isSeeded(storage))) {
    log('seeding the demo school (examples/billing-run: two months billed)...')
    await runDemo({ storage, log: () => {} })
    await seedDirectory(storage)
    const ids = { next: () => crypto.randomUUID() }
    const families = demoFamilies()
    const guardianIds = families.flatMap((f) => [f.guardianId, ...(f.separatedFrom ? [f.separatedFrom.guardianId] : []), ...(f.jointDebtor ? [f.jointDebtor.guardianId] : [])])
    for (const guardianId of guardianIds) await openPortalAccess({ storage, ids }, { siteId, guardianId, now: options.now })
    const hash = await hashPassword(DEMO_PASSWORD, options.scrypt)
    await storage.transaction(siteId, async (tx) => {
      for (const id of WITH_PASSWORD) await tx.access!.putCredential(siteId, { subject: { kind: 'guardian', id }, passwordHash: hash, updatedAt: options.now.toISOString() })
      for (const s of STAFF) {
        await tx.directory!.putDirectoryRecord(siteId, 'role', RoleSchema.parse({ id: s.role, siteId, label: s.label, permissions: s.permissions }))
        await tx.access!.createUser(siteId, UserSchema.parse({ id: s.user.id, siteId, login: staffLogin(s.user.id), firstName: s.user.firstName, lastName: s.user.lastName, roleId: s.role, scope: { schoolIds: 'all', serviceIds: 'all' } }))
        await tx.access!.putCredential(siteId, { subject: { kind: 'user', id: s.user.id }, passwordHash: hash, updatedAt: options.now.toISOString() })
      }
    })
    await seedStaffAccess(storage, siteId, { password: DEMO_PASSWORD, now: options.now, scrypt: options.scrypt }) // the back office's roles and users (src/staff)
    // the canteen rules families accept before booking the canteen (seed 001): every demo parent has
    // accepted them but the first-login parent and resp-22, who see the consent gate
    await seedCanteenRulesDocument(storage, siteId)
    await seedDemoConsents(storage, siteId) // stored consents, edited in the back office from then on
    for (const guardianId of guardianIds.filter((g) => g !== FIRST_LOGIN && g !== 'resp-22')) {
      for (const c of DEMO_CONSENTS) await storage.bookings!.acceptConsent(siteId, { consentId: c.id, guardianId, acceptedAt: new Date('2026-08-30T18:00:00Z') })
    }
    const menus = new TextEncoder().encode('Lundi 1er : carottes râpées, poisson pané, riz, yaourt.\n')
    await storage.documents!.putDocument(siteId, { id: 'menus-2027-02', siteId, name: 'Menus de février 2027.txt', description: 'Cantine', key: 'menus-2027-02', mediaType: 'text/plain; charset=utf-8', sizeBytes: menus.byteLength, audience: { kind: 'site' }, available: { from: '2027-01-25', to: '2027-03-05' } }, menus)
    log('demo school seeded')
  }
  const firstLogin = await storage.transaction(siteId, async (tx) => {
    if (await tx.access!.getCredential(siteId, { kind: 'guardian', id: FIRST_LOGIN })) return undefined
    const { token } = await issueOneTimeToken({ access: tx.access!, ids: { next: () => crypto.randomUUID() }, siteId, subject: { kind: 'guardian', id: FIRST_LOGIN }, purpose: 'firstLogin', now: options.now })
    return token
  })
  return {
    firstLogin: { username: guardianEmail(FIRST_LOGIN), token: firstLogin ?? '(already used: ask for a new one on /forgot)' },
    withPassword: { username: guardianEmail('resp-21'), password: DEMO_PASSWORD },
    separated: ['resp-03', 'resp-03b'].map((g) => ({ username: guardianEmail(g), password: DEMO_PASSWORD })),
    jointDebtor: { username: guardianEmail('resp-05j'), password: DEMO_PASSWORD },
    staff: [...STAFF.map((s) => ({ role: s.role, username: staffLogin(s.user.id), password: DEMO_PASSWORD })), ...BACK_OFFICE_LOGINS.map((l) => ({ ...l, password: DEMO_PASSWORD }))],
  }
}

/**
 * Seeds the demo school as it stands before it bills a month, without `runDemo`'s billing: the
 * directory of {@link seedDirectory} (site, school, classes, billing office, services and their
 * tariffs, families with their quotients, enrolments, service rights, billing rules), what the
 * billing-run example sets up before the month (`seedDemoSetup`: ledger accounts and the SEPA
 * mandates; not the wallet top-ups, paid at the desk and so entered on screen), every guardian's acceptance of
 * the canteen rules, and the back office's roles and users. A month is then billed on screen
 * (test/staff/demo-month-browser.test.ts does December 2026, as `npm run demo` does).
 *
 * @example
 * await seedDemoSchoolBeforeBilling(storage, { now: new Date('2026-11-20T08:00:00Z'), password: 'secret' })
 */
export async function seedDemoSchoolBeforeBilling(storage: StoragePorts, options: { now: Date; password?: string; scrypt?: ScryptParams }): Promise<void> {
  const siteId = SITE.id
  await seedDirectory(storage)
  await seedDemoSetup(storage, { walletTopUps: false }) // the wallet top-ups are paid at the desk: recorded on screen
  const families = demoFamilies()
  const guardianIds = families.flatMap((f) => [f.guardianId, ...(f.separatedFrom ? [f.separatedFrom.guardianId] : []), ...(f.jointDebtor ? [f.jointDebtor.guardianId] : [])])
  await seedCanteenRulesDocument(storage, siteId) // the document the canteen consent links to
  await seedDemoConsents(storage, siteId) // stored consents, edited in the back office from then on
  for (const guardianId of guardianIds) {
    for (const c of DEMO_CONSENTS) await storage.bookings!.acceptConsent(siteId, { consentId: c.id, guardianId, acceptedAt: new Date('2026-08-30T18:00:00Z') })
  }
  await seedStaffAccess(storage, siteId, { password: options.password ?? DEMO_PASSWORD, now: options.now, ...(options.scrypt ? { scrypt: options.scrypt } : {}) })
}

/** Writes the demo site's directory (site, school, classes, billing office, services with their tariffs, the 32 families with their quotients) and billing rules, without the billing run. */
export async function seedDirectory(storage: StoragePorts): Promise<void> {
  const siteId = SITE.id
  const families = demoFamilies()
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putSite(siteId, { ...SiteSchema.parse({ id: siteId, name: SITE.name, country: 'FR', timeZone: SITE.timeZone, contact: { email: 'regie@creteil.example.fr' }, portalTexts: DEMO_PORTAL_TEXTS }), smtp: null })
    await d.putDirectoryRecord(siteId, 'school', SchoolSchema.parse({ id: SITE.schoolId, siteId, name: 'École élémentaire Jean-Jaurès', uai: '0941234F' }))
    for (const [id, name] of [['cp', 'CP'], ['ce1', 'CE1']] as const) {
      await d.putDirectoryRecord(siteId, 'schoolClass', SchoolClassSchema.parse({ id, siteId, schoolId: SITE.schoolId, name, levels: [name], schoolYear: '2026-2027' }))
    }
    await d.putDirectoryRecord(siteId, 'billingOffice', BillingOfficeSchema.parse({
      id: SITE.billingOfficeId, siteId, name: 'Régie périscolaire de Créteil', iban: SITE.iban, creditorId: CREDITOR_ID, paymentReference: 'rf',
      email: 'regie@creteil.example.fr', address: { line1: 'Hôtel de Ville, place Salvador Allende', postcode: '94000', city: 'Créteil', country: 'FR' },
    }))
    for (const s of Object.values(SERVICES)) {
      const settings: ServiceBookingSettings = DEMO_BOOKING_SERVICES.find((x) => x.id === s.id)!
      await d.putDirectoryRecord(siteId, 'service', ServiceSchema.parse({
        id: s.id, siteId, name: s.label, billing: settings.payment, billingOfficeId: SITE.billingOfficeId, offeredTo: [{ schoolId: SITE.schoolId }], weekdays: [...s.weekdays], startTime: settings.startsAt,
        bookingCutoff: settings.bookingCutoff, cancellationCutoff: settings.cancellationCutoff,
        ...(settings.price ? { price: settings.price } : {}),
        ...(settings.capacity !== undefined ? { capacity: settings.capacity } : {}),
        ...(settings.openingsOnly !== undefined ? { openingsOnly: settings.openingsOnly } : {}),
      }))
    }
    // what a day costs: the demo's tariffs and family quotients, as the back office's batches read them
    for (const p of demoPricing()) await d.putDirectoryRecord(siteId, 'servicePricing', defineServicePricing(siteId, p))
    for (const q of demoQuotients(families)) await d.putDirectoryRecord(siteId, 'familyQuotient', defineFamilyQuotients({ id: q.guardianId, siteId, quotients: [{ quotient: q.quotient, from: q.from }] }))
    for (const f of families) await writeFamily(tx.directory!, f)
    for (const rule of demoBillingRules(families)) await tx.directory!.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse(rule))
    for (const period of demoCalendar()) await tx.directory!.putDirectoryRecord(siteId, 'period', period) // the zone C calendar (stored periods)
  })
  // the wallet numbers the billing-run example's top-ups were made with (each family's index), kept as
  // a previous system's numbers are: guardians added later are drawn numbers above them
  await setWalletNumbers({ storage }, { siteId, numbers: families.map((f) => ({ guardianId: f.guardianId, walletNumber: f.index })) })
}

async function writeFamily(d: NonNullable<StoragePorts['directory']>, f: DemoFamily): Promise<void> {
  const siteId = SITE.id
  const household = `foyer-${f.index}`
  const address = { line1: `${f.index * 3 + 1} rue Jean-Jaurès`, postcode: '94000', city: 'Créteil', country: 'FR' }
  await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: household, siteId, name: `Famille ${f.surname}`, address }))
  const adults = [
    { id: f.guardianId, name: f.guardianName.replace('M./Mme', f.index % 2 === 0 ? 'Julie' : 'Marc'), householdId: household },
    ...(f.separatedFrom ? [{ id: f.separatedFrom.guardianId, name: f.separatedFrom.guardianName, householdId: `${household}b` }] : []),
    ...(f.jointDebtor ? [{ id: f.jointDebtor.guardianId, name: f.jointDebtor.guardianName.replace(/ \(.*\)$/, ''), householdId: `${household}j` }] : []),
  ]
  for (const a of adults) {
    if (a.householdId !== household) await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: a.householdId, siteId, name: a.name, address }))
    await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: a.id, siteId, householdId: a.householdId, ...split(a.name), email: guardianEmail(a.id) }))
  }
  for (const c of f.children) {
    const parents = [{ guardianId: f.guardianId, relationship: 'mother' as const }, ...(f.separatedFrom ? [{ guardianId: f.separatedFrom.guardianId, relationship: 'father' as const }] : [])]
    await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: c.id, siteId, ...split(c.name), birthDate: c.birthDate, guardians: parents }))
    await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: `insc-${c.id}`, siteId, beneficiaryId: c.id, schoolId: SITE.schoolId, classId: c.classId, schoolYear: '2026-2027', from: '2026-09-01' }))
    const subs = [SERVICES.canteen.id, ...(f.afterSchoolCare ? [SERVICES.care.id] : []), ...(f.holidayCentre ? [SERVICES.centre.id] : []), ...(f.prepaidWallet ? [SERVICES.snack.id] : [])]
    for (const s of subs) await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `droit-${c.id}-${s}`, siteId, beneficiaryId: c.id, serviceId: s, from: '2026-09-01' }))
  }
}

/**
 * Adds `count` families for a booking race (tests and the load bench): family `race-<i>` has one
 * guardian with a topped-up wallet, one child in CP subscribed to the prepaid snack, and a billing
 * rule naming the guardian as payer. Answers their guardian ids and e-mails.
 */
export async function seedRaceFamilies(storage: StoragePorts, options: { count: number; now: Date; topUp?: string; scrypt?: ScryptParams; password?: string }): Promise<Array<{ guardianId: string; childId: string; email: string }>> {
  const siteId = SITE.id
  const out: Array<{ guardianId: string; childId: string; email: string }> = []
  const hash = options.password ? await hashPassword(options.password, options.scrypt) : undefined
  for (let from = 0; from < options.count; from += 50) {
    await storage.transaction(siteId, async (tx) => {
      const d = tx.directory!
      for (let i = from; i < Math.min(options.count, from + 50); i++) {
        const guardianId = `race-g${i}`
        const childId = `race-c${i}`
        await d.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: `race-h${i}`, siteId, name: `Famille Course ${i}` }))
        await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: guardianId, siteId, householdId: `race-h${i}`, firstName: 'Parent', lastName: `Course ${i}`, email: guardianEmail(guardianId) }))
        await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: childId, siteId, firstName: 'Enfant', lastName: `Course ${i}`, birthDate: '2020-03-01', guardians: [{ guardianId, relationship: 'mother' }] }))
        await d.putDirectoryRecord(siteId, 'enrolment', EnrolmentSchema.parse({ id: `insc-${childId}`, siteId, beneficiaryId: childId, schoolId: SITE.schoolId, classId: 'cp', from: '2026-09-01' }))
        await d.putDirectoryRecord(siteId, 'subscription', ServiceSubscriptionSchema.parse({ id: `droit-${childId}`, siteId, beneficiaryId: childId, serviceId: SERVICES.snack.id, from: '2026-09-01' }))
        await tx.directory!.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({ id: `regle-${childId}`, from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId, weight: 1 }], covers: [{ beneficiaryId: childId, serviceId: SERVICES.snack.id }] }))
        // the portal's access is open (a session is let through only then); a password only when one is given
        await tx.access!.putPortalAccount(siteId, { siteId, guardianId, login: guardianEmail(guardianId) })
        if (hash) await tx.access!.putCredential(siteId, { subject: { kind: 'guardian', id: guardianId }, passwordHash: hash, updatedAt: options.now.toISOString() })
        out.push({ guardianId, childId, email: guardianEmail(guardianId) })
      }
      await tx.ledger!.createAccounts(siteId, standardLedgerAccounts({
        currency: 'EUR', billingOffices: [{ id: SITE.billingOfficeId, serviceIds: Object.values(SERVICES).map((s) => s.id) }],
        guardians: out.slice(from).map((g) => ({ guardianId: g.guardianId, billingOfficeIds: [SITE.billingOfficeId] })),
      }))
    })
  }
  for (const g of out) {
    await recordPayment({ storage, clock: { now: () => options.now } }, { id: `race-topup-${g.guardianId}`, siteId, billingOfficeId: SITE.billingOfficeId, payerId: g.guardianId, method: 'cash', product: 'goûter', date: options.now.toISOString().slice(0, 10), amount: options.topUp ?? '5.00' })
  }
  return out
}

/**
 * The demo site's calendar, stored once by {@link seedDirectory} as the back office's « générer les
 * périodes » would store it: each school holiday of 2026-2027 in zone C (`generateSchoolPeriods`)
 * closes the canteen, the evening care and the snack, and an opening of the same days opens the
 * holiday centre. The portal reads them back from the store (`storedPeriods`).
 */
export function demoCalendar(): PeriodRecord[] {
  const siteId = SITE.id
  const origin = { zone: 'FR-C', schoolYear: '2026-2027' }
  const term = [SERVICES.canteen.id, SERVICES.care.id, SERVICES.snack.id]
  return generateSchoolPeriods('FR-C', '2026-2027', { scopes: term.map((serviceId) => ({ serviceId })) }).flatMap((p) => [
    definePeriod({ ...p, siteId, generatedFrom: origin }),
    definePeriod({ id: `centre-${p.id}`, siteId, kind: 'opening', label: `Centre de loisirs : ${p.label}`, colour: '#2e7d32', from: p.from, to: p.to, scopes: [{ serviceId: SERVICES.centre.id }], generatedFrom: origin }),
  ])
}

/** The canteen rules (a site document from 2026-08-25) that the demo's canteen consent links to. */
async function seedCanteenRulesDocument(storage: StoragePorts, siteId: string): Promise<void> {
  const rules = new TextEncoder().encode("Règlement intérieur de la restauration scolaire 2026-2027\n\n1. Les repas se réservent au plus tard deux jours ouvrés avant 10 h.\n2. Toute allergie est signalée par un PAI.\n3. Une annulation après la date limite est facturée.\n")
  await storage.documents!.putDocument(siteId, { id: 'reglement-restauration-2026', siteId, name: 'Règlement de la restauration 2026-2027.txt', description: 'Cantine', key: 'reglement-restauration-2026', mediaType: 'text/plain; charset=utf-8', sizeBytes: rules.byteLength, audience: { kind: 'site' }, available: { from: '2026-08-25' } }, rules)
}

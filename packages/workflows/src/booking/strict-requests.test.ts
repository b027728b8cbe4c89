import { createMemoryStorage } from '@ecole/storage-memory'
import { strictRequestsSuite, type StrictRequestRow } from '../test-support/strict-requests'
import {
  acceptBookingConsent, applyWeekTemplate, changeBookings, deleteConsent, deletePeriod, guardianConsents, loadBookingContext, loadBookingFacts, savePeriod,
  saveConsent, saveSchoolCalendar, siteConsents, withdrawBookingConsent, type BookingSiteSettings,
} from './index'

// The rule (issue 12): a misspelt key in what a caller passes is refused with INVALID_INPUT naming
// the function, the key and the nearest known key, never read as absent so that a default applies
// (a preview that writes, every period of the calendar instead of the chosen ones, no audit entry...).

const now = new Date('2027-02-08T07:30:00Z')
const clock = { now: () => now }
const siteId = 'site-1'
const actor = { kind: 'user' as const, id: 'u-admin' }
const storage = createMemoryStorage()
const deps = { storage, clock }
const settings: BookingSiteSettings = {
  timeZone: 'Europe/Paris', currency: 'EUR', billingOfficeId: 'regie', storedPeriods: true, services: [], offers: [], periods: [], publicHolidays: [],
  consents: [{ id: 'rules', siteId, label: 'Règlement', validity: { from: '2026-09-01' }, scope: { kind: 'site' } }],
}
const template = { beneficiaryId: 'c1', serviceId: 'lunch', weekdays: [1, 2], from: '2027-03-01', to: '2027-03-12', recurrence: { kind: 'everyWeek' as const }, mode: 'add' as const }
const strike = { id: 'strike', kind: 'closure' as const, label: 'Grève', from: '2027-02-11', to: '2027-02-12', scopes: [{ serviceId: 'lunch' }] }
const consent = { id: 'photos', siteId, label: 'Photos', texts: { fr: "J'accepte." }, validity: { from: '2026-09-01' }, scope: { kind: 'site' as const } }

const rows: StrictRequestRow[] = [
  { fn: 'loadBookingFacts', param: 'options', key: 'beneficiaryIds', typo: 'beneficiaryIDs', call: (t) => storage.transaction(siteId, (tx) => loadBookingFacts(tx, t({ beneficiaryIds: ['c1'] }))) },
  { fn: 'loadBookingContext', param: 'options', key: 'serviceId', typo: 'serviceID', call: (t) => storage.transaction(siteId, (tx) => loadBookingContext(tx, settings, t({ from: '2027-02-08', to: '2027-02-12', guardianIds: ['g1'], now, serviceId: 'lunch' }))) },
  { fn: 'loadBookingContext', param: 'settings', key: 'storedPeriods', typo: 'storedPeriod', call: (t) => storage.transaction(siteId, (tx) => loadBookingContext(tx, t(settings), { from: '2027-02-08', to: '2027-02-12', guardianIds: ['g1'], now })) },
  { fn: 'siteConsents', param: 'settings', key: 'consents', typo: 'consent', call: (t) => siteConsents(siteId, t(settings)) },
  { fn: 'changeBookings', param: 'request', key: 'serviceId', typo: 'serviceID', call: (t) => changeBookings(deps, settings, t({ siteId, guardianId: 'g1', beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2027-02-11'], action: 'book' as const })) },
  { fn: 'changeBookings', param: 'settings', key: 'publicHolidays', typo: 'publicHoliday', call: (t) => changeBookings(deps, t(settings), { siteId, guardianId: 'g1', beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2027-02-11'], action: 'book' }) },
  { fn: 'changeBookings', param: 'options', key: 'audit', typo: 'audt', call: (t) => changeBookings(deps, settings, { siteId, guardianId: 'g1', beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2027-02-11'], action: 'book' }, t({ audit: { entryId: 'a1' } })) },
  { fn: 'changeBookings', param: 'options.audit', key: 'householdId', typo: 'householdID', call: (t) => changeBookings(deps, settings, { siteId, guardianId: 'g1', beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2027-02-11'], action: 'book' }, { audit: t({ entryId: 'a1', householdId: 'h1' }) }) },
  { fn: 'acceptBookingConsent', param: 'answer', key: 'shownVersion', typo: 'shownversion', call: (t) => acceptBookingConsent(deps, settings, t({ siteId, consentId: 'rules', guardianId: 'g1', shownVersion: 'v1-0123456789abcdef' })) },
  { fn: 'acceptBookingConsent', param: 'options', key: 'audit', typo: 'Audit', call: (t) => acceptBookingConsent(deps, settings, { siteId, consentId: 'rules', guardianId: 'g2' }, t({ audit: { entryId: 'a2' } })) },
  { fn: 'withdrawBookingConsent', param: 'answer', key: 'guardianId', typo: 'guardianID', call: (t) => withdrawBookingConsent(deps, settings, t({ siteId, consentId: 'rules', guardianId: 'g3' })) },
  { fn: 'withdrawBookingConsent', param: 'settings', key: 'consents', typo: 'consent', call: (t) => withdrawBookingConsent(deps, t(settings), { siteId, consentId: 'rules', guardianId: 'g3' }) },
  { fn: 'guardianConsents', param: 'query', key: 'date', typo: 'Date', call: (t) => guardianConsents(deps, settings, t({ siteId, guardianId: 'g1', date: '2027-02-08' })) },
  { fn: 'applyWeekTemplate', param: 'request', key: 'preview', typo: 'previw', call: (t) => applyWeekTemplate(deps, settings, t({ siteId, template, preview: true })) },
  { fn: 'applyWeekTemplate', param: 'settings', key: 'currency', typo: 'curency', call: (t) => applyWeekTemplate(deps, t(settings), { siteId, template, preview: true }) },
  { fn: 'applyWeekTemplate', param: 'options', key: 'audit', typo: 'audits', call: (t) => applyWeekTemplate(deps, settings, { siteId, template, preview: true }, t({ audit: () => [] })) },
  { fn: 'savePeriod', param: 'request', key: 'preview', typo: 'preveiw', call: (t) => savePeriod(deps, t({ siteId, period: strike, actor, preview: true })) },
  { fn: 'savePeriod', param: 'request', key: 'confirmedBookingIds', typo: 'confirmedBookingIDs', call: (t) => savePeriod(deps, t({ siteId, period: { ...strike, id: 'strike-2' }, actor, confirmedBookingIds: [], preview: true })) },
  { fn: 'savePeriod', param: 'request.actor', key: 'kind', typo: 'kinds', call: (t) => savePeriod(deps, { siteId, period: strike, actor: t(actor), preview: true }) },
  { fn: 'deletePeriod', param: 'request', key: 'periodId', typo: 'periodID', call: (t) => deletePeriod(deps, t({ siteId, periodId: 'nothing-stored', actor })) },
  { fn: 'saveSchoolCalendar', param: 'request', key: 'periodIds', typo: 'periodIDs', call: (t) => saveSchoolCalendar(deps, t({ siteId, actor, zone: 'FR-C', schoolYear: '2026-2027', periodIds: ['none'], preview: true })) },
  { fn: 'saveSchoolCalendar', param: 'request', key: 'scopes', typo: 'scope', call: (t) => saveSchoolCalendar(deps, t({ siteId, actor, zone: 'FR-C', schoolYear: '2026-2027', scopes: [{ serviceId: 'lunch' }], preview: true })) },
  { fn: 'saveConsent', param: 'options', key: 'create', typo: 'creat', call: (t) => saveConsent({ storage }, consent, t({ create: true })) },
  { fn: 'deleteConsent', param: 'options', key: 'withChange', typo: 'withChanges', call: (t) => deleteConsent({ storage }, { siteId, consentId: 'photos' }, t({ withChange: async () => {} })) },
]

strictRequestsSuite('booking use cases read their requests, settings and options strictly', rows)

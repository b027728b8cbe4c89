import { isEcoleError, MessageTemplateSchema, type Actor, type EcoleError, type InvoiceBatchInput, type InvoiceChargeLine } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import * as workflows from './index'
import {
  acceptBookingConsent, addPortalDocument, adjustDraft, applyWeekTemplate, changeBookings, changeDirectory, changeDocumentWindow, checkRecordVersion, closePortalAccess,
  collectDirectDebits, compareRecordVersions, consentAcceptancesPage, createDeposit, createInvoiceBatch, decideHeldStatement, deleteConsent, deleteDeposit, deleteDrafts,
  deletePeriod, deleteRoleEdit, deleteUserEdit, deliverOutbox, discardDeadLetter, editDrafts, expectRecordVersions, fileMatchingInvoices, guardianConsents, importBankStatement,
  issueInvoiceCreditNote, issueOneTimeToken, issueTaxCertificates, listConsents, listDeadLetters, loadBookingContext, loadBookingFacts, lockDirectoryKeys, lockRecords,
  lockStaffRole, mailAccountsOf, openPortalAccess, outstandingByDebtor, portalAccessStatus, previewBankStatement, previewGroupMessage, putSiteImage, queueDocumentNotices,
  queueFamilyMessage, queueGroupMessage, queueLowBalanceAlerts, queueMail, queueMailFromAccount, queueMails, queuePortalTokenMail, readAccountStatement, readRecord, readSite,
  readSiteImage, recordAttendance, recordDirectDebitReturn, recordPayment, recordPaymentStatusReport, recordVersion, redeemOneTimeToken, removeMailAccount, removePortalDocument, removeSiteImage,
  removeSmtpSettings, requestPasswordReset, requestUserPasswordReset, resendPortalAccessToken, retryDeadLetter, saveConsent, saveFamilyDocuments, saveInvoiceFolder,
  saveMailAccount, savePeriod, saveRoleEdit, saveSchoolCalendar, saveSiteSettings, saveSmtpSettings, saveUserEdit, scheduleInstalments, selectReminders, setInvoicePortalDates,
  setPasswordWithToken, setUserPasswordWithToken, setWalletNumbers, smtpSettingsForSending, startOutboxWorker, storeBookings, storedBookingConsents, testMailAccount,
  uploadPortalDocument, validateDrafts, verifyPortalPassword, verifyUserPassword, walletNumberOf, withdrawBookingConsent, type BookingSiteSettings,
} from './index'

/**
 * The use cases that take the host's wiring first (deps, a storage, a site's ports, an outbox, a
 * mailer, a transaction), called with `null` wiring and a *valid* request (from their TSDoc
 * examples and tests): each must refuse with `INVALID_INPUT` naming the wiring parameter, not
 * let a `TypeError` out. The fuzz test (`boundaries.test-prop.ts`) passes arbitrary values and
 * almost never builds a valid request, so it missed the use cases that parse their request first
 * and only then touch the wiring (`setInvoicePortalDates(null, { siteId, invoiceIds, date })`).
 *
 * Every exported use case taking wiring first is in the table (none left out: the first test
 * checks that each export is in one of the three lists). The booking and consent use cases check
 * their `deps` shallowly before anything else, so `null` was refused there already; what their
 * guard adds shows with a storage without its methods (`HALF_WIRED` below).
 */

const siteId = 's1'
const now = new Date('2027-02-08T07:30:00Z')
const clock = { now: () => now }
const FROM = '"École" <no-reply@ecole.example>'
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n')
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const cashier: Actor = { userId: 'u-compta', siteId, profile: 'staff', permissions: ['payments.write'], scope: { schoolIds: 'all', serviceIds: 'all' } }
const notify = { siteName: 'École Jules Ferry', locale: 'fr' as const, sender: { from: FROM }, portalUrl: 'https://portail.example' }
const template = MessageTemplateSchema.parse({ subject: 'Bonjour {{guardian.firstName}}', body: '<p>Bonjour {{guardian.fullName}}</p>' })
const secretariat = { kind: 'establishment' as const, id: 'secretariat', siteId, name: 'Secrétariat', address: 'secretariat@lycee.fr', senderName: 'Secrétariat du lycée', authorisedUserIds: ['u1'] }
const smtp = { host: 'smtp.example.it', port: 465, username: 'scuola@example.it', password: 's3cret', security: 'ssl' as const }
const cutoff = { kind: 'daysBefore', days: 1, count: 'weekdays', at: '10:00' } as const
const settings: BookingSiteSettings = {
  timeZone: 'Europe/Paris', billingOfficeId: 'regie',
  services: [{ id: 'lunch', weekdays: [1, 2, 4, 5], bookingCutoff: cutoff }],
  offers: [{ serviceId: 'lunch', schoolId: 'school' }],
  consents: [{ id: 'rules', siteId: 'ignored', label: 'Règlement de la restauration 2026-2027', validity: { from: '2026-09-01' }, scope: { kind: 'services', serviceIds: ['lunch'] } }],
}
const booking = { siteId, guardianId: 'g1', beneficiaryId: 'c1', serviceId: 'lunch', dates: ['2027-02-11'] as const, action: 'book' as const }
const answer = { siteId, consentId: 'rules', guardianId: 'g1' }
const period = { id: 'strike', kind: 'closure' as const, label: 'Grève', from: '2027-02-11', to: '2027-02-12', scopes: [{ serviceId: 'lunch' }] }
const weekTemplate = { beneficiaryId: 'c1', serviceId: 'lunch', weekdays: [1, 2, 4, 5], from: '2027-03-01', to: '2027-03-31', recurrence: { kind: 'everyWeek' as const }, mode: 'add' as const }
const consent = { id: 'rules', siteId, label: 'Règlement de la restauration', texts: { fr: "J'accepte le règlement." }, validity: { from: '2026-09-01' }, scope: { kind: 'services' as const, serviceIds: ['lunch'] } }
const batch: InvoiceBatchInput = {
  id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05',
}
const charges: InvoiceChargeLine[] = [{ chargeId: 'g1|k1|meal|2026-12-01', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'meal', date: '2026-12-01', quantity: 1, unitPriceMinor: 415n, amountMinor: 415n }]
const documentInput = { id: 'menu-oct', name: 'Menus d’octobre', key: 's1/menu-oct.pdf', audience: { kind: 'site' as const }, available: { from: '2026-10-01', to: '2026-10-31' } }
const queued = { id: 'invoice-42', purpose: 'invoiceAvailable', mail: { from: FROM, to: ['marie@example.fr'], subject: 'Facture 42', text: 'Bonjour' } }
const workerOptions = { messageIdDomain: 'ecole.example' }
const lowBalance = {
  siteId, id: 'alerts-2026-10-05', balances: [{ accountId: 'w1', available: 300n }], policy: { threshold: 500n, rearmAt: 1000n }, currency: 'EUR', locale: 'fr' as const, sender: { from: FROM },
  holderOf: () => ({ guardianId: 'marie', name: 'Marie Dupont', email: 'marie@example.fr' }),
}
const reminderPolicy = { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] }

type Call = (wiring: never) => unknown

/** [use case, its wiring parameter, the call with that wiring and a valid request]. */
const WIRING_FIRST: Array<readonly [string, string, Call]> = [
  // billing
  ['storeBookings', 'deps', (w) => storeBookings(w, { siteId, bookings: [{ id: 'b1', beneficiaryId: 'c1', serviceId: 'lunch', date: '2027-01-04', status: 'booked', bookedAt: now }] })],
  ['recordAttendance', 'deps', (w) => recordAttendance(w, { siteId, records: [{ beneficiaryId: 'c1', serviceId: 'lunch', date: '2027-01-04', status: 'present', recordedAt: now }] })],
  ['createInvoiceBatch', 'deps', (w) => createInvoiceBatch(w, { batch, charges })],
  ['validateDrafts', 'deps', (w) => validateDrafts(w, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', numbering: { prefix: 'F{YYYY}-' } })],
  ['issueInvoiceCreditNote', 'deps', (w) => issueInvoiceCreditNote(w, {
    siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20', creditNote: { id: 'cn-1', reason: 'Meal not served (strike)', scope: { kind: 'amount', amount: '4.15' } },
  })],
  ['recordPayment', 'deps', (w) => recordPayment(w, { id: 'pay-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', product: 'cantine', date: '2027-01-10', invoiceId: 'b-2026-12:g1' })],
  ['createDeposit', 'deps', (w) => createDeposit(w, { siteId, deposit: { id: 'dep-1', method: 'cheque', bankAccountId: 'FR76', date: '2027-01-12' }, paymentIds: ['pay-1'] })],
  ['deleteDeposit', 'deps', (w) => deleteDeposit(w, { siteId, depositId: 'dep-1' })],
  ['collectDirectDebits', 'deps', (w) => collectDirectDebits(w, { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10', endToEndPrefix: 'DD2701-' })],
  ['recordDirectDebitReturn', 'deps', (w) => recordDirectDebitReturn(w, { siteId, endToEndId: 'DD2701-b-2026-12:g7', reasonCode: 'AM04', date: '2027-01-14' })],
  ['recordPaymentStatusReport', 'deps', (w) => recordPaymentStatusReport(w, { siteId, report: { messageId: 'STS-1', originalMessageId: 'DD-2027-01', groupReasons: [], paymentInformation: [], transactions: [] }, date: '2027-01-08' })],
  ['importBankStatement', 'deps', (w) => importBankStatement(w, { siteId, billingOfficeId: 'regie', statements: [] })],
  ['decideHeldStatement', 'deps', (w) => decideHeldStatement(w, { siteId, billingOfficeId: 'regie', key: 'camt.053|BE68539007547034|STMT-1', actor: cashier, decision: 'accept' })],
  ['previewBankStatement', 'deps', (w) => previewBankStatement(w, { siteId, billingOfficeId: 'regie', statements: [] })],
  ['selectReminders', 'deps', (w) => selectReminders(w, { siteId, today: '2027-02-01', policy: reminderPolicy })],
  ['outstandingByDebtor', 'deps', (w) => outstandingByDebtor(w, { siteId })],
  ['fileMatchingInvoices', 'deps', (w) => fileMatchingInvoices(w, { siteId, filter: { batchId: 'dec', status: 'validated' }, folderId: 'f-2027-01' })],
  ['saveInvoiceFolder', 'deps', (w) => saveInvoiceFolder(w, { siteId, folder: { id: 'f-2027', name: '2027', parentId: null } })],
  ['issueTaxCertificates', 'deps', (w) => issueTaxCertificates(w, {
    siteId, rules: { country: 'FR', year: 2027 }, children: [{ beneficiaryId: 'k1', birthDate: '2022-03-01' }], serviceKinds: { care: 'care', meal: 'meal' },
  })],
  ['adjustDraft', 'deps', (w) => adjustDraft(w, { siteId, invoiceId: 'f:g1', change: { add: { id: 'reduc-1', kind: 'reduction', reason: 'Sortie scolaire', percent: '10' } } })],
  ['editDrafts', 'deps', (w) => editDrafts(w, { siteId, invoiceIds: ['f:g1'], change: { portalDisplayDate: '2027-01-08' } })],
  ['deleteDrafts', 'deps', (w) => deleteDrafts(w, { siteId, invoiceIds: ['f:g1'] })],
  ['scheduleInstalments', 'deps', (w) => scheduleInstalments(w, { siteId, invoiceId: 'f:g1', count: 3, firstDueDate: '2027-01-15' })],
  ['readAccountStatement', 'storage', (w) => readAccountStatement(w, siteId, 'wallet:g1:regie', { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Paris' })],
  ['walletNumberOf', 'deps', (w) => walletNumberOf(w, { siteId, guardianId: 'g-1' })],
  ['setWalletNumbers', 'deps', (w) => setWalletNumbers(w, { siteId, numbers: [{ guardianId: 'g-1', walletNumber: 21 }] })],
  ['setInvoicePortalDates', 'deps', (w) => setInvoicePortalDates(w, { siteId, invoiceIds: ['i1'], date: '2026-03-02' })],
  // sites
  ['saveSmtpSettings', 'ports', (w) => saveSmtpSettings(w, { siteId, input: smtp })],
  ['removeSmtpSettings', 'ports', (w) => removeSmtpSettings(w, siteId)],
  ['readSite', 'ports', (w) => readSite(w, siteId)],
  ['saveSiteSettings', 'ports', (w) => saveSiteSettings(w, siteId, { name: 'Plesso Garibaldi', country: 'IT', licence: { maxPupils: '300' } })],
  ['smtpSettingsForSending', 'ports', (w) => smtpSettingsForSending(w, siteId)],
  ['openPortalAccess', 'ports', (w) => openPortalAccess(w, { siteId, guardianId: 'marie', now, notify })],
  ['requestPasswordReset', 'ports', (w) => requestPasswordReset(w, { siteId, login: 'marie@example.fr', now })],
  ['portalAccessStatus', 'ports', (w) => portalAccessStatus(w, { siteId, guardianId: 'marie' })],
  ['resendPortalAccessToken', 'ports', (w) => resendPortalAccessToken(w, { siteId, guardianId: 'marie', now, notify })],
  ['closePortalAccess', 'ports', (w) => closePortalAccess(w, { siteId, guardianId: 'marie', now })],
  ['addPortalDocument', 'storage', (w) => addPortalDocument(w, { siteId, input: { ...documentInput, mediaType: 'application/pdf' }, bytes: PDF })],
  ['uploadPortalDocument', 'storage', (w) => uploadPortalDocument(w, { siteId, input: documentInput, bytes: PDF })],
  ['changeDocumentWindow', 'storage', (w) => changeDocumentWindow(w, { siteId, documentId: 'd1', available: { from: '2027-01-20', to: '2027-06-30' } })],
  ['removePortalDocument', 'storage', (w) => removePortalDocument(w, { siteId, documentId: 'd1' })],
  ['putSiteImage', 'storage', (w) => putSiteImage(w, { siteId, target: { use: 'schoolStamp', schoolId: 'ecole-jaures' }, bytes: PNG, name: 'tampon.png', today: '2027-01-20' })],
  ['removeSiteImage', 'storage', (w) => removeSiteImage(w, { siteId, target: { use: 'siteLogo' } })],
  ['readSiteImage', 'storage', (w) => readSiteImage(w, { siteId, target: { use: 'siteLogo' } })],
  ['requestUserPasswordReset', 'deps', (w) => requestUserPasswordReset(w, { siteId, login: 'anne.roy@mairie.fr', now })],
  ['setUserPasswordWithToken', 'deps', (w) => setUserPasswordWithToken(w, { siteId, login: 'anne.roy@mairie.fr', token: 'K7Q2M9XD', password: 'a long new phrase', confirmation: 'a long new phrase', now })],
  ['saveFamilyDocuments', 'storage', (w) => saveFamilyDocuments(w, { siteId, documents: [{
    kind: 'taxCertificate', reference: '2026', recipientIds: ['g1'], bytes: PDF,
    input: { id: 'tax-2026-g1-k1', name: 'Attestation fiscale 2026', key: 's1/documents/tax-2026-g1-k1.pdf', mediaType: 'application/pdf', audience: { kind: 'guardian', guardianId: 'g1' }, available: { from: '2027-01-15' } },
  }] })],
  ['lockStaffRole', 'tx', (w) => lockStaffRole(w, 'cashier')],
  // messaging
  ['queueMail', 'outbox', (w) => queueMail(w, siteId, queued)],
  ['queueMails', 'outbox', (w) => queueMails(w, siteId, [queued])],
  ['deliverOutbox', 'ports', (w) => deliverOutbox(w, siteId, workerOptions)],
  ['startOutboxWorker', 'ports', (w) => startOutboxWorker(w, { ...workerOptions, siteIds: [siteId] })],
  ['listDeadLetters', 'outbox', (w) => listDeadLetters(w, siteId, { limit: 50 })],
  ['retryDeadLetter', 'outbox', (w) => retryDeadLetter(w, siteId, 'invoice-42', now)],
  ['discardDeadLetter', 'outbox', (w) => discardDeadLetter(w, siteId, 'invoice-42')],
  ['previewGroupMessage', 'ports', (w) => previewGroupMessage(w, { siteId, filter: { source: 'guardians', date: '2026-10-05', householdIds: ['h1'] }, template, limit: 3 })],
  ['queueGroupMessage', 'ports', (w) => queueGroupMessage(w, { siteId, id: 'sortie-zoo', filter: { source: 'children', date: '2026-10-05', classIds: ['cpa'] }, template, sender: { from: FROM } })],
  ['queueFamilyMessage', 'ports', (w) => queueFamilyMessage(w, { siteId, id: 'msg-42', householdId: 'h1', date: '2026-10-05', template, sender: { from: FROM } })],
  ['queueDocumentNotices', 'outbox', (w) => queueDocumentNotices(w, {
    siteId, timeZone: 'Europe/Paris', locale: 'fr', sender: { from: FROM }, portalUrl: 'https://portail.example',
    notices: [{ kind: 'invoice', documentId: 'inv-42', reference: '2026-0042', guardianId: 'marie', guardianName: 'Marie Dupont', email: 'marie@example.fr', displayDate: '2027-01-04', amount: { minor: 4250n, currency: 'EUR' } }],
  })],
  ['queuePortalTokenMail', 'outbox', (w) => queuePortalTokenMail(w, {
    siteId, id: 'token:t1', purpose: 'firstLogin', siteName: 'École Jules Ferry', locale: 'fr', sender: { from: FROM }, to: 'marie@example.fr', login: 'marie@example.fr', token: 'K7Q2M9XD', portalUrl: 'https://portail.example',
  })],
  ['queueLowBalanceAlerts', 'ports', (w) => queueLowBalanceAlerts(w, lowBalance)],
  ['queueMailFromAccount', 'outbox', (w) => queueMailFromAccount(w, { siteId, id: 'm-9', account: secretariat, userId: 'u1', to: ['parent@example.fr'], subject: 'Réunion', text: 'Jeudi' })],
  ['testMailAccount', 'mailer', (w) => testMailAccount(w, { siteId, settings: smtp, account: secretariat, to: 'me@lycee.fr' })],
  ['saveMailAccount', 'ports', (w) => saveMailAccount(w, { siteId, account: secretariat })],
  ['mailAccountsOf', 'ports', (w) => mailAccountsOf(w, { siteId, userId: 'u1' })],
  ['removeMailAccount', 'ports', (w) => removeMailAccount(w, { siteId, id: 'secretariat' })],
  // directory
  ['changeDirectory', 'deps', (w) => changeDirectory(w, siteId, { households: ['h1'] }, (state) => ({ ok: true, state, value: {} }))],
  ['lockDirectoryKeys', 'ports', (w) => lockDirectoryKeys(w, siteId, ['record:guardian:marie'])],
  ['lockRecords', 'ports', (w) => lockRecords(w, siteId, [{ kind: 'household', id: 'h1' }])],
  ['readRecord', 'ports', (w) => readRecord(w, siteId, { kind: 'guardian', id: 'marie' })],
  ['expectRecordVersions', 'ports', (w) => expectRecordVersions(w, siteId, [{ kind: 'household', id: 'h1', version: 'v1-0000000000000000' }])],
  ['compareRecordVersions', 'ports', (w) => compareRecordVersions(w, siteId, [{ kind: 'child', id: 'lea', version: 'v1-0000000000000000' }])],
  ['checkRecordVersion', 'ports', (w) => checkRecordVersion(w, siteId, { kind: 'billingRule', id: 'r1' }, 'v1-0000000000000000')],
  // booking
  ['loadBookingFacts', 'tx', (w) => loadBookingFacts(w, { beneficiaryIds: ['lea', 'tom'] })],
  ['loadBookingContext', 'tx', (w) => loadBookingContext(w, settings, { from: '2027-02-01', to: '2027-02-26', guardianIds: ['g1'], now })],
  ['changeBookings', 'deps', (w) => changeBookings(w, settings, booking)],
  ['acceptBookingConsent', 'deps', (w) => acceptBookingConsent(w, settings, answer)],
  ['withdrawBookingConsent', 'deps', (w) => withdrawBookingConsent(w, settings, answer)],
  ['guardianConsents', 'deps', (w) => guardianConsents(w, settings, { siteId, guardianId: 'g1', date: '2027-02-08' })],
  ['applyWeekTemplate', 'deps', (w) => applyWeekTemplate(w, settings, { siteId, template: weekTemplate })],
  ['savePeriod', 'deps', (w) => savePeriod(w, { siteId, actor: { kind: 'user', id: 'u-admin' }, period, preview: true })],
  ['deletePeriod', 'deps', (w) => deletePeriod(w, { siteId, periodId: 'strike', actor: { kind: 'user', id: 'u-admin' } })],
  ['saveSchoolCalendar', 'deps', (w) => saveSchoolCalendar(w, { siteId, actor: { kind: 'user', id: 'u-admin' }, zone: 'FR-C', schoolYear: '2026-2027', scopes: [{ serviceId: 'lunch' }], preview: true })],
  ['saveConsent', 'deps', (w) => saveConsent(w, consent, { create: true })],
  ['deleteConsent', 'deps', (w) => deleteConsent(w, { siteId, consentId: 'rules' })],
  ['listConsents', 'deps', (w) => listConsents(w, siteId)],
  ['storedBookingConsents', 'deps', (w) => storedBookingConsents(w, siteId)],
  ['consentAcceptancesPage', 'deps', (w) => consentAcceptancesPage(w, { siteId, consentId: 'rules', version: 1, limit: 50 })],
]

/**
 * The use cases whose wiring is a field of their one argument (the ports beside the request):
 * called with that field `null`, they refuse with `INVALID_INPUT` too, naming no parameter (the
 * argument itself is an object: a value inside is not what the library builds).
 */
const WIRING_IN_ARGS: Array<readonly [string, Call]> = [
  ['issueOneTimeToken', (w) => issueOneTimeToken({ access: w, ids: { next: () => 'id-1' }, siteId, subject: { kind: 'guardian', id: 'marie' }, purpose: 'firstLogin', now })],
  ['redeemOneTimeToken', (w) => redeemOneTimeToken({ access: w, siteId, token: 'K7Q2M9XD', now })],
  ['setPasswordWithToken', (w) => setPasswordWithToken({ access: w, siteId, token: 'K7Q2M9XD', password: 'correct horse battery', confirmation: 'correct horse battery', now })],
  ['verifyPortalPassword', (w) => verifyPortalPassword({ access: w, siteId, login: 'Marie@Example.fr', password: 'correct horse' })],
  ['verifyUserPassword', (w) => verifyUserPassword({ access: w, siteId, login: 'anne.roy@mairie.fr', password: 'correct horse' })],
  ['mayUsePortal', (w) => workflows.mayUsePortal({ access: w, directory: w, siteId, guardianId: 'marie' })],
  ['saveRoleEdit', (w) => saveRoleEdit({ storage: w, siteId, version: 'e30', role: { id: 'cashier', siteId, label: 'Régie', permissions: [] } as never })],
  ['saveUserEdit', (w) => saveUserEdit({
    storage: w, siteId, version: 'e30',
    user: { id: 'u2', siteId, login: 'u2@mairie.fr', firstName: 'Paul', lastName: 'Roy', roleId: 'staff', profile: 'staff', scope: { schoolIds: 'all', serviceIds: 'all' } } as never,
  })],
  ['deleteRoleEdit', (w) => deleteRoleEdit({ storage: w, siteId, roleId: 'cashier', version: 'e30' })],
  ['deleteUserEdit', (w) => deleteUserEdit({ storage: w, siteId, userId: 'u2', version: 'e30' })],
]

/** The exports that take no wiring (pure functions over values, constants, the crypto), with the reason. */
const NO_WIRING: Record<string, string> = {
  directDebitBatchOf: 'pure: instructions to a pain.008 batch',
  heldStatementKey: 'pure', statementToJson: 'pure', statementFromJson: 'pure',
  createSecretBox: 'takes the host’s keys, no ports', hashPassword: 'crypto', verifyPassword: 'crypto', generateTokenSecret: 'crypto', hashToken: 'crypto',
  checkUpload: 'pure: bytes against limits', staffEditVersion: 'pure',
  mailPayload: 'pure', outgoingMail: 'pure', outboxMessageId: 'pure', htmlToText: 'pure', sanitizeHtml: 'pure', mailSender: 'pure', assertTemplate: 'pure',
  recordVersion: 'pure (its cycle case is tested below)', recordLockKey: 'pure',
  siteConsents: 'pure: the settings’ consents checked', consentShownVersion: 'pure',
}

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  return new Error('no error was thrown')
}

function describeError(e: unknown): string {
  return isEcoleError(e) ? `${e.code}: ${e.message}` : String(e)
}

describe('a use case called with null wiring and a valid request refuses with INVALID_INPUT naming the wiring', () => {
  it('covers every exported function: wiring first, wiring in the argument, or no wiring', () => {
    const functions = Object.entries(workflows).filter(([, v]) => typeof v === 'function').map(([k]) => k)
    const covered = new Set([...WIRING_FIRST.map(([n]) => n), ...WIRING_IN_ARGS.map(([n]) => n), ...Object.keys(NO_WIRING)])
    expect(functions.filter((n) => !covered.has(n))).toEqual([])
    expect([...covered].filter((n) => !functions.includes(n))).toEqual([])
    expect(new Set(WIRING_FIRST.map(([n]) => n)).size).toBe(WIRING_FIRST.length)
  })

  it.each(WIRING_FIRST)('%s(null %s, a valid request)', async (name, param, call) => {
    const e = await failure(() => call(null as never))
    expect(isEcoleError(e), describeError(e)).toBe(true)
    expect((e as EcoleError).code, describeError(e)).toBe('INVALID_INPUT')
    const issues = (e as EcoleError).details['issues'] as Array<{ path: string }>
    expect(issues[0]!.path, describeError(e)).toBe(param)
    // when the error names a function, it is the one the caller called, not an inner use case it
    // delegates to (the booking and consent use cases check their deps first and name none)
    const fn = (e as EcoleError).details['function']
    if (fn !== undefined) expect(fn, describeError(e)).toBe(name)
  })

  it.each(WIRING_IN_ARGS)('%s({ its port: null, ...a valid request })', async (_name, call) => {
    const e = await failure(() => call(null as never))
    expect(isEcoleError(e), describeError(e)).toBe(true)
    expect((e as EcoleError).code, describeError(e)).toBe('INVALID_INPUT')
  })
})

/**
 * Wiring that is an object without what the use case reads: `{}` for the host's wiring (no
 * storage), or a storage without its methods, with a valid request. What escapes is an
 * `EcoleError`: `INVALID_INPUT` naming no parameter (each argument has its kind, a value inside
 * is not what the library builds), or the use case's own `PORT_MISSING`.
 */
const HALF_WIRED: Array<readonly [string, string, () => unknown]> = [
  ['setInvoicePortalDates({})', 'INVALID_INPUT', () => setInvoicePortalDates({} as never, { siteId, invoiceIds: ['i1'], date: '2026-03-02' })],
  ['walletNumberOf({})', 'INVALID_INPUT', () => walletNumberOf({} as never, { siteId, guardianId: 'g-1' })],
  ['setWalletNumbers({})', 'INVALID_INPUT', () => setWalletNumbers({} as never, { siteId, numbers: [{ guardianId: 'g-1', walletNumber: 21 }] })],
  ['readAccountStatement({})', 'PORT_MISSING', () => readAccountStatement({} as never, siteId, 'wallet:g1:regie', { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Paris' })],
  ['saveSiteSettings({})', 'INVALID_INPUT', () => saveSiteSettings({} as never, siteId, { name: 'Plesso Garibaldi', country: 'IT' })],
  ['saveFamilyDocuments({})', 'INVALID_INPUT', () => saveFamilyDocuments({} as never, { siteId, documents: [] })],
  ['recordPayment({})', 'INVALID_INPUT', () => recordPayment({} as never, { id: 'pay-1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cash', date: '2027-01-10', amount: '5.00' })],
  ['requestUserPasswordReset({})', 'INVALID_INPUT', () => requestUserPasswordReset({} as never, { siteId, login: 'anne.roy@mairie.fr', now })],
  ['queueGroupMessage({})', 'INVALID_INPUT', () => queueGroupMessage({} as never, { siteId, id: 'sortie-zoo', filter: { source: 'guardians', date: '2026-10-05' }, template, sender: { from: FROM } })],
  ['changeDirectory({})', 'INVALID_INPUT', () => changeDirectory({} as never, siteId, {}, (state) => ({ ok: true, state, value: {} }))],
  ['changeBookings({ storage: {}, clock })', 'INVALID_INPUT', () => changeBookings({ storage: {}, clock } as never, settings, booking)],
  ['acceptBookingConsent({ storage: {}, clock })', 'INVALID_INPUT', () => acceptBookingConsent({ storage: {}, clock } as never, settings, answer)],
  ['withdrawBookingConsent({ storage: { bookings: {} }, clock })', 'INVALID_INPUT', () => withdrawBookingConsent({ storage: { bookings: {} }, clock } as never, settings, answer)],
  ['guardianConsents({ storage: { bookings: {} }, clock })', 'INVALID_INPUT', () => guardianConsents({ storage: { bookings: {} }, clock } as never, settings, { siteId, guardianId: 'g1', date: '2027-02-08' })],
  ['applyWeekTemplate({ storage: {}, clock })', 'INVALID_INPUT', () => applyWeekTemplate({ storage: {}, clock } as never, settings, { siteId, template: weekTemplate })],
  ['savePeriod({ storage: {}, clock })', 'INVALID_INPUT', () => savePeriod({ storage: {}, clock } as never, { siteId, actor: { kind: 'user', id: 'u-admin' }, period, preview: true })],
  ['deletePeriod({ storage: {}, clock })', 'INVALID_INPUT', () => deletePeriod({ storage: {}, clock } as never, { siteId, periodId: 'strike', actor: { kind: 'user', id: 'u-admin' } })],
  ['saveSchoolCalendar({ storage: {}, clock })', 'INVALID_INPUT', () => saveSchoolCalendar({ storage: {}, clock } as never, { siteId, actor: { kind: 'user', id: 'u-admin' }, zone: 'FR-C', schoolYear: '2026-2027', preview: true })],
  ['saveConsent({ storage: { directory: {}, bookings: {} } })', 'INVALID_INPUT', () => saveConsent({ storage: { directory: {}, bookings: {} } } as never, consent, { create: true })],
  ['deleteConsent({ storage: { directory: {}, bookings: {} } })', 'INVALID_INPUT', () => deleteConsent({ storage: { directory: {}, bookings: {} } } as never, { siteId, consentId: 'rules' })],
  ['listConsents({ storage: { directory: {}, bookings: {} } })', 'INVALID_INPUT', () => listConsents({ storage: { directory: {}, bookings: {} } } as never, siteId)],
  ['storedBookingConsents({ storage: { directory: {}, bookings: {} } })', 'INVALID_INPUT', () => storedBookingConsents({ storage: { directory: {}, bookings: {} } } as never, siteId)],
  ['consentAcceptancesPage({ storage: { directory: {}, bookings: {} } })', 'INVALID_INPUT', () => consentAcceptancesPage({ storage: { directory: {}, bookings: {} } } as never, { siteId, consentId: 'rules' })],
  ['loadBookingFacts({ siteId, directory: {} })', 'INVALID_INPUT', () => loadBookingFacts({ siteId, directory: {} } as never)],
  ['loadBookingContext({ siteId, bookings: {} })', 'INVALID_INPUT', () => loadBookingContext({ siteId, bookings: {} } as never, settings, { from: '2027-02-01', to: '2027-02-26', guardianIds: ['g1'], now, facts: { children: [], rules: [] } })],
]

describe('a use case given wiring without its storage (or a storage without its methods) throws an EcoleError', () => {
  it.each(HALF_WIRED)('%s: %s', async (_name, code, run) => {
    const e = await failure(run)
    expect(isEcoleError(e), describeError(e)).toBe(true)
    expect((e as EcoleError).code, describeError(e)).toBe(code)
    // the request is valid: the INVALID_INPUT is about the wiring, a value inside an argument of the right kind
    if (code === 'INVALID_INPUT') expect(((e as EcoleError).details['issues'] as Array<{ path: string }>)[0]!.path, describeError(e)).toBe('')
  })

  it('recordVersion of a value with a cycle is INVALID_INPUT, not a RangeError', () => {
    const cyclic: Record<string, unknown> = { id: 'marie' }
    cyclic['self'] = cyclic
    expect(() => recordVersion(cyclic)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })
})

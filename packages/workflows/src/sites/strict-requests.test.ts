import { GuardianSchema, HouseholdSchema, RoleSchema, SiteSchema, UserSchema } from '@ecole/core'
import { createMemoryStorage } from '@ecole/storage-memory'
import { strictRequestsSuite, type StrictRequestRow } from '../test-support/strict-requests'
import { fakeMailer } from './fakes.test-support'
import {
  addPortalDocument, changeDocumentWindow, closePortalAccess, deleteRoleEdit, deleteUserEdit, hashPassword, issueOneTimeToken, openPortalAccess, portalAccessStatus, putSiteImage,
  readSiteImage, redeemOneTimeToken, removePortalDocument, removeSiteImage, requestPasswordReset, requestUserPasswordReset, resendPortalAccessToken, saveFamilyDocuments,
  saveRoleEdit, saveSmtpSettings, saveUserEdit, setPasswordWithToken, setUserPasswordWithToken, staffEditVersion, uploadPortalDocument, verifyPortalPassword, verifyUserPassword,
} from './index'

// The rule (issue 12): a misspelt key in what a caller passes is refused with INVALID_INPUT naming
// the function, the key and the nearest known key, never read as absent so that a default applies
// (a token valid 48 hours instead of the minutes asked, a reset mailed twice, no audit entry...).

const now = new Date('2026-09-01T08:00:00Z')
const siteId = 's1'
const storage = createMemoryStorage()
await storage.directory!.putSite(siteId, { ...SiteSchema.parse({ id: siteId, name: 'École Jules Ferry', country: 'FR' }), smtp: null })
await storage.directory!.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h1', siteId, name: 'Famille Dupont' }))
await storage.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'marie', siteId, householdId: 'h1', firstName: 'Marie', lastName: 'Dupont', email: 'marie@example.fr' }))
const role = RoleSchema.parse({ id: 'cashier', siteId, label: 'Régisseur', permissions: ['invoices.read'] })
const user = UserSchema.parse({ id: 'anne', siteId, login: 'anne.roy@mairie.fr', firstName: 'Anne', lastName: 'Roy', roleId: 'cashier', scope: { schoolIds: 'all', serviceIds: 'all' } })
await storage.directory!.putDirectoryRecord(siteId, 'role', role)
await storage.access!.putUser(siteId, user)
let n = 0
const ids = { next: () => `id${++n}` }
const access = storage.access!
const scrypt = { N: 1024, r: 8, p: 1 }
const sender = { from: 'ecole@example.fr', replyTo: 'secretariat@example.fr' }
const notify = { siteName: 'École Jules Ferry', locale: 'fr' as const, sender, portalUrl: 'https://portail.example.fr' }
const pdf = new TextEncoder().encode('%PDF-1.7\nminimal')
const document = { id: 'menu', name: 'Menu', key: 's1/menu', audience: { kind: 'site' as const }, available: { from: '2026-09-01' } }
const smtp = { host: 'smtp.example.fr', port: 587, username: 'ecole@example.fr', password: 'Pa55-w0rd!', security: 'starttls' as const }

const rows: StrictRequestRow[] = [
  { fn: 'hashPassword', param: 'params', key: 'N', typo: 'n', call: (t) => hashPassword('correct horse', t(scrypt)) },
  { fn: 'issueOneTimeToken', param: 'args', key: 'ttlMs', typo: 'ttlms', call: (t) => issueOneTimeToken(t({ access, ids, siteId, subject: { kind: 'guardian' as const, id: 'marie' }, purpose: 'firstLogin' as const, now, ttlMs: 60_000 })) },
  { fn: 'redeemOneTimeToken', param: 'args', key: 'token', typo: 'Token', call: (t) => redeemOneTimeToken(t({ access, siteId, token: 'NOT A TOKEN', now })) },
  { fn: 'setPasswordWithToken', param: 'args', key: 'policy', typo: 'polcy', call: (t) => setPasswordWithToken(t({ access, siteId, token: 'NOT A TOKEN', password: 'correct horse', confirmation: 'correct horse', now, policy: { minLength: 12 }, scrypt })) },
  { fn: 'setPasswordWithToken', param: 'args.scrypt', key: 'p', typo: 'P', call: (t) => setPasswordWithToken({ access, siteId, token: 'NOT A TOKEN', password: 'correct horse', confirmation: 'correct horse', now, scrypt: t(scrypt) }) },
  { fn: 'verifyPortalPassword', param: 'args', key: 'login', typo: 'Login', call: (t) => verifyPortalPassword(t({ access, siteId, login: 'marie@example.fr', password: 'wrong' })) },
  { fn: 'verifyUserPassword', param: 'args', key: 'password', typo: 'pasword', call: (t) => verifyUserPassword(t({ access, siteId, login: 'anne.roy@mairie.fr', password: 'wrong' })) },
  { fn: 'openPortalAccess', param: 'args', key: 'notify', typo: 'notfy', call: (t) => openPortalAccess({ storage, ids }, t({ siteId, guardianId: 'nobody', now, notify })) },
  { fn: 'openPortalAccess', param: 'args.notify.sender', key: 'replyTo', typo: 'replyto', call: (t) => openPortalAccess({ storage, ids }, { siteId, guardianId: 'nobody', now, notify: { ...notify, sender: t(sender) } }) },
  { fn: 'requestPasswordReset', param: 'args', key: 'ttlMs', typo: 'ttlMS', call: (t) => requestPasswordReset({ storage, ids }, t({ siteId, login: 'nobody@example.fr', now, ttlMs: 600_000 })) },
  { fn: 'requestPasswordReset', param: 'args.notify', key: 'requestId', typo: 'requestID', call: (t) => requestPasswordReset({ storage, ids }, { siteId, login: 'nobody@example.fr', now, notify: t({ ...notify, requestId: 'req-1' }) }) },
  { fn: 'portalAccessStatus', param: 'args', key: 'guardianId', typo: 'guardianID', call: (t) => portalAccessStatus({ storage }, t({ siteId, guardianId: 'marie' })) },
  { fn: 'resendPortalAccessToken', param: 'args', key: 'ttlMs', typo: 'ttlMS', call: (t) => resendPortalAccessToken({ storage, ids }, t({ siteId, guardianId: 'marie', now, ttlMs: 600_000, notify })) },
  { fn: 'closePortalAccess', param: 'args', key: 'scrypt', typo: 'Scrypt', call: (t) => closePortalAccess({ storage, ids }, t({ siteId, guardianId: 'nobody', now, scrypt })) },
  { fn: 'requestUserPasswordReset', param: 'args.notify', key: 'requestId', typo: 'requestid', call: (t) => requestUserPasswordReset({ storage, ids }, { siteId, login: 'nobody@mairie.fr', now, notify: t({ ...notify, requestId: 'req-2' }) }) },
  { fn: 'setUserPasswordWithToken', param: 'args', key: 'auditId', typo: 'auditID', call: (t) => setUserPasswordWithToken({ storage }, t({ siteId, login: 'nobody@mairie.fr', token: 'NOT A TOKEN', password: 'correct horse', confirmation: 'correct horse', now, scrypt, auditId: 'audit-1' })) },
  { fn: 'addPortalDocument', param: 'args', key: 'bytes', typo: 'byte', call: (t) => addPortalDocument(storage, t({ siteId, input: { ...document, mediaType: 'application/pdf' }, bytes: pdf })) },
  { fn: 'uploadPortalDocument', param: 'args', key: 'limits', typo: 'limit', call: (t) => uploadPortalDocument(storage, t({ siteId, input: { ...document, id: 'menu-2', key: 's1/menu-2' }, bytes: pdf, limits: { maxBytes: 1_000, mediaTypes: ['application/pdf'] } })) },
  { fn: 'changeDocumentWindow', param: 'args.available', key: 'to', typo: 'To', call: (t) => changeDocumentWindow(storage, { siteId, documentId: 'menu', available: t({ from: '2026-09-01', to: '2026-12-31' }) }) },
  { fn: 'removePortalDocument', param: 'args', key: 'documentId', typo: 'documentID', call: (t) => removePortalDocument(storage, t({ siteId, documentId: 'nothing-stored' })) },
  { fn: 'putSiteImage', param: 'args', key: 'today', typo: 'Today', call: (t) => putSiteImage(storage, t({ siteId, target: { use: 'siteLogo' as const }, bytes: pdf, name: 'logo.pdf', today: '2026-09-01' })) },
  { fn: 'removeSiteImage', param: 'args', key: 'target', typo: 'targt', call: (t) => removeSiteImage(storage, t({ siteId, target: { use: 'siteLogo' as const } })) },
  { fn: 'readSiteImage', param: 'args', key: 'target', typo: 'Target', call: (t) => readSiteImage(storage, t({ siteId, target: { use: 'siteLogo' as const } })) },
  { fn: 'saveFamilyDocuments', param: 'args', key: 'notify', typo: 'notfy', call: (t) => saveFamilyDocuments(storage, t({ siteId, documents: [], notify: { timeZone: 'Europe/Paris', locale: 'fr' as const, sender, portalUrl: 'https://portail.example.fr' } })) },
  { fn: 'saveFamilyDocuments', param: 'args.notify', key: 'attachment', typo: 'attachement', call: (t) => saveFamilyDocuments(storage, { siteId, documents: [], notify: t({ timeZone: 'Europe/Paris', locale: 'fr' as const, sender, portalUrl: 'https://portail.example.fr', attachment: () => undefined }) }) },
  { fn: 'saveSmtpSettings', param: 'args', key: 'testMessageTo', typo: 'testMessageto', call: (t) => saveSmtpSettings({ directory: storage.directory!, mailer: fakeMailer({ failAt: 'authenticate' }).mailer, secrets: { currentKeyId: 'k1', seal: () => { throw new Error('not reached') }, open: () => '' } }, t({ siteId, input: smtp, testMessageTo: 'admin@example.fr' })) },
  { fn: 'saveRoleEdit', param: 'args', key: 'withChange', typo: 'withchange', call: (t) => saveRoleEdit(t({ storage, siteId, version: staffEditVersion(role), role, withChange: async () => {} })) },
  { fn: 'saveUserEdit', param: 'args', key: 'version', typo: 'versions', call: (t) => saveUserEdit(t({ storage, siteId, version: staffEditVersion(user), user })) },
  { fn: 'deleteRoleEdit', param: 'args', key: 'roleId', typo: 'roleID', call: (t) => deleteRoleEdit(t({ storage, siteId, version: staffEditVersion(role), roleId: 'cashier' })) },
  { fn: 'deleteUserEdit', param: 'args', key: 'userId', typo: 'userID', call: (t) => deleteUserEdit(t({ storage, siteId, version: staffEditVersion(user), userId: 'anne' })) },
]

strictRequestsSuite('site use cases read their requests strictly', rows)

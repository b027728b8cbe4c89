import { describe, expect, it } from 'vitest'
import { RoleSchema, SchoolSchema } from '@ecole/core'
import { saveConsent } from '@ecole/workflows'
import { DEMO_CONSENTS } from '../../src/demo-consents'
import { SITE } from '../../src/site-settings'
import { peopleSite } from './people-support'
import { SMTP_ACCOUNT, smtpServerForFile } from './smtp-support'
import { staffBrowser } from './browser-support'

// The administration procedures in Debian's Chromium, written as the seed's steps, in French and
// in another language; screenshots of every screen go to test-artifacts/staff/ (not committed).
const smtp = smtpServerForFile()
const { open, login, shot } = staffBrowser('staff-admin-browser', (storage, siteId) => peopleSite(storage, siteId))

const TEXT = {
  fr: {
    menu: 'Site (plesso)', save: 'Sauvegarder', saved: 'Les paramètres du site sont enregistrés.', emailError: 'E-mail : adresse e-mail attendue, par ex. nom@exemple.fr',
    zone: 'Europe/Rome', italy: 'Italie', test: 'Tester et sauvegarder', refusedPassword: "Le serveur a refusé l'identifiant ou le mot de passe.", tested: 'Le message de test est parti : la configuration SMTP est enregistrée.',
  },
  it: {
    menu: 'Plesso', save: 'Salva', saved: 'Le impostazioni del plesso sono salvate.', emailError: 'E-mail: serve un indirizzo e-mail, ad es. nome@esempio.it',
    zone: 'Europe/Rome', italy: 'Italia', test: 'Verifica e salva', refusedPassword: 'Il server ha rifiutato il nome utente o la password.', tested: 'Il messaggio di prova è partito: la configurazione SMTP è salvata.',
  },
}

describe('in Chromium: créer et configurer un plesso (seed 000), SMTP tested before it is saved', () => {
  for (const lang of ['fr', 'it'] as const) {
    it(`[${lang}] the head teacher fills in the site, its options and licence limits, then sets up SMTP with a test`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = TEXT[lang]
      // 1. log in; 2. the site's page from the menu
      await login(page, base, 'direction@jaures.example')
      await page.getByRole('link', { name: x.menu, exact: true }).click()
      await page.waitForURL(`${base}/staff/admin/site`)
      // 3. general information: name (required) and country (sets the time zone)
      await page.locator('#f-name').fill('Plesso Garibaldi')
      await page.locator('#f-country').selectOption('IT')
      // 4. contact data, visible to families (a mistyped e-mail first)
      await page.locator('#f-city').fill('Roma')
      await page.locator('#f-address').fill('Via Garibaldi 12')
      await page.locator('#f-province').fill('RM')
      await page.locator('#f-postcode').fill('00153')
      await page.locator('#f-phone').fill('+39 06 1234 5678')
      await page.locator('#f-email').fill('segreteria-garibaldi.example')
      await page.locator('#f-pec').fill('garibaldi@pec.example')
      await page.locator('#f-website').fill('https://www.garibaldi.example')
      // 5. advanced options: supplier e-invoices on, browser attendance off; 6. licence limits
      await page.locator('input[name=supplierEInvoices]').check()
      await page.locator('#f-maxPupils').fill('300')
      await page.locator('#f-maxStorageGb').fill('5')
      await page.getByRole('button', { name: x.save, exact: true }).click()
      expect(await page.locator('#f-email-error').textContent()).toBe(x.emailError)
      expect(await page.locator('#f-email').getAttribute('aria-invalid')).toBe('true')
      await shot(page, `admin-site-${lang}-1-refused`)
      // 7. corrected, saved
      await page.locator('#f-email').fill('segreteria@garibaldi.example')
      await page.getByRole('button', { name: x.save, exact: true }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.saved)
      expect(await page.locator('#f-country-hint').textContent()).toContain(x.zone)
      expect(await page.locator('#f-country option:checked').textContent()).toBe(x.italy)
      await shot(page, `admin-site-${lang}-2-saved`)
      expect(await ctx.storage.directory!.getSite(ctx.config.siteId)).toMatchObject({ name: 'Plesso Garibaldi', timeZone: 'Europe/Rome', licence: { maxPupils: 300, maxStorageGb: 5 }, options: { supplierEInvoices: true, browserAttendance: false } })
      // 8. SMTP: server, port, user and password, security; a wrong password is refused, nothing saved
      await page.locator('#f-host').fill('127.0.0.1')
      await page.locator('#f-port').fill(String(smtp.port))
      await page.locator('#f-security').selectOption('none')
      await page.locator('#f-username').fill(SMTP_ACCOUNT.username)
      await page.locator('#f-password').fill('mauvaise-cle')
      await page.locator('#f-fromAddress').fill('segreteria@garibaldi.example')
      await page.getByRole('button', { name: x.test }).click()
      expect(await page.locator('.notice.error').textContent()).toContain(x.refusedPassword)
      await shot(page, `admin-site-${lang}-3-smtp-refused`)
      expect((await ctx.storage.directory!.getSite(ctx.config.siteId))?.smtp).toBeNull()
      // 9. the right password and a test message: saved
      const before = smtp.received.length
      await page.locator('#f-password').fill(SMTP_ACCOUNT.password)
      await page.locator('#f-testTo').fill('directrice@garibaldi.example')
      await page.getByRole('button', { name: x.test }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.tested)
      await shot(page, `admin-site-${lang}-4-smtp-saved`)
      expect(smtp.received.slice(before).map((m) => m.to)).toEqual([['directrice@garibaldi.example']])
      expect((await ctx.storage.directory!.getSite(ctx.config.siteId))?.smtp).toMatchObject({ host: '127.0.0.1', username: SMTP_ACCOUNT.username })
      await page.context().close()
    }, 120_000)
  }
})

const ROLE_TEXT = {
  fr: { roles: 'Rôles et permissions', newRole: 'Ajouter un rôle', saveRole: 'Enregistrer le rôle', roleSaved: 'Le rôle est enregistré.', users: 'Utilisateurs', newUser: 'Ajouter un utilisateur', saveUser: "Enregistrer l'utilisateur", userCreated: "L'utilisateur est créé : il peut se connecter." },
  en: { roles: 'Roles and permissions', newRole: 'Add a role', saveRole: 'Save the role', roleSaved: 'The role is saved.', users: 'Users', newUser: 'Add a user', saveUser: 'Save the user', userCreated: 'The user is created: they can sign in.' },
}

describe('in Chromium: rôles - permissions, utilisateurs (seed 001)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] the administrator adds a role with two permissions, then a user tied to one school and one service`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = ROLE_TEXT[lang]
      await ctx.storage.directory!.putDirectoryRecord(ctx.config.siteId, 'school', SchoolSchema.parse({ id: SITE.schoolId, siteId: ctx.config.siteId, name: 'École Jean-Jaurès', email: 'ce.0751234j@ac-creteil.fr', uai: '0751234J' }))
      // 1. log in; 2. Rôles - permissions; 3. add a role, tick its permissions by category
      await login(page, base, 'bo-admin@jaures.example')
      await page.getByRole('link', { name: x.roles, exact: true }).click()
      await page.getByRole('link', { name: x.newRole }).click()
      await page.locator('#f-label').fill('Cuisine')
      await page.locator('input[name=permissions][value="bookings.read"]').check()
      await page.locator('input[name=permissions][value="attendance.write"]').check()
      await shot(page, `admin-roles-${lang}-1-new-role`)
      await page.getByRole('button', { name: x.saveRole }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.roleSaved)
      const role = (await ctx.storage.directory!.listDirectoryRecords(ctx.config.siteId, 'role', { limit: 100 })).items.find((r) => r.label === 'Cuisine')
      expect(role?.permissions).toEqual(['bookings.read', 'attendance.write'])
      // 4. Utilisateurs; 5. add a user with that role, one school, the after-school care, e-mail messaging
      await page.getByRole('link', { name: x.users, exact: true }).click()
      await page.getByRole('link', { name: x.newUser }).click()
      await page.locator('#f-firstName').fill('Nadia')
      await page.locator('#f-lastName').fill('Nouvelle')
      await page.locator('#f-login').fill('nadia@jaures.example')
      await page.locator('#f-password').fill('une-phrase-assez-longue')
      await page.locator('#f-confirmation').fill('une-phrase-assez-longue')
      await page.locator('#f-roleId').selectOption(role!.id)
      await page.locator('input[name=allSchools]').uncheck()
      await page.locator(`input[name=schools][value="${SITE.schoolId}"]`).check()
      await page.locator('input[name=allServices]').uncheck()
      await page.locator('input[name=services][value=garderie]').check()
      await shot(page, `admin-users-${lang}-2-new-user`)
      await page.getByRole('button', { name: x.saveUser }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.userCreated)
      await page.getByRole('link', { name: x.users, exact: true }).click()
      await shot(page, `admin-users-${lang}-3-list`)
      expect(await page.locator('table.users').textContent()).toContain('Nadia Nouvelle')
      const nadia = (await ctx.storage.access!.listUsers(ctx.config.siteId, { limit: 100 })).items.find((u) => u.login === 'nadia@jaures.example')
      expect(nadia?.scope).toEqual({ schoolIds: [SITE.schoolId], serviceIds: ['garderie'] })
      await page.context().close()
    }, 120_000)
  }
})

const MAIL_TEXT = {
  fr: { menu: 'E-mails', test: "Tester l'envoi d'e-mails", tested: "Le message de test est parti : vérifiez qu'il est bien arrivé.", create: 'Créer le compte', created: 'Le compte établissement est créé.', staff: 'Valider les personnels', saved: 'Les personnels autorisés sont enregistrés.' },
  nl: { menu: 'E-mail', test: 'Het versturen van e-mails testen', tested: 'Het testbericht is vertrokken: controleer of het aangekomen is.', create: 'Het account aanmaken', created: 'Het account van de instelling is aangemaakt.', staff: 'Het personeel opslaan', saved: 'Het gemachtigde personeel is opgeslagen.' },
}

describe('in Chromium: paramétrer l’envoi d’e-mails (seed 002)', () => {
  for (const lang of ['fr', 'nl'] as const) {
    it(`[${lang}] the administrator tests the delegated sending, creates the secretariat account tested, and authorises two staff`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = MAIL_TEXT[lang]
      await ctx.storage.directory!.putSmtpSettings(ctx.config.siteId, { host: '127.0.0.1', port: smtp.port, security: 'none', username: SMTP_ACCOUNT.username, password: ctx.secrets.seal(SMTP_ACCOUNT.password), fromAddress: 'ecole@jaures.example', fromName: 'École Jean-Jaurès' })
      // step 1: the delegated sending and its test
      await login(page, base, 'bo-admin@jaures.example')
      await page.getByRole('link', { name: x.menu, exact: true }).click()
      const before = smtp.received.length
      await page.locator('#d-testTo').fill('alice@jaures.example')
      await page.getByRole('button', { name: x.test }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.tested)
      await shot(page, `admin-mail-${lang}-1-tested`)
      // step 3: an establishment account (a service, its address), tested, with the secretary authorised
      const form = page.locator('form[action$="/mail/establishment"]')
      await form.locator('#e-name').fill('Secrétariat')
      await form.locator('#e-address').fill('secretariat@jaures.example')
      await form.locator('#e-senderName').fill('École Jean-Jaurès – Secrétariat')
      await form.locator('input[name=userIds][value="u-bo-secretariat"]').check()
      await form.locator('#e-testTo').fill('alice@jaures.example')
      await form.getByRole('button', { name: x.create }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.created)
      expect(smtp.received.slice(before).map((m) => m.to)).toEqual([['alice@jaures.example'], ['alice@jaures.example']])
      // step 3.6: add staff allowed to use it
      const card = page.locator('form.mail-account')
      await card.locator('input[name=userIds][value="u-bo-regisseur"]').check()
      await card.getByRole('button', { name: x.staff }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.saved)
      expect(await page.locator('.authorised-now').textContent()).toBe('Rémi Régisseur, Sophie Secrétaire')
      await shot(page, `admin-mail-${lang}-2-accounts`)
      await page.context().close()
    }, 120_000)
  }
})

const LIST_TEXT = {
  fr: { criteria: 'Critères', save: 'Enregistrer', saved: "C'est enregistré.", insurances: 'Assurances', texts: 'Textes du portail', textsSaved: 'Les textes du portail sont enregistrés.', consents: 'Consentements', accepted: 'Qui a accepté la version 1' },
  it: { criteria: 'Criteri', save: 'Salva', saved: 'Salvato.', insurances: 'Assicurazioni', texts: 'Testi del portale', textsSaved: 'I testi del portale sono salvati.', consents: 'Consensi', accepted: 'Chi ha accettato la versione 1' },
}

describe('in Chromium: critères, assurances, textes du portail, consentements (seed 001, Administration)', () => {
  for (const lang of ['fr', 'it'] as const) {
    it(`[${lang}] the head teacher adds a criterion with its values and an insurance, writes the portal's home text, and sees who accepted the canteen rules`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = LIST_TEXT[lang]
      await saveConsent({ storage: ctx.storage }, { ...DEMO_CONSENTS[0]!, siteId: ctx.config.siteId, documentId: null }, { create: true })
      await ctx.storage.bookings!.acceptConsent(ctx.config.siteId, { consentId: DEMO_CONSENTS[0]!.id, guardianId: 'g1', acceptedAt: new Date('2026-08-28T19:00:00Z') })
      await login(page, base, 'direction@jaures.example')
      // criteria: a label, for children, one value per line
      await page.getByRole('link', { name: x.criteria, exact: true }).click()
      await page.locator('#f-label').fill('Régime alimentaire')
      await page.locator('input[name=appliesTo][value=child]').check()
      await page.locator('#f-allowedValues').fill('Sans porc\nVégétarien')
      await page.getByRole('button', { name: x.save, exact: true }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.saved)
      expect(await page.locator('table.criteria').textContent()).toContain('Sans porc, Végétarien')
      await shot(page, `admin-lists-${lang}-1-criteria`)
      // insurances
      await page.getByRole('link', { name: x.insurances, exact: true }).click()
      await page.locator('#f-label').fill('MAIF Scolaire')
      await page.getByRole('button', { name: x.save, exact: true }).click()
      expect(await page.locator('table.insurances').textContent()).toContain('MAIF Scolaire')
      await shot(page, `admin-lists-${lang}-2-insurances`)
      // portal texts: the home page in French and Italian
      await page.getByRole('link', { name: x.texts, exact: true }).click()
      await page.locator('#f-home-fr').fill('Bienvenue ! Les menus du mois sont en ligne.')
      await page.locator('#f-home-it').fill('Benvenuti! I menù del mese sono online.')
      await page.getByRole('button', { name: x.save, exact: true }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.textsSaved)
      await shot(page, `admin-lists-${lang}-3-portal-texts`)
      expect((await ctx.storage.directory!.getSite(ctx.config.siteId))?.portalTexts).toEqual({ home: { fr: 'Bienvenue ! Les menus du mois sont en ligne.', it: 'Benvenuti! I menù del mese sono online.' } })
      // consents and who accepted them
      await page.getByRole('link', { name: x.consents, exact: true }).click()
      await page.locator('table.consents a').first().click()
      expect(await page.locator('section.acceptances-of h2').first().textContent()).toBe(x.accepted)
      expect(await page.locator('table.acceptances').textContent()).toContain('Claire Martin')
      await shot(page, `admin-lists-${lang}-4-consents`)
      await page.context().close()
    }, 120_000)
  }
})

const EST_TEXT = {
  fr: { establishment: 'Établissement', labels: 'Masques de saisie des diplômes', save: 'Valider', saved: 'Les intitulés sont enregistrés.', inspector: 'Accès inspecteur', open: "Ouvrir l'accès", opened: "L'accès inspecteur est ouvert." },
  en: { establishment: 'Establishment', labels: 'Diploma input labels', save: 'Save', saved: 'The labels are saved.', inspector: 'Inspector access', open: 'Open the access', opened: 'The inspector access is open.' },
}

describe('in Chromium: masques de saisie et accès inspecteur (seed 003)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] the head teacher renames a label of the brevet, then opens an inspector's access`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = EST_TEXT[lang]
      const siteId = ctx.config.siteId
      await ctx.storage.directory!.putDirectoryRecord(siteId, 'school', SchoolSchema.parse({ id: SITE.schoolId, siteId, name: 'Collège Jean-Jaurès', email: 'ce.0751234j@ac-creteil.fr', uai: '0751234J' }))
      await ctx.storage.directory!.putDirectoryRecord(siteId, 'role', RoleSchema.parse({ id: 'inspection', siteId, label: 'Inspection', permissions: ['households.read'] }))
      await login(page, base, 'direction@jaures.example')
      await page.getByRole('link', { name: x.establishment, exact: true }).click()
      await page.getByRole('link', { name: x.labels }).click()
      await page.locator('#f-oral').fill('Soutenance de projet')
      await page.getByRole('button', { name: x.save, exact: true }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.saved)
      await shot(page, `admin-establishment-${lang}-1-labels`)
      expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'school', SITE.schoolId))?.labelOverrides).toEqual({ dnb: { oral: 'Soutenance de projet' } })
      await page.getByRole('link', { name: x.establishment, exact: true }).click()
      await page.getByRole('link', { name: x.inspector }).click()
      await page.locator('#f-firstName').fill('Ines')
      await page.locator('#f-lastName').fill('Pecteur')
      await page.locator('#f-login').fill('ien@ac-creteil.fr')
      await page.locator('#f-password').fill('une-phrase-assez-longue')
      await page.locator('#f-confirmation').fill('une-phrase-assez-longue')
      await page.locator('#f-roleId').selectOption('inspection')
      await page.getByRole('button', { name: x.open }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.opened)
      expect(await page.locator('ul.inspectors').textContent()).toContain('Ines Pecteur')
      await shot(page, `admin-establishment-${lang}-2-inspector`)
      await page.context().close()
    }, 120_000)
  }
})

const PERIOD_TEXT = {
  fr: { menu: 'Périodes', show: 'Afficher les périodes à créer', confirm: 'Confirmer et supprimer 1 réservation(s)', created: 'période(s) créée(s)' },
  nl: { menu: 'Periodes', show: 'De aan te maken periodes tonen', confirm: 'Bevestigen en 1 reservatie(s) verwijderen', created: 'periode(s) aangemaakt' },
}

describe('in Chromium: périodes du calendrier national (seed 001), the bookings a closure deletes', () => {
  for (const lang of ['fr', 'nl'] as const) {
    it(`[${lang}] the head teacher generates zone C's periods for the canteen, sees the booking the winter closure deletes, confirms, and the booking is gone`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = PERIOD_TEXT[lang]
      const siteId = ctx.config.siteId
      await ctx.storage.bookings!.putBooking(siteId, { id: 'b-winter', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-02-09', status: 'booked', bookedAt: new Date('2027-01-10T08:00:00Z') })
      await login(page, base, 'direction@jaures.example')
      await page.getByRole('link', { name: x.menu, exact: true }).click()
      await page.locator('#g-zone').selectOption('FR-C')
      await page.locator('#g-year').selectOption('2026-2027')
      await page.locator('input[name="gsvc"][value="cantine"]').check()
      await page.getByRole('button', { name: x.show }).click()
      // the periods to create, then the seed's warning: the bookings the closures delete, by name and class
      expect(await page.locator('tr[data-period]').count()).toBeGreaterThan(3)
      expect(await page.locator('li[data-booking="b-winter"]').textContent()).toContain('Léo Martin (CP)')
      await shot(page, `admin-periods-${lang}-1-calendar`)
      await page.getByRole('button', { name: x.confirm }).click()
      expect(await page.locator('body').textContent()).toContain(x.created)
      await shot(page, `admin-periods-${lang}-2-saved`)
      const booked = (await ctx.storage.bookings!.listBookings(siteId, { from: '2027-02-01', to: '2027-02-28' })).items.filter((b) => b.status === 'booked').map((b) => b.id)
      expect(booked).not.toContain('b-winter')
      const stored = (await ctx.storage.directory!.listDirectoryRecords(siteId, 'period')).items
      expect(stored.some((p) => p.generatedFrom?.zone === 'FR-C' && p.from <= '2027-02-09' && p.to >= '2027-02-09')).toBe(true)
      await page.context().close()
    }, 120_000)
  }
})

import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { staffBrowser } from './browser-support'
import { MailAccountSchema } from '@ecole/core'
import { CLAIRE, mailHost, mailText, messageSite, relayForFile, tokenOf } from './msg-support'
import { SMTP_ACCOUNT, smtpServerForFile } from './smtp-support'

// Messages, portal logins and invoice folders in Debian's Chromium, written as the seed's steps
// (seed 001 « Messagerie », « Portail parents », « dossiers de factures »; seed 004), in French and in English; screenshots of every
// screen go to test-artifacts/staff/ (not committed).
const relay = relayForFile()
/** The site's own SMTP account (seed 000), for the test that sends from the secretariat's account. */
const own = smtpServerForFile()
const { open: openSite, login, shot } = staffBrowser('staff-msg-browser', (storage, siteId) => messageSite(storage, siteId), {
  host: (storage, siteId) => mailHost(storage, siteId, relay.port),
})

/** The staff's page and a parent's (each its own cookies) on a fresh site whose mail goes to the relay. */
async function open(lang: 'fr' | 'en'): Promise<{ staff: Page; parent: Page; base: string }> {
  const { page, base, newPage } = await openSite(lang)
  return { staff: page, parent: await newPage(), base }
}

const TEXT = {
  fr: {
    messages: 'Messages', write: 'Écrire un message', preview: 'Aperçu', count: '1 destinataire(s) recevront ce message.', send: 'Envoyer à 1 destinataire(s)', sent: '1 message(s) mis en file d’envoi.',
    subject: 'Sortie au musée', body: 'Bonjour {{guardian.firstName}},\nla sortie au musée a lieu vendredi.', merged: 'Bonjour Claire,',
    portal: 'Accès au portail', open: 'Ouvrir l’accès au portail', opened: `Accès ouvert : le jeton de connexion part à ${CLAIRE}.`, active: `Actif : identifiant ${CLAIRE}`,
    unknown: 'Variable inconnue {{prenom}}',
    folders: 'Dossiers de factures', saveFolder: 'Enregistrer le dossier', count2: 'Voir combien de factures seront classées', fileConfirm: 'Classer 2 facture(s) dans « 2027 » ?', filed: '2 facture(s) classée(s).',
    confirm: 'Confirmer',
  },
  en: {
    messages: 'Messages', write: 'Write a message', preview: 'Preview', count: '1 recipient(s) will receive this message.', send: 'Send to 1 recipient(s)', sent: '1 message(s) queued for sending.',
    subject: 'Museum trip', body: 'Dear {{guardian.firstName}},\nthe museum trip is on Friday.', merged: 'Dear Claire,',
    portal: 'Portal access', open: 'Open portal access', opened: `Access opened: the sign-in token is on its way to ${CLAIRE}.`, active: `Active: login ${CLAIRE}`,
    unknown: 'Unknown variable {{prenom}}',
    folders: 'Invoice folders', saveFolder: 'Save the folder', count2: 'See how many invoices will be filed', fileConfirm: 'File 2 invoice(s) into “2027”?', filed: '2 invoice(s) filed.',
    confirm: 'Confirm',
  },
}

describe('in Chromium: écrire à une famille, ouvrir son accès au portail, classer des factures (seed 001, seed 004)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] the secretary writes to the Martin family (previewed, confirmed), then opens Claire Martin's portal access (Claire sets her password with the mailed token); the cashier files the December invoices into a folder`, async () => {
      const { staff, parent, base } = await open(lang)
      const x = TEXT[lang]
      // 1. log in; 2. MESSAGES; 3. write a message
      await login(staff, base, 'secretariat@jaures.example')
      await staff.getByRole('link', { name: x.messages, exact: true }).click()
      await staff.getByRole('link', { name: x.write }).click()
      // 4. to one family, found by name; 5. subject and message with a variable — first a variable that does not exist
      await staff.locator('#f-household').fill('Martin')
      await staff.locator('#f-subject').fill(x.subject)
      await staff.locator('#f-body').fill('{{prenom}}')
      await staff.getByRole('button', { name: x.preview }).click()
      await expect.poll(() => staff.locator('#f-body-error').textContent()).toContain(x.unknown)
      await shot(staff, `messages-${lang}-1-unknown-variable`)
      await staff.locator('#f-body').fill(x.body)
      await staff.getByRole('button', { name: x.preview }).click()
      // 6. the preview shows the first recipient's message and the count
      await expect.poll(() => staff.locator('#preview-count').textContent()).toBe(x.count)
      expect(await staff.locator('.message-body').first().textContent()).toContain(x.merged)
      await shot(staff, `messages-${lang}-2-preview`)
      // 7. send, confirming the count; the list shows it, and the mail arrives
      const before = relay.received.length
      await staff.getByRole('button', { name: x.send }).click()
      await expect.poll(() => staff.locator('.notice').first().textContent()).toContain(x.sent)
      await expect.poll(() => relay.received.length).toBe(before + 1)
      expect(mailText(relay.received[before]!.data)).toContain(x.merged)
      await shot(staff, `messages-${lang}-3-sent`)
      // 8. PORTAL ACCESS: Claire Martin, open access
      await staff.getByRole('link', { name: x.portal, exact: true }).click()
      await staff.getByRole('link', { name: 'Claire Martin' }).click()
      await shot(staff, `portal-${lang}-1-guardian`)
      await staff.getByRole('button', { name: x.open }).click()
      await expect.poll(() => staff.locator('.notice').first().textContent()).toContain(x.opened)
      await shot(staff, `portal-${lang}-2-opened`)
      await expect.poll(() => relay.received.length).toBe(before + 2)
      // 9. Claire, in her browser, uses the mailed token and chooses her password
      await parent.goto(`${base}/token`)
      await parent.locator('#f-username').fill(CLAIRE)
      await parent.locator('#f-token').fill(tokenOf(relay.received[before + 1]!.data))
      await parent.locator('#f-password').fill('un mot de passe de parent')
      await parent.locator('#f-confirmation').fill('un mot de passe de parent')
      await shot(parent, `portal-${lang}-3-token`)
      await parent.locator('form.card button[type=submit]').click()
      await parent.waitForURL(`${base}/`)
      await shot(parent, `portal-${lang}-4-parent-home`)
      // 10. the staff see the access active
      await staff.reload()
      expect(await staff.locator('#portal-state').textContent()).toContain(x.active)
      await shot(staff, `portal-${lang}-5-active`)
      // 11. the cashier: INVOICE FOLDERS, a folder « 2027 », the December batch filed into it after the count
      await staff.getByRole('button', { name: lang === 'fr' ? 'Se déconnecter' : 'Log out' }).click()
      await staff.locator('#f-username').waitFor()
      await login(staff, base, 'regisseur@jaures.example')
      await staff.getByRole('link', { name: x.folders, exact: true }).click()
      await staff.locator('#f-name').fill('2027')
      await staff.getByRole('button', { name: x.saveFolder }).click()
      await staff.locator('#file-batchId').fill('dec')
      await staff.getByRole('button', { name: x.count2 }).click()
      await expect.poll(() => staff.locator('#file-effect').textContent()).toBe(x.fileConfirm)
      await shot(staff, `folders-${lang}-1-confirm`)
      await staff.getByRole('button', { name: x.confirm }).click()
      await expect.poll(() => staff.locator('.notice').first().textContent()).toContain(x.filed)
      await shot(staff, `folders-${lang}-2-filed`)
    }, 120_000)
  }
})

describe('in Chromium: envoyer depuis le compte du secrétariat (seed 002, « comptes établissements »)', () => {
  it('[fr] the secretary chooses the secretariat account she is authorised on; the preview and the mail received say it is from there', async () => {
    const { page: staff, base, ctx, siteId } = await openSite('fr')
    await ctx.storage.directory!.putSmtpSettings(siteId, {
      host: '127.0.0.1', port: own.port, security: 'none', username: SMTP_ACCOUNT.username, password: ctx.secrets.seal(SMTP_ACCOUNT.password), fromAddress: 'ecole@jaures.example', fromName: 'École Jean-Jaurès',
    })
    await ctx.storage.directory!.putDirectoryRecord(siteId, 'mailAccount', MailAccountSchema.parse({
      kind: 'establishment', id: 'secretariat', siteId, name: 'Secrétariat', address: 'secretariat@jaures.example', senderName: 'Secrétariat Jean-Jaurès', authorisedUserIds: ['u-bo-secretariat'],
    }))
    await login(staff, base, 'secretariat@jaures.example')
    await staff.getByRole('link', { name: 'Messages', exact: true }).click()
    await staff.getByRole('link', { name: 'Écrire un message' }).click()
    await staff.locator('#f-household').fill('Martin')
    await staff.getByLabel('Envoyer depuis').selectOption({ label: 'Secrétariat (secretariat@jaures.example)' })
    await staff.locator('#f-subject').fill('Réunion de rentrée')
    await staff.locator('#f-body').fill('Bonjour {{guardian.firstName}},\nla réunion a lieu jeudi.')
    await staff.getByRole('button', { name: 'Aperçu' }).click()
    await expect.poll(() => staff.locator('#preview-from').textContent()).toBe('De Secrétariat Jean-Jaurès <secretariat@jaures.example>')
    await shot(staff, 'messages-fr-from-account')
    const before = own.received.length
    await staff.getByRole('button', { name: 'Envoyer à 1 destinataire(s)' }).click()
    await expect.poll(() => own.received.length).toBe(before + 1)
    const mail = own.received[before]!
    expect(mail.to).toEqual([CLAIRE])
    expect(mail.data.replace(/\r?\n[ \t]+/g, ' ')).toMatch(/^From: .*<secretariat@jaures\.example>/m)
    expect(mailText(mail.data)).toContain('la réunion a lieu jeudi.')
  })
})

import { createSecretBox } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { peopleSite } from './people-support'
import { smtpServerForFile } from './smtp-support'
import { Client, host, pgliteForFile } from './support'

// The site screen of the back office (seed 000, « Plessi e Licenza »: créer et configurer un
// plesso) through HTTP: every field saved with its audit entry, a bad field shown beside that field
// in the user's language with nothing stored, the licence limit typed on the form enforced when
// enrolling, and the SMTP account tried against an SMTP server on loopback before it is saved.
const db = pgliteForFile()
let site = 0

const DIRECTION = 'direction@jaures.example'
const SECRETARY = 'secretariat@jaures.example'
const PAGE = '/staff/admin/site'

const smtp = smtpServerForFile()

async function fresh(licence?: { maxPupils: number | null }) {
  const siteId = `staff-site-${++site}`
  await peopleSite(db.storage, siteId, licence)
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  const stored = () => ctx.storage.directory!.getSite(siteId)
  return { ctx, siteId, as, stored }
}

const FULL = {
  name: 'Plesso Garibaldi', country: 'IT', city: 'Roma', address: 'Via Garibaldi 12', province: 'RM', postcode: '00153',
  phone: '+39 06 1234 5678', fax: '06 8765 4321', email: 'segreteria@garibaldi.example', pec: 'garibaldi@pec.example', website: 'https://www.garibaldi.example',
  vatNumber: 'IT01234567890', supplierEInvoices: 'on', maxPupils: '300', maxStorageGb: '0,5',
}

describe('the site (seed 000: Nom, Pays, coordonnées, options avancées, limites de licence, adresse Internet)', () => {
  it('saves every field of the plesso, the country setting the time zone, with an audit entry, and shows them back', async () => {
    const { ctx, siteId, as, stored } = await fresh()
    const direction = await as(DIRECTION)
    const form = await direction.get(PAGE)
    expect(form.status).toBe(200)
    expect(form.text).toContain('Le pays définit le fuseau horaire des enregistrements : Europe/Paris.')
    const r = await direction.post(PAGE, FULL)
    expect([r.status, r.location]).toEqual([303, `${PAGE}?done=saved`])
    const s = await stored()
    expect(s).toMatchObject({
      name: 'Plesso Garibaldi', country: 'IT', timeZone: 'Europe/Rome', website: 'https://www.garibaldi.example', vatNumber: 'IT01234567890',
      contact: { city: 'Roma', address: 'Via Garibaldi 12', province: 'RM', postcode: '00153', phone: '+39 06 1234 5678', fax: '06 8765 4321', email: 'segreteria@garibaldi.example', pec: 'garibaldi@pec.example' },
      options: { supplierEInvoices: true, browserAttendance: false }, licence: { maxPupils: 300, maxStorageGb: 0.5 }, smtp: null,
    })
    const page = (await direction.get(`${PAGE}?done=saved`)).text
    expect(page).toContain('Les paramètres du site sont enregistrés.')
    expect(page).toContain('Le pays définit le fuseau horaire des enregistrements : Europe/Rome.')
    expect(page).toContain('<option value="IT" selected="">Italie</option>')
    expect(page).toMatch(/name="supplierEInvoices" value="on" checked=""/)
    expect(page).toContain('value="0.5"')
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    const entry = trail.items.find((e) => e.action === 'site.edited')
    expect(entry?.subject).toEqual({ kind: 'site', id: siteId })
    expect(entry?.before).toMatchObject({ name: 'École de test', country: 'FR', timeZone: 'Europe/Paris' })
    expect(entry?.after).toMatchObject({ name: 'Plesso Garibaldi', country: 'IT', timeZone: 'Europe/Rome' })
  })

  it('keeps what the form does not edit (portal texts) and empties the licence limits back to unlimited', async () => {
    const { ctx, siteId, as, stored } = await fresh()
    const before = await stored()
    await ctx.storage.directory!.putSite(siteId, { ...before!, portalTexts: { home: { fr: 'Bienvenue' } }, licence: { maxPupils: 10, maxStorageGb: 2 } })
    const direction = await as(DIRECTION)
    expect((await direction.post(PAGE, { name: 'École de test', country: 'FR', maxPupils: '', maxStorageGb: '' })).status).toBe(303)
    const s = await stored()
    expect(s?.licence).toEqual({ maxPupils: null, maxStorageGb: null })
    expect(s?.portalTexts).toEqual({ home: { fr: 'Bienvenue' } })
  })

  it('shows each bad field beside that field in French, keeps what was typed and stores nothing', async () => {
    const { as, stored } = await fresh()
    const direction = await as(DIRECTION)
    const r = await direction.post(PAGE, { ...FULL, name: '', email: 'pas-une-adresse', website: 'www.garibaldi.example', maxPupils: '-3' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('<strong id="f-name-error" class="field-error">Nom du site : obligatoire</strong>')
    expect(r.text).toContain('<strong id="f-email-error" class="field-error">E-mail : adresse e-mail attendue, par ex. nom@exemple.fr</strong>')
    expect(r.text).toContain('<strong id="f-website-error" class="field-error">Adresse Internet du site : adresse commençant par http:// ou https:// attendue</strong>')
    expect(r.text).toContain("Nombre maximum d&#39;élèves : nombre positif attendu (laissez vide pour aucune limite)")
    expect(r.text).toContain('aria-invalid="true"')
    expect(r.text).toContain('value="pas-une-adresse"')
    // said once, in the banner; the summary above the fields lists them without repeating it
    expect(r.text.split('Rien n&#39;a été enregistré').length - 1).toBe(1)
    expect(r.text).toContain('Corrigez ces champs :')
    expect((await stored())?.name).toBe('École de test')
  })

  it('speaks the user’s language: the same refusal in Italian', async () => {
    const { as } = await fresh()
    const direction = await as(DIRECTION)
    await direction.post('/lang', { lang: 'it', back: PAGE })
    const r = await direction.post(PAGE, { ...FULL, pec: 'x', maxPupils: '2.5' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('PEC: serve un indirizzo e-mail, ad es. nome@esempio.it')
    expect(r.text).toContain('Numero massimo di studenti: serve un numero intero')
  })

  it('enforces the maximum number of pupils typed on the form when enrolling (empty = unlimited)', async () => {
    const { as } = await fresh()
    const direction = await as(DIRECTION)
    expect((await direction.post(PAGE, { name: 'École de test', country: 'FR', maxPupils: '1' })).status).toBe(303)
    const secretary = await as(SECRETARY)
    await secretary.post('/staff/households/h2/children/new', { childId: 'k2', firstName: 'Zoé', lastName: 'Roux', birthDate: '2020-06-01', guardianId: 'g2', relationship: 'mother' })
    const refusedEnrol = await secretary.post('/staff/children/k2/enrol', { enrolmentId: 'e-k2', classId: 'ce1', level: 'CE1', from: '2026-09-01' })
    expect(refusedEnrol.status).toBe(400)
    expect(refusedEnrol.text).toContain('la licence du site est limitée à 1 élèves')
    expect((await direction.post(PAGE, { name: 'École de test', country: 'FR', maxPupils: '' })).status).toBe(303)
    expect((await secretary.post('/staff/children/k2/enrol', { enrolmentId: 'e-k2', classId: 'ce1', level: 'CE1', from: '2026-09-01' })).location).toBe('/staff/children/k2?done=enrolled')
  })

  it('refuses the secretary (no settings.site) the screen and the form, naming the permission, and changes nothing', async () => {
    const { as, stored } = await fresh()
    const secretary = await as(SECRETARY)
    const page = await secretary.get(PAGE)
    expect(page.status).toBe(403)
    expect(page.text).toContain('« settings.site »')
    expect((await secretary.post(PAGE, FULL)).status).toBe(403)
    expect((await secretary.post(`${PAGE}/smtp`, { host: '127.0.0.1', port: String(smtp.port), security: 'none', username: 'ecole', password: 'bonne-cle' })).status).toBe(403)
    expect(await stored()).toMatchObject({ name: 'École de test', smtp: null })
    expect((await secretary.get('/staff')).text).not.toContain(`href="${PAGE}"`)
    expect((await (await as(DIRECTION)).get('/staff')).text).toContain(`href="${PAGE}"`)
  })
})

describe('the site’s SMTP account (seed 000: « À la confirmation, le système vérifiera les données. En cas d’erreur, l’enregistrement ne sera pas effectué. »)', () => {
  const account = () => ({ host: '127.0.0.1', port: String(smtp.port), security: 'none', username: 'ecole', fromAddress: 'segreteria@garibaldi.example', fromName: 'Plesso Garibaldi' })

  it('refuses a wrong password after asking the server, says which step failed in French, and saves nothing', async () => {
    const { as, stored } = await fresh()
    const direction = await as(DIRECTION)
    const r = await direction.post(`${PAGE}/smtp`, { ...account(), password: 'mauvaise-cle' })
    expect(r.status).toBe(400)
    expect(r.text).toContain("Rien n&#39;a été enregistré. Le serveur a refusé l&#39;identifiant ou le mot de passe. Réponse du serveur : 535")
    expect(r.text).not.toContain('mauvaise-cle')
    expect(r.text).toContain('value="ecole"')
    expect((await stored())?.smtp).toBeNull()
  })

  it('refuses a server that does not answer (connect step) and a bad port on the form, naming the field', async () => {
    const { as, stored } = await fresh()
    const direction = await as(DIRECTION)
    const closed = await direction.post(`${PAGE}/smtp`, { ...account(), port: '1', password: 'bonne-cle' })
    expect(closed.status).toBe(400)
    expect(closed.text).toContain('Impossible de joindre le serveur SMTP : vérifiez le serveur et le port.')
    const bad = await direction.post(`${PAGE}/smtp`, { ...account(), port: '99999', password: 'bonne-cle' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('<strong id="f-port-error" class="field-error">Port SMTP : port de 1 à 65535 attendu</strong>')
    expect((await stored())?.smtp).toBeNull()
  })

  it('saves a working account after a test message (the password sealed, never shown), then removes it after a confirmation', async () => {
    const { ctx, siteId, as, stored } = await fresh()
    const direction = await as(DIRECTION)
    const before = smtp.received.length
    const r = await direction.post(`${PAGE}/smtp`, { ...account(), password: 'bonne-cle', testTo: 'directrice@garibaldi.example' })
    expect([r.status, r.location]).toEqual([303, `${PAGE}?done=smtpTested`])
    const test = smtp.received.slice(before)
    expect(test.map((m) => m.to)).toEqual([['directrice@garibaldi.example']])
    // sent through the site's own account, with its sender name and address
    expect(test[0]!.data).toContain('From: Plesso Garibaldi <segreteria@garibaldi.example>')
    expect(test[0]!.data).toContain('can send e-mail through')
    const s = await stored()
    expect(s?.smtp).toMatchObject({ host: '127.0.0.1', port: smtp.port, username: 'ecole', security: 'none', fromAddress: 'segreteria@garibaldi.example' })
    expect(JSON.stringify(s?.smtp)).not.toContain('bonne-cle')
    expect(ctx.secrets.open(s!.smtp!.password)).toBe('bonne-cle')
    // another key cannot open it: it is sealed, not encoded
    expect(() => createSecretBox({ keys: { k1: Buffer.alloc(32, 1) }, currentKeyId: 'k1' }).open(s!.smtp!.password)).toThrow()
    const page = (await direction.get(`${PAGE}?done=smtpTested`)).text
    expect(page).toContain('Le message de test est parti : la configuration SMTP est enregistrée.')
    expect(page).toContain('Les e-mails de service partent de segreteria@garibaldi.example par 127.0.0.1.')
    expect(page).not.toContain('bonne-cle')
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    const saved = trail.items.find((e) => e.action === 'site.smtp.saved')
    expect(JSON.stringify(saved)).not.toContain('bonne-cle')
    expect(saved?.after).toMatchObject({ smtp: { host: '127.0.0.1', passwordSet: true } })

    const confirm = await direction.get(`${PAGE}/smtp/remove`)
    expect(confirm.text).toContain('Les e-mails de service ne partiront plus de segreteria@garibaldi.example par 127.0.0.1')
    expect((await stored())?.smtp).not.toBeNull()
    expect((await direction.post(`${PAGE}/smtp/remove`, {})).location).toBe(`${PAGE}?done=smtpRemoved`)
    expect((await stored())?.smtp).toBeNull()
  })
})

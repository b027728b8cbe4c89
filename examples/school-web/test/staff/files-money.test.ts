import { openPortalAccess, setPasswordWithToken } from '@ecole/workflows'
import type { MailPayload } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { Client, FAST_SCRYPT, host, NOW, pgliteForFile } from './support'
import { hiddenField, MoneyClient, moneySite } from './money-support'

// Issue 18 (files): tax certificates and reminder letters saved into the families' files, with
// the optional notification, through HTTP on the host's embedded PGlite (seed 001), and what the
// parent then sees on the portal's documents page.
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-files-money-${++site}`
  await moneySite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const user = new MoneyClient(app, ctx)
  await user.login('regisseur@jaures.example')
  return { ctx, app, siteId, user }
}

/** Paul Roux's November invoice validated and paid (25.00 of care): one certificate for 2027... paid in the clock's year. */
async function paidCare(user: MoneyClient) {
  await user.post('/staff/invoices/validate', { batchId: 'nov', issueDate: '2026-11-30' })
  const invoice = await user.get('/staff/invoices/nov:g2')
  await user.post('/staff/invoices/nov:g2/pay', { paymentId: hiddenField(invoice.text, 'paymentId'), expectOutstandingMinor: hiddenField(invoice.text, 'expectOutstandingMinor'), amount: '25.00', method: 'cheque' })
}

const mails = async (ctx: { storage: { outbox?: { list: (s: string, f: object) => Promise<{ items: Array<{ id: string; payload: unknown }> }> } | undefined } }, siteId: string) =>
  (await ctx.storage.outbox!.list(siteId, {})).items.map((m) => ({ id: m.id, to: (m.payload as MailPayload).to, subject: (m.payload as MailPayload).subject }))

describe('tax certificates saved into the families\' files and notified (seed 001: attestations fiscales)', () => {
  it('saves the year\'s certificate into the payer\'s file with a notice queued, saves nothing twice, and Paul sees it on the portal\'s documents page', async () => {
    const { user, ctx, app, siteId } = await fresh()
    await paidCare(user)
    const page = (await user.get('/staff/tax-certificates?year=2027')).text
    expect(page).toContain('Enregistrer les attestations dans les dossiers des familles')
    const r = await user.post('/staff/tax-certificates/save', { year: '2027', into: 'guardian', from: '2027-01-20', notify: 'on' })
    expect([r.status, r.location]).toEqual([303, '/staff/tax-certificates?year=2027&saved=1&already=0&mails=1'])
    expect((await user.get(r.location!)).text).toContain('1 attestation(s) enregistrée(s) dans les dossiers des familles, 0 déjà enregistrée(s) ; 1 e-mail(s) en file d’envoi.')
    const doc = await ctx.storage.documents!.getDocument(siteId, 'tax-certificate-2027-g2-k-g2')
    expect(doc).toMatchObject({ name: 'Attestation fiscale 2027 – Tom Roux', audience: { kind: 'guardian', guardianId: 'g2' }, available: { from: '2027-01-20' }, mediaType: 'application/pdf' })
    expect(new TextDecoder().decode((await ctx.storage.documents!.readDocumentBytes(siteId, 'tax-certificate-2027-g2-k-g2'))!.slice(0, 5))).toBe('%PDF-')
    expect(await mails(ctx, siteId)).toEqual([{ id: 'notice:taxCertificate:tax-certificate-2027-g2-k-g2:g2', to: ['paul.roux@familles.example'], subject: 'Votre attestation fiscale 2027 (Tom Roux) est disponible' }])
    // again, into the child's file this time: the same year, payer and child are not saved twice
    const again = await user.post('/staff/tax-certificates/save', { year: '2027', into: 'child', from: '2027-01-20', notify: 'on' })
    expect(again.location).toBe('/staff/tax-certificates?year=2027&saved=0&already=1&mails=0')
    expect((await mails(ctx, siteId)).length).toBe(1)
    // Paul on the portal's documents page
    const opened = await openPortalAccess({ storage: ctx.storage, ids: ctx.ids }, { siteId, guardianId: 'g2', now: NOW })
    if (!opened.ok) throw new Error('refused')
    await setPasswordWithToken({ access: ctx.storage.access!, siteId, token: opened.token, password: 'un mot de passe', confirmation: 'un mot de passe', now: NOW, scrypt: FAST_SCRYPT })
    const paul = new Client(app, ctx)
    expect((await paul.post('/login', { username: 'paul.roux@familles.example', password: 'un mot de passe' })).status).toBe(303)
    expect((await paul.get('/documents')).text).toContain('Attestation fiscale 2027 – Tom Roux')
  })

  it('saves into the child\'s file without a mail when notification is off, and refuses the animateur (documents.write)', async () => {
    const { user, ctx, siteId, app } = await fresh()
    await paidCare(user)
    const r = await user.post('/staff/tax-certificates/save', { year: '2027', into: 'child', from: '2027-01-20' })
    expect(r.location).toBe('/staff/tax-certificates?year=2027&saved=1&already=0&mails=0')
    expect(await ctx.storage.documents!.getDocument(siteId, 'tax-certificate-2027-g2-k-g2')).toMatchObject({ audience: { kind: 'child', childId: 'k-g2' } })
    expect(await mails(ctx, siteId)).toEqual([])
    const animateur = new MoneyClient(app, ctx)
    await animateur.login('animateur@jaures.example')
    const denied = await animateur.post('/staff/tax-certificates/save', { year: '2027', into: 'guardian' })
    expect(denied.status).toBe(403)
    expect(denied.text).toContain('documents.write')
  })

  it('saves nothing beyond the storage licence and says so', async () => {
    const { user, ctx, siteId } = await fresh()
    await paidCare(user)
    const s = (await ctx.storage.directory!.getSite(siteId))!
    await ctx.storage.directory!.putSite(siteId, { ...s, licence: { ...s.licence, maxStorageGb: 100 / 1e9 } })
    const r = await user.post('/staff/tax-certificates/save', { year: '2027', into: 'guardian', from: '2027-01-20', notify: 'on' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('Rien n’a été enregistré')
    expect(await ctx.storage.documents!.getDocument(siteId, 'tax-certificate-2027-g2-k-g2')).toBeUndefined()
    expect(await mails(ctx, siteId)).toEqual([])
  })
})

describe('reminder letters saved into the families\' files (seed 001: lettres de relance)', () => {
  it('saves Paul Roux\'s reminder letter as a PDF in his file, records the reminder and queues its notice; unticked, no letter and no mail', async () => {
    const { user, ctx, siteId } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'nov', issueDate: '2026-11-30' })
    const list = (await user.get('/staff/reminders')).text
    expect(list).toContain('Enregistrer la lettre de relance (PDF) dans le dossier de chaque famille')
    const r = await user.post('/staff/reminders', { letters: 'on', notify: 'on' })
    expect([r.status, r.location]).toEqual([303, '/staff/reminders?sent=1&letters=1'])
    expect((await user.get(r.location!)).text).toContain('1 relance(s) enregistrée(s) ; 1 lettre(s) enregistrée(s) dans les dossiers des familles.')
    const docs = (await ctx.storage.documents!.listDocuments(siteId, { limit: 10 }, { addressedTo: { guardianIds: ['g2'], childIds: [] } })).items
    expect(docs.map((d) => [d.name, d.audience])).toEqual([[expect.stringMatching(/^Lettre de relance du \d\d\/\d\d\/\d{4}$/), { kind: 'guardian', guardianId: 'g2' }]])
    expect(new TextDecoder().decode((await ctx.storage.documents!.readDocumentBytes(siteId, docs[0]!.id))!.slice(0, 5))).toBe('%PDF-')
    expect((await ctx.storage.invoicing!.lastReminderLevels(siteId, ['nov:g2'])).get('nov:g2')).toBe(2)
    expect((await mails(ctx, siteId)).map((m) => m.to)).toEqual([['paul.roux@familles.example']])
  })

  it('records the reminder without a letter or a mail when both are unticked', async () => {
    const { user, ctx, siteId } = await fresh()
    await user.post('/staff/invoices/validate', { batchId: 'nov', issueDate: '2026-11-30' })
    expect((await user.post('/staff/reminders', {})).location).toBe('/staff/reminders?sent=1')
    expect((await ctx.storage.documents!.listDocuments(siteId, { limit: 10 })).items).toEqual([])
    expect(await mails(ctx, siteId)).toEqual([])
    expect((await ctx.storage.invoicing!.lastReminderLevels(siteId, ['nov:g2'])).get('nov:g2')).toBe(2)
  })
})

import { describe, expect, it } from 'vitest'
import type { MailPayload } from '@ecole/workflows'
import { Client, host, PASSWORD, pgliteForFile, smallSite } from './support'

// Seed 001, « Connexion » : « J'ai perdu mon login et mon mot de passe » — the login is the
// e-mail; with it the staff member asks for a new password and follows the mailed procedure.
const db = pgliteForFile()
let n = 0
const SECRETARY = 'secretariat@jaures.example'

async function fresh() {
  const siteId = `staff-reset-${++n}`
  await smallSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const mails = async () => (await db.storage.outbox!.list(siteId, {})).items.map((m) => m.payload as MailPayload)
  const tokenOf = (mail: MailPayload) => (mail.text ?? '').match(/: ([A-Z0-9 ]{20,})\n/)?.[1]?.trim() ?? ''
  return { ctx, app, siteId, mails, tokenOf, client: () => new Client(app, ctx) }
}

describe('a staff member who lost their password (seed 001, Connexion)', () => {
  it('finds the link on the login page, types their e-mail, receives a token, sets a new password and is signed in; the old password no longer works', async () => {
    const { mails, tokenOf, client, siteId } = await fresh()
    const anon = client()
    const login = await anon.get('/staff/login')
    expect(login.text).toContain('href="/staff/forgot"')
    const form = await anon.get('/staff/forgot')
    expect(form.text).toContain('Votre identifiant est votre adresse e-mail.')
    const sent = await anon.post('/staff/forgot', { email: ' Secretariat@Jaures.example ' })
    expect(sent.status).toBe(200)
    expect(sent.text).toContain('Si cette adresse correspond à un compte')
    const [mail] = await mails()
    expect(mail!.to).toEqual([SECRETARY])
    expect(mail!.text).toContain('Créer mon mot de passe <http://localhost/staff/token>')
    const token = tokenOf(mail!)
    expect(token.length).toBeGreaterThan(20)
    const set = await anon.post('/staff/token', { username: SECRETARY, token, password: 'une-phrase-neuve-et-longue', confirmation: 'une-phrase-neuve-et-longue' })
    expect(set.status).toBe(303)
    expect(set.location).toBe('/staff')
    expect((await anon.get('/staff')).status).toBe(200)
    const audit = await db.storage.audit!.listAuditEntries(siteId, {})
    expect(audit.items.filter((e) => e.action === 'password.changed').map((e) => e.actor.kind)).toEqual(['user'])
    const old = await client().post('/staff/login', { username: SECRETARY, password: PASSWORD })
    expect(old.status).toBe(401)
    await client().login(SECRETARY, 'une-phrase-neuve-et-longue')
  })

  it('answers an unknown address the same way and sends nothing', async () => {
    const { mails, client } = await fresh()
    const r = await client().post('/staff/forgot', { email: 'personne@jaures.example' })
    expect(r.status).toBe(200)
    expect(r.text).toContain('Si cette adresse correspond à un compte')
    expect(await mails()).toEqual([])
  })

  it('refuses a common or mistyped new password without using the token, then a token shown with another login, each said in French', async () => {
    const { mails, tokenOf, client } = await fresh()
    const anon = client()
    await anon.post('/staff/forgot', { email: SECRETARY })
    const token = tokenOf((await mails())[0]!)
    const typo = await anon.post('/staff/token', { username: SECRETARY, token, password: 'une-phrase-neuve-et-longue', confirmation: 'une-phrase-neuve-et-longuE' })
    expect(typo.status).toBe(400)
    expect(typo.text).toContain('Les deux mots de passe ne sont pas identiques')
    const common = await anon.post('/staff/token', { username: SECRETARY, token, password: 'motdepasse1', confirmation: 'motdepasse1' })
    expect(common.status).toBe(400)
    const other = await anon.post('/staff/token', { username: 'bo-admin@jaures.example', token, password: 'une-phrase-neuve-et-longue', confirmation: 'une-phrase-neuve-et-longue' })
    expect(other.status).toBe(400)
    expect(other.text).toContain("Ce jeton n&#39;appartient pas à ce nom d&#39;utilisateur.")
    // still usable by its owner
    expect((await anon.post('/staff/token', { username: SECRETARY, token, password: 'une-phrase-neuve-et-longue', confirmation: 'une-phrase-neuve-et-longue' })).status).toBe(303)
    const again = await client().post('/staff/token', { username: SECRETARY, token, password: 'encore-une-autre-phrase', confirmation: 'encore-une-autre-phrase' })
    expect(again.status).toBe(410)
  })

  it('speaks English when asked', async () => {
    const { app } = await fresh()
    const r = await app.request('http://localhost/staff/forgot', { headers: { 'Accept-Language': 'en' } })
    const text = await r.text()
    expect(text).toContain('Your username is your e-mail address.')
    expect(text).toContain('Your e-mail address (it is your username)')
  })
})

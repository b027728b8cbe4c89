import { describe, expect, it } from 'vitest'
import { peopleSite } from './people-support'
import { SMTP_ACCOUNT, smtpServerForFile } from './smtp-support'
import { Client, host, pgliteForFile } from './support'

// The mail screen of the back office (seed 002, « Paramétrer l'envoi d'e-mails ») through HTTP:
// the test send of the delegated server, personal accounts, establishment accounts with the staff
// authorised on them; each test message read back from an SMTP server on loopback.
const db = pgliteForFile()
const smtp = smtpServerForFile()
let site = 0

const ADMIN = 'bo-admin@jaures.example'
const SECRETARY = 'secretariat@jaures.example'
const DIRECTION = 'direction@jaures.example'
const ANIMATEUR = 'animateur@jaures.example'
const PAGE = '/staff/admin/mail'

/** A site whose own SMTP account is the loopback server (with the right password unless `password` says otherwise). */
async function fresh(password: string = SMTP_ACCOUNT.password) {
  const siteId = `staff-mail-${++site}`
  await peopleSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const stored = await ctx.storage.directory!.getSite(siteId)
  await ctx.storage.directory!.putSmtpSettings(siteId, {
    host: '127.0.0.1', port: smtp.port, security: 'none', username: SMTP_ACCOUNT.username, password: ctx.secrets.seal(password),
    fromAddress: 'ecole@jaures.example', fromName: stored?.name ?? 'École',
  })
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  const accounts = async () => (await ctx.storage.directory!.listDirectoryRecords(siteId, 'mailAccount', { limit: 500 })).items
  const received = (from: number) => smtp.received.slice(from)
  return { ctx, siteId, as, accounts, received }
}

describe('delegated sending (seed 002, étape 1: nom d’expéditeur, « Tester l’envoi d’e-mails »)', () => {
  it('says which server and sender name send, and sends a test message to the address typed', async () => {
    const { as, received } = await fresh()
    const admin = await as(ADMIN)
    const page = (await admin.get(PAGE)).text
    expect(page).toContain('Tous les e-mails partent par le serveur du site (127.0.0.1) au nom de « École de test » (ecole@jaures.example).')
    const before = smtp.received.length
    const r = await admin.post(`${PAGE}/test`, { testTo: 'moi@jaures.example' })
    expect([r.status, r.location]).toEqual([303, `${PAGE}?done=tested`])
    expect(received(before).map((m) => m.to)).toEqual([['moi@jaures.example']])
    expect((await admin.get(`${PAGE}?done=tested`)).text).toContain('Le message de test est parti')
  })

  it('says the test failed at the login step when the server refuses the stored password', async () => {
    const { as } = await fresh('mauvaise-cle')
    const admin = await as(ADMIN)
    const before = smtp.received.length
    const r = await admin.post(`${PAGE}/test`, { testTo: 'moi@jaures.example' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('Le message de test n&#39;est pas parti. Le serveur a refusé l&#39;identifiant ou le mot de passe.')
    expect(smtp.received.length).toBe(before)
  })
})

describe('personal accounts (seed 002, étape 2: nom du compte, adresse e-mail, tester)', () => {
  it('creates the secretary’s own account after its test message went out from that address; others do not see it', async () => {
    const { as, accounts, received } = await fresh()
    const secretary = await as(SECRETARY)
    const page = (await secretary.get(PAGE)).text
    expect(page).toContain('Mon compte personnel')
    expect(page).not.toContain('Comptes établissement')
    const before = smtp.received.length
    const r = await secretary.post(`${PAGE}/personal`, { name: 'Sophie Secrétaire', address: 'sophie@jaures.example', senderName: 'Sophie Secrétaire', testTo: 'sophie@jaures.example' })
    expect([r.status, r.location]).toEqual([303, `${PAGE}?done=personal`])
    const sent = received(before)
    expect(sent.map((m) => m.to)).toEqual([['sophie@jaures.example']])
    expect(sent[0]!.data).toContain('From: =?UTF-8?Q?Sophie_Secr=C3=A9taire?= <sophie@jaures.example>')
    expect(await accounts()).toEqual([expect.objectContaining({ kind: 'personal', name: 'Sophie Secrétaire', address: 'sophie@jaures.example', ownerUserId: 'u-bo-secretariat' })])
    expect((await secretary.get(PAGE)).text).toContain('Sophie Secrétaire — <code>&quot;Sophie Secrétaire&quot; &lt;sophie@jaures.example&gt;</code>')
    // the cashier does not see the secretary's account, and cannot delete it
    const cashier = await as('regisseur@jaures.example')
    expect((await cashier.get(PAGE)).text).not.toContain('sophie@jaures.example')
    const id = (await accounts())[0]!.id
    expect((await cashier.post(`${PAGE}/${id}/delete`, {})).status).toBe(404)
    expect(await accounts()).toHaveLength(1)
  })

  it('shows a bad address beside its field in French, and saves nothing when the test message does not go out', async () => {
    const bad = await fresh()
    const secretary = await bad.as(SECRETARY)
    const r = await secretary.post(`${PAGE}/personal`, { name: 'Sophie', address: 'sophie', senderName: 'Sophie', testTo: '' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('<strong id="f-address-error" class="field-error">Adresse e-mail : adresse e-mail attendue, par ex. nom@exemple.fr</strong>')
    expect(await bad.accounts()).toEqual([])
    const refused = await fresh('mauvaise-cle')
    const other = await refused.as(SECRETARY)
    const t = await other.post(`${PAGE}/personal`, { name: 'Sophie', address: 'sophie@jaures.example', senderName: 'Sophie', testTo: 'sophie@jaures.example' })
    expect(t.status).toBe(400)
    expect(t.text).toContain("Rien n&#39;a été enregistré. Le serveur a refusé l&#39;identifiant ou le mot de passe.")
    expect(await refused.accounts()).toEqual([])
  })
})

describe('establishment accounts (seed 002, étape 3: un service, son adresse, les personnels autorisés)', () => {
  it('creates the secretariat account with the secretary authorised, then authorises the cashier instead, then deletes it after a confirmation; audited', async () => {
    const { ctx, siteId, as, accounts } = await fresh()
    const direction = await as(DIRECTION)
    expect((await direction.get(PAGE)).text).not.toContain('Mon compte personnel')
    const r = await direction.post(`${PAGE}/establishment`, { name: 'Secrétariat', address: 'secretariat@jaures.example', senderName: 'École Jean-Jaurès – Secrétariat', userIds: ['u-bo-secretariat'], testTo: 'direction@jaures.example' })
    expect([r.status, r.location]).toEqual([303, `${PAGE}?done=establishment`])
    const [account] = await accounts()
    expect(account).toMatchObject({ kind: 'establishment', name: 'Secrétariat', authorisedUserIds: ['u-bo-secretariat'] })
    expect((await direction.get(PAGE)).text).toContain('<p class="authorised-now">Sophie Secrétaire</p>')
    expect((await direction.post(`${PAGE}/${account!.id}/staff`, { userIds: ['u-bo-regisseur'] })).location).toBe(`${PAGE}?done=authorised`)
    expect((await accounts())[0]).toMatchObject({ authorisedUserIds: ['u-bo-regisseur'] })
    const confirm = await direction.get(`${PAGE}/${account!.id}/delete`)
    expect(confirm.text).toContain('Le compte « Secrétariat » (secretariat@jaures.example) sera supprimé : les 1 personnel(s) autorisé(s) ne pourront plus envoyer depuis cette adresse.')
    expect(await accounts()).toHaveLength(1)
    expect((await direction.post(`${PAGE}/${account!.id}/delete`, {})).location).toBe(`${PAGE}?done=deleted`)
    expect(await accounts()).toEqual([])
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, {})
    expect(trail.items.filter((e) => e.subject.kind === 'mailAccount').map((e) => e.action).sort()).toEqual(['mailAccount.authorised', 'mailAccount.created', 'mailAccount.deleted'])
    const authorised = trail.items.find((e) => e.action === 'mailAccount.authorised')
    expect([authorised?.before, authorised?.after]).toEqual([{ authorisedUserIds: ['u-bo-secretariat'] }, { authorisedUserIds: ['u-bo-regisseur'] }])
  })

  it('keeps the staff another user authorised meanwhile: the second save of the list, made from the page before, is refused (409) and nothing is overwritten; a deletion confirmed before is refused too', async () => {
    const { siteId, as, accounts, ctx } = await fresh()
    const direction = await as(DIRECTION)
    await direction.post(`${PAGE}/establishment`, { name: 'Secrétariat', address: 'secretariat@jaures.example', senderName: 'Secrétariat', userIds: ['u-bo-secretariat'] })
    const [account] = await accounts()
    const shown = (await direction.get(PAGE)).text.match(/name="version" value="([^"]+)"/)![1]!
    const confirmation = (await direction.get(`${PAGE}/${account!.id}/delete`)).text.match(/name="version" value="([^"]+)"/)![1]!
    // one user adds the cashier; the other, from the page as it was, replaces the list with the director only
    expect((await direction.post(`${PAGE}/${account!.id}/staff`, { version: shown, userIds: ['u-bo-secretariat', 'u-bo-regisseur'] })).location).toBe(`${PAGE}?done=authorised`)
    const late = await direction.post(`${PAGE}/${account!.id}/staff`, { version: shown, userIds: ['u-bo-direction'] })
    expect(late.status).toBe(409)
    expect(late.text).toContain('quelqu&#39;un d&#39;autre a modifié ou supprimé le compte « Secrétariat »')
    expect((await accounts())[0]).toMatchObject({ authorisedUserIds: ['u-bo-regisseur', 'u-bo-secretariat'] })
    expect((await direction.post(`${PAGE}/${account!.id}/delete`, { version: confirmation })).status).toBe(409)
    expect(await accounts()).toHaveLength(1)
    expect((await ctx.storage.audit!.listAuditEntries(siteId, {})).items.filter((e) => e.action === 'mailAccount.authorised')).toHaveLength(1)
  })

  it('refuses the secretary an establishment account (settings.site) and the animateur the screen, naming the permission', async () => {
    const { as, accounts } = await fresh()
    const secretary = await as(SECRETARY)
    const r = await secretary.post(`${PAGE}/establishment`, { name: 'Secrétariat', address: 'secretariat@jaures.example', senderName: 'Secrétariat' })
    expect(r.status).toBe(403)
    expect(r.text).toContain('« settings.site »')
    expect(await accounts()).toEqual([])
    const animateur = await as(ANIMATEUR)
    const page = await animateur.get(PAGE)
    expect(page.status).toBe(403)
    expect((await animateur.get('/staff')).text).not.toContain(`href="${PAGE}"`)
    expect((await secretary.get('/staff')).text).toContain(`href="${PAGE}"`)
    expect((await (await as(DIRECTION)).get('/staff')).text).toContain(`href="${PAGE}"`)
  })
})

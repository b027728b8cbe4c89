import { afterEach, describe, expect, it } from 'vitest'
import { archiveGuardian, emptyDirectory } from '@ecole/core'
import { PORTAL_ACCESS_RECHECK_MS } from '../../src/portal/routes'
import type { StoragePorts } from '@ecole/core/ports'
import { hashToken } from '@ecole/workflows'
import { CLAIRE, mailHost, mailText, messageSite, relayForFile, tokenOf } from './msg-support'
import { Client, pgliteForFile } from './support'

// Portal logins from the back office (seed 001 « Portail parents », seed 004 « jeton de
// connexion ») through HTTP, end to end: the secretary opens access, the token mail arrives at a
// loopback SMTP relay, the parent sets a password on the portal with it and is signed in; a new
// token replaces the first; closing access signs the parent out for good.
const db = pgliteForFile()
const smtp = relayForFile()
let site = 0
let stops: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const stop of stops) await stop()
  stops = []
})

const SECRETARY = 'secretariat@jaures.example'
const PASSWORD = 'un mot de passe de parent'

async function fresh() {
  const siteId = `staff-portal-${++site}`
  await messageSite(db.storage, siteId)
  const h = await mailHost(db.storage, siteId, smtp.port)
  stops.push(h.stop)
  /** A parent's browser on the portal: sets the password with a token, or signs in. */
  const parent = () => new Client(h.app, h.ctx)
  return { ...h, siteId, parent }
}

describe('opening portal access (seed 001 « créer un login », seed 004)', () => {
  it('mails a one-time token to the guardian; the parent sets a password with it on the portal and is signed in; the staff see the access active', async () => {
    const { as, parent, clock } = await fresh()
    const secretary = await as(SECRETARY)
    const page = await secretary.get('/staff/portal-access/g1')
    expect(page.text).toContain('Pas d’accès')
    expect(page.text).toContain(`L’identifiant sera ${CLAIRE} ; un jeton de connexion à usage unique sera envoyé à cette adresse.`)
    const before = smtp.received.length
    const opened = await secretary.post('/staff/portal-access/g1/open', {})
    expect([opened.status, opened.location]).toEqual([303, '/staff/portal-access/g1?done=opened'])
    const mails = smtp.received.slice(before)
    expect(mails.map((m) => m.to)).toEqual([[CLAIRE]])
    expect(mailText(mails[0]!.data)).toContain('Un accès au portail des familles a été ouvert pour vous.')
    expect((await secretary.get('/staff/portal-access/g1?done=opened')).text).toContain(`Invité(e) : identifiant ${CLAIRE}, mot de passe pas encore choisi`)
    // the parent, ten minutes later, on the portal
    clock.at = new Date(clock.at.getTime() + 600_000)
    const browser = parent()
    const set = await browser.post('/token', { username: CLAIRE, token: tokenOf(mails[0]!.data), password: PASSWORD, confirmation: PASSWORD })
    expect([set.status, set.location]).toEqual([303, '/'])
    expect((await browser.get('/')).status).toBe(200)
    expect((await secretary.get('/staff/portal-access/g1')).text).toContain(`Actif : identifiant ${CLAIRE}, activé le 20/01/2027 10:10 (Europe/Paris)`)
    // and it shows in the list of guardians
    expect((await secretary.get('/staff/portal-access?q=Martin')).text).toContain(`Actif : identifiant ${CLAIRE}`)
  })

  it('is refused for a guardian without e-mail, saying so, and nothing is mailed', async () => {
    const { as } = await fresh()
    const secretary = await as(SECRETARY)
    const page = await secretary.get('/staff/portal-access/g2')
    expect(page.text).toContain('Paul Roux n’a pas d’adresse e-mail : ajoutez-la à sa fiche avant d’ouvrir l’accès au portail')
    expect(page.text).not.toContain('Ouvrir l’accès au portail</button>')
    const before = smtp.received.length
    const r = await secretary.post('/staff/portal-access/g2/open', {})
    expect(r.status).toBe(400)
    expect(r.text).toContain('Paul Roux n’a pas d’adresse e-mail')
    expect(smtp.received.length).toBe(before)
  })
})

describe('a new token, and access closed (seed 001 « renvoyer le jeton », « désactiver »)', () => {
  it('sends a new token that replaces the first one', async () => {
    const { as, parent } = await fresh()
    const secretary = await as(SECRETARY)
    const before = smtp.received.length
    await secretary.post('/staff/portal-access/g1/open', {})
    const resent = await secretary.post('/staff/portal-access/g1/resend', {})
    expect(resent.location).toBe('/staff/portal-access/g1?done=resent')
    const [first, second] = smtp.received.slice(before)
    const old = await parent().post('/token', { username: CLAIRE, token: tokenOf(first!.data), password: PASSWORD, confirmation: PASSWORD })
    expect(old.status).toBe(400)
    const ok = await parent().post('/token', { username: CLAIRE, token: tokenOf(second!.data), password: PASSWORD, confirmation: PASSWORD })
    expect(ok.status).toBe(303)
  })

  it('asks before closing, saying what changes; then the parent can no longer sign in, and opening again does not bring the old password back', async () => {
    const { as, parent } = await fresh()
    const secretary = await as(SECRETARY)
    const before = smtp.received.length
    await secretary.post('/staff/portal-access/g1/open', {})
    await parent().post('/token', { username: CLAIRE, token: tokenOf(smtp.received[before]!.data), password: PASSWORD, confirmation: PASSWORD })
    const confirm = await secretary.get('/staff/portal-access/g1/close')
    expect(confirm.text).toContain(`Désactiver l’accès au portail de Claire Martin ? L’identifiant ${CLAIRE} ne permettra plus de se connecter`)
    const closed = await secretary.post('/staff/portal-access/g1/close', {})
    expect(closed.location).toBe('/staff/portal-access/g1?done=closed')
    expect((await secretary.get('/staff/portal-access/g1?done=closed')).text).toContain('L’accès au portail de Claire Martin est désactivé.')
    expect((await parent().post('/login', { username: CLAIRE, password: PASSWORD })).status).toBe(401)
    await secretary.post('/staff/portal-access/g1/open', {})
    expect((await secretary.get('/staff/portal-access/g1')).text).toContain('Invité(e)')
    expect((await parent().post('/login', { username: CLAIRE, password: PASSWORD })).status).toBe(401)
  })

  it('ends the sessions the parent had open when the access is closed, here and when another host process closed it', async () => {
    // closing deleted the account, but a parent already signed in kept reading invoices and PDFs until the session expired
    const { as, parent, ctx, siteId, clock } = await fresh()
    const secretary = await as(SECRETARY)
    const before = smtp.received.length
    await secretary.post('/staff/portal-access/g1/open', {})
    const claire = parent()
    expect((await claire.post('/token', { username: CLAIRE, token: tokenOf(smtp.received[before]!.data), password: PASSWORD, confirmation: PASSWORD })).status).toBe(303)
    const other = parent()
    expect((await other.post('/login', { username: CLAIRE, password: PASSWORD })).status).toBe(303)
    expect((await claire.get('/invoices')).status).toBe(200)
    await secretary.post('/staff/portal-access/g1/close', {})
    for (const browser of [claire, other]) expect(await browser.get('/invoices')).toMatchObject({ status: 303, location: '/login' })
    // opened again and closed by another process sharing the database: this host's session is refused too
    const again = smtp.received.length
    await secretary.post('/staff/portal-access/g1/open', {})
    const later = parent()
    expect((await later.post('/token', { username: CLAIRE, token: tokenOf(smtp.received[again]!.data), password: PASSWORD, confirmation: PASSWORD })).status).toBe(303)
    expect((await later.get('/invoices')).status).toBe(200)
    await ctx.storage.access!.deletePortalAccount(siteId, 'g1')
    // read again at most every PORTAL_ACCESS_RECHECK_MS of the session (this host ended its own sessions at once)
    expect((await later.get('/invoices')).status).toBe(200)
    clock.at = new Date(clock.at.getTime() + PORTAL_ACCESS_RECHECK_MS)
    expect(await later.get('/invoices')).toMatchObject({ status: 303, location: '/login' })
    expect((await later.post('/bookings', {})).status).toBe(403)
  })
})

describe('archiving a guardian ends their portal access (seed 001: a family that left the school)', () => {
  /** Claire's access opened and activated, signed in in one browser; the token mail of the opening. */
  async function withClaireSignedIn() {
    const h = await fresh()
    const secretary = await h.as(SECRETARY)
    const before = smtp.received.length
    await secretary.post('/staff/portal-access/g1/open', {})
    const claire = h.parent()
    expect((await claire.post('/token', { username: CLAIRE, token: tokenOf(smtp.received[before]!.data), password: PASSWORD, confirmation: PASSWORD })).status).toBe(303)
    expect((await claire.get('/invoices')).status).toBe(200)
    return { ...h, secretary, claire }
  }
  const resetMails = async (ctx: { storage: StoragePorts }, siteId: string) =>
    (await ctx.storage.outbox!.list(siteId, {})).items.filter((m) => m.id.startsWith('token:passwordReset:')).length

  it('closes the access with the archiving: the open session ends, the password no longer signs in, a reset request mails nothing and the token mailed before fails', async () => {
    const { secretary, claire, parent, ctx, siteId } = await withClaireSignedIn()
    const before = smtp.received.length
    await secretary.post('/staff/portal-access/g1/resend', {}) // a token mailed, not yet used
    const mailed = tokenOf(smtp.received[before]!.data)
    expect((await secretary.get('/staff/guardians/g1/archive')).text).toContain('Son accès au portail, s’il en a un, sera désactivé ; le désarchiver ne le rouvrira pas.')
    const archived = await secretary.post('/staff/guardians/g1/archive', {})
    expect([archived.status, archived.location]).toEqual([303, '/staff/guardians/g1?done=archived'])
    expect(await claire.get('/invoices')).toMatchObject({ status: 303, location: '/login' })
    expect((await parent().post('/login', { username: CLAIRE, password: PASSWORD })).status).toBe(401)
    const resets = await resetMails(ctx, siteId)
    expect((await parent().post('/forgot', { email: CLAIRE })).status).toBe(200)
    expect(await resetMails(ctx, siteId)).toBe(resets)
    expect((await parent().post('/token', { username: CLAIRE, token: mailed, password: PASSWORD, confirmation: PASSWORD })).status).toBe(400)
    expect((await secretary.get('/staff/portal-access/g1')).text).toContain('Pas d’accès')
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, { subjectId: 'g1' })
    expect(trail.items.map((e) => e.action)).toEqual(expect.arrayContaining(['guardian.archived', 'portalAccount.closed']))
  })

  it('keeps the access closed when the guardian is unarchived, until the staff open it again (refused while archived), and the old password stays gone', async () => {
    const { secretary, parent } = await withClaireSignedIn()
    await secretary.post('/staff/guardians/g1/archive', {})
    const refused = await secretary.post('/staff/portal-access/g1/open', {})
    expect(refused.status).toBe(400)
    expect(refused.text).toContain('Claire Martin est archivé(e) : pas d’accès au portail.')
    expect((await secretary.post('/staff/guardians/g1/unarchive', {})).status).toBe(303)
    expect((await parent().post('/login', { username: CLAIRE, password: PASSWORD })).status).toBe(401)
    expect((await secretary.get('/staff/portal-access/g1')).text).toContain('Pas d’accès')
    const before = smtp.received.length
    expect((await secretary.post('/staff/portal-access/g1/open', {})).status).toBe(303)
    expect((await parent().post('/login', { username: CLAIRE, password: PASSWORD })).status).toBe(401)
    const again = parent()
    expect((await again.post('/token', { username: CLAIRE, token: tokenOf(smtp.received[before]!.data), password: PASSWORD, confirmation: PASSWORD })).status).toBe(303)
    expect((await again.get('/invoices')).status).toBe(200)
  })

  it('refuses a guardian archived by another program that left the access open: the session, the sign-in, a reset request and the token mailed before', async () => {
    const { secretary, claire, parent, ctx, siteId, clock } = await withClaireSignedIn()
    const before = smtp.received.length
    await secretary.post('/staff/portal-access/g1/resend', {})
    const mailed = tokenOf(smtp.received[before]!.data)
    const g1 = (await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1'))!
    const outcome = archiveGuardian({ ...emptyDirectory(siteId), guardians: { g1 } }, 'g1', { on: '2027-01-20', unpaidInvoiceIds: [] })
    if (!outcome.ok) throw new Error(outcome.refusal.code)
    await ctx.storage.directory!.putDirectoryRecord(siteId, 'guardian', outcome.state.guardians['g1']!)
    expect(await ctx.storage.access!.getPortalAccount(siteId, 'g1')).toBeDefined()
    // read again at most every PORTAL_ACCESS_RECHECK_MS of the session: within it the page is still served
    expect((await claire.get('/invoices')).status).toBe(200)
    clock.at = new Date(clock.at.getTime() + PORTAL_ACCESS_RECHECK_MS)
    expect(await claire.get('/invoices')).toMatchObject({ status: 303, location: '/login' })
    expect((await claire.post('/bookings', {})).status).toBe(403)
    expect((await parent().post('/login', { username: CLAIRE, password: PASSWORD })).status).toBe(401)
    const resets = await resetMails(ctx, siteId)
    expect((await parent().post('/forgot', { email: CLAIRE })).status).toBe(200)
    expect(await resetMails(ctx, siteId)).toBe(resets)
    const tokenPage = await parent().post('/token', { username: CLAIRE, token: mailed, password: PASSWORD, confirmation: PASSWORD })
    expect(tokenPage.status).toBe(400)
    expect((await ctx.storage.access!.findOneTimeTokenByHash(siteId, hashToken(mailed)))?.usedAt).toBeNull() // refused, not used up
  })
})

describe('who may manage portal logins (permission portal.accounts)', () => {
  it('refuses the cashier, naming the missing permission, and opens nothing', async () => {
    const { as, ctx, siteId } = await fresh()
    const cashier = await as('regisseur@jaures.example')
    for (const r of [await cashier.get('/staff/portal-access'), await cashier.get('/staff/portal-access/g1'), await cashier.post('/staff/portal-access/g1/open', {})]) {
      expect(r.status).toBe(403)
      expect(r.text).toContain('il vous manque la permission « portal.accounts »')
    }
    expect(await ctx.storage.access!.getPortalAccount(siteId, 'g1')).toBeUndefined()
  })
})

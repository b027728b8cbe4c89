import { CustomAttributeSchema, UserSchema } from '@ecole/core'
import { validateDrafts } from '@ecole/workflows'
import { afterEach, describe, expect, it } from 'vitest'
import { CLAIRE, mailHost, mailText, messageSite, relayForFile } from './msg-support'
import { NOW, pgliteForFile } from './support'

// The messages of the back office (seed 001, « Messagerie ») through HTTP: a message to one family
// or to a filtered list with variables, previewed, confirmed with the count, queued through the
// outbox and read back from an SMTP server on loopback; the messaging types of the user enforced;
// the outbox's delivery state, a failed message retried or discarded.
const db = pgliteForFile()
const smtp = relayForFile()
let site = 0
let stops: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const stop of stops) await stop()
  stops = []
})

const SECRETARY = 'secretariat@jaures.example'
const CASHIER = 'regisseur@jaures.example'

async function fresh() {
  const siteId = `staff-msg-${++site}`
  await messageSite(db.storage, siteId)
  const h = await mailHost(db.storage, siteId, smtp.port)
  stops.push(h.stop)
  const outbox = async () => (await db.storage.outbox!.list(siteId, {}, { limit: 500 })).items
  return { ...h, siteId, outbox }
}

/** The compose form's fields, and a preview of them. */
const family = (over: Record<string, string> = {}) => ({ target: 'family', household: 'Martin', channel: 'email', lang: 'fr', format: 'text', subject: 'Sortie du {{household.name}}', body: 'Bonjour {{guardian.firstName}},\nla sortie est vendredi.', ...over })
const hiddenFields = (page: string) => Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].filter((m) => m[1] !== '_csrf').map((m) => [m[1]!, m[2]!.replace(/&#10;/g, '\n').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')]))
const sendForm = (page: string) => hiddenFields(page.slice(page.indexOf('id="preview"')))

describe('a message to one family (seed 001, « envoyer un message à une famille »)', () => {
  it('finds the household by name, previews the message with its variables, and sends it to the guardians with an e-mail after a confirmation naming the count', async () => {
    const { as, outbox } = await fresh()
    const secretary = await as(SECRETARY)
    const preview = await secretary.post('/staff/messages/preview', family())
    expect(preview.status).toBe(200)
    expect(preview.text).toContain('1 destinataire(s) recevront ce message.')
    expect(preview.text).toContain(CLAIRE)
    expect(preview.text).toContain('Sortie du Foyer Martin')
    expect(preview.text).toContain('Bonjour Claire,\nla sortie est vendredi.')
    expect(preview.text).toContain('Envoyer à 1 destinataire(s)')
    expect(await outbox()).toEqual([])
    const before = smtp.received.length
    const sent = await secretary.post('/staff/messages/send', sendForm(preview.text))
    expect([sent.status, sent.location]).toEqual([303, '/staff/messages?done=sent&count=1'])
    const mails = smtp.received.slice(before)
    expect(mails.map((m) => m.to)).toEqual([[CLAIRE]])
    expect(mailText(mails[0]!.data)).toContain('Bonjour Claire,')
    // the same confirmation sent twice (a double click) queues nothing more
    await secretary.post('/staff/messages/send', sendForm(preview.text))
    expect((await outbox()).filter((m) => (m.payload as { purpose: string }).purpose === 'groupMessage')).toHaveLength(1)
    const list = await secretary.get('/staff/messages?done=sent&count=1')
    expect(list.text).toContain('1 message(s) mis en file d’envoi.')
    expect(list.text).toContain('Sortie du Foyer Martin')
    expect(list.text).toContain('Envoyé')
  })

  it('sent again with the same form but another text (Back, edit, send), keeps the first message, says so with a 409, and gives the form a new id', async () => {
    const { as, outbox } = await fresh()
    const secretary = await as(SECRETARY)
    const preview = await secretary.post('/staff/messages/preview', family())
    const first = sendForm(preview.text)
    expect((await secretary.post('/staff/messages/send', first)).status).toBe(303)
    const edited = await secretary.post('/staff/messages/send', { ...first, body: 'Bonjour {{guardian.firstName}},\nla sortie est annulée.' })
    expect(edited.status).toBe(409)
    expect(edited.text).toContain('Ce formulaire a déjà été envoyé avec d’autres valeurs')
    const queued = (await outbox()).filter((m) => (m.payload as { purpose: string }).purpose === 'groupMessage')
    expect(queued).toHaveLength(1)
    expect(JSON.stringify(queued[0]!.payload)).toContain('la sortie est vendredi')
    const newId = hiddenFields(edited.text)['messageId']
    expect(newId).toBeDefined()
    expect(newId).not.toBe(first['messageId'])
  })

  it('says which households match when the name is ambiguous, and that none does', async () => {
    const { as } = await fresh()
    const secretary = await as(SECRETARY)
    const many = await secretary.post('/staff/messages/preview', family({ household: 'Foyer' }))
    expect(many.status).toBe(400)
    expect(many.text).toContain('Foyer : 2 foyers correspondent, choisissez le bon.')
    expect(many.text).toContain('<option value="h2">Foyer Roux</option>')
    const none = await secretary.post('/staff/messages/preview', family({ household: 'Dupuis' }))
    expect(none.text).toContain('Foyer : aucun foyer ne s’appelle « Dupuis ».')
  })

  it('previews and sends an HTML message without a meta refresh, a form to another host or a script, and says it was cleaned up', async () => {
    const { as } = await fresh()
    const secretary = await as(SECRETARY)
    const body = '<p>Bonjour {{guardian.firstName}}</p><meta http-equiv="refresh" content="0;url=https://evil.example/"><form action="https://evil.example/"><input name="password"></form><script>alert(1)</script><p onclick="steal()">Vendredi</p>'
    const preview = await secretary.post('/staff/messages/preview', family({ format: 'html', body }))
    expect(preview.status).toBe(200)
    // the preview as shown (the confirmation form after it carries the body as typed, escaped, in a hidden field)
    const shown = preview.text.slice(preview.text.indexOf('id="preview"'), preview.text.indexOf('action="/staff/messages/send"'))
    expect(shown).toContain('<div class="message-body"><p>Bonjour Claire</p><p>Vendredi</p></div>')
    expect(shown).not.toMatch(/<meta|<form action="https:\/\/evil|<script>alert|onclick=/)
    expect(shown).toContain('Le message a été nettoyé pour l’envoi')
    const before = smtp.received.length
    expect((await secretary.post('/staff/messages/send', sendForm(preview.text))).status).toBe(303)
    const sent = mailText(smtp.received.slice(before)[0]!.data)
    expect(sent).toContain('<p>Bonjour Claire</p><p>Vendredi</p>')
    expect(sent).not.toMatch(/evil\.example|<script|onclick/)
  })

  it('says nothing of a cleanup when an HTML message holds only what families receive', async () => {
    const { as } = await fresh()
    const secretary = await as(SECRETARY)
    const preview = await secretary.post('/staff/messages/preview', family({ format: 'html', body: "<p>Bonjour {{guardian.firstName}}, l'école <a href=\"https://portail.example/\">ouvre</a></p>" }))
    expect(preview.text).toContain(`<div class="message-body"><p>Bonjour Claire, l'école <a href="https://portail.example/">ouvre</a></p></div>`)
    expect(preview.text).not.toContain('nettoyé')
  })
})

describe('a message to a filtered list (seed 001, « envoyer un message à plusieurs familles »)', () => {
  it('writes to the debtors with what each owes, formatted in the message’s language, and names the guardians without e-mail', async () => {
    const { as, ctx, siteId } = await fresh()
    await validateDrafts({ storage: ctx.storage, clock: ctx.clock }, { siteId, batchId: 'dec', issueDate: '2027-01-04' })
    const secretary = await as(SECRETARY)
    const form = { target: 'list', source: 'guardians', debtors: '1', channel: 'email', lang: 'en', format: 'text', subject: 'Unpaid', body: 'Dear {{guardian.fullName}}, you owe {{invoice.amountDue}}.' }
    const preview = await secretary.post('/staff/messages/preview', form)
    expect(preview.status).toBe(200)
    expect(preview.text).toContain('Dear Claire Martin, you owe €100.00.')
    expect(preview.text).toContain('1 responsable(s) sans e-mail ne le recevront pas : Paul Roux.')
    const before = smtp.received.length
    expect((await secretary.post('/staff/messages/send', sendForm(preview.text))).status).toBe(303)
    expect(smtp.received.slice(before).map((m) => [m.to, mailText(m.data).includes('you owe €100.00.')])).toEqual([[[CLAIRE], true]])
  })

  it('writes to the guardians of the children of a class, and to nobody when the class has no child', async () => {
    const { as } = await fresh()
    const secretary = await as(SECRETARY)
    const cp = await secretary.post('/staff/messages/preview', { target: 'list', source: 'children', classId: 'cp', channel: 'email', lang: 'fr', format: 'text', subject: 'CP', body: '{{child.firstName}} est en {{child.className}}.' })
    expect(cp.text).toContain('Léo est en CP.')
    const ce1 = await secretary.post('/staff/messages/preview', { target: 'list', source: 'children', classId: 'ce1', channel: 'email', lang: 'fr', format: 'text', subject: 'CE1', body: 'Bonjour' })
    expect(ce1.text).toContain('Aucun destinataire avec un e-mail : rien ne sera envoyé.')
    expect(ce1.text).not.toContain('Envoyer à')
  })
})

describe('a message to the people of a criterion (seed 001: « FILTRER SUR LES ADULTES / ENFANTS », the site\'s criteria)', () => {
  it("writes to the guardians of the children whose criterion has that value, to nobody for another value, and refuses a guardians' criterion on the children list and a deleted criterion beside the field", async () => {
    const { as, ctx, siteId, outbox } = await fresh()
    const d = ctx.storage.directory!
    await d.putDirectoryRecord(siteId, 'customAttribute', CustomAttributeSchema.parse({ id: 'regime', siteId, label: 'Régime', appliesTo: 'child', allowedValues: ['sans porc', 'végétarien'] }))
    await d.putDirectoryRecord(siteId, 'customAttribute', CustomAttributeSchema.parse({ id: 'csp', siteId, label: 'Catégorie', appliesTo: 'guardian', allowedValues: ['cadre'] }))
    const leo = (await d.getDirectoryRecord(siteId, 'child', 'k1'))!
    await d.putDirectoryRecord(siteId, 'child', { ...leo, attributes: { regime: 'végétarien' } })
    const secretary = await as(SECRETARY)
    const form = (await secretary.get('/staff/messages/new')).text
    expect(form).toContain('<optgroup label="Critères des enfants"><option value="regime=sans%20porc">Régime · sans porc</option><option value="regime=v%C3%A9g%C3%A9tarien">Régime · végétarien</option></optgroup>')
    const list = (criterion: string, source = 'children') => ({ target: 'list', source, criterion, channel: 'email', lang: 'fr', format: 'text', subject: 'Menu', body: 'Le menu de {{child.firstName}} change.' })
    const veggie = await secretary.post('/staff/messages/preview', list('regime=v%C3%A9g%C3%A9tarien'))
    expect(veggie.status).toBe(200)
    expect(veggie.text).toContain('Le menu de Léo change.')
    expect((await secretary.post('/staff/messages/preview', list('regime=sans%20porc'))).text).toContain('Aucun destinataire avec un e-mail : rien ne sera envoyé.')
    const wrongKind = await secretary.post('/staff/messages/preview', list('csp=cadre'))
    expect(wrongKind.status).toBe(400)
    expect(wrongKind.text).toContain('Critère : « Catégorie » décrit les responsables ; partez de la liste des adultes.')
    const gone = await secretary.post('/staff/messages/preview', list('allergie=oeuf'))
    expect(gone.status).toBe(400)
    expect(gone.text).toContain('Critère : ce critère n’existe plus.')
    const before = smtp.received.length
    expect((await secretary.post('/staff/messages/send', sendForm(veggie.text))).status).toBe(303)
    await ctx.flushMail()
    expect(smtp.received.slice(before).map((m) => [m.to, mailText(m.data).includes('Le menu de Léo change.')])).toEqual([[[CLAIRE], true]])
    expect((await outbox()).length).toBe(1)
  })
})

describe('the form refuses what cannot be sent, beside the field, and queues nothing', () => {
  it('names an unknown variable beside the message, and the missing subject beside the subject', async () => {
    const { as, outbox } = await fresh()
    const secretary = await as(SECRETARY)
    const unknown = await secretary.post('/staff/messages/send', family({ body: 'Bonjour {{prenom}}' }))
    expect(unknown.status).toBe(400)
    expect(unknown.text).toMatch(/id="f-body-error" class="field-error">Variable inconnue \{\{prenom\}\} : utilisez une des variables listées\./)
    const empty = await secretary.post('/staff/messages/preview', family({ subject: '' }))
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('id="f-subject-error"')
    expect(empty.text).toContain('Objet : obligatoire')
    expect(await outbox()).toEqual([])
  })

  it('refuses a messaging type the user is not allowed (their user record), naming it', async () => {
    const { as, ctx, siteId, outbox } = await fresh()
    const user = (await ctx.storage.access!.getUser(siteId, 'u-bo-secretariat'))!
    await ctx.storage.access!.putUser(siteId, UserSchema.parse({ ...user, messaging: ['sms'] }))
    const secretary = await as(SECRETARY)
    const r = await secretary.post('/staff/messages/send', family())
    expect(r.status).toBe(403)
    expect(r.text).toContain('Type de messagerie : vous n’êtes pas autorisé(e) à utiliser « E-mail ».')
    const sms = await secretary.post('/staff/messages/preview', family({ channel: 'sms' }))
    expect(sms.status).toBe(400)
    expect(sms.text).toContain('« SMS » n’est pas envoyé par ce site')
    expect(await outbox()).toEqual([])
  })
})

describe('who may write and see messages (permission messages.send)', () => {
  it('refuses the animateur, naming the missing permission', async () => {
    const { as } = await fresh()
    const animateur = await as('animateur@jaures.example')
    for (const path of ['/staff/messages', '/staff/messages/new']) {
      const r = await animateur.get(path)
      expect(r.status).toBe(403)
      expect(r.text).toContain('il vous manque la permission « messages.send »')
    }
    expect((await animateur.post('/staff/messages/send', family())).status).toBe(403)
  })
})

describe('the delivery state: a message given up is retried or discarded (seed 001, dead letters)', () => {
  it('lists the failed message with its error; « Renvoyer » sends it again; « Abandonner » asks first, then discards it', async () => {
    const { as, siteId, outbox } = await fresh()
    // two mails that failed an hour from the host's now (out of reach of its worker until then)
    const later = new Date(NOW.getTime() + 3600_000)
    for (const id of ['m-dead-1', 'm-dead-2']) {
      await db.storage.outbox!.enqueue(siteId, { id, topic: 'mail', availableAt: later, payload: { purpose: 'groupMessage', from: 'x@ecole.example', to: ['nobody@example.fr'], subject: `Sortie ${id}`, text: 'x' } })
    }
    for (const m of await db.storage.outbox!.claim(siteId, { now: later, limit: 10, leaseMs: 60_000 })) await db.storage.outbox!.markFailed(siteId, m.id, { error: '550 5.1.1 no such user' })
    const cashier = await as(CASHIER)
    const dead = await cashier.get('/staff/messages?status=dead')
    expect(dead.text).toContain('550 5.1.1 no such user')
    expect(dead.text).toContain('En échec')
    const before = smtp.received.length
    expect((await cashier.post('/staff/messages/m-dead-1/retry', {})).location).toBe('/staff/messages?done=retried')
    expect(smtp.received.slice(before).map((m) => m.to)).toEqual([['nobody@example.fr']])
    const confirm = await cashier.get('/staff/messages/m-dead-2/discard')
    expect(confirm.text).toContain('Abandonner le message « Sortie m-dead-2 » à nobody@example.fr ? Il ne sera jamais envoyé.')
    expect((await cashier.post('/staff/messages/m-dead-2/discard', {})).location).toBe('/staff/messages?done=discarded')
    expect(Object.fromEntries((await outbox()).map((m) => [m.id, m.status]))).toEqual({ 'm-dead-1': 'delivered', 'm-dead-2': 'discarded' })
    // a message that has not failed is neither retried nor discarded
    expect((await cashier.post('/staff/messages/m-dead-1/discard', {})).status).toBe(409)
  })
})

import { SEPA_RETURN_REASONS } from '@ecole/core'
import { createFormatter } from '@ecole/pdf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatDate, LANGUAGES, t, type Lang, type MessageKey } from '../src/i18n'
import { fr } from '../src/i18n/fr'
import { DEMO_PASSWORD } from '../src/seed'
import { SITE } from '../src/site-settings'
import { staffLogin } from './staff/docs-support'
import { Client, startTestHost, visibleText, type TestHost } from './support'

// What families and staff read about money is words, names and one date format: never a ledger
// memo, an id, an ISO date, a bare SEPA code; the statement always has its opening and closing
// balance; an overdue invoice says so; French puts a no-break space before a colon.
let host: TestHost
beforeAll(async () => {
  host = await startTestHost()
})
afterAll(async () => host?.close())

async function family(guardianId: string, lang: Lang = 'fr'): Promise<Client> {
  const c = new Client(host.app)
  expect((await c.login(`${guardianId}@familles.example`, DEMO_PASSWORD)).status).toBe(303)
  if (lang !== 'fr') {
    await c.get('/')
    expect((await c.post('/lang', { lang })).status).toBe(303)
  }
  return c
}
const text = async (c: Client, path: string) => visibleText((await c.get(path)).text)
/** The name of a person of the demo, as the directory stores it. */
async function nameOf(kind: 'child' | 'guardian', id: string): Promise<string> {
  const p = (await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, kind, id))!
  return `${p.firstName} ${p.lastName}`
}
async function serviceName(id: string): Promise<string> {
  return (await host.ctx.storage.directory!.getDirectoryRecord(SITE.id, 'service', id))!.name
}
/** resp-21's one child, as the bookings page offers it. */
async function childOf(c: Client): Promise<string> {
  return /name="child" value="([^"]+)"/.exec((await c.get('/bookings?service=gouter&month=2027-02')).text)![1]!
}

describe('the statement (seed 004, « Opérations financières »)', () => {
  it('describes each movement in words: a desk top-up by its method and product, a bank top-up as a transfer, never the ledger memo or an id', async () => {
    const c = await family('resp-21')
    const november = await text(c, '/statement?month=2026-11')
    expect(november).toMatch(/20\/11\/2026 Rechargement en espèces \(goûter\) 20,00\s€/)
    const january = await text(c, '/statement?month=2027-01')
    expect(january).toMatch(/20\/01\/2027 Rechargement par virement 25,00\s€/)
    for (const page of [november, january]) {
      expect(page).not.toMatch(/payment |recharge-21|bank:|\(cash\)|\(transfer\)|\bbooking\b/)
    }
  })

  it('names the service, the child and the day of a booking in the page\'s date format, as the booking records them', async () => {
    const c = await family('resp-21')
    const child = await childOf(c)
    expect((await c.post('/bookings', { child, service: 'gouter', month: '2027-02', action: 'book', date: ['2027-02-22', '2027-02-23'] })).status).toBe(303)
    const [service, name] = [await serviceName('gouter'), await nameOf('child', child)]
    try {
      const february = await text(c, '/statement?month=2027-02')
      expect(february).toContain(`${service} du 22/02/2027 pour ${name}`)
      expect(february).toContain(`${service} du 23/02/2027 pour ${name}`)
      expect(february).not.toMatch(/gouter 2027-02-2\d|2027-02-2\d/)
      // in English, the English sentence and the English date format
      const english = await text(await family('resp-21', 'en'), '/statement?month=2027-02')
      expect(english).toContain(`${service} on 22/02/2027 for ${name}`)
    } finally {
      // cancelled, the days are no longer reserved
      await c.get('/bookings?service=gouter&month=2027-02')
      await c.post('/bookings', { child, service: 'gouter', month: '2027-02', action: 'cancel', date: ['2027-02-22', '2027-02-23'] })
    }
    expect(await text(c, '/statement?month=2027-02')).not.toContain(`${service} du 22/02/2027`)
  })

  it('shows the opening and closing balance of a month without movement, and the available balance the dashboard shows', async () => {
    const c = await family('resp-21')
    const home = await c.get('/')
    const shown = /<tr data-wallet="general"><td>[^<]*<\/td><td class="num">([^<]+)<\/td>/.exec(home.text)![1]!.replace(/\s/g, ' ')
    const february = await text(c, '/statement?month=2027-02')
    expect(february).toMatch(/01\/02\/2027 Solde en début de période 36,20\s€/)
    expect(february).toContain('Aucun mouvement sur la période.')
    // the current month ends today (the site's day) for its balance
    expect(february).toMatch(/Solde au 08\/02\/2027 36,20\s€/)
    // what is still reserved aside, the balance the family can spend: the dashboard's
    expect(february).toContain(`Solde disponible : ${shown}`)
    // a past month ends on its last day; its closing is the next month's opening
    const january = await text(c, '/statement?month=2027-01')
    expect(january).toMatch(/Solde au 31\/01\/2027 36,20\s€/)
    // a month without movement before the first one: nothing yet, zero both ends
    const october = await text(c, '/statement?month=2026-10')
    expect(october).toMatch(/Solde en début de période 0,00\s€ Aucun mouvement sur la période\. Solde au 31\/10\/2026 0,00\s€/)
  })
})

describe("the family's history", () => {
  it('names the child and the service and writes the days and the time as the rest of the portal, in the site\'s zone, in each language', async () => {
    const c = await family('resp-21')
    const child = await childOf(c)
    await c.post('/bookings', { child, service: 'gouter', month: '2027-03', action: 'book', date: ['2027-03-01', '2027-03-02'] })
    const [service, name] = [await serviceName('gouter'), await nameOf('child', child)]
    // the clock is 2027-02-08T07:30Z: 08:30 in Paris, the site's zone
    const french = await text(c, '/history')
    expect(french).toContain(`08/02/2027 08:30 Réservation · ${name} · ${service} · 01/03/2027, 02/03/2027`)
    expect(french).not.toContain(child)
    expect(french).not.toContain('2027-03-01')
    const english = await text(await family('resp-21', 'en'), '/history')
    expect(english).toContain(`08/02/2027 08:30 Booked · ${name} · ${service} · 01/03/2027, 02/03/2027`)
    expect(english).not.toMatch(/2\/8\/27|AM|PM/)
  })
})

describe('the dashboard', () => {
  it('says an invoice whose due date has passed is late, and when the next one is due, in each language', async () => {
    // on 08/02/2027 resp-21 owes December's invoice (due 15/01/2027) and January's (due 15/02/2027)
    const expected: Record<Lang, [string, string]> = {
      fr: ['En retard depuis le 15/01/2027\u00a0: FAC-2027-', 'Échéance le 15/02/2027\u00a0: FAC-2027-'],
      en: ['Overdue since 15/01/2027: FAC-2027-', 'Due on 15/02/2027: FAC-2027-'],
      it: ['Scaduta dal 15/01/2027: FAC-2027-', 'Scadenza il 15/02/2027: FAC-2027-'],
      nl: ['Achterstallig sinds 15/01/2027: FAC-2027-', 'Vervaldag 15/02/2027: FAC-2027-'],
    }
    for (const lang of LANGUAGES) {
      const events = /<section class="card" aria-labelledby="h-events">([\s\S]*?)<\/section>/.exec((await (await family('resp-21', lang)).get('/')).text)![1]!
      for (const line of expected[lang]) expect(events).toContain(line)
      expect(events).not.toContain(`${t(lang, 'invoices.due')} FAC`)
    }
  })

  it('names the general compartment in the reader\'s language', async () => {
    const names: Record<Lang, string> = { fr: 'Compartiment général', en: 'General compartment', it: 'Scomparto generale', nl: 'Algemeen compartiment' }
    for (const lang of LANGUAGES) {
      const home = await (await family('resp-21', lang)).get('/')
      expect(/<tr data-wallet="general"><td>([^<]*)<\/td>/.exec(home.text)![1]).toBe(names[lang])
    }
  })
})

describe('French typography', () => {
  it('puts a no-break space before every colon of the portal\'s French messages, and none in English', () => {
    const portal = Object.entries(fr).filter(([key]) => !key.startsWith('staff.'))
    const bad = portal.filter(([, text]) => /(?:^|[^\u00a0\u202f]):(?!\/)/.test(text.replace(/\{\w+\}/g, 'x')))
    expect(bad).toEqual([])
    expect(portal.filter(([, text]) => text.includes('\u00a0:')).length).toBeGreaterThan(10)
  })

  it('writes "Prochaine échéance : " with a no-break space on an invoice, "Next due date: " in English', async () => {
    const c = await family('resp-21')
    const id = /data-invoice="([^"]+)"/.exec((await c.get('/invoices')).text)![1]!
    const page = (await c.get(`/invoices/${encodeURIComponent(id)}`)).text
    expect(page).toMatch(/Prochaine échéance\u00a0: \d\d\/\d\d\/\d{4}/)
    expect(page).not.toMatch(/Prochaine échéance ?: /)
    const english = (await (await family('resp-21', 'en')).get(`/invoices/${encodeURIComponent(id)}`)).text
    expect(english).toMatch(/Next due date: \d\d\/\d\d\/\d{4}/)
  })
})

describe('dates in Dutch', () => {
  it('writes a short date the same way on the portal (nl-BE) and in the PDF: 04/01/2027, as Belgium does', () => {
    for (const day of ['2027-01-04', '2026-12-31', '2027-02-28', '2030-10-09']) {
      expect(formatDate('nl', day)).toBe(createFormatter('nl').shortDate(day as `${number}-${number}-${number}`))
    }
    expect(createFormatter('nl').shortDate('2027-01-04')).toBe('04/01/2027')
  })
})

describe('a returned direct debit in the back office', () => {
  it('says what the reason code means and what to do, on the returns page and on the payer\'s account, in words', async () => {
    const staff = new Client(host.app)
    await staffLogin(staff, 'regie@jaures.example', DEMO_PASSWORD)
    await staff.get('/staff/direct-debits')
    const returned = visibleText((await staff.post('/staff/direct-debits/returns', { endToEndId: 'PRLV2701-factures-2026-12:resp-06', reasonCode: 'AM04', date: '2027-02-05' })).text)
    expect(returned).toContain('Paiement REFUSÉ – Provision insuffisante (AM04) : à représenter')
    expect(returned).not.toContain('(retry)')
    const account = visibleText((await staff.get('/staff/accounts/resp-06?month=2027-02')).text)
    expect(account).toMatch(/05\/02\/2027 Paiement rejeté Prélèvement – Provision insuffisante \(AM04\)/)
    expect(account).not.toContain('directDebit')
  })

  it('has a meaning for every reason code of the library in every language (in English, the library\'s own), and shows a code it does not know as a code', async () => {
    const meanings = Object.keys(SEPA_RETURN_REASONS).map((code) => [code, LANGUAGES.map((lang) => t(lang, `staff.dd.reason.${code}` as MessageKey))] as const)
    for (const [code, [fr, en, it, nl]] of meanings) {
      expect(en).toBe(SEPA_RETURN_REASONS[code]!.description)
      for (const meaning of [fr, it, nl]) expect(meaning).toMatch(/^\p{Lu}\p{L}+ /u)
      expect(new Set([fr, en, it, nl]).size).toBe(4)
    }
    const staff = new Client(host.app)
    await staffLogin(staff, 'regie@jaures.example', DEMO_PASSWORD)
    await staff.get('/staff/direct-debits')
    const unknown = visibleText((await staff.post('/staff/direct-debits/returns', { endToEndId: 'PRLV2701-factures-2026-12:resp-08', reasonCode: 'ZZ99', date: '2027-02-05' })).text)
    expect(unknown).toContain('Paiement REFUSÉ – motif ZZ99 : contacter le payeur')
  })
})

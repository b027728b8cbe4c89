/**
 * Consents that gate bookings (seed 001): each of the site's consents in force, its text in the
 * parent's language and the document to read, accepted or not (with the date), and a form to
 * accept or withdraw it. Stored by the library (`acceptBookingConsent`, `withdrawBookingConsent`);
 * a booking that needs a consent not given is refused by `changeBookings` with `CONSENT_MISSING`.
 */
import { acceptBookingConsent, consentShownVersion, guardianConsents, loadBookingFacts, withdrawBookingConsent } from '@ecole/workflows'
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { formatDate, t } from '../i18n'
import { consentOfVersionId, consentText, isEcoleError } from '@ecole/core'
import { invalidateStoredConsents, storedConsentRecords } from '../stored-consents'
import { CsrfField, Layout } from '../views/layout'
import { errorPage, html } from '../views/render'
import { bookingSettings } from './booking-service'
import { childrenOf } from './family'
import { dayIn } from '../site-facts'
import { portalAudit } from './history'
import { portalNav } from './nav'

/** The consents routes. */
export function consentRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/consents', async (c) => {
    const { lang, session, ctx } = c.var
    const guardianId = session.subject!.id
    const deps = { storage: ctx.storage, clock: ctx.clock }
    const settings = await bookingSettings(ctx)
    const records = new Map((await storedConsentRecords(ctx)).map((r) => [r.id, r]))
    const today = dayIn(c.var.site.timeZone, ctx.clock.now())
    const all = await guardianConsents(deps, settings, { siteId: ctx.config.siteId, guardianId, date: today })
    // only the consents that concern one of the family's children (their classes, schools and
    // services today), and those the guardian accepted (to withdraw them)
    const childIds = (await childrenOf(ctx, guardianId)).map((k) => k.id)
    const facts = childIds.length === 0 ? { children: [] } : await ctx.storage.transaction(ctx.config.siteId, (tx) => loadBookingFacts(tx, { beneficiaryIds: childIds }))
    const inForce = (r: { from: string; to?: string | undefined }) => r.from <= today && (r.to === undefined || today <= r.to)
    const groups = new Set(facts.children.flatMap((k) => k.enrolments.filter(inForce).flatMap((e) => [e.classId, e.schoolId])))
    const services = new Set(facts.children.flatMap((k) => k.subscriptions.filter(inForce).map((s) => s.serviceId)))
    const consents = all.filter(({ consent, acceptedAt }) => acceptedAt !== undefined || consent.scope.kind === 'site'
      || (consent.scope.kind === 'groups' && consent.scope.groupIds.some((g) => groups.has(g)))
      || (consent.scope.kind === 'services' && consent.scope.serviceIds.some((x) => services.has(x))))
    const notice = session.flash ? { kind: 'ok' as const, text: session.flash } : undefined
    session.flash = undefined
    return html(c,
      <Layout lang={lang} title={t(lang, 'consents.title')} session={session} nav={portalNav(lang, '/consents')} logoutAction="/logout" notice={notice}>
        <p>{t(lang, 'consents.intro')}</p>
        {consents.length === 0 ? <p>{t(lang, 'consents.none')}</p> : null}
        {consents.map(({ consent, acceptedAt }) => {
          // the stored consent of this version (its id is the consent's id, or <id>~v<n> after a new version)
          const record = records.get(consentOfVersionId(consent.id).consentId)
          return (
            <section class="card" data-consent={consent.id} data-state={acceptedAt ? 'accepted' : 'missing'}>
              <h2>{consent.label}</h2>
              {record ? <p class="consent-text">{consentText(record, lang)}</p> : null}
              {consent.documentId ? <p><a href={`/documents/${encodeURIComponent(consent.documentId)}`}>{t(lang, 'consents.document')}</a></p> : null}
              {acceptedAt ? (
                <form method="post" action="/consents">
                  <CsrfField session={session} />
                  <input type="hidden" name="consent" value={consent.id} />
                  <p><strong>{t(lang, 'consents.acceptedOn', { date: formatDate(lang, dayIn(c.var.site.timeZone, acceptedAt), 'long') })}</strong></p>
                  <button type="submit" name="action" value="withdraw" class="secondary">{t(lang, 'consents.withdraw')}</button>
                </form>
              ) : (
                <form method="post" action="/consents">
                  <CsrfField session={session} />
                  <input type="hidden" name="consent" value={consent.id} />
                  {/* the version of the text shown: an acceptance of a text edited since is refused */}
                  {record ? <input type="hidden" name="shown" value={consentShownVersion(record)} /> : null}
                  <p>{t(lang, 'consents.missing')}</p>
                  <p>
                    <input type="checkbox" name="read" value="yes" id={`read-${consent.id}`} required />{' '}
                    <label for={`read-${consent.id}`}>{t(lang, 'consents.read')}</label>
                  </p>
                  <button type="submit" name="action" value="accept">{t(lang, 'consents.accept')}</button>
                </form>
              )}
            </section>
          )
        })}
      </Layout>,
    )
  })

  app.post('/consents', async (c) => {
    const { lang, session, ctx } = c.var
    const guardianId = session.subject!.id
    const body = await c.req.parseBody()
    const one = (v: unknown) => (typeof v === 'string' ? v : '')
    const settings = await bookingSettings(ctx)
    const consentId = one(body.consent)
    // only the site's consents: another id is not found
    if (!(settings.consents ?? []).some((x) => x.id === consentId)) return errorPage(c, 404)
    const deps = { storage: ctx.storage, clock: ctx.clock }
    const shown = one(body.shown)
    const answer = { siteId: ctx.config.siteId, consentId, guardianId, ...(shown !== '' ? { shownVersion: shown } : {}) }
    if (one(body.action) === 'withdraw') {
      await withdrawBookingConsent(deps, settings, answer, { audit: await portalAudit(ctx, guardianId) })
      session.flash = t(lang, 'consents.withdrawn')
    } else if (one(body.read) !== 'yes') {
      session.flash = t(lang, 'consents.readFirst')
    } else {
      try {
        await acceptBookingConsent(deps, settings, answer, { audit: await portalAudit(ctx, guardianId) })
        session.flash = t(lang, 'consents.accepted')
      } catch (error) {
        // edited (in place or as a new version), made inactive or deleted while the page was read, or
        // a version field that is not one we wrote: nothing recorded, the page read again and shown
        const stale = isEcoleError(error, 'RECORD_CHANGED') || (isEcoleError(error, 'INVALID_INPUT') && error.details.field === 'shownVersion')
        if (!stale) throw error
        invalidateStoredConsents(ctx)
        session.flash = t(lang, 'consents.changed')
      }
    }
    return c.redirect('/consents', 303)
  })
  return app
}

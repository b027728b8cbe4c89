/**
 * A child's information sheet (seed 001 « Fiche de renseignements »), at
 * `/staff/children/:id/info-sheet`: printed to PDF with `@ecole/pdf` (`infoSheet`: identity,
 * guardians with the household's address, enrolments and services, as of today), headed by the
 * site's logo when there is one, downloaded, or saved into the family's file as a document of the
 * child (`addPortalDocument`: counted in the storage quota) shown on the portal within the days
 * chosen. Action `infoSheets.print` (permission `households.read`) to print, `documents.add` to save.
 */
import { Hono, type Context } from 'hono'
import { isEcoleError, type Child, type LocalDate } from '@ecole/core'
import type { Issuer } from '@ecole/pdf'
import { addPortalDocument, readSiteImage } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { t, type Lang } from '../i18n'
import { CsrfField } from '../views/layout'
import { errorPage, html } from '../views/render'
import { quotaText } from './documents'
import { ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { DateField, dateOfForm } from './form-fields'
import { allRecords, fullName } from './people'
import { recordStaffChanges } from './staff-audit'
import { actorOfRequest, Page, refused, today } from './routes'

/**
 * The PDF of a child's information sheet in `lang`, printed on `day`: the site's logo in the header
 * (a PNG or JPEG one; a GIF or WebP logo is left out, the PDF format of the library prints neither).
 */
export async function infoSheetPdf(c: Context<AppEnv>, child: Child, lang: Lang, day: LocalDate): Promise<Uint8Array> {
  const { ctx } = c.var
  const siteId = actorOfRequest(c).siteId
  const d = ctx.storage.directory!
  const site = await d.getSite(siteId)
  const logo = await readSiteImage(ctx.storage, { siteId, target: { use: 'siteLogo' } })
  const issuer: Issuer = {
    name: site?.name ?? siteId,
    identifiers: [],
    billingOffice: {
      name: site?.name ?? siteId,
      address: [site?.contact.address, [site?.contact.postcode, site?.contact.city].filter(Boolean).join(' ')].filter((x): x is string => !!x),
      ...(site?.contact.email ? { email: site.contact.email } : {}),
      ...(site?.contact.phone ? { phone: site.contact.phone } : {}),
    },
    ...(logo && (logo.mediaType === 'image/png' || logo.mediaType === 'image/jpeg') ? { logo: { bytes: logo.bytes } } : {}),
  }
  const guardians = await d.getDirectoryRecords(siteId, 'guardian', child.guardians.map((l) => l.guardianId))
  const households = await d.getDirectoryRecords(siteId, 'household', [...new Set([...guardians.values()].map((g) => g.householdId))])
  const current = <T extends { beneficiaryId: string; from: string; to?: string | undefined }>(rows: T[]) => rows.filter((r) => r.beneficiaryId === child.id && (r.to === undefined || r.to >= day))
  const enrolments = current(await allRecords(ctx.storage, siteId, 'enrolment'))
  const subscriptions = current(await allRecords(ctx.storage, siteId, 'subscription'))
  const schools = new Map((await allRecords(ctx.storage, siteId, 'school')).map((s) => [s.id, s.name]))
  const classes = new Map((await allRecords(ctx.storage, siteId, 'schoolClass')).map((s) => [s.id, s.name]))
  const services = new Map((await allRecords(ctx.storage, siteId, 'service')).map((s) => [s.id, s.name]))
  return ctx.pdf.render({
    kind: 'infoSheet',
    data: {
      language: lang, printedOn: day, issuer, person: 'child', sections: ['identity', 'guardians', 'enrolments'],
      identity: { firstName: child.firstName, lastName: child.lastName, birthDate: child.birthDate },
      guardians: child.guardians.flatMap((l) => {
        const g = guardians.get(l.guardianId)
        if (!g) return []
        const a = households.get(g.householdId)?.address
        return [{
          name: fullName(g), relationship: l.relationship, ...(g.phone ? { phone: g.phone } : {}), ...(g.email ? { email: g.email } : {}),
          address: a ? [a.line1, a.line2, [a.postcode, a.city].filter(Boolean).join(' ')].filter((x): x is string => !!x) : [],
        }]
      }),
      enrolments: enrolments.map((e) => ({ school: schools.get(e.schoolId) ?? e.schoolId, class: classes.get(e.classId) ?? e.classId, from: e.from, ...(e.to ? { to: e.to } : {}) })),
      services: subscriptions.map((s) => ({ name: services.get(s.serviceId) ?? s.serviceId, from: s.from, ...(s.to ? { to: s.to } : {}) })),
    },
  })
}

const fileName = (child: Child, day: string) => `fiche-${child.lastName}-${child.firstName}-${day}.pdf`.replace(/[^A-Za-z0-9._-]/g, '_')

/** Mounts the information sheet screens. */
export function infoSheetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const childOf = (c: Context<AppEnv>) => c.var.ctx.storage.directory!.getDirectoryRecord(actorOfRequest(c).siteId, 'child', c.req.param('id') ?? '')

  async function page(c: Context<AppEnv>, child: Child, values: Record<string, string> = {}, errors?: FieldErrors, status: 200 | 400 = 200) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const maySave = refused(c, 'documents.add', { siteId: actor.siteId }) === undefined
    const base = `/staff/children/${encodeURIComponent(child.id)}/info-sheet`
    return html(c,
      <Page c={c} title={t(lang, 'staff.infoSheet.title', { name: fullName(child) })} current="/staff/documents" notice={c.req.query('done') === 'saved' ? { kind: 'ok', text: t(lang, 'staff.infoSheet.saved') } : undefined}>
        <ErrorSummary lang={lang} errors={errors} />
        <p>{t(lang, 'staff.infoSheet.intro')}</p>
        <p><a class="button" href={`${base}.pdf`} download={fileName(child, today(c))}>{t(lang, 'staff.infoSheet.print')}</a></p>
        {maySave ? (
          <form method="post" action={base} class="card">
            <CsrfField session={c.var.session} />
            <DateField lang={lang} label={t(lang, 'staff.docs.from')} name="from" value={values['from'] ?? today(c)} />
            {errors?.['from'] ? <p><strong class="field-error">{errors['from']}</strong></p> : null}
            <DateField lang={lang} label={t(lang, 'staff.docs.to')} name="to" value={values['to']} required={false} />
            {errors?.['to'] ? <p><strong class="field-error">{errors['to']}</strong></p> : null}
            <button type="submit">{t(lang, 'staff.infoSheet.save')}</button>
          </form>
        ) : null}
      </Page>,
      status,
    )
  }

  app.get('/children/:id/info-sheet', async (c) => {
    const actor = actorOfRequest(c)
    const no = refused(c, 'infoSheets.print', { siteId: actor.siteId })
    if (no) return no
    const child = await childOf(c)
    return child ? page(c, child) : errorPage(c, 404)
  })

  app.get('/children/:id/info-sheet.pdf', async (c) => {
    const actor = actorOfRequest(c)
    const no = refused(c, 'infoSheets.print', { siteId: actor.siteId })
    if (no) return no
    const child = await childOf(c)
    if (!child) return errorPage(c, 404)
    const bytes = await infoSheetPdf(c, child, c.var.lang, today(c))
    c.header('Content-Type', 'application/pdf')
    c.header('Content-Disposition', `attachment; filename="${fileName(child, today(c))}"`)
    return c.body(bytes as Uint8Array<ArrayBuffer>)
  })

  app.post('/children/:id/info-sheet', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.add', { siteId: actor.siteId })
    if (no) return no
    const child = await childOf(c)
    if (!child) return errorPage(c, 404)
    const body = await c.req.parseBody()
    const values = { from: dateOfForm(String(body['from'] ?? '')), to: dateOfForm(String(body['to'] ?? '')) }
    const day = today(c)
    const bytes = await infoSheetPdf(c, child, lang, day)
    const id = `info-sheet-${child.id}-${day}`
    let r
    try {
      r = await addPortalDocument(ctx.storage, {
        siteId: actor.siteId,
        input: { id, name: `${t(lang, 'staff.infoSheet.title', { name: fullName(child) })} (${day})`, key: `${actor.siteId}/documents/${id}.pdf`, mediaType: 'application/pdf', audience: { kind: 'child', childId: child.id }, available: { from: values.from, to: values.to || undefined } },
        bytes,
      })
    } catch (e) {
      const errors = isEcoleError(e, 'INVALID_INPUT') ? fieldErrorsOf(lang, e, { from: t(lang, 'staff.docs.from'), to: t(lang, 'staff.docs.to') }) : undefined
      if (errors) return page(c, child, values, errors, 400)
      throw e
    }
    if (!r.ok) return page(c, child, values, { _form: quotaText(lang, r.refusal) }, 400)
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'document.added', subject: { kind: 'document', id }, after: { name: r.document.name, audience: r.document.audience, available: r.document.available, sizeBytes: r.document.sizeBytes } }])
    return c.redirect(`/staff/children/${encodeURIComponent(child.id)}/info-sheet?done=saved`, 303)
  })

  return app
}

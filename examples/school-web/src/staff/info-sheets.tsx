/**
 * A child's or a household's information sheet (seed 001 « Fiche de renseignements »), at
 * `/staff/children/:id/info-sheet` and `/staff/guardians/:id/info-sheet`: printed to PDF with
 * `@ecole/pdf` (`infoSheet`: a child's identity, guardians with the household's address,
 * enrolments and services; or a guardian's identity, the household's address and members, and
 * their own enrolments — as of today), headed by the
 * site's logo when there is one, downloaded, or saved into the family's file as a document of the
 * child or the guardian (`addPortalDocument`: counted in the storage quota) shown on the portal within the days
 * chosen. Action `infoSheets.print` (permission `households.read`) to print, `documents.add` to save.
 */
import { Hono, type Context } from 'hono'
import { isEcoleError, type Child, type CustomAttribute, type Enrolment, type Guardian, type Household, type LocalDate, type ServiceSubscription } from '@ecole/core'
import type { Issuer } from '@ecole/pdf'
import { addPortalDocument, readSiteImage } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatDate, t, type Lang } from '../i18n'
import { CsrfField } from '../views/layout'
import { errorPage, html } from '../views/render'
import { quotaText } from './documents'
import { ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { DateField, dateOfForm } from './form-fields'
import { allRecords, childrenOf, fullName, guardiansOf } from './people'
import { recordStaffChanges } from './staff-audit'
import { actorOfRequest, Page, refused, today } from './routes'

/**
 * What every sheet of a site reads besides its person: the issuer (the site and its logo), the
 * enrolments and service rights grouped by person, the names of schools, classes and services,
 * the criteria and the insurances' labels. Read once for a set of sheets
 * (`info-sheet-sets.tsx`), not once per child.
 */
export interface SheetSources {
  issuer: Issuer
  enrolments: ReadonlyMap<string, readonly Enrolment[]>
  subscriptions: ReadonlyMap<string, readonly ServiceSubscription[]>
  schools: ReadonlyMap<string, string>
  classes: ReadonlyMap<string, string>
  services: ReadonlyMap<string, string>
  criteria: readonly CustomAttribute[]
  insurances: ReadonlyMap<string, string>
}

function byBeneficiary<T extends { beneficiaryId: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const r of rows) {
    const list = out.get(r.beneficiaryId)
    if (list) list.push(r)
    else out.set(r.beneficiaryId, [r])
  }
  return out
}

/**
 * Reads the {@link SheetSources} of the request's site for the sheets of `personIds`: their
 * enrolments and service rights by person (`listDirectoryRecordsOf`, indexed by beneficiary: never
 * every enrolment of a city), the rest once.
 */
export async function sheetSources(c: Context<AppEnv>, personIds: readonly string[]): Promise<SheetSources> {
  const { ctx } = c.var
  const siteId = actorOfRequest(c).siteId
  const d = ctx.storage.directory!
  // the port takes at most 1,000 ids a call
  const of = async <K extends 'enrolment' | 'subscription'>(kind: K) => {
    const rows = []
    for (let i = 0; i < personIds.length; i += 1000) rows.push(...(await d.listDirectoryRecordsOf(siteId, kind, personIds.slice(i, i + 1000))))
    return rows
  }
  const site = await ctx.storage.directory!.getSite(siteId)
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
  const names = <T extends { id: string }>(rows: readonly T[], name: (r: T) => string) => new Map(rows.map((r) => [r.id, name(r)]))
  return {
    issuer,
    enrolments: byBeneficiary(await of('enrolment')),
    subscriptions: byBeneficiary(await of('subscription')),
    schools: names(await allRecords(ctx.storage, siteId, 'school'), (s) => s.name),
    classes: names(await allRecords(ctx.storage, siteId, 'schoolClass'), (s) => s.name),
    services: names(await allRecords(ctx.storage, siteId, 'service'), (s) => s.name),
    criteria: [...(await allRecords(ctx.storage, siteId, 'customAttribute'))].sort((a, b) => a.label.localeCompare(b.label)),
    insurances: names(await allRecords(ctx.storage, siteId, 'insurance'), (i) => i.label),
  }
}

/**
 * The PDF of a child's information sheet in `lang`, printed on `day`: the site's logo in the header
 * (a PNG or JPEG one; a GIF or WebP logo is left out, the PDF format of the library prints neither).
 * `given` sources must cover the person; read for this person alone when not given.
 */
export async function infoSheetPdf(c: Context<AppEnv>, subject: Subject, lang: Lang, day: LocalDate, given?: SheetSources): Promise<Uint8Array> {
  const { ctx } = c.var
  const siteId = actorOfRequest(c).siteId
  const d = ctx.storage.directory!
  const sources = given ?? await sheetSources(c, [subject.record.id])
  const { issuer, schools, classes, services } = sources
  const person = subject.record
  const links = subject.kind === 'child' ? subject.record.guardians : []
  const guardians = await d.getDirectoryRecords(siteId, 'guardian', subject.kind === 'child' ? links.map((l) => l.guardianId) : [subject.record.id])
  const households = await d.getDirectoryRecords(siteId, 'household', [...new Set([...guardians.values()].map((g) => g.householdId))])
  const current = <T extends { from: string; to?: string | undefined }>(rows: readonly T[] | undefined) => (rows ?? []).filter((r) => r.to === undefined || r.to >= day)
  const lines = (a: { line1?: string | undefined; line2?: string | undefined; postcode?: string | undefined; city?: string | undefined } | undefined) => (a ? [a.line1, a.line2, [a.postcode, a.city].filter(Boolean).join(' ')].filter((x): x is string => !!x) : [])
  const enrolments = current(sources.enrolments.get(person.id))
  const subscriptions = current(sources.subscriptions.get(person.id))
  const base = await personSections(c, subject, lang, sources, lines, households)
  return ctx.pdf.render({
    kind: 'infoSheet',
    data: {
      language: lang, printedOn: day, issuer, ...base,
      // an adult without enrolments or services of their own: no empty table
      sections: base.sections.filter((x) => x !== 'enrolments' || subject.kind === 'child' || enrolments.length + subscriptions.length > 0),
      guardians: links.flatMap((l) => {
        const g = guardians.get(l.guardianId)
        if (!g) return []
        return [{ name: fullName(g), relationship: l.relationship, ...(g.phone ? { phone: g.phone } : {}), ...(g.email ? { email: g.email } : {}), address: lines(households.get(g.householdId)?.address) }]
      }),
      enrolments: enrolments.map((e) => ({ school: schools.get(e.schoolId) ?? e.schoolId, class: classes.get(e.classId) ?? e.classId, from: e.from, ...(e.to ? { to: e.to } : {}) })),
      services: subscriptions.map((s) => ({ name: services.get(s.serviceId) ?? s.serviceId, from: s.from, ...(s.to ? { to: s.to } : {}) })),
    },
  })
}

/** The file name of a person's sheet printed on `day` (ASCII letters, digits, `._-`; anything else `_`). */
export const infoSheetFileName = (p: { firstName: string; lastName: string }, day: string) => `fiche-${p.lastName}-${p.firstName}-${day}.pdf`.replace(/[^A-Za-z0-9._-]/g, '_')

/** Whose sheet: a child's (identity, guardians, enrolments and services) or a guardian's, the household's sheet (identity, household, enrolments). */
export type Subject = { kind: 'child'; record: Child } | { kind: 'guardian'; record: Guardian }

/**
 * The identity section's extra lines: the person's criteria with a value (the site's criteria of
 * that kind of person, in label order) and, for a guardian, the insurances on their file.
 */
function extraLines(subject: Subject, lang: Lang, sources: SheetSources): Array<[string, string]> {
  const values = subject.record.attributes
  const out: Array<[string, string]> = sources.criteria.filter((a) => a.appliesTo === subject.kind && values[a.id] !== undefined).map((a) => [a.label, values[a.id]!])
  if (subject.kind === 'guardian') {
    for (const i of subject.record.insurances) {
      const details = [
        sources.insurances.get(i.insuranceId) ?? i.insuranceId,
        ...(i.policyNumber ? [`${t(lang, 'staff.guardianInsurances.policyNumber')} ${i.policyNumber}`] : []),
        ...(i.validUntil ? [`${t(lang, 'staff.guardianInsurances.validUntil')} ${formatDate(lang, i.validUntil)}`] : []),
      ]
      out.push([t(lang, 'staff.guardianInsurances.insurance'), details.join(', ')])
    }
  }
  return out
}

async function personSections(c: Context<AppEnv>, subject: Subject, lang: Lang, sources: SheetSources, lines: (a: Household['address'] | undefined) => string[], households: Map<string, Household>) {
  const extra = extraLines(subject, lang, sources)
  if (subject.kind === 'child') {
    const k = subject.record
    return { person: 'child' as const, sections: ['identity' as const, 'guardians' as const, 'enrolments' as const], identity: { firstName: k.firstName, lastName: k.lastName, birthDate: k.birthDate, extra } }
  }
  const g = subject.record
  const siteId = actorOfRequest(c).siteId
  const members = await guardiansOf(c.var.ctx.storage, siteId, g.householdId)
  const children = await childrenOf(c.var.ctx.storage, siteId, members.map((m) => m.id))
  return {
    person: 'adult' as const, sections: ['identity' as const, 'household' as const, 'enrolments' as const],
    identity: { firstName: g.firstName, lastName: g.lastName, ...(g.email ? { email: g.email } : {}), ...(g.phone ? { phone: g.phone } : {}), extra },
    household: { address: lines(households.get(g.householdId)?.address), members: [...members.map(fullName), ...children.map(fullName)] },
  }
}

/** Mounts the information sheet screens. */
export function infoSheetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  for (const kind of ['child', 'guardian'] as const) {
  const BASE = kind === 'child' ? '/children' : '/guardians'
  const subjectOf = async (c: Context<AppEnv>): Promise<Subject | undefined> => {
    const siteId = actorOfRequest(c).siteId
    const id = c.req.param('id') ?? ''
    const record = kind === 'child' ? await c.var.ctx.storage.directory!.getDirectoryRecord(siteId, 'child', id) : await c.var.ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', id)
    return record ? ({ kind, record } as Subject) : undefined
  }

  async function page(c: Context<AppEnv>, subject: Subject, values: Record<string, string> = {}, errors?: FieldErrors, status: 200 | 400 = 200) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const maySave = refused(c, 'documents.add', { siteId: actor.siteId }) === undefined
    const child = subject.record
    const base = `/staff${BASE}/${encodeURIComponent(child.id)}/info-sheet`
    return html(c,
      <Page c={c} title={t(lang, 'staff.infoSheet.title', { name: fullName(child) })} current="/staff/documents" notice={c.req.query('done') === 'saved' ? { kind: 'ok', text: t(lang, 'staff.infoSheet.saved') } : undefined}>
        <ErrorSummary lang={lang} errors={errors} />
        <p>{t(lang, subject.kind === 'child' ? 'staff.infoSheet.intro' : 'staff.infoSheet.introHousehold')}</p>
        <p><a class="button" href={`${base}.pdf`} download={infoSheetFileName(child, today(c))}>{t(lang, 'staff.infoSheet.print')}</a></p>
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

  app.get(`${BASE}/:id/info-sheet`, async (c) => {
    const actor = actorOfRequest(c)
    const no = refused(c, 'infoSheets.print', { siteId: actor.siteId })
    if (no) return no
    const subject = await subjectOf(c)
    return subject ? page(c, subject) : errorPage(c, 404)
  })

  app.get(`${BASE}/:id/info-sheet.pdf`, async (c) => {
    const actor = actorOfRequest(c)
    const no = refused(c, 'infoSheets.print', { siteId: actor.siteId })
    if (no) return no
    const subject = await subjectOf(c)
    if (!subject) return errorPage(c, 404)
    const bytes = await infoSheetPdf(c, subject, c.var.lang, today(c))
    c.header('Content-Type', 'application/pdf')
    c.header('Content-Disposition', `attachment; filename="${infoSheetFileName(subject.record, today(c))}"`)
    return c.body(bytes as Uint8Array<ArrayBuffer>)
  })

  app.post(`${BASE}/:id/info-sheet`, async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const no = refused(c, 'documents.add', { siteId: actor.siteId })
    if (no) return no
    const subject = await subjectOf(c)
    if (!subject) return errorPage(c, 404)
    const child = subject.record
    const body = await c.req.parseBody()
    const values = { from: dateOfForm(String(body['from'] ?? '')), to: dateOfForm(String(body['to'] ?? '')) }
    const day = today(c)
    const bytes = await infoSheetPdf(c, subject, lang, day)
    const id = `info-sheet-${child.id}-${day}`
    let r
    try {
      r = await addPortalDocument(ctx.storage, {
        siteId: actor.siteId,
        input: { id, name: `${t(lang, 'staff.infoSheet.title', { name: fullName(child) })} (${day})`, key: `${actor.siteId}/documents/${id}.pdf`, mediaType: 'application/pdf', audience: subject.kind === 'child' ? { kind: 'child', childId: child.id } : { kind: 'guardian', guardianId: child.id }, available: { from: values.from, to: values.to || undefined } },
        bytes,
      })
    } catch (e) {
      const errors = isEcoleError(e, 'INVALID_INPUT') ? fieldErrorsOf(lang, e, { from: t(lang, 'staff.docs.from'), to: t(lang, 'staff.docs.to') }) : undefined
      if (errors) return page(c, subject, values, errors, 400)
      throw e
    }
    if (!r.ok) return page(c, subject, values, { _form: quotaText(lang, r.refusal) }, 400)
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: 'document.added', subject: { kind: 'document', id }, after: { name: r.document.name, audience: r.document.audience, available: r.document.available, sizeBytes: r.document.sizeBytes } }])
    return c.redirect(`/staff${BASE}/${encodeURIComponent(child.id)}/info-sheet?done=saved`, 303)
  })
  }

  return app
}

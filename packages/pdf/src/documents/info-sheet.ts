import { asInputError, EcoleError, LocalDateSchema, RELATIONSHIPS, type LocalDate } from '@ecole/core'
import * as z from 'zod'
import { DocumentBaseSchema, drawHeader, openDraft, parseRequest, safeFileName } from '../common'
import { colon, label, type LabelKey } from '../language'
import type { Layout } from '../layout'

/**
 * The sections of an information sheet.
 *
 * @example
 * INFO_SHEET_SECTIONS.includes('health') //=> true
 */
export const INFO_SHEET_SECTIONS = ['identity', 'guardians', 'household', 'health', 'enrolments', 'billing'] as const
/**
 * A section of an information sheet.
 *
 * @example
 * const section: InfoSheetSection = 'enrolments'
 */
export type InfoSheetSection = (typeof INFO_SHEET_SECTIONS)[number]

/**
 * Which sections each kind of person has (seed 001: children and adults have different sheets).
 *
 * @example
 * SECTIONS_BY_PERSON.adult.includes('health') //=> false
 */
export const SECTIONS_BY_PERSON: Readonly<Record<'child' | 'adult', readonly InfoSheetSection[]>> = {
  child: ['identity', 'guardians', 'health', 'enrolments', 'billing'],
  adult: ['identity', 'household', 'enrolments', 'billing'],
}

const text = (max: number) => z.string().trim().min(1).max(max)

/**
 * Schema of an information sheet (fiche de renseignements) request: a child or an adult, the
 * sections to print (in the order given; each must be one that kind of person has), and the data
 * of those sections (from the directory: identity, guardians and households, health and
 * consents, enrolments and services, billing rules).
 *
 * @example
 * InfoSheetRequestSchema.parse({ language: 'fr', printedOn: '2026-09-01', issuer, person: 'child', sections: ['identity', 'health'], identity: { firstName: 'Léa', lastName: 'Dupont', birthDate: '2021-05-04' } })
 */
export const InfoSheetRequestSchema = DocumentBaseSchema.extend({
  person: z.enum(['child', 'adult']),
  sections: z.array(z.enum(INFO_SHEET_SECTIONS)).min(1, 'choose at least one section'),
  identity: z.object({ firstName: text(100), lastName: text(100), birthDate: LocalDateSchema.optional(), email: text(200).optional(), phone: text(50).optional(), extra: z.array(z.tuple([text(100), text(500)])).default([]) }),
  guardians: z
    .array(z.object({ name: text(200), relationship: z.enum(RELATIONSHIPS), phone: text(50).optional(), email: text(200).optional(), address: z.array(text(200)).default([]) }))
    .default([]),
  household: z.object({ address: z.array(text(200)).default([]), members: z.array(text(200)).default([]) }).optional(),
  health: z.object({ allergies: text(1000).optional(), diet: text(500).optional(), doctor: text(300).optional(), notes: text(2000).optional(), consents: z.array(z.object({ label: text(300), given: z.boolean() })).default([]) }).optional(),
  enrolments: z.array(z.object({ school: text(200), class: text(100).optional(), from: LocalDateSchema, to: LocalDateSchema.optional() })).default([]),
  services: z.array(z.object({ name: text(200), from: LocalDateSchema, to: LocalDateSchema.optional() })).default([]),
  billingRules: z.array(z.object({ payer: text(200), services: z.array(text(200)).min(1), share: text(20).optional(), from: LocalDateSchema, to: LocalDateSchema.optional(), jointDebtors: z.array(text(200)).default([]) })).default([]),
})

/**
 * What callers pass to render an information sheet.
 *
 * @example
 * const data: InfoSheetRequestInput = { language: 'fr', printedOn: '2026-09-01', issuer, person: 'child', sections: ['identity'], identity: { firstName: 'Léa', lastName: 'Dupont' } }
 */
export type InfoSheetRequestInput = z.input<typeof InfoSheetRequestSchema>

/**
 * A checked information-sheet request.
 *
 * @example
 * const prepared: PreparedInfoSheet = prepareInfoSheet(data)
 */
export interface PreparedInfoSheet {
  /** The checked request. */
  request: z.output<typeof InfoSheetRequestSchema>
}

/**
 * Checks an information-sheet request before any byte is written: each chosen section exists for
 * that kind of person and is chosen once.
 *
 * @example
 * prepareInfoSheet({ ...request, person: 'adult', sections: ['health'] }) // throws naming infoSheet.sections.0
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function prepareInfoSheet(input: InfoSheetRequestInput): PreparedInfoSheet {
  const request = parseRequest(InfoSheetRequestSchema, input, 'infoSheet')
  const allowed = SECTIONS_BY_PERSON[request.person]
  request.sections.forEach((s, i) => {
    if (!allowed.includes(s)) throw new EcoleError('INVALID_INPUT', `infoSheet.sections.${i}: an ${request.person === 'adult' ? 'adult' : 'child'}'s sheet has no section ${s} (it has ${allowed.join(', ')})`, { details: { field: `infoSheet.sections.${i}` } })
    if (request.sections.indexOf(s) !== i) throw new EcoleError('INVALID_INPUT', `infoSheet.sections.${i}: section ${s} is chosen twice`, { details: { field: `infoSheet.sections.${i}` } })
  })
  return { request }
}

const HEADINGS: Record<InfoSheetSection, LabelKey> = {
  identity: 'secIdentity', guardians: 'secGuardians', household: 'secHousehold', health: 'secHealth', enrolments: 'secEnrolments', billing: 'secBilling',
}

/**
 * Draws an information sheet with the chosen sections, in the order chosen.
 *
 * @example
 * drawInfoSheet(prepareInfoSheet(request))
 */
export function drawInfoSheet(p: PreparedInfoSheet): Layout {
  try {
    const r = p.request
    const id = r.identity
    const full = `${id.firstName} ${id.lastName}`
    const d = openDraft(r, { title: `${label(r.language, 'infoSheet')} – ${full}`, author: r.issuer.name })
    const { layout: l, f, lang } = d
    drawHeader(d, r.issuer, label(lang, 'infoSheet'), [[label(lang, 'date'), f.date(r.printedOn)], [label(lang, r.person === 'child' ? 'child' : 'holder'), full]])
    const span = (from: LocalDate, to: LocalDate | undefined) => (to ? `${f.shortDate(from)} – ${f.shortDate(to)}` : `${label(lang, 'since')} ${f.shortDate(from)}`)
    for (const section of r.sections) {
      l.heading(label(lang, HEADINGS[section]))
      switch (section) {
        case 'identity':
          l.fields([
            [label(lang, 'lastName'), id.lastName],
            [label(lang, 'firstName'), id.firstName],
            ...(id.birthDate ? [[label(lang, 'birthDate'), f.date(id.birthDate)] as const] : []),
            ...(id.phone ? [[label(lang, 'phone'), id.phone] as const] : []),
            ...(id.email ? [[label(lang, 'email'), id.email] as const] : []),
            ...id.extra,
          ])
          break
        case 'guardians': {
          const t = l.table([
            { label: label(lang, 'lastName'), width: 140 },
            { label: label(lang, 'relationship'), width: 65 },
            { label: label(lang, 'phone'), width: 90 },
            { label: label(lang, 'address'), width: l.width - 295 },
          ])
          r.guardians.forEach((g, i) => t.row([g.name, label(lang, g.relationship), g.phone ?? '', [g.email, ...g.address].filter(Boolean).join('\n')], { id: `guardian:${i}` }))
          t.end()
          break
        }
        case 'household':
          l.fields([[label(lang, 'address'), (r.household?.address ?? []).join(', ')], ...(r.household?.members ?? []).map((m, i) => [i === 0 ? label(lang, 'secHousehold') : '', m] as const)])
          break
        case 'health': {
          const h = r.health
          l.fields([
            [label(lang, 'allergies'), h?.allergies ?? '—'],
            [label(lang, 'diet'), h?.diet ?? '—'],
            [label(lang, 'doctor'), h?.doctor ?? '—'],
            [label(lang, 'notes'), h?.notes ?? '—'],
          ])
          if (h && h.consents.length > 0) {
            l.gap(4)
            const t = l.table([
              { label: label(lang, 'consent'), width: l.width - 60 },
              { label: '', width: 60, align: 'center' },
            ])
            h.consents.forEach((c, i) => t.row([c.label, label(lang, c.given ? 'yes' : 'no')], { id: `consent:${i}` }))
            t.end()
          }
          break
        }
        case 'enrolments': {
          if (r.enrolments.length > 0) {
            const t = l.table([
              { label: label(lang, 'school'), width: 230 },
              { label: label(lang, 'class'), width: 120 },
              { label: label(lang, 'period'), width: l.width - 350 },
            ])
            r.enrolments.forEach((e, i) => t.row([e.school, e.class ?? '', span(e.from, e.to)], { id: `enrolment:${i}` }))
            t.end()
          }
          const t = l.table([
            { label: label(lang, 'service'), width: 350 },
            { label: label(lang, 'period'), width: l.width - 350 },
          ])
          r.services.forEach((s, i) => t.row([s.name, span(s.from, s.to)], { id: `service:${i}` }))
          t.end()
          break
        }
        case 'billing': {
          const t = l.table([
            { label: label(lang, 'payer'), width: 140 },
            { label: label(lang, 'service'), width: 150 },
            { label: label(lang, 'share'), width: 50, align: 'right' },
            { label: label(lang, 'period'), width: l.width - 340 },
          ])
          r.billingRules.forEach((b, i) =>
            t.row([[b.payer, ...b.jointDebtors.map((j) => `${label(lang, 'jointDebtors')}${colon(lang)}${j}`)].join('\n'), b.services.join(', '), b.share ?? '', span(b.from, b.to)], { id: `rule:${i}` }),
          )
          t.end()
          break
        }
        default: {
          const never: never = section
          throw new Error(String(never))
        }
      }
      l.gap(6)
    }
    return l
  } catch (error) {
    throw asInputError(error, 'drawInfoSheet', { p: [p, 'object', 'a prepared information sheet (from prepareInfoSheet)'] })
  }
}

/**
 * The file name of an information sheet.
 *
 * @example
 * infoSheetFileName(prepared) //=> 'info-sheet-Dupont-Lea.pdf'
 */
export function infoSheetFileName(p: PreparedInfoSheet): string {
  return safeFileName('info-sheet', p.request.identity.lastName, p.request.identity.firstName)
}

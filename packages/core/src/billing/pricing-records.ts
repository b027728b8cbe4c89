/**
 * Stored pricing: what a service costs and the family quotients that price it, as directory
 * records (plain JSON, amounts as decimal strings) a host keeps and edits, and read back into the
 * prepared values `prepareChargeConfig` takes. Checked once when defined (the error names the
 * field), parsed again when read, so a record edited by hand in the database is still refused.
 */
import * as z from 'zod'
import { parseInput } from '../errors'
import { LocalDateSchema, compareDates, type LocalDate } from '../time'
import { ServicePricingSchema, type QuotientRecord, type ServicePricing, type ServicePricingInput } from './charge-config'
import { FamilyQuotientSchema } from './tariff'

const IdSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')

/** A money amount as stored: a decimal string and its currency. */
export interface StoredMoney {
  /** Decimal text with a dot, e.g. `"4.15"`. */
  amount: string
  /** ISO 4217 code. */
  currency: string
}

/** A tariff as stored (the JSON form of `Tariff`). */
export type StoredTariff =
  | { kind: 'fixed'; price: StoredMoney }
  | { kind: 'quotientBrackets'; brackets: Array<{ min: string; max?: string; price: StoredMoney }>; noQuotientPrice: StoredMoney }
  | { kind: 'effortRate'; rate: string; floor: StoredMoney; ceiling: StoredMoney; noQuotientPrice: StoredMoney }
  | { kind: 'siblingRank'; prices: StoredMoney[]; ranking: 'chargedThatDay' | 'subscribed' }

/**
 * How one service is priced, as a directory record (kind `servicePricing`): its id is the
 * service's id, one record per service; the rest is the JSON form of {@link ServicePricing}.
 */
export interface ServicePricingRecord {
  /** The service's id (one pricing per service). */
  id: string
  /** The site. */
  siteId: string
  /** What is billed (booked days, attended days...), as `BillingModeSchema` reads it. */
  mode: ServicePricingInput['mode']
  /** The tariffs over time, not overlapping, in date order. */
  tariffs: Array<{ from: LocalDate; to?: LocalDate; tariff: StoredTariff; adultPrice?: StoredMoney }>
}

/**
 * Checks a service's pricing (tariff periods that do not overlap, brackets from 0 without gap,
 * one currency) and returns the record to store, amounts in canonical text, periods in date order.
 *
 * @example
 * const r = defineServicePricing('site-1', { serviceId: 'cantine', mode: { kind: 'booked' },
 *   tariffs: [{ from: '2026-09-01', tariff: { kind: 'fixed', price: { amount: '3.2', currency: 'EUR' } } }] })
 * r.tariffs[0]!.tariff //=> { kind: 'fixed', price: { amount: '3.20', currency: 'EUR' } }
 * @throws EcoleError `INVALID_INPUT` naming the field (e.g. `pricing.tariffs.0.tariff.brackets.1.min`).
 */
export function defineServicePricing(siteId: string, input: ServicePricingInput): ServicePricingRecord {
  const site = parseInput(IdSchema, siteId, 'siteId')
  const pricing = parseInput(ServicePricingSchema, input, 'pricing')
  const plain = JSON.parse(JSON.stringify(pricing)) as Omit<ServicePricingRecord, 'id' | 'siteId'> & { serviceId: string }
  const tariffs = [...plain.tariffs].sort((a, b) => compareDates(a.from, b.from))
  return { id: plain.serviceId, siteId: site, mode: plain.mode, tariffs }
}

/**
 * The {@link ServicePricing} of a stored record, checked again (a record changed behind the
 * library's back is refused, naming the field).
 *
 * @example
 * servicePricingOf(record).tariffs[0]!.tariff.kind //=> 'fixed'
 * @throws EcoleError `INVALID_INPUT` naming the field.
 */
export function servicePricingOf(record: ServicePricingRecord): ServicePricing {
  const r = parseInput(z.looseObject({ id: IdSchema }), record, 'servicePricing')
  return parseInput(ServicePricingSchema, { serviceId: r.id, mode: record.mode, tariffs: record.tariffs }, 'servicePricing')
}

/** One family quotient of a guardian and the days it is valid. */
export interface StoredQuotient {
  /** The QF in canonical text (`FamilyQuotientSchema`: `"650"`, `"652.50"`). */
  quotient: string
  /** First day it is valid. */
  from: LocalDate
  /** Last day (inclusive); absent = open-ended. */
  to?: LocalDate
}

/**
 * A guardian's family quotients (QF) over time, as a directory record (kind `familyQuotient`):
 * one record per guardian, its id the guardian's id, so a page or a batch reads it by id. A
 * charge is priced with the QF its payer has on the first day of the billing period (or on the
 * configuration's `quotientDate`).
 */
export interface FamilyQuotientRecord {
  /** The guardian's id (one record per guardian). */
  id: string
  /** The site. */
  siteId: string
  /** The QFs in date order, not overlapping. */
  quotients: StoredQuotient[]
}

const StoredQuotientSchema = z
  .strictObject({ quotient: FamilyQuotientSchema, from: LocalDateSchema, to: LocalDateSchema.nullish().transform((v) => v ?? undefined) })
  .superRefine((q, ctx) => {
    if (q.to !== undefined && compareDates(q.to, q.from) < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${q.from})` })
  })

const FamilyQuotientRecordSchema = z
  .strictObject({ id: IdSchema, siteId: IdSchema, quotients: z.array(StoredQuotientSchema) })
  .superRefine((r, ctx) => {
    const sorted = r.quotients.map((q, i) => ({ q, i })).sort((a, b) => compareDates(a.q.from, b.q.from))
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!.q
      const cur = sorted[k]!
      if (prev.to === undefined || compareDates(prev.to, cur.q.from) >= 0) {
        ctx.addIssue({ code: 'custom', path: ['quotients', cur.i, 'from'], message: `overlaps the quotient from ${prev.from}: end it first (to)` })
      }
    }
  })

/** What {@link defineFamilyQuotients} takes: the guardian's id and their QFs (numbers or decimal text). */
export interface FamilyQuotientInput {
  /** The guardian's id (the record's id). */
  id: string
  /** The site. */
  siteId: string
  /** The QFs, in any order: each a number or decimal text, valid `from` a day, `to` a day or open-ended. */
  quotients: ReadonlyArray<{ quotient: number | string; from: string; to?: string | null | undefined }>
}

/**
 * Checks a guardian's family quotients (each valid, none overlapping another) and returns the
 * record to store, QFs in canonical text, in date order.
 *
 * @example
 * defineFamilyQuotients({ id: 'g1', siteId: 'site-1', quotients: [{ quotient: 652.5, from: '2026-01-01' }] })
 * //=> { id: 'g1', siteId: 'site-1', quotients: [{ quotient: '652.50', from: '2026-01-01' }] }
 * @throws EcoleError `INVALID_INPUT` naming the field (`quotient.quotients.0.quotient`, `quotient.quotients.1.from`...).
 */
export function defineFamilyQuotients(input: FamilyQuotientInput): FamilyQuotientRecord {
  const r = parseInput(FamilyQuotientRecordSchema, input, 'quotient')
  const quotients = r.quotients
    .map((q) => ({ quotient: q.quotient, from: q.from, ...(q.to !== undefined ? { to: q.to } : {}) }))
    .sort((a, b) => compareDates(a.from, b.from))
  return { id: r.id, siteId: r.siteId, quotients }
}

/**
 * The quotients of stored records, as `ChargeConfigInput.quotients` takes them (each record
 * checked again).
 *
 * @example
 * quotientRecordsOf([defineFamilyQuotients({ id: 'g1', siteId: 's', quotients: [{ quotient: 650, from: '2026-01-01' }] })])
 * //=> [{ guardianId: 'g1', quotient: '650', from: '2026-01-01' }]
 * @throws EcoleError `INVALID_INPUT` when a stored record is not valid.
 */
export function quotientRecordsOf(records: readonly FamilyQuotientRecord[]): QuotientRecord[] {
  return parseInput(z.array(FamilyQuotientRecordSchema), records, 'familyQuotients').flatMap((r) =>
    r.quotients.map((q) => ({ guardianId: r.id, quotient: q.quotient, from: q.from, ...(q.to !== undefined ? { to: q.to } : {}) })),
  )
}

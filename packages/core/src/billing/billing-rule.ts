import * as z from 'zod'
import { LocalDateSchema, compareDates, isoWeeksInYear, type LocalDate } from '../time'
import { isLocalDate, weekday } from '../time'

/**
 * What a parity rule does with ISO week 53 (a week that only some ISO years have: 2020, 2026,
 * 2032...).
 *
 * - `'odd'`: week 53 counts as odd, as its number says (plain ISO parity). Around 2026-2027 the
 *   odd-week payer then pays 2026-W53 and 2027-W01, two weeks in a row.
 * - `'even'`: week 53 counts as even, so the even-week payer pays 2026-W52 and 2026-W53, two
 *   weeks in a row, and the odd-week payer resumes on 2027-W01: the doubled week moves from the
 *   odd-week payer to the even-week payer, it does not go away. No parity policy alternates
 *   strictly across a week 53 (W52, W53 and W01 cannot alternate over two parities); an
 *   `anchored` criterion does.
 * - `'none'`: no parity rule bills week 53: its days are left uncovered, to be billed by a rule
 *   written for that week (a `weekList` rule), and {@link validateRuleSet} lists them.
 *
 * Two mirrored parity rules must use the same policy, or week 53 is covered twice or not at all.
 *
 * @example
 * // mum on even weeks, dad on odd weeks, both with week53: 'even'
 * criterionSelects({ kind: 'isoParity', parity: 'even', week53: 'even' }, '2026-12-21') //=> true (2026-W52: mum)
 * criterionSelects({ kind: 'isoParity', parity: 'even', week53: 'even' }, '2026-12-28') //=> true (2026-W53: mum again)
 * criterionSelects({ kind: 'isoParity', parity: 'odd', week53: 'even' }, '2027-01-04') //=> true (2027-W01: dad)
 */
export type Week53Policy = 'odd' | 'even' | 'none'

/**
 * The {@link Week53Policy} values, for a form's choices.
 *
 * @example
 * WEEK53_POLICIES //=> ['odd', 'even', 'none']
 */
export const WEEK53_POLICIES = ['odd', 'even', 'none'] as const satisfies readonly Week53Policy[]

/** An ISO week named by its week-numbering year and number, as a `weekList` criterion lists it. */
export interface BillingWeek {
  /** ISO week-numbering year (2025-12-29 is in ISO year 2026). */
  year: number
  /** ISO week number, 1 to 52 or 53. */
  week: number
}

/**
 * Schema of one ISO week of a `weekList` criterion; refuses a week the year does not have.
 *
 * @example
 * BillingWeekSchema.safeParse({ year: 2026, week: 53 }).success //=> true
 * BillingWeekSchema.safeParse({ year: 2027, week: 53 }).success //=> false
 */
export const BillingWeekSchema: z.ZodType<BillingWeek, BillingWeek> = z
  .strictObject({
    year: z.number().int().min(1900).max(2999),
    week: z.number().int().min(1).max(53),
  })
  .refine((w) => w.week <= isoWeeksInYear(w.year), { message: 'the ISO year has only 52 weeks', path: ['week'] })

/**
 * When, inside its period, a billing rule applies (the seed's "critère": aucun, une semaine sur
 * deux, liste des semaines).
 *
 * - `always`: every day of the period.
 * - `isoParity`: days of the ISO weeks whose number is even (or odd), with an explicit
 *   {@link Week53Policy}.
 * - `anchored`: alternate weeks on a 14-day cycle counted from `referenceMonday`: `'reference'`
 *   bills the week starting on that Monday and every other week from it (before and after),
 *   `'other'` the weeks in between. It has no week-53 problem.
 * - `weekList`: the days of the listed ISO weeks only.
 */
export type BillingCriterion =
  | { kind: 'always' }
  | { kind: 'isoParity'; parity: 'even' | 'odd'; week53: Week53Policy }
  | { kind: 'anchored'; referenceMonday: LocalDate; week: 'reference' | 'other' }
  | { kind: 'weekList'; weeks: BillingWeek[] }

const BillingCriterionSchemaBase = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('always') }),
  z.strictObject({ kind: z.literal('isoParity'), parity: z.enum(['even', 'odd']), week53: z.enum(WEEK53_POLICIES) }),
  z.strictObject({
    kind: z.literal('anchored'),
    referenceMonday: LocalDateSchema.refine((d) => !isLocalDate(d) || weekday(d) === 1, { message: 'must be a Monday' }),
    week: z.enum(['reference', 'other']),
  }),
  z.strictObject({ kind: z.literal('weekList'), weeks: z.array(BillingWeekSchema).min(1, 'must list at least one week') }),
])
/** A BillingCriterion as a form or an API sends it (the input of {@link BillingCriterionSchema}). */
export type BillingCriterionInput = z.input<typeof BillingCriterionSchemaBase>
/**
 * Schema of a {@link BillingCriterion} as a form or an API sends it. A parity criterion must
 * state its week-53 policy; an anchored one needs a Monday.
 *
 * @example
 * BillingCriterionSchema.parse({ kind: 'isoParity', parity: 'odd', week53: 'odd' })
 */
export const BillingCriterionSchema: z.ZodType<BillingCriterion, BillingCriterionInput> = BillingCriterionSchemaBase as unknown as z.ZodType<BillingCriterion, BillingCriterionInput>

/** One payer of a rule: a guardian and an integer weight (1:1 splits equally, 1:2 one third / two thirds). */
export interface BillingPayer {
  /** The guardian billed. */
  guardianId: string
  /** Integer share weight. Validation reports a zero or negative weight; charge lines refuse them. */
  weight: number
}

/** A (beneficiary, service) pair a rule covers: whose use of which service it bills. */
export interface BillingCoverage {
  /** The person the service is for: a child, or an adult who books meals. */
  beneficiaryId: string
  /** The service (prestation) billed. */
  serviceId: string
}

/**
 * A billing rule ("règle de facturation"): who pays which beneficiaries' services over which
 * dates.
 *
 * The rule applies from `from` to `to` inclusive (`to` absent: open-ended), on the days its
 * `criterion` selects, to every (beneficiary, service) pair in `covers`. Its `payers` share each
 * charge by integer weights (largest remainder). `jointDebtorIds` are jointly liable third parties
 * ("tiers solidaires") printed on invoices beside the payers; they are not billed a share.
 */
export interface BillingRule {
  /** Stable id of the rule. */
  id: string
  /** The guardians billed, with integer weights (at least one). */
  payers: BillingPayer[]
  /** The (beneficiary, service) pairs covered (at least one, no duplicates). */
  covers: BillingCoverage[]
  /** First day the rule applies. */
  from: LocalDate
  /** Last day the rule applies (inclusive); absent while the rule runs. */
  to?: LocalDate | undefined
  /** Which days of the period it applies to. */
  criterion: BillingCriterion
  /** Jointly liable third parties printed on invoices (tiers solidaires). */
  jointDebtorIds: string[]
}

/** A {@link BillingRule} as a form or an API sends it (`jointDebtorIds` may be omitted). */
export type BillingRuleInput = z.input<typeof BillingRuleSchemaBase>

const IdSchema = z.string().trim().min(1, 'must not be empty')

const BillingRuleSchemaBase = z
  .strictObject({
    id: IdSchema,
    payers: z
      .array(z.strictObject({ guardianId: IdSchema, weight: z.number().int('must be an integer weight') }))
      .min(1, 'a rule needs at least one payer'),
    covers: z.array(z.strictObject({ beneficiaryId: IdSchema, serviceId: IdSchema })).min(1, 'a rule must cover at least one beneficiary service'),
    from: LocalDateSchema,
    to: LocalDateSchema.nullish().transform((v) => v ?? undefined),
    criterion: BillingCriterionSchema,
    jointDebtorIds: z.array(IdSchema).default([]),
  })
  .superRefine((r, ctx) => {
    if (r.to !== undefined && compareDates(r.to, r.from) < 0) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${r.from})` })
    }
    const payers = new Set<string>()
    r.payers.forEach((p, i) => {
      if (payers.has(p.guardianId)) ctx.addIssue({ code: 'custom', path: ['payers', i, 'guardianId'], message: `guardian ${p.guardianId} is listed twice` })
      payers.add(p.guardianId)
    })
    const pairs = new Set<string>()
    r.covers.forEach((c, i) => {
      const key = `${c.beneficiaryId}\u0000${c.serviceId}`
      if (pairs.has(key)) ctx.addIssue({ code: 'custom', path: ['covers', i], message: `${c.beneficiaryId}/${c.serviceId} is listed twice` })
      pairs.add(key)
    })
    r.jointDebtorIds.forEach((j, i) => {
      if (payers.has(j)) ctx.addIssue({ code: 'custom', path: ['jointDebtorIds', i], message: `${j} is already a payer of the rule` })
    })
  })
/**
 * Schema of a {@link BillingRule}. Checks that weights are integers (a zero or negative weight is
 * accepted here so {@link validateRuleSet} can report it), that `to` is not before `from`, that a
 * pair and a payer appear once, and that a payer is not also a joint debtor.
 *
 * @example
 * const rule = BillingRuleSchema.parse({
 *   id: 'r1', from: '2026-09-01', criterion: { kind: 'always' },
 *   payers: [{ guardianId: 'mum', weight: 1 }],
 *   covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }],
 * })
 * rule.jointDebtorIds //=> []
 */
export const BillingRuleSchema: z.ZodType<BillingRule, BillingRuleInput> = BillingRuleSchemaBase as unknown as z.ZodType<BillingRule, BillingRuleInput>

const BillingRuleSetSchemaBase = z.array(BillingRuleSchema).superRefine((rules, ctx) => {
  const ids = new Set<string>()
  rules.forEach((r, i) => {
    if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `rule id ${r.id} is used twice` })
    ids.add(r.id)
  })
})
/** A BillingRuleSet as a form or an API sends it (the input of {@link BillingRuleSetSchema}). */
export type BillingRuleSetInput = z.input<typeof BillingRuleSetSchemaBase>
/**
 * Schema of a whole rule set: valid rules with distinct ids.
 *
 * @example
 * BillingRuleSetSchema.parse([]) //=> []
 */
export const BillingRuleSetSchema: z.ZodType<BillingRule[], BillingRuleSetInput> = BillingRuleSetSchemaBase as unknown as z.ZodType<BillingRule[], BillingRuleSetInput>

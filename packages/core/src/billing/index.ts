export {
  BillingCriterionSchema, BillingRuleSchema, BillingRuleSetSchema, BillingWeekSchema, WEEK53_POLICIES,
  type BillingCoverage, type BillingCriterion, type BillingPayer, type BillingRule, type BillingRuleInput, type BillingWeek, type Week53Policy,
} from './billing-rule'
export { compileCriterion, criterionSelects, isoWeekKeyOfEpochDay, type CriterionPredicate } from './criterion'
export {
  isPreparedBillingRules, prepareRules, resolveDebtors, resolvePrepared,
  type ChargeKey, type Debtor, type DebtorResolution, type PreparedBillingRule, type PreparedBillingRules, type UnbilledReason,
} from './resolve-debtors'

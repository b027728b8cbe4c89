export {
  BillingCriterionSchema, BillingRuleSchema, BillingRuleSetSchema, BillingWeekSchema, WEEK53_POLICIES,
  type BillingCoverage, type BillingCriterion, type BillingPayer, type BillingRule, type BillingRuleInput, type BillingWeek, type Week53Policy,
} from './billing-rule'
export { compileCriterion, criterionSelects, type CriterionPredicate } from './criterion'
export {
  isPreparedBillingRules, prepareRules, resolveDebtors, resolvePrepared,
  type ChargeKey, type Debtor, type DebtorResolution, type PreparedBillingRules, type UnbilledReason,
} from './resolve-debtors'
export {
  addJointDebtor, addRule, complementCriterion, deleteRule, mirrorRule, removeJointDebtor, stopRule, transferRule,
  type BilledChargeRef, type MirrorRuleArgs, type RuleChange, type RuleOperationResult, type TransferRuleArgs,
} from './rule-operations'
export { validateRuleSet, type RuleDiagnostic, type RuleDiagnosticCode } from './validate-rule-set'
export { billingRuleMatches, checkBillingRuleFilter, type BillingRuleFilter } from './rule-filter'
export {
  FamilyQuotientSchema, TariffPeriodSchema, TariffSchema, priceUnit,
  type PricingBasis, type PricingContext, type QuotientBracket, type SiblingRanking, type Tariff, type TariffPeriod, type UnitPrice,
} from './tariff'
export {
  BillingModeSchema, PriceAdjustmentSchema, applyAdjustment, chargeKindOf,
  type BillingMode, type ChargeKind, type DayFacts, type NotChargeableReason, type PriceAdjustment,
} from './billing-mode'
export {
  ChargeConfigSchema, ServicePricingSchema, isPreparedChargeConfig, prepareChargeConfig,
  type BillingBeneficiary, type BillingOfficeRef, type BillingServiceRef, type BillingSubscriptionRef, type ChargeConfig,
  type PreparedChargeConfig, type QuotientRecord, type ServicePricing, type StandingAdjustment,
} from './charge-config'
export {
  ChargeRunOptionsSchema, buildChargeLines, chargeLineMoney,
  type BillableDay, type ChargeGroup, type ChargeLine, type ChargeLinesResult, type ChargeRunOptions, type ChargeUnbilledReason, type UnbilledCharge,
} from './charge-lines'
export {
  defineFamilyQuotients, defineServicePricing, quotientRecordsOf, servicePricingOf,
  type FamilyQuotientInput, type FamilyQuotientRecord, type ServicePricingRecord, type StoredMoney, type StoredQuotient, type StoredTariff,
} from './pricing-records'
export { checkCantineAUnEuro, type CantineAUnEuroIssue } from './cantine-a-un-euro'
export type { BillingCriterionInput, BillingRuleSetInput } from './billing-rule'
export type { ChargeRunOptionsInput } from './charge-lines'
export type { PriceAdjustmentInput, BillingModeInput } from './billing-mode'
export type { ServicePricingInput, ChargeConfigInput } from './charge-config'
export type { TariffInput, TariffPeriodInput } from './tariff'

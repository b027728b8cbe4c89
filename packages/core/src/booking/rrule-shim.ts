// The one place rrule is imported. `import { RRule } from 'rrule'` works under Vitest but throws
// in Node ESM from `dist` (rrule's ESM entry exposes only a default export there): take the
// namespace and read RRule from it or from its default.
import * as rruleNamespace from 'rrule'
import type { RRule as RRuleClass } from 'rrule'

type RRuleConstructor = typeof RRuleClass
const ns = rruleNamespace as unknown as { RRule?: RRuleConstructor; default?: { RRule?: RRuleConstructor } }

/** @internal rrule's RRule class, however the module was loaded. */
export const RRule: RRuleConstructor = (ns.RRule ?? ns.default?.RRule) as RRuleConstructor

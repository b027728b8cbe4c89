import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import * as core from './index'
import { isEcoleError } from './errors'

const ERROR_PLUMBING = 'builds an error from a ZodError that zod produced; not an input boundary'
const SCHEMA_BUILDERS = 'builds a schema from a bound or a schema the programmer writes; the schema it returns is the boundary'
const DAY_ARITHMETIC = 'hot-path arithmetic on a LocalDate (or epoch day) already checked by asLocalDate / LocalDateSchema at the boundary; checking again would cost every priced day'
const PREPARED_VALUES = 'operates on values the library built and typed (a directory state, a booking context, prepared rules, stored invoices, payments, mandates, ledger records, an actor from actorOf, a user context): their parameters are those values, not untyped input; the boundary that produced them is fuzzed (schemas through parseInput, prepareX)'

/**
 * Exports that are not input boundaries, each group with the reason. A new export is fuzzed unless it is
 * added here; an entry that no longer exists fails the first test.
 */
const NOT_BOUNDARIES: Record<string, string> = {
  // compare or guard records the library built (stored invoices, payments, credit notes, ledger working sets)
  'contentDifferences': PREPARED_VALUES,
  'idempotencyConflict': PREPARED_VALUES,
  'checkIdempotentReplay': PREPARED_VALUES,
  'decideTransfers': PREPARED_VALUES,
  'decideTransferBatches': PREPARED_VALUES,
  'assertAllocationsFit': PREPARED_VALUES,
  'invoiceBalances': PREPARED_VALUES,
  'assertCreditNoteFits': PREPARED_VALUES,
  'creditNoteRequestDifferences': PREPARED_VALUES,
  'depositReplay': PREPARED_VALUES,
  'paymentReplay': PREPARED_VALUES,
  // decides over an export record parseExportRecord produced and what the adapter read under lock
  'exportRefusal': PREPARED_VALUES,
  // add a record to a directory state the library built (the input itself is parsed strictly)
  'createSchool': PREPARED_VALUES,
  'createSchoolClass': PREPARED_VALUES,
  'createBillingOffice': PREPARED_VALUES,
  'createService': PREPARED_VALUES,
  // builds an error from a ZodError that zod produced; not an input boundary
  'EcoleError.fromZod': ERROR_PLUMBING,
  'zodIssues': ERROR_PLUMBING,
  // builds a schema from a bound or a schema the programmer writes; the schema it returns is the boundary
  'optionalText': SCHEMA_BUILDERS,
  'requiredString': SCHEMA_BUILDERS,
  'headerText': SCHEMA_BUILDERS,
  'optionalLimit': SCHEMA_BUILDERS,
  'optionalString': SCHEMA_BUILDERS,
  // hot-path arithmetic on a LocalDate (or epoch day) already checked by asLocalDate / LocalDateSchema at the boundary; checking again would cost every priced day
  'eachDay': DAY_ARITHMETIC,
  'inRange': DAY_ARITHMETIC,
  'rangeLength': DAY_ARITHMETIC,
  'rangesOverlap': DAY_ARITHMETIC,
  'addDays': DAY_ARITHMETIC,
  'addMonths': DAY_ARITHMETIC,
  'compareDates': DAY_ARITHMETIC,
  'daysBetween': DAY_ARITHMETIC,
  'endOfMonth': DAY_ARITHMETIC,
  'startOfMonth': DAY_ARITHMETIC,
  'weekday': DAY_ARITHMETIC,
  // operates on values the library built and typed (a directory state, a booking context, prepared rules, stored invoices, payments, mandates, ledger records, an actor from actorOf, a user context): their parameters are those values, not untyped input; the boundary that produced them is fuzzed (schemas through parseInput, prepareX)
  'siteView': PREPARED_VALUES,
  // a search prepareDirectorySearch built, over records the directory store holds
  'matchesDirectorySearch': PREPARED_VALUES,
  'searchedName': PREPARED_VALUES,
  'findEnrolmentOverlaps': PREPARED_VALUES,
  'addChild': PREPARED_VALUES,
  'addGuardian': PREPARED_VALUES,
  'createHousehold': PREPARED_VALUES,
  'householdMembers': PREPARED_VALUES,
  'householdsOfChild': PREPARED_VALUES,
  'linkChildToGuardian': PREPARED_VALUES,
  'moveGuardian': PREPARED_VALUES,
  'moveChild': PREPARED_VALUES,
  'updateGuardianContact': PREPARED_VALUES,
  'renameHousehold': PREPARED_VALUES,
  'unlinkChildFromGuardian': PREPARED_VALUES,
  'archiveChild': PREPARED_VALUES,
  'archiveGuardian': PREPARED_VALUES,
  'unarchiveChild': PREPARED_VALUES,
  'unarchiveGuardian': PREPARED_VALUES,
  'countPupils': PREPARED_VALUES,
  'endEnrolment': PREPARED_VALUES,
  'enrol': PREPARED_VALUES,
  'enrolmentOn': PREPARED_VALUES,
  'servicesOn': PREPARED_VALUES,
  'setAdultBooking': PREPARED_VALUES,
  'subscribeToService': PREPARED_VALUES,
  'checkAttributeValues': PREPARED_VALUES,
  'setAttributeValue': PREPARED_VALUES,
  'removeGuardianInsurance': PREPARED_VALUES,
  'setGuardianInsurance': PREPARED_VALUES,
  'checkPupilTransfer': PREPARED_VALUES,
  'diplomaLabel': PREPARED_VALUES,
  'missingEstablishmentFields': PREPARED_VALUES,
  'planPupilTransfer': PREPARED_VALUES,
  'removeSchoolImage': PREPARED_VALUES,
  'resetDiplomaLabels': PREPARED_VALUES,
  'setDiplomaLabels': PREPARED_VALUES,
  'setPupilTransfer': PREPARED_VALUES,
  'directoryForBooking': PREPARED_VALUES,
  'bookingServicesOf': PREPARED_VALUES,
  'closureImpact': PREPARED_VALUES,
  'periodCoversPlace': PREPARED_VALUES,
  'ServiceCalendar.fromValidated': PREPARED_VALUES,
  'compileCriterion': PREPARED_VALUES,
  'criterionSelects': PREPARED_VALUES,
  'prepareRules': PREPARED_VALUES,
  'resolveDebtors': PREPARED_VALUES,
  'resolvePrepared': PREPARED_VALUES,
  'addJointDebtor': PREPARED_VALUES,
  'complementCriterion': PREPARED_VALUES,
  'deleteRule': PREPARED_VALUES,
  'mirrorRule': PREPARED_VALUES,
  'removeJointDebtor': PREPARED_VALUES,
  'transferRule': PREPARED_VALUES,
  'stopRule': PREPARED_VALUES,
  'validateRuleSet': PREPARED_VALUES,
  'formatInvoiceNumber': PREPARED_VALUES,
  'priceUnit': PREPARED_VALUES,
  'applyAdjustment': PREPARED_VALUES,
  'chargeKindOf': PREPARED_VALUES,
  'chargeLineMoney': PREPARED_VALUES,
  'checkCantineAUnEuro': PREPARED_VALUES,
  'checkAttendance': PREPARED_VALUES,
  'checkBooking': PREPARED_VALUES,
  'cutoffDay': PREPARED_VALUES,
  'cutoffInstant': PREPARED_VALUES,
  'bookingRefusalMessage': PREPARED_VALUES,
  'planWeekTemplates': PREPARED_VALUES,
  'bookingReservations': PREPARED_VALUES,
  'transferDifferences': PREPARED_VALUES,
  'canDebit': PREPARED_VALUES,
  'accountDifferences': PREPARED_VALUES,
  'checkLedgerAccount': PREPARED_VALUES,
  'linkTransfers': PREPARED_VALUES,
  'evaluateLowBalanceAlerts': PREPARED_VALUES,
  'reverseTransfer': PREPARED_VALUES,
  'postPendingTransfer': PREPARED_VALUES,
  'voidPendingTransfer': PREPARED_VALUES,
  'listWalletBalances': PREPARED_VALUES,
  'transferCheckFailure': PREPARED_VALUES,
  'withInvoiceTotals': PREPARED_VALUES,
  'buildInvoiceDrafts': PREPARED_VALUES,
  'assertInvoiceDraft': PREPARED_VALUES,
  'addInvoiceAdjustment': PREPARED_VALUES,
  'removeInvoiceAdjustment': PREPARED_VALUES,
  'updateInvoiceAdjustment': PREPARED_VALUES,
  'editInvoiceDrafts': PREPARED_VALUES,
  'invoiceCounterKey': PREPARED_VALUES,
  'invoiceSeriesKey': PREPARED_VALUES,
  'validateInvoiceDrafts': PREPARED_VALUES,
  'creditableMinor': PREPARED_VALUES,
  'allocatePayment': PREPARED_VALUES,
  'invoiceBalance': PREPARED_VALUES,
  'openInvoicesOf': PREPARED_VALUES,
  'assertDepositDeletable': PREPARED_VALUES,
  'assertPaymentDeletable': PREPARED_VALUES,
  'amendSepaMandate': PREPARED_VALUES,
  'markSepaCollectionSettled': PREPARED_VALUES,
  'markSepaMandateFinal': PREPARED_VALUES,
  'sepaMandateStateOn': PREPARED_VALUES,
  'setSepaMandateSuspended': PREPARED_VALUES,
  'selectDirectDebits': PREPARED_VALUES,
  'applyDirectDebitReturn': PREPARED_VALUES,
  'nextInstalmentDue': PREPARED_VALUES,
  'withInstalmentSchedule': PREPARED_VALUES,
  'assertInvoiceFolderTree': PREPARED_VALUES,
  'invoiceFolderPath': PREPARED_VALUES,
  'checkGuardianArchivable': PREPARED_VALUES,
  'invoiceChargeLinesFromBilling': PREPARED_VALUES,
  'grantPermission': PREPARED_VALUES,
  'revokePermission': PREPARED_VALUES,
  'scopeWithin': PREPARED_VALUES,
  'actorOf': PREPARED_VALUES,
  'can': PREPARED_VALUES,
  'createPortalAccount': PREPARED_VALUES,
  'syncPortalAccount': PREPARED_VALUES,
  'acceptConsent': PREPARED_VALUES,
  'consentAcceptances': PREPARED_VALUES,
  'consentApplies': PREPARED_VALUES,
  'consentsForBooking': PREPARED_VALUES,
  'missingConsents': PREPARED_VALUES,
  'checkStorageQuota': PREPARED_VALUES,
  'documentsForGuardian': PREPARED_VALUES,
  'isDocumentAvailable': PREPARED_VALUES,
  'storageUsed': PREPARED_VALUES,
  'directoryValues': PREPARED_VALUES,
  'selectRecipients': PREPARED_VALUES,
  'authoriseOnMailAccount': PREPARED_VALUES,
  'canSendFrom': PREPARED_VALUES,
  'revokeFromMailAccount': PREPARED_VALUES,
}

type Callable = (...args: unknown[]) => unknown
const isClass = (f: Callable) => /^class[\s{]/.test(Function.prototype.toString.call(f))
const isSchema = (v: unknown) => typeof v === 'object' && v !== null && '_zod' in v

/** Every function an index exports: plain functions, static methods of classes, members of namespace objects. */
function boundaries(module: Record<string, unknown>): Array<[string, Callable]> {
  const out: Array<[string, Callable]> = []
  for (const [name, value] of Object.entries(module)) {
    if (name in NOT_BOUNDARIES) continue
    if (typeof value === 'function') {
      const f = value as Callable
      if (!isClass(f)) out.push([name, f])
      else for (const key of Object.getOwnPropertyNames(f)) {
        const member = (f as unknown as Record<string, unknown>)[key]
        if (typeof member === 'function' && !(`${name}.${key}` in NOT_BOUNDARIES)) out.push([`${name}.${key}`, (member as Callable).bind(f)])
      }
    } else if (typeof value === 'object' && value !== null && !isSchema(value) && !Array.isArray(value)) {
      for (const [key, member] of Object.entries(value)) {
        if (typeof member === 'function' && !isClass(member as Callable) && !(`${name}.${key}` in NOT_BOUNDARIES)) {
          out.push([`${name}.${key}`, (member as Callable).bind(value)])
        }
      }
    }
  }
  return out
}

const anything = fc.anything({
  maxDepth: 2,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withBoxedValues: true,
  withSparseArray: true,
})
const args = fc.array(fc.oneof(anything, fc.constantFrom(null, undefined, NaN, Infinity, -0, 10n ** 30n, '', 'EUR', '2026-03-02', 'x'.repeat(100))), { maxLength: 4 })

/** What a call throws that is not an EcoleError, or undefined. */
async function foreignError(f: Callable, input: unknown[]): Promise<unknown> {
  try {
    const result = f(...input)
    if (result && typeof (result as Promise<unknown>).then === 'function') await result
  } catch (e) {
    if (!isEcoleError(e)) return e
  }
  return undefined
}

const list = boundaries(core as Record<string, unknown>)

describe('only EcoleError escapes a public function of @ecole/core', () => {
  test('the index exports functions to check (and every allow-listed name still exists)', () => {
    expect(list.length).toBeGreaterThan(100)
    for (const name of Object.keys(NOT_BOUNDARIES)) expect(name.split('.')[0]! in core, name).toBe(true)
  })

  test.each(list)('%s throws nothing but EcoleError, whatever it is given', async (name, f) => {
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const e = await foreignError(f, input)
        if (e !== undefined) throw new Error(`${name}(${input.map((a) => typeof a).join(', ')}) threw ${String(e)}`)
      }),
      { numRuns: 150 },
    )
  })
})

describe('the escapes found in issue 12 now fail with EcoleError', () => {
  const codeOf = (f: () => unknown): string => {
    try {
      f()
    } catch (e) {
      if (isEcoleError(e)) return e.code
      throw e
    }
    return 'NO_ERROR'
  }

  test('Money.of(null) is INVALID_AMOUNT, not a TypeError', () => {
    expect(codeOf(() => core.Money.of(null as unknown as string, 'EUR'))).toBe('INVALID_AMOUNT')
  })

  test('formatting an amount with more than 20 decimals keeps every decimal', () => {
    const decimals = `${'1234567890'.repeat(3)}7`
    const amount = `1234.${decimals}`
    expect(core.formatMoney(core.Money.of(amount, 'EUR'), 'en')).toBe(`€1,234.${decimals}`)
    expect(core.formatMoney(core.Money.of(amount, 'EUR'), 'fr-FR')).toBe(`1\u202f234,${decimals}\u00a0€`)
  })

  test('formatting with an empty or unknown locale is INVALID_INPUT naming the locale', () => {
    expect(codeOf(() => core.formatMoney(core.Money.of('1', 'EUR'), ''))).toBe('INVALID_INPUT')
    expect(codeOf(() => core.formatMoney(core.Money.of('1', 'EUR'), 'not a locale!'))).toBe('INVALID_INPUT')
  })

  test('allocation weights that are not integers are INVALID_WEIGHTS', () => {
    expect(codeOf(() => core.allocateMinor(100n, ['1.5' as unknown as number]))).toBe('INVALID_WEIGHTS')
    expect(codeOf(() => core.Money.of('10', 'EUR').allocate([1.5, 1]))).toBe('INVALID_WEIGHTS')
  })

  test('validators and parsers given a bigint answer with EcoleError (or false), never a TypeError from JSON.stringify', () => {
    expect(core.ogm.isValid(12n as unknown as string)).toBe(false)
    expect(codeOf(() => core.ogm.normalize(12n as unknown as string))).toBe('INVALID_OGM')
    expect(codeOf(() => core.rf.format(12n as unknown as string))).toBe('INVALID_RF')
    expect(codeOf(() => core.iban.normalize(12n as unknown as string))).toBe('INVALID_IBAN')
    expect(codeOf(() => core.asLocalDate(12n as unknown as string))).toBe('INVALID_DATE')
  })

  test('a schema parsed through parseInput throws EcoleError, where its own parse throws ZodError', () => {
    expect(() => core.BillingRuleSetSchema.parse([{}])).toThrow()
    expect(codeOf(() => core.parseInput(core.BillingRuleSetSchema, [{}], 'rules'))).toBe('INVALID_INPUT')
  })
})

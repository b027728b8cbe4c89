import {
  buildInvoiceDrafts, checkOptions, defineInvoiceBatch, EcoleError, isEcoleError, type BelowMinimumDebtor, type BuildInvoiceDraftsOptions, type CarriedOverDebtor, type CarryOverFrom,
  type DayBilledToAnotherDebtor, type DraftSkipCounts, type Invoice, type InvoiceBatch, type InvoiceBatchInput, type InvoiceChargeLine, type OptionKinds,
} from '@ecole/core'
import { auditInTransaction, type AuditOption } from './audit-with-change'
import { loadAccounts, need, type BillingDeps } from './support'
import { chargeDayKey, type InvoiceStore } from '@ecole/core/ports'
import { asUseCaseError } from '../use-case-error'

/**
 * The steps of {@link createInvoiceBatch}, in the order they run: `billedCharges` (which of the
 * charges are on an invoice already), `openBalances` (the payers' earlier unpaid balances, skipped
 * with `showOpenBalances: false` or without a payments port), `drafts` (one draft per payer built
 * from the charges not billed yet), `insert` (the drafts stored). `billedCharges` also looks up
 * the days charged that are billed to another payer (by day with a store that has
 * `billedChargeIdsByDay`; otherwise by reading the site's invoices and drafts).
 *
 * @example
 * const step: InvoiceBatchStep = 'drafts'
 */
export type InvoiceBatchStep = 'billedCharges' | 'openBalances' | 'drafts' | 'insert'

/**
 * One progress report of {@link createInvoiceBatch}: a step code and counts, never text, so a
 * host says it in its user's language. Each step is reported when it starts (`done: 0`) and when
 * it ends (`done === total`). `total` counts charge lines for `billedCharges` and `drafts`,
 * payers' invoices read for `openBalances` (0 at its start, unknown then), drafts for `insert`.
 *
 * @example
 * const onProgress = (p: InvoiceBatchProgress) => console.log(`${p.step} ${p.done}/${p.total}`)
 * // billedCharges 0/1200, billedCharges 1200/1200, openBalances 0/0, openBalances 85/85, drafts 0/1200, drafts 1200/1200, insert 0/310, insert 310/310
 */
export interface InvoiceBatchProgress {
  /** The step. */
  step: InvoiceBatchStep
  /** How many of `total` are done. */
  done: number
  /** How many there are (see the step). */
  total: number
}

/** What {@link createInvoiceBatch} returns. */
export interface CreateInvoiceBatchResult {
  /** The batch as stored. */
  batch: InvoiceBatch
  /** The drafts made by this call (none for charges already billed). */
  drafts: Invoice[]
  /** Payers under the minimum amount (their charges stay unbilled, for the next batch given them: read its charges from `from`). */
  belowMinimum: BelowMinimumDebtor[]
  /** Payers whose draft bills charges dated before the period, not billed by an earlier batch (held back under its minimum). */
  carriedOver: CarriedOverDebtor[]
  /** Charge lines left out, by reason. */
  skipped: DraftSkipCounts
  /**
   * The charges left out because their day is billed to another payer already (the rule's payers
   * were changed after the day was billed): issue a credit note and bill the day again on purpose.
   */
  billedToAnotherDebtor: DayBilledToAnotherDebtor[]
}

/** The kind of each key of {@link createInvoiceBatch}'s input (`charges`: an array or another iterable): any other key is refused. */
const CREATE_INVOICE_BATCH_INPUT_KINDS: OptionKinds<Parameters<typeof createInvoiceBatch>[1]> = {
  batch: 'object', charges: ['array', 'object'], showOpenBalances: 'boolean?', onProgress: 'function?', carryOver: ['boolean?', 'object'],
}

/** The kind of each key of `input.carryOver` given as a limit. */
const CARRY_OVER_KINDS: OptionKinds<CarryOverFrom> = { from: 'date' }

/** The kind of each of {@link createInvoiceBatch}'s options. */
const CREATE_INVOICE_BATCH_OPTION_KINDS: OptionKinds<AuditOption<CreateInvoiceBatchResult>> = { audit: 'function?' }

/**
 * Creates an invoice batch and its drafts (seed 001, "Comment créer un groupe de factures"), in
 * one transaction: stores the batch, reads which charges are already billed, shows each payer's
 * earlier unpaid balance, builds one draft per payer and inserts them.
 *
 * Idempotent: running it again for the same period bills only charges not billed yet. A day is
 * billed once, to one payer or to shares adding up to the day: a charge for a day (child, service,
 * kind, date) already on an invoice or a draft of the site (any billing office) for another payer is not
 * billed, it is listed in `billedToAnotherDebtor` (the rule was corrected after the day was billed:
 * a credit note on the invoice that billed it, then a bill made on purpose). To find them it asks the
 * store for the charges billing the days charged, on any invoice or draft of the site
 * (`InvoiceStore.billedChargeIdsByDay`: an index read, whatever the site's history); a store
 * without that optional method is read instead, the site's invoices and drafts a page of 1,000 at
 * a time (the same answer, at a cost that grows with the site's history).
 *
 * Charges given that are dated before the period and not billed yet (a family's 4.15 of December
 * held back under a 5.00 minimum) are billed with the period's, and listed in `carriedOver`
 * (`buildInvoiceDrafts`' `carryOver`: `true` by default, `{ from }` to carry only from a day on,
 * `false` to bill the period only). So a host passes each batch the charges of its period and
 * those still held back: from the earliest `belowMinimum[].from` of the previous batch.
 *
 * `onProgress` receives each step as a code with counts ({@link InvoiceBatchProgress}). With
 * `options.audit`, the entries built from the result are written in the batch's transaction, when
 * the call stored something (a new batch, or drafts); a replay that bills nothing writes none.
 *
 * The input and the options are checked key by key: a misspelt key (`showOpenBalance`, `audt`)
 * or a value of the wrong kind (`showOpenBalances: 'no'`) is `INVALID_INPUT` naming it, never
 * read as absent.
 *
 * @example
 * const { drafts } = await createInvoiceBatch(deps, { batch: { id: 'b-2026-12', siteId, billingOfficeId: 'regie',
 *   period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
 * // January: the charges of January and those December held back under the minimum (dated from december.belowMinimum[].from)
 * const { carriedOver } = await createInvoiceBatch(deps, { batch: januaryBatch, charges: [...heldBackCharges, ...januaryCharges] })
 * carriedOver //=> [{ debtorId: 'mum', chargeIds: ['mum|lea|cantine|service|2026-12-01'], totalMinor: 415n, from: '2026-12-01' }]
 * // its progress, step by step:
 * await createInvoiceBatch(deps, { batch, charges, onProgress: ({ step, done, total }) => console.log(step, done, total) })
 * @throws EcoleError `INVALID_INPUT`, `PORT_MISSING`, `ID_CONFLICT` (another batch with this id).
 */
export async function createInvoiceBatch(
  deps: BillingDeps,
  input: {
    batch: InvoiceBatchInput; charges: Iterable<InvoiceChargeLine>; showOpenBalances?: boolean; onProgress?: (progress: InvoiceBatchProgress) => void
    carryOver?: BuildInvoiceDraftsOptions['carryOver']
  },
  options: AuditOption<CreateInvoiceBatchResult> = {},
): Promise<CreateInvoiceBatchResult> {
  try {
    checkOptions('createInvoiceBatch', 'input', input, CREATE_INVOICE_BATCH_INPUT_KINDS)
    if (typeof input.carryOver === 'object') checkOptions<CarryOverFrom>('createInvoiceBatch', 'input.carryOver', input.carryOver, CARRY_OVER_KINDS)
    options = checkOptions('createInvoiceBatch', 'options', options, CREATE_INVOICE_BATCH_OPTION_KINDS)
    const batch = defineInvoiceBatch(input.batch)
    const charges = [...input.charges]
    return await deps.storage.transaction(batch.siteId, async (tx) => {
      const { invoicing } = need(tx, 'invoicing')
      const made = await invoicing.createInvoiceBatch(batch.siteId, batch)
      const stored = await invoicing.getInvoiceBatch(batch.siteId, batch.id)
      if (stored && (stored.period.from !== batch.period.from || stored.period.to !== batch.period.to || stored.billingOfficeId !== batch.billingOfficeId)) {
        throw new EcoleError('ID_CONFLICT', `invoice batch ${batch.id} exists with another period or billing office`, { details: { batchId: batch.id } })
      }
      const report = (step: InvoiceBatchStep, done: number, total: number): void => input.onProgress?.({ step, done, total })
      report('billedCharges', 0, charges.length)
      const billed = await billedIds(invoicing, batch.siteId, charges)
      report('billedCharges', charges.length, charges.length)
      let openBalances: Map<string, bigint> | undefined
      if (input.showOpenBalances !== false && tx.payments !== undefined) {
        report('openBalances', 0, 0)
        const { invoices, balances } = await loadAccounts(tx, batch.siteId, { billingOfficeId: batch.billingOfficeId })
        openBalances = new Map()
        for (const inv of invoices) openBalances.set(inv.debtorId, (openBalances.get(inv.debtorId) ?? 0n) + balances.get(inv.id)!.outstandingMinor)
        report('openBalances', invoices.length, invoices.length)
      }
      report('drafts', 0, charges.length)
      const result = buildInvoiceDrafts(batch, charges, { alreadyBilledChargeIds: billed, openBalances, ...(input.carryOver === undefined ? {} : { carryOver: input.carryOver }) })
      report('drafts', charges.length, charges.length)
      // a draft id is <batch>:<payer>: a payer who already has an invoice of that id gets a suffix.
      // The batch's invoices are read once, a page at a time (a read per draft made the stage
      // latency-bound: 13,546 round trips for a 20,000-child city); should an id be taken outside
      // the batch, the insert refuses it (ID_CONFLICT, nothing written) and the ids are chosen again
      // by looking each one up, one query at a time (a transaction's connection runs them in order).
      const inBatch = new Set<string>()
      let after: string | undefined
      do {
        const page = await invoicing.listInvoices(batch.siteId, { batchId: batch.id }, { limit: 1000, ...(after === undefined ? {} : { after }) })
        for (const inv of page.items) inBatch.add(inv.id)
        after = page.next
      } while (after !== undefined)
      const withIds = async (isTaken: (id: string) => Promise<boolean> | boolean): Promise<typeof result.drafts> => {
        const drafts: typeof result.drafts = []
        for (const d of result.drafts) {
          if (!(await isTaken(d.id))) {
            drafts.push(d)
            continue
          }
          let n = 2
          while (await isTaken(`${d.id}:${n}`)) n++
          const id = `${d.id}:${n}`
          drafts.push({ ...d, id, lines: d.lines.map((l, i) => ({ ...l, id: `${id}:${i + 1}` })) })
        }
        return drafts
      }
      let drafts = await withIds((id) => inBatch.has(id))
      report('insert', 0, drafts.length)
      try {
        await invoicing.createDrafts(batch.siteId, drafts)
      } catch (error) {
        if (!isEcoleError(error) || error.code !== 'ID_CONFLICT') throw error
        drafts = await withIds(async (id) => Boolean(await invoicing.getInvoice(batch.siteId, id)))
        await invoicing.createDrafts(batch.siteId, drafts)
      }
      report('insert', drafts.length, drafts.length)
      const out = { batch, drafts, belowMinimum: result.belowMinimum, carriedOver: result.carriedOver, skipped: result.skipped, billedToAnotherDebtor: result.billedToAnotherDebtor }
      if (made === 'created' || drafts.length > 0) await auditInTransaction(tx, batch.siteId, options.audit, out)
      return out
    })
  } catch (error) {
    throw asUseCaseError(error, 'createInvoiceBatch', { deps: [deps, 'object', 'the host’s wiring ({ storage, clock })'], input: [input, 'object', 'the batch and its charges'], options: [options, 'object?', 'the options ({ audit })'] })
  }
}

/**
 * The charge ids `buildInvoiceDrafts` needs: those of `charges` already billed (looked up exactly),
 * and those billing the same days (beneficiary, service, kind, date) for any payer on an invoice or
 * draft of the site, from which it finds a day billed to another payer. Asked by day when the store
 * has `billedChargeIdsByDay`; otherwise the site's invoices are read a page at a time and their
 * lines kept when they bill a beneficiary and service charged here over dates that meet the
 * charges' dates (a superset of the days' ids: `buildInvoiceDrafts` reads only the days charged).
 */
async function billedIds(invoicing: InvoiceStore, siteId: string, charges: readonly InvoiceChargeLine[]): Promise<Set<string>> {
  const billed = await invoicing.billedChargeIds(siteId, charges.map((c) => c.chargeId))
  if (charges.length === 0) return billed
  if (invoicing.billedChargeIdsByDay !== undefined) {
    const days = new Set<string>()
    for (const c of charges) {
      const day = chargeDayKey(c.chargeId)
      if (day !== undefined) days.add(day)
    }
    if (days.size === 0) return billed
    for (const ids of (await invoicing.billedChargeIdsByDay(siteId, [...days])).values()) for (const id of ids) billed.add(id)
    return billed
  }
  // the dates charged per beneficiary and service, as a range
  const ranges = new Map<string, { from: string; to: string }>()
  for (const c of charges) {
    const key = `${c.beneficiaryId}\u0000${c.serviceId}`
    const r = ranges.get(key)
    if (r === undefined) ranges.set(key, { from: c.date, to: c.date })
    else if (c.date < r.from) r.from = c.date
    else if (c.date > r.to) r.to = c.date
  }
  let after: string | undefined
  do {
    const page = await invoicing.listInvoices(siteId, {}, { limit: 1000, ...(after === undefined ? {} : { after }) })
    for (const inv of page.items) {
      for (const line of inv.lines) {
        const r = ranges.get(`${line.beneficiaryId}\u0000${line.serviceId}`)
        if (r === undefined || line.to < r.from || line.from > r.to) continue
        for (const id of line.chargeIds) billed.add(id)
      }
    }
    after = page.next
  } while (after !== undefined)
  return billed
}

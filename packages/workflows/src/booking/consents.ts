/**
 * The consents that gate booking, stored (directory records of kind `consent`) and edited from a
 * back office (seed 001, Administration > consents): save (create or edit, with the version rule
 * of `reviseConsent`), delete (refused once a guardian accepted it), list, the consents booking
 * checks (`storedBookingConsents`, for `BookingSiteSettings.consents`) and a page of who accepted
 * one version. Each write calls `options.withChange` inside its transaction, so the host writes
 * the audit entry with the change, or not at all.
 *
 * @module
 */
import {
  EcoleError, bookingConsentOf, checkOptions as checkOptionKeys, consentOfVersionId, consentVersionId, defineConsent, parseInput, reviseConsent,
  type Consent, type ConsentRecord, type ConsentRecordInput, type OptionKinds,
} from '@ecole/core'
import type { StoragePorts, StorageTransaction, StoredConsentAcceptance } from '@ecole/core/ports'
import * as z from 'zod'
import { lockRecords, recordVersion } from '../directory/record-versions'
import { asUseCaseError } from '../use-case-error'

/**
 * @internal Locks a consent until the transaction ends (its directory record's lock): every
 * writer of the consent (save, delete) and every acceptance of it take it first, so that a
 * deletion or an edit sees an acceptance committed before it, and an acceptance sees the version
 * an edit or a deletion committed before it.
 */
export function lockConsent(tx: StorageTransaction, siteId: string, consentId: string): Promise<void> {
  return lockRecords(tx, siteId, [{ kind: 'consent', id: consentId }])
}

/**
 * Withdraws the acceptances a deleted consent of the same id left: one could be recorded from a
 * page shown before the deletion, after it committed. A consent created with that id again must
 * be accepted afresh. A deletable consent was never accepted, so it was at version 1.
 */
async function dropLeftAcceptances(tx: StorageTransaction, siteId: string, consentId: string): Promise<void> {
  const versionId = consentVersionId(consentId, 1)
  let after: string | undefined
  for (;;) {
    const left = await tx.bookings!.listConsentAcceptances(siteId, { consentId: versionId, limit: 500, ...(after !== undefined ? { afterGuardianId: after } : {}) })
    for (const a of left) await tx.bookings!.withdrawConsent(siteId, versionId, a.guardianId)
    if (left.length < 500) return
    after = left[left.length - 1]!.guardianId
  }
}

/** What the consent workflows need: the storage (directory and bookings ports; documents to check a linked document). */
export interface ConsentDeps {
  /** The storage adapter. */
  storage: StoragePorts
}

/**
 * A consent written by {@link saveConsent} or {@link deleteConsent}, for the audit trail.
 *
 * @example
 * const change: ConsentChange = { action: 'consent.newVersion', id: 'rules', before: v1, after: v2 }
 */
export interface ConsentChange {
  /** `consent.created`, `consent.updated` (same version), `consent.newVersion` (must be accepted again), `consent.deleted`. */
  action: 'consent.created' | 'consent.updated' | 'consent.newVersion' | 'consent.deleted'
  /** The consent's id. */
  id: string
  /** The record before (absent for a creation). */
  before?: ConsentRecord | undefined
  /** The record after (absent for a deletion). */
  after?: ConsentRecord | undefined
}

/**
 * Options of {@link saveConsent} and {@link deleteConsent}.
 *
 * @example
 * const options: ConsentWriteOptions = { withChange: (tx, change) => writeAudit(tx, change) }
 */
export interface ConsentWriteOptions {
  /** Called inside the transaction after the write (write the audit entry here: it commits with the change). */
  withChange?: ((tx: StorageTransaction, change: ConsentChange) => Promise<void>) | undefined
}

/**
 * What {@link saveConsent} did.
 *
 * @example
 * if (saved.newVersion) console.log('every guardian must accept version', saved.record.version)
 */
export interface SavedConsent {
  /** The record stored. */
  record: ConsentRecord
  /** Created or updated. */
  result: 'created' | 'updated'
  /** True when the edit made a new version that guardians must accept again. */
  newVersion: boolean
}

function ports(deps: ConsentDeps) {
  if (typeof deps !== 'object' || deps === null || typeof deps.storage !== 'object' || deps.storage === null) {
    throw EcoleError.invalidInput('deps', 'must be { storage } (the storage adapter)')
  }
  const { directory, bookings } = deps.storage
  if (!directory || !bookings) throw new EcoleError('PORT_MISSING', '[ecole] consents need a storage with directory and bookings ports', { details: { port: directory ? 'bookings' : 'directory' } })
  return deps.storage
}

const SiteId = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')
const Id = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')

/**
 * The options of {@link saveConsent}.
 *
 * @example
 * const options: SaveConsentOptions = { create: true, withChange: (tx, change) => writeAudit(tx, change) }
 */
export interface SaveConsentOptions extends ConsentWriteOptions {
  /** Create the consent (`DUPLICATE_ID` when the id is taken); edit an existing one when false or absent (`NOT_FOUND` otherwise). */
  create?: boolean | undefined
}

const WRITE_OPTION_KINDS: OptionKinds<ConsentWriteOptions> = { withChange: 'any' }
const SAVE_OPTION_KINDS: OptionKinds<SaveConsentOptions> = { ...WRITE_OPTION_KINDS, create: 'any' }

function checkOptions(fn: string, options: unknown, kinds: OptionKinds<ConsentWriteOptions> | OptionKinds<SaveConsentOptions>): ConsentWriteOptions {
  if (options === undefined) return {}
  if (typeof options !== 'object' || options === null) throw EcoleError.invalidInput('options', 'must be an object')
  checkOptionKeys<ConsentWriteOptions>(fn, 'options', options, kinds)
  const f = (options as ConsentWriteOptions).withChange
  if (f !== undefined && typeof f !== 'function') throw EcoleError.invalidInput('options.withChange', 'must be a function')
  return options as ConsentWriteOptions
}

/**
 * Saves a consent from the back office's form, in one transaction: `create: true` refuses an id
 * the site already uses (`DUPLICATE_ID`), an edit (`create` false) refuses an unknown id
 * (`NOT_FOUND`). An edit of the text or of the linked document of a consent that guardians
 * accepted makes a new version that they must accept again (their acceptances of the earlier
 * version stay stored, its history); other edits keep the version. A linked document must be a
 * stored portal document of the site (`INVALID_INPUT` naming `consent.documentId`).
 *
 * @example
 * const saved = await saveConsent({ storage }, { id: 'rules', siteId: 'site-1', label: 'Règlement', texts: { fr: "J'accepte." },
 *   validity: { from: '2026-09-01' }, scope: { kind: 'site' } }, { create: true })
 * saved.result //=> 'created'
 * @throws EcoleError `INVALID_INPUT` naming the field (`consent.label`...), `DUPLICATE_ID`, `NOT_FOUND`.
 */
export async function saveConsent(deps: ConsentDeps, input: ConsentRecordInput, options: SaveConsentOptions = {}): Promise<SavedConsent> {
  try {
    const storage = ports(deps)
    const opts = checkOptions('saveConsent', options, SAVE_OPTION_KINDS)
    const create = parseInput(z.boolean().optional(), (options as { create?: unknown } | undefined)?.create, 'options.create') === true
    const checked = defineConsent(input)
    const siteId = checked.siteId
    if (checked.documentId !== undefined && storage.documents && !(await storage.documents.getDocument(siteId, checked.documentId))) {
      throw EcoleError.invalidInput('consent.documentId', `must be a stored document of the site (no document ${checked.documentId})`)
    }
    return await storage.transaction(siteId, async (tx) => {
      await lockConsent(tx, siteId, checked.id)
      const before = await tx.directory!.getDirectoryRecord(siteId, 'consent', checked.id)
      if (create && before) throw new EcoleError('DUPLICATE_ID', `consent ${JSON.stringify(checked.id)} already exists`, { details: { what: 'consent', id: checked.id, field: 'consent.id' } })
      if (!create && !before) throw new EcoleError('NOT_FOUND', `[ecole] consent.id: no consent ${checked.id} on site ${siteId}`, { details: { field: 'consent.id' } })
      const accepted = before === undefined ? false : (await tx.bookings!.listConsentAcceptances(siteId, { consentId: consentVersionId(before.id, before.version), limit: 1 })).length > 0
      const { record, newVersion } = reviseConsent(before, checked, accepted)
      if (before === undefined) await dropLeftAcceptances(tx, siteId, checked.id)
      const result = await tx.directory!.putDirectoryRecord(siteId, 'consent', record)
      const action = before === undefined ? 'consent.created' : newVersion ? 'consent.newVersion' : 'consent.updated'
      if (opts.withChange) await opts.withChange(tx, { action, id: record.id, ...(before ? { before } : {}), after: record })
      return { record, result, newVersion }
    })
  } catch (error) {
    throw asUseCaseError(error, 'saveConsent', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], input: [input, 'object', 'the consent'], options: [options, 'object?', 'the options ({ create, withChange })'] })
  }
}

/**
 * Deletes a consent that nobody accepted (no version of it), in one transaction. A consent that
 * guardians accepted is refused with `CONSENT_ACCEPTED` (details: `acceptedVersions`): make it
 * inactive instead, which stops it gating bookings and keeps who accepted it, and when.
 *
 * @example
 * await deleteConsent({ storage }, { siteId: 'site-1', consentId: 'draft-photos' }) // the deleted record
 * @throws EcoleError `NOT_FOUND` for an unknown consent; `CONSENT_ACCEPTED` when a guardian accepted a version of it; `INVALID_INPUT` naming the field, or the argument that is not what the library builds.
 */
export async function deleteConsent(deps: ConsentDeps, target: { siteId: string; consentId: string }, options: ConsentWriteOptions = {}): Promise<ConsentRecord> {
  try {
    ports(deps)
    const opts = checkOptions('deleteConsent', options, WRITE_OPTION_KINDS)
    const t = parseInput(z.strictObject({ siteId: SiteId, consentId: Id }), target, 'consent')
    return await deps.storage.transaction(t.siteId, async (tx) => {
      // locked first: an acceptance committed meanwhile is seen below, one arriving later waits and
      // then finds the consent gone
      await lockConsent(tx, t.siteId, t.consentId)
      const before = await tx.directory!.getDirectoryRecord(t.siteId, 'consent', t.consentId)
      if (!before) throw new EcoleError('NOT_FOUND', `[ecole] consentId: no consent ${t.consentId} on site ${t.siteId}`, { details: { field: 'consentId' } })
      const acceptedVersions: number[] = []
      for (let v = 1; v <= before.version; v++) {
        if ((await tx.bookings!.listConsentAcceptances(t.siteId, { consentId: consentVersionId(before.id, v), limit: 1 })).length > 0) acceptedVersions.push(v)
      }
      if (acceptedVersions.length > 0) {
        throw new EcoleError('CONSENT_ACCEPTED', `consent ${before.id} was accepted by guardians (version ${acceptedVersions.join(', ')}): make it inactive instead, to keep who accepted it`, {
          details: { consentId: before.id, acceptedVersions },
        })
      }
      await tx.directory!.deleteDirectoryRecord(t.siteId, 'consent', before.id)
      if (opts.withChange) await opts.withChange(tx, { action: 'consent.deleted', id: before.id, before })
      return before
    })
  } catch (error) {
    throw asUseCaseError(error, 'deleteConsent', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], target: [target, 'object', 'the consent ({ siteId, consentId })'], options: [options, 'object?', 'the options ({ withChange })'] })
  }
}

/**
 * Every consent stored for the site (active or not), by id.
 *
 * @example
 * (await listConsents({ storage }, 'site-1')).map((c) => c.label) //=> ['Règlement intérieur 2026-2027']
 * @throws EcoleError `INVALID_INPUT` naming `siteId`; `INVALID_INPUT` naming the field of a stored record that is not valid.
 */
export async function listConsents(deps: ConsentDeps, siteId: string): Promise<ConsentRecord[]> {
  try {
    const storage = ports(deps)
    const site = parseInput(SiteId, siteId, 'siteId')
    const out: ConsentRecord[] = []
    let after: string | undefined
    do {
      const page = await storage.directory!.listDirectoryRecords(site, 'consent', { limit: 500, ...(after ? { after } : {}) })
      out.push(...page.items.map((r) => defineConsent(r)))
      after = page.next
    } while (after)
    return out
  } catch (error) {
    throw asUseCaseError(error, 'listConsents', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], siteId: [siteId, 'string'] })
  }
}

/**
 * The version of a stored consent as a page shows it: `recordVersion` of the checked record. A
 * portal page keeps it in the consent's form and sends it back as `ConsentAnswer.shownVersion`, so
 * an acceptance is refused (`RECORD_CHANGED`) when the consent was edited, even in place, made
 * inactive or deleted since the page was read.
 *
 * @example
 * const shownVersion = consentShownVersion(record) //=> 'v1-3f2a…' (16 hexadecimal digits)
 * @throws EcoleError `INVALID_INPUT` naming the field of a record that is not valid.
 */
export function consentShownVersion(record: ConsentRecord): string {
  return recordVersion(defineConsent(record as unknown as ConsentRecordInput))
}

/**
 * The site's active consents as booking checks them (`BookingSiteSettings.consents`): each the
 * current version of a stored consent (see `bookingConsentOf`), so an acceptance of an earlier
 * version no longer lets a guardian book.
 *
 * @example
 * const settings: BookingSiteSettings = { ...rest, consents: await storedBookingConsents({ storage }, 'site-1') }
 * @throws EcoleError `INVALID_INPUT` naming `siteId`, or the field of a stored record that is not valid.
 */
export async function storedBookingConsents(deps: ConsentDeps, siteId: string): Promise<Consent[]> {
  try {
    return (await listConsents(deps, siteId)).flatMap((r) => bookingConsentOf(r) ?? [])
  } catch (error) {
    throw asUseCaseError(error, 'storedBookingConsents', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], siteId: [siteId, 'string'] })
  }
}

/**
 * One page of who accepted a version of a consent (by guardian id), and the cursor of the next page.
 *
 * @example
 * const page = await consentAcceptancesPage({ storage }, { siteId: 'site-1', consentId: 'rules', version: 2, limit: 50 })
 * page.items.map((a) => a.guardianId); page.next // the last guardian id, when there is more
 * @throws EcoleError `INVALID_INPUT` naming the field (`query.limit` from 1 to 999, `query.version`...).
 */
export async function consentAcceptancesPage(
  deps: ConsentDeps,
  query: { siteId: string; consentId: string; version?: number | undefined; after?: string | undefined; limit?: number | undefined },
): Promise<{ items: StoredConsentAcceptance[]; next?: string }> {
  try {
    const storage = ports(deps)
    const q = parseInput(
      z.strictObject({
        siteId: SiteId, consentId: Id, version: z.number().int().min(1).optional(), after: z.string().max(100).optional(), limit: z.number().int().min(1).max(999).default(50),
      }),
      query,
      'query',
    )
    const versionId = q.version === undefined ? q.consentId : consentVersionId(consentOfVersionId(q.consentId).consentId, q.version)
    const rows = await storage.bookings!.listConsentAcceptances(q.siteId, { consentId: versionId, limit: q.limit + 1, ...(q.after !== undefined ? { afterGuardianId: q.after } : {}) })
    const items = rows.slice(0, q.limit)
    return rows.length > q.limit ? { items, next: items[items.length - 1]!.guardianId } : { items }
  } catch (error) {
    throw asUseCaseError(error, 'consentAcceptancesPage', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], query: [query, 'object', 'the page ({ siteId, consentId, version, after, limit })'] })
  }
}

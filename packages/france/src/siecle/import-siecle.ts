import { asInputError, EcoleError, pupilTransfer, type DirectoryState, type PupilTransfer } from '@ecole/core'
import type { DirectoryRecordKind, DirectoryRecords, DirectoryStore, Page, PageRequest, StoragePorts } from '@ecole/core/ports'
import { applySiecleImport, planSiecleImport, type SiecleImportOptions, type SiecleImportPlan } from './plan-siecle-import'
import type { SiecleExport } from './siecle-export'

/**
 * What {@link importSiecleExport} is asked: the parsed export, the school it is of, the site's
 * day, and when (the caller's clock, kept on each transfer-log line).
 *
 * @example
 * const input: ImportSiecleInput = { siteId: 's1', siecle, schoolId: 'clg-jaures', schoolName: 'Collège Jean Jaurès', today: '2026-09-01', recordedAt: new Date() }
 */
export interface ImportSiecleInput extends SiecleImportOptions {
  /** The site. */
  siteId: string
  /** The export, as {@link parseSiecleExport} reads it. */
  siecle: SiecleExport
  /** When the import runs (the caller's clock). */
  recordedAt: Date | string
}

/**
 * What an import did: the plan it carried out, how many directory records it created, updated or
 * left alone, and the transfer-log lines it recorded (new ones only; a second import of the same
 * export records none).
 *
 * @example
 * const r: ImportSiecleResult = await importSiecleExport({ storage }, input)
 * r.records //=> { created: 9, updated: 0 }
 */
export interface ImportSiecleResult {
  /** The plan carried out. */
  plan: SiecleImportPlan
  /** Directory records written. */
  records: { created: number; updated: number }
  /** Transfer-log lines recorded by this import. */
  transfersRecorded: PupilTransfer[]
}

const KINDS: ReadonlyArray<readonly [keyof Omit<DirectoryState, 'siteId'>, DirectoryRecordKind]> = [
  ['schools', 'school'], ['classes', 'schoolClass'], ['services', 'service'], ['billingOffices', 'billingOffice'], ['households', 'household'],
  ['guardians', 'guardian'], ['children', 'child'], ['enrolments', 'enrolment'], ['subscriptions', 'subscription'],
]

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

function directoryPort(storage: { directory?: DirectoryStore | undefined }): DirectoryStore {
  const directory = storage.directory
  if (directory === undefined) throw new EcoleError('PORT_MISSING', 'the storage adapter has no directory port, which the SIECLE import needs', { details: { port: 'directory' } })
  return directory
}

/**
 * Imports a SIECLE export into the site's directory, in one transaction: reads the directory,
 * plans the import ({@link planSiecleImport}), carries it out ({@link applySiecleImport}, with the
 * site's licence limit on pupils), writes the records that changed, and records the transfer log
 * (seed 003) when the school's pupil transfer is switched on with its CNIL declaration. Importing
 * the same export again writes nothing and records no new transfer. Nothing is written when a
 * directory operation refuses.
 *
 * @example
 * const siecle = parseSiecleExport({ eleves, responsables, nomenclature })
 * const r = await importSiecleExport({ storage }, { siteId: 's1', siecle, schoolId: 'clg-jaures', today: '2026-09-01', recordedAt: new Date() })
 * r.plan.withoutIne // pupils who cannot be transferred
 * @throws EcoleError `PORT_MISSING`, `NOT_FOUND` (the site), `INVALID_INPUT` (an export of another establishment, a
 * refused directory operation such as the licence's maximum pupils, with nothing written).
 */
export async function importSiecleExport(deps: { storage: StoragePorts }, input: ImportSiecleInput): Promise<ImportSiecleResult> {
  try {
    const { siteId } = input
    const recordedAt = input.recordedAt instanceof Date ? input.recordedAt.toISOString() : input.recordedAt
    return await deps.storage.transaction(siteId, async (tx) => {
      const directory = directoryPort(tx)
      const site = await directory.getSite(siteId)
      if (site === undefined) throw new EcoleError('NOT_FOUND', `site ${siteId} does not exist`, { details: { field: 'siteId', siteId } })
      const before = await directory.loadDirectory(siteId)
      const plan = planSiecleImport(before, input.siecle, { schoolId: input.schoolId, schoolName: input.schoolName, today: input.today, from: input.from })
      const after = applySiecleImport(before, plan, { maxPupils: site.licence.maxPupils })
      const records = { created: 0, updated: 0 }
      for (const [field, kind] of KINDS) {
        const was = before[field] as Readonly<Record<string, unknown>>
        for (const [id, record] of Object.entries(after[field] as Readonly<Record<string, unknown>>)) {
          if (was[id] !== undefined && same(was[id], record)) continue
          const r = await directory.putDirectoryRecord(siteId, kind, record as DirectoryRecords[typeof kind])
          records[r] += 1
        }
      }
      const transfersRecorded: PupilTransfer[] = []
      for (const entry of plan.transferLog) {
        const line = pupilTransfer({ siteId, schoolId: plan.schoolId, direction: entry.direction, childId: entry.childId, ine: entry.ine, date: entry.date, otherUai: entry.otherUai, recordedAt })
        if ((await directory.getDirectoryRecord(siteId, 'pupilTransfer', line.id)) !== undefined) continue
        await directory.putDirectoryRecord(siteId, 'pupilTransfer', line)
        transfersRecorded.push(line)
      }
      return { plan, records, transfersRecorded }
    })
  } catch (error) {
    throw asInputError(error, 'importSiecleExport', { deps: [deps, 'object', 'the host\'s wiring ({ storage })'], input: [input, 'object', 'the import request'] })
  }
}

/**
 * The transfer log of a site's establishments (seed 003, "Visualiser les transferts effectués"), a
 * page at a time in id order (direction, INE, day, school); with `schoolId`, one establishment's
 * (the filter applies to each page, which may then hold fewer lines than the limit: follow `next`).
 *
 * @example
 * const { items } = await listPupilTransfers({ storage }, 's1', { schoolId: 'clg-jaures' })
 * items.map((t) => [t.direction, t.ine, t.date, t.otherUai])
 */
export async function listPupilTransfers(
  deps: { storage: StoragePorts },
  siteId: string,
  options: PageRequest & { schoolId?: string | undefined } = {},
): Promise<Page<PupilTransfer>> {
  try {
    const directory = directoryPort(deps.storage)
    const { schoolId, ...page } = options
    const listed = await directory.listDirectoryRecords(siteId, 'pupilTransfer', page)
    return schoolId === undefined ? listed : { ...listed, items: listed.items.filter((t) => t.schoolId === schoolId) }
  } catch (error) {
    throw asInputError(error, 'listPupilTransfers', { deps: [deps, 'object', 'the host\'s wiring ({ storage })'], siteId: [siteId, 'string', 'a site id'], options: [options, 'object?', 'the page request ({ limit?, after?, schoolId? })'] })
  }
}

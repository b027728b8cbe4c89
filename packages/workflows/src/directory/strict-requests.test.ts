import { type DirectoryState } from '@ecole/core'
import type { StorageTransaction } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { strictRequestsSuite, type StrictRequestRow } from '../test-support/strict-requests'
import { changeDirectory } from './index'

// The rule (issue 12): a misspelt key in what a caller passes is refused with INVALID_INPUT naming
// the function, the key and the nearest known key, never read as absent so that a default applies
// (a table not read, so an operation decides on an empty directory; no lock taken; no audit entry).

const siteId = 's1'
const storage = createMemoryStorage()
const unchanged = (state: DirectoryState) => ({ ok: true as const, state })

const rows: StrictRequestRow[] = [
  { fn: 'changeDirectory', param: 'options', key: 'locks', typo: 'lock', call: (t) => changeDirectory({ storage }, siteId, { guardians: ['marie'] }, unchanged, t({ locks: ['enrolments'] })) },
  { fn: 'changeDirectory', param: 'options', key: 'withChanges', typo: 'withChange', call: (t) => changeDirectory({ storage }, siteId, { guardians: ['marie'] }, unchanged, t({ withChanges: async () => {} })) },
  { fn: 'changeDirectory', param: 'options', key: 'expected', typo: 'expect', call: (t) => changeDirectory({ storage }, siteId, { guardians: ['marie'] }, unchanged, t({ expected: [] })) },
  { fn: 'changeDirectory', param: 'reads', key: 'guardians', typo: 'guardian', call: (t) => changeDirectory({ storage }, siteId, t({ guardians: ['marie'], children: 'all' as const }), unchanged) },
  { fn: 'changeDirectory', param: 'reads()', key: 'enrolments', typo: 'enrolment', call: (t) => changeDirectory({ storage }, siteId, async (_tx: StorageTransaction) => t({ enrolments: 'all' as const }), unchanged) },
]

strictRequestsSuite('directory use cases read their reads and options strictly', rows)

// The migrations 0001-0011 as they shipped before the baseline squashed them (issue 13): kept only
// for the tests that prove the baseline gives the same schema and recognises a database they built.
import { migration0001 } from './0001-core-tables'
import { migration0002 } from './0002-ledger'
import { migration0003 } from './0003-invoicing'
import { migration0004 } from './0004-directory-access-documents'
import { migration0005 } from './0005-ledger-leaner-indexes'
import { migration0006 } from './0006-ledger-functions'
import { migration0007 } from './0007-ledger-lock-by-key'
import { migration0008 } from './0008-ledger-lock-and-read'
import { migration0009 } from './0009-ledger-read-by-key'
import { migration0010 } from './0010-ledger-rules-in-core'
import { migration0011 } from './0011-outbox-records'

/** The old chain, in version order. */
export const LEGACY: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011,
]

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
import { migration0015 } from './0015-audit-trail'

/** One forward-only schema change. @internal */
export interface Migration {
  /** Position in the sequence, from 1, no gaps. */
  version: number
  /** Short name, kebab-case. */
  name: string
  /** The SQL script (several statements), valid on PostgreSQL 15 and later and on PGlite. */
  sql: string
}

/** Every migration, in version order. Never edit one that shipped: add the next. @internal */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0015]

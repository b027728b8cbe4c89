import { migration0001 } from './0001-baseline'
import { migration0012 } from './0012-export-register'
import { migration0013 } from './0013-purchases'
import { migration0015 } from './0015-audit-trail'
import { migration0017 } from './0017-booking-consents-and-day-locks'
import { migration0019 } from './0019-mail-accounts-in-directory'
import { migration0020 } from './0020-ledger-create-known'
import { migration0023 } from './0023-directory-name-search'
import { migration0024 } from './0024-invoice-debtor-id'
import { migration0025 } from './0025-records-in-directory'
import { migration0026 } from './0026-debtor-id-of-credit-notes-and-mandates'
import { migration0027 } from './0027-billing-rules-in-directory'
import { migration0031 } from './0031-payments-by-invoice'
import { migration0032 } from './0032-directory-records-of-children'
import { migration0033 } from './0033-invoice-totals-in-columns'
import { migration0034 } from './0034-validated-invoices-by-due-date'
import { migration0035 } from './0035-payment-allocations'
import { migration0036 } from './0036-ledger-lock-known'
import { migration0037 } from './0037-billing-rules-by-site'
import { migration0038 } from './0038-outbox-claim-ids'
import { migration0039 } from './0039-invoice-series-issue-dates'
import { migration0040 } from './0040-invoice-charges-by-day'

/** A migration as an older release recorded it in `ecole_schema_migrations`. @internal */
export interface RecordedMigration {
  version: number
  name: string
  /** sha256 of its SQL. */
  checksum: string
}

/** One forward-only schema change. @internal */
export interface Migration {
  /** Position in the sequence: ascending, from 1; gaps are allowed (a squash leaves some). */
  version: number
  /** Short name, kebab-case. */
  name: string
  /** The SQL script (several statements), valid on PostgreSQL 15 and later and on PGlite. */
  sql: string
  /**
   * The migrations this one squashes: a database that recorded exactly these (same versions and
   * checksums) already has this migration's schema; it is recorded as applied, not run.
   */
  replaces?: readonly RecordedMigration[] | undefined
}

/**
 * The chain 0001-0011 that the baseline squashed (issue 13), as databases recorded it: a database
 * with all of them has the baseline's schema (a test proves the catalogues equal).
 *
 * @internal
 */
export const SQUASHED_CHAIN: readonly RecordedMigration[] = [
  { version: 1, name: 'core-tables', checksum: '87dfd6ae9deb166527c2e9ed44a5fdbbbeaf566422e543dec48010924f81a227' },
  { version: 2, name: 'ledger', checksum: '663890c70b6011d48d82aec2a0e6ce1b28abfb710931e44c933f44aadf47c165' },
  { version: 3, name: 'invoicing', checksum: '182017cb4c637b203b62b0d21054769242df13ec63fdc2689979726810f88d74' },
  { version: 4, name: 'directory-access-documents', checksum: 'bd381b9aaa8224dfd08d4617f837e2d45cd9e0cfca1a73992909bcf7b7c97300' },
  { version: 5, name: 'ledger-leaner-indexes', checksum: '9df5ed412e644e3eb84608d6c80d083133ff3afef11e698ca06ce519d2ac62e8' },
  { version: 6, name: 'ledger-functions', checksum: '91e43c84d7b02db1c526de75960f06fbe32c0b5ad8d90ac5a6826c0e6c1f17a0' },
  { version: 7, name: 'ledger-lock-by-key', checksum: '064f870073e0eafbac772df0b4b0908ab64872bac3ebb1fe4a9dd67b380c22d2' },
  { version: 8, name: 'ledger-lock-and-read', checksum: 'a97c73b2ddf7a8360c161c674a342bf7629a3a44cc4d00d1f11d02bca9fba061' },
  { version: 9, name: 'ledger-read-by-key', checksum: '3691c01e94d87f663add786f4a969f977f5420e20a62d1679eddf9030141d900' },
  { version: 10, name: 'ledger-rules-in-core', checksum: '837f240773a8ec1e5d3b243ba0d3087811c3967652fc421cdf4e823e10ecf993' },
  { version: 11, name: 'outbox-records', checksum: 'a29f915b2f8c02a05d90284411258aa04c62d7b6ecc529d6067e2e3ce9214c8e' },
]

/** Every migration, in version order. Never edit one that shipped: add the next (0012 on). @internal */
export const MIGRATIONS: readonly Migration[] = [{ ...migration0001, replaces: SQUASHED_CHAIN }, migration0012, migration0013, migration0015, migration0017, migration0019, migration0020, migration0023, migration0024, migration0025, migration0026, migration0027, migration0031, migration0032, migration0033, migration0034, migration0035, migration0036, migration0037, migration0038, migration0039, migration0040]

/**
 * Every code an {@link EcoleError} can carry, with when it happens and what a caller does about it.
 * The type {@link EcoleErrorCode} is built from this one constant, so a misspelt code fails to
 * compile; `docs/errors.md` lists the same entries (a test keeps the two in step).
 *
 * @module
 */

/** One entry of the {@link ERROR_CATALOGUE}. */
export interface ErrorCatalogueEntry {
  /** When the error is thrown. */
  readonly when: string
  /** What a caller does about it. */
  readonly action: string
}

/**
 * The catalogue of error codes: code -> when it happens, what a caller does. Grouped by kind:
 * input, money and time, references, directory and billing, ledger and invoicing, access and
 * secrets, bank files, storage.
 *
 * @example
 * ERROR_CATALOGUE.INVALID_INPUT.action //=> 'Show each entry of details.issues next to its field (path) and ask again.'
 */
export const ERROR_CATALOGUE = {
  // ---- input
  TEMPLATE_INVALID: { when: 'A message template has problems (an unknown variable, a malformed placeholder); checked before anything is queued.', action: 'Fix the template: details lists each problem by name.' },
  INVALID_HEADER: { when: 'A mail header value (subject, name, address, attachment name) contains a line break (CR, LF, U+0085, U+2028, U+2029) or another control character (U+0000-U+001F but the tab, U+007F): refused when the mail is queued and again at send.', action: 'Remove the character; header values are one line of printable text (core\'s headerValueProblem says why a value is refused).' },
  INSECURE_SMTP: { when: 'SMTP without TLS is asked for a server that is not on this machine (loopback).', action: 'Use implicit TLS or STARTTLS.' },
  MAIL_NOT_SENT: { when: 'The SMTP server refused a message (details has the step, reply code and text).', action: 'The outbox retries temporary refusals; fix the address or settings for permanent ones.' },
  INVALID_INPUT: {
    when: 'An input does not match its schema: a missing or mistyped field, an unknown key (with the nearest known key suggested), a value out of range.',
    action: 'Show each entry of details.issues next to its field (path) and ask again.',
  },
  INVALID_DATE: { when: 'A calendar day is not written YYYY-MM-DD or does not exist (2026-02-30).', action: 'Send a LocalDate string.' },
  INVALID_INSTANT: { when: 'An instant is not a valid Date or ISO 8601 string.', action: 'Send an ISO 8601 instant with its offset (or Z).' },
  INVALID_TIME: { when: 'A time of day is not HH:MM or HH:MM:SS.', action: 'Send the time as HH:MM.' },
  INVALID_TIME_ZONE: { when: 'A time zone is not an IANA zone this runtime knows.', action: 'Use an IANA name such as Europe/Paris.' },
  INVALID_WEEK: { when: 'An ISO week is not written YYYY-Www or does not exist in that year.', action: 'Send the week as 2026-W09.' },
  INVALID_RANGE: { when: 'A range ends before it starts.', action: 'Swap or correct the bounds (ranges are inclusive at both ends).' },
  NONEXISTENT_LOCAL_TIME: { when: 'A local time falls in the gap when clocks go forward in the zone.', action: 'Pick a time outside the gap, or resolve it explicitly.' },
  AMBIGUOUS_LOCAL_TIME: { when: 'A local time happens twice when clocks go back in the zone.', action: 'Say which occurrence is meant (earlier or later).' },
  UNKNOWN_COUNTRY: { when: 'No default time zone (or rule) is known for a country code.', action: 'Pass the time zone explicitly, or an ISO 3166 code the library knows.' },
  SCHOOL_YEAR_UNAVAILABLE: { when: 'The school holidays of a calendar and year are not built in.', action: 'Load the official calendar (parseFrenchSchoolCalendar) and pass it.' },
  // ---- money
  INVALID_AMOUNT: { when: 'An amount is a float, not a finite decimal, or has more decimals than allowed.', action: 'Send amounts as decimal strings ("12.50") or integers.' },
  UNKNOWN_CURRENCY: { when: 'A currency is not an ISO 4217 code the library knows.', action: 'Use a known ISO 4217 code (EUR, CHF...).' },
  CURRENCY_MISMATCH: { when: 'Two amounts of different currencies meet in one operation.', action: 'Convert first, or keep the currencies apart.' },
  INVALID_WEIGHTS: { when: 'An allocation has no weights, or weights that are not non-negative safe integers with a positive sum.', action: 'Pass integer weights (1:1, 1:2) with at least one above zero.' },
  AMOUNT_OUT_OF_RANGE: { when: 'A sum would exceed what a minor-unit amount can hold (2^53 minor units).', action: 'Split the run or the invoice; check the input for a runaway amount.' },
  TOO_PRECISE: { when: 'An amount has more decimals than its currency allows where an exact minor-unit amount is needed (toMinor).', action: 'Round it first with a named rounding mode.' },
  AMOUNT_REQUIRED: { when: 'A payment recorded without an open invoice has no amount.', action: 'Give the amount, or record it against an invoice.' },
  // ---- references and identifiers
  INVALID_OGM: { when: 'A Belgian structured communication is malformed or its check digits are wrong.', action: 'Ask the payer to copy the +++ddd/dddd/ddddd+++ reference again.' },
  INVALID_RF: { when: 'An ISO 11649 RF creditor reference is malformed or fails mod 97.', action: 'Check the reference as printed on the bill.' },
  INVALID_PAGOPA_NOTICE: { when: 'A pagoPA notice number or its parts (segregation code, base) are malformed.', action: 'Check the 18-digit notice number and its parts.' },
  INVALID_CREDITOR_ID: { when: 'A SEPA creditor identifier (ICS) is malformed or fails its check digits.', action: 'Use the identifier the bank issued.' },
  INVALID_IBAN: { when: 'An IBAN is malformed or fails its check digits.', action: 'Ask for the IBAN again.' },
  INVALID_BIC: { when: 'A BIC is not 8 or 11 valid characters.', action: 'Ask for the BIC again, or leave it out where it is optional.' },
  INVALID_UAI: { when: 'A French UAI establishment code is malformed or its check letter is wrong.', action: 'Use the code from the national directory.' },
  INVALID_MANDATE_REFERENCE: { when: 'A SEPA mandate reference (RUM) uses characters or a length SEPA forbids.', action: 'Use at most 35 characters of the SEPA set.' },
  EPC_QR_TOO_LONG: { when: 'An EPC (SEPA) QR payload would exceed the 331 bytes the standard allows.', action: 'Shorten the remittance text or the names.' },
  REFERENCE_SPACE_EXHAUSTED: { when: 'A reference sequence no longer fits the digits of its space.', action: 'Open a new reference space (another prefix or year).' },
  // ---- directory, calendar, booking
  NOT_FOUND: { when: 'A record the operation names does not exist in the site.', action: 'Check the id (and the site); create the record first.' },
  DUPLICATE_ID: { when: 'A record is added with an id the site already uses.', action: 'Choose another id, or update the existing record.' },
  CONSENT_ACCEPTED: { when: 'A consent that guardians accepted (any version) is deleted: deleting it would lose who accepted it, and when.', action: 'Make it inactive instead (it stops gating bookings and keeps its acceptances), or delete it only if nobody accepted it.' },
  UNKNOWN_CHILD: { when: 'A booking names a child the booking context does not hold.', action: 'Rebuild the context with the child, or fix the id.' },
  UNKNOWN_SERVICE: { when: 'A booking names a service the booking context does not hold.', action: 'Rebuild the context with the service, or fix the id.' },
  BOOKING_SLOT_TAKEN: { when: 'changeBookings found a day free under its lock, then another writer that did not lock the day (lockServiceDays) booked it first; the whole request was rolled back.', action: 'Run the request again; make every writer of bookings lock the days it books.' },
  BOOKING_RESERVATION_FAILED: { when: 'Applying a week template, the ledger refused a prepaid day\'s reservation for another reason than the balance (an unknown or mismatched account); the whole template was rolled back.', action: 'Read details (the day and the ledger\'s result code) and check the wallet and revenue accounts.' },
  BOOKING_REFUND_FAILED: { when: 'Cancelling a prepaid booking could not void its pending wallet reservation (the ledger refused it); the whole request was rolled back.', action: 'Read details (the ledger\'s result code) and check the reservation transfer.' },
  RECORD_CHANGED: { when: 'A record was changed (or deleted) by someone else since it was read: the version the caller read it with (a form opened earlier) is not the stored one; nothing was written. Directory writes (`changeDirectory`, `expectRecordVersions`) give `details.records` (kind, id, expected and actual version, deleted); staff edits (`saveRoleEdit`, `saveUserEdit`) give `details.kind`, `id`, `fields` (those the other edit changed) and `deleted: true` when it is gone; an acceptance by a guardian (`acceptBookingConsent`) of a stored consent given a new version or made inactive since its page was read (or, with the `shownVersion` the page kept, edited in place or deleted) gives `details.kind` (`consent`), `id`, `expectedVersion`, `actualVersion` and `active` (`deleted: true` when it is gone; `shownVersion` and `storedVersion` when the page\'s version was given), and records nothing.', action: 'Read the record again, show it (or what changed) beside what the person typed, and let them save again with the new version.' },
  PERIOD_IMPACT_CHANGED: { when: 'Saving or deleting a period (a closure, or an opening shrunk, moved or deleted for a service that runs only during openings): the bookings it would delete are not those the caller confirmed (a booking was made or cancelled meanwhile, or none was confirmed); nothing was written.', action: 'Show the new impact (details: added, removed) and confirm again with the booking ids shown.' },
  TOO_MANY_PERIODS: { when: 'A charge-line run spans more calendar months than its bound.', action: 'Split the run by month or term.' },
  TOO_MANY_OFFICES: { when: 'A charge-line run covers more than 1024 billing offices.', action: 'Split the run by billing office.' },
  // ---- billing rules and tariffs
  RULE_NOT_FOUND: { when: 'A billing-rule operation names a rule that does not exist.', action: 'Check the rule id.' },
  DUPLICATE_RULE_ID: { when: 'A billing rule is added with an id already in the set.', action: 'Choose another id.' },
  RULE_ALREADY_STOPPED: { when: 'A rule is stopped on a date after its own end.', action: 'Leave it as it is, or stop it earlier.' },
  STOP_BEFORE_START: { when: 'A rule is stopped before the day it starts.', action: 'Delete the rule instead.' },
  TRANSFER_OUTSIDE_RULE: { when: 'A rule is transferred from a date outside its dates.', action: 'Pick a date within the rule.' },
  PAYER_NOT_FOUND: { when: 'The payer to replace is not a payer of the rule.', action: 'Name one of the rule\'s payers.' },
  AMBIGUOUS_PAYER: { when: 'A rule has several payers and the one to replace is not named.', action: 'Give fromGuardianId.' },
  ALREADY_PAYER: { when: 'The new payer already pays the rule.', action: 'Nothing to do, or change the weights.' },
  ALREADY_JOINT_DEBTOR: { when: 'A guardian is added twice as joint debtor of a rule.', action: 'Nothing to do.' },
  JOINT_DEBTOR_NOT_FOUND: { when: 'A joint debtor to remove is not on the rule.', action: 'Check the guardian id.' },
  MIRROR_NOT_POSSIBLE: { when: 'A rule that applies every day is asked for its complementary weeks.', action: 'Use an alternating criterion first.' },
  SIBLING_RANK_REQUIRED: { when: 'A degressive tariff is priced without the child\'s rank among siblings.', action: 'Pass the rank (1 = eldest).' },
  // ---- ledger
  ACCOUNT_NOT_FOUND: { when: 'A statement or balance is asked for a ledger account that does not exist.', action: 'Create the account first, or check its id.' },
  // ---- invoicing, payments, deposits
  NOTHING_TO_VALIDATE: { when: 'A validation run is given no draft.', action: 'Select at least one draft.' },
  DUPLICATE_INVOICE: { when: 'One draft is given twice to one validation (it would take two numbers).', action: 'Pass each draft once.' },
  DUPLICATE_INVOICE_NUMBER: { when: 'Storage refuses an invoice number already used in the billing office\'s series.', action: 'Retry the validation: numbers are taken inside the transaction.' },
  MIXED_BILLING_OFFICES: { when: 'Drafts of several billing offices are validated into one number series.', action: 'Validate each billing office separately.' },
  INVALID_SEQUENCE: { when: 'A number series starts below 1 or not on an integer.', action: 'Start the series at an integer from 1.' },
  INSTALMENTS_MISMATCH: { when: 'An invoice\'s instalments do not add up to its total.', action: 'Recompute the instalments (allocate the total).' },
  INVOICE_BALANCE_CHANGED: { when: 'A payment entered against what an invoice owed finds it owing something else (another payment or a credit note came first).', action: 'Show the invoice again with what it owes now (details.outstandingMinor) and let the cashier decide; nothing was recorded.' },
  INVOICE_NOT_DRAFT: { when: 'A validated invoice is edited or deleted.', action: 'Issue a credit note instead.' },
  INVOICE_NOT_VALIDATED: { when: 'A draft is credited.', action: 'Edit or delete the draft instead.' },
  ADJUSTMENT_NOT_FOUND: { when: 'An invoice adjustment to remove does not exist.', action: 'Check the adjustment id.' },
  DUPLICATE_ADJUSTMENT: { when: 'An adjustment id is used twice on one invoice.', action: 'Choose another id.' },
  ADJUSTMENT_EXCEEDS_BASE: { when: 'Reductions on a line exceed its amount.', action: 'Lower the reduction.' },
  CREDIT_EXCEEDS_INVOICE: { when: 'A credit note asks for more than the invoice still bills (storage checks it again under a lock on the invoice, whatever the concurrency).', action: 'Credit at most details.creditableMinor.' },
  CREDIT_EXCEEDS_LINE: { when: 'A credit note line credits more than its invoice line still bills.', action: 'Lower the line\'s amount.' },
  CHARGE_ALREADY_BILLED: { when: 'A charge is put on a second invoice.', action: 'Leave it on its first invoice; credit that one if it is wrong.' },
  UNKNOWN_PAYMENT_METHOD: { when: 'A payment uses a method the billing office does not accept.', action: 'Use one of the office\'s methods.' },
  PAYMENT_REFUSED: { when: 'A refused payment is put in a deposit.', action: 'Leave it out of the deposit.' },
  PAYMENT_ALREADY_REFUSED: { when: 'A payment is refused twice.', action: 'Nothing to do.' },
  PAYMENT_IN_DEPOSIT: { when: 'A payment in a deposit is changed or removed.', action: 'Take it out of the deposit first (if the deposit is not locked).' },
  FOLDER_CYCLE: { when: 'An invoice folder is placed inside itself or one of its descendants.', action: 'Choose another parent folder.' },
  FOLDER_PARENT_NOT_FOUND: { when: 'An invoice folder names a parent that does not exist.', action: 'Create the parent first, or fix its id.' },
  DUPLICATE_PAYMENT: { when: 'A payment is selected twice for one deposit.', action: 'Select it once.' },
  EMPTY_DEPOSIT: { when: 'A deposit has no payment.', action: 'Select at least one payment.' },
  DEPOSIT_LOCKED: { when: 'A deposit handed to the bank is changed.', action: 'Open a new deposit.' },
  DEPOSIT_METHOD_MISMATCH: { when: 'A payment of another method is put in a deposit.', action: 'Use a deposit of the payment\'s method.' },
  NOT_A_DIRECT_DEBIT: { when: 'A direct-debit return names a payment of another method.', action: 'Check the payment id of the return.' },
  MANDATE_CLOSED: { when: 'A closed SEPA mandate is amended.', action: 'Sign a new mandate.' },
  WALLET_CREDIT_FAILED: { when: 'The excess of a payment could not be credited to the payer\'s wallet.', action: 'Read details (the ledger\'s result code) and retry or correct the ledger.' },
  IDEMPOTENCY_CONFLICT: { when: 'A command is replayed with an id that exists with different content.', action: 'Use a new id for a new command; details names the differing fields.' },
  ID_CONFLICT: { when: 'A record is created with an id that exists with other content.', action: 'Use a new id (same as IDEMPOTENCY_CONFLICT, older name).' },
  STATEMENT_HELD_FOR_REVIEW: { when: 'A bank statement import is held until a person reviews it (its figures disagree); reported in the import report\'s held list, not thrown.', action: 'Review the held statement, then accept or reject it (decideHeldStatement).' },
  STATEMENT_ALREADY_DECIDED: { when: 'A held bank statement is accepted or rejected a second time.', action: 'Reload it: someone else decided it first; nothing was changed.' },
  ALREADY_EXPORTED: { when: 'An export carries items already exported in its format (details.items names each with its export), possibly by a concurrent export that committed first; nothing was recorded.', action: 'Leave those items out, or re-issue them explicitly, naming the export the re-issue corrects.' },
  REISSUE_NOT_CURRENT: { when: 'A re-issue names an export that is not the current export of each of its items in that format (an item never exported, or an export already corrected, possibly by a concurrent re-issue); nothing was recorded.', action: 'Reload the register (currentExports) and correct the current export of those items.' },
  PAYMENT_EXCEEDS_INVOICE: { when: 'Storage refuses a payment allocation above what the invoice still owes at commit time (checked under a lock on the invoice).', action: 'Record the payment again: the workflow allocates the excess to other open invoices, then to the wallet.' },
  WALLET_NUMBER_TAKEN: { when: 'setWalletNumbers gives a guardian a wallet number another guardian holds, or another number than the one the guardian already holds (a family may have paid with its reference).', action: 'Keep each guardian\'s number; give each number to one guardian (details names the guardian and the holder).' },
  // ---- access and secrets
  ROLE_MISMATCH: { when: 'An actor is built from a user and a role that is not theirs.', action: 'Load the user\'s own role.' },
  LOGIN_TAKEN: { when: 'A user or portal login is already used in the site.', action: 'Choose another login (e-mail).' },
  PORTAL_ACCESS_OPENED_MEANWHILE: { when: 'Another transaction opened the same guardian\'s portal access (and queued its token mail) while this one was opening it, in a transaction the caller passed to openPortalAccess.', action: 'Roll the transaction back: the access is open and its token mailed. Called with { storage, ids }, openPortalAccess answers the ACCOUNT_EXISTS refusal instead.' },
  PERMISSION_DENIED: { when: 'The acting user lacks the permission an operation needs (details names it).', action: 'Ask a user with that permission, or grant it through a role.' },
  NOT_AUTHORISED: { when: 'A staff member sends from an establishment mail account they are not authorised on.', action: 'Authorise them on the account, or send from their own account.' },
  USER_EXISTS: { when: 'A user is created with an id that already exists.', action: 'Use updateUser (audited) to change an existing user, or choose a new id.' },
  ROLE_IN_USE: { when: 'A role is deleted while users hold it (`deleteRoleEdit`; details: roleId, userIds), possibly given to one of them by an edit that committed first; nothing was deleted.', action: 'Give those users another role first, then delete the role.' },
  ROLE_ABOVE_GRANTER: { when: 'A user grants a profile or role above their own (a staff member creating a head teacher).', action: 'Ask a user of that rank or above to do it.' },
  INVALID_KEY: { when: 'A secret-box key is not 32 bytes or its id is malformed.', action: 'Generate keys with the library\'s key helper.' },
  UNKNOWN_KEY: { when: 'A sealed secret names a key the key ring does not hold.', action: 'Add the old key to the ring (key rotation keeps old keys to open old secrets).' },
  SECRET_UNREADABLE: { when: 'A sealed secret is not a sealed secret, or fails its authentication check (wrong key or tampered).', action: 'Re-enter the secret; check the key ring.' },
  INVALID_PASSWORD_HASH: { when: 'A stored password hash is not a well-formed scrypt$N$r$p$salt$hash string.', action: 'Reset the password; the stored hash is corrupt.' },
  // ---- bank files
  MALFORMED_XML: { when: 'A bank XML file is not well-formed.', action: 'Ask the bank for the file again; details gives the line and column.' },
  MALFORMED_BANK_FILE: { when: 'A bank file is well-formed but misses or garbles a field its format requires.', action: 'Read details (line, field) and ask the bank for a corrected file.' },
  // ---- Italian supplier e-invoices (FatturaPA)
  FATTURAPA_MALFORMED: { when: 'A file is not a FatturaPA invoice or SDI receipt (not XML, another root element or namespace, an unknown versione, a required field missing or garbled).', action: 'Ask the supplier (or the exchange system) for the file again; details names the field.' },
  FATTURAPA_ENVELOPE_CORRUPT: { when: 'A .p7m file is not a readable CAdES/CMS SignedData envelope (bad DER or base64, no signed content, no signer).', action: 'Ask for the file again; the original bytes are kept for the audit trail.' },
  FATTURAPA_FILE_NAME: { when: 'A FatturaPA file name is not IT<id>_<progressive>.xml[.p7m] (country code, transmitter id, 1-5 character progressive).', action: 'Keep the name the exchange system gave the file.' },
  // ---- French exports (FEC, PES V2)
  FEC_UNBALANCED_ENTRY: { when: 'A document given to the FEC does not balance: its total differs from the sum of its lines and adjustments (or a payment from its allocations and wallet credit).', action: 'Fix the record at its source (details.pieceRef); a stored invoice never changes, so correct it with a credit note.' },
  // ---- workflows and storage
  PORT_MISSING: { when: 'A workflow needs a storage port the adapter does not provide (details.port names it: directory, documents, outbox, messaging, exportRegister...).', action: 'Use an adapter with that port.' },
  SITE_MISMATCH: { when: 'A record or a transaction of one site is used for another.', action: 'Open the transaction for the record\'s site.' },
  SIZE_MISMATCH: { when: 'A stored document\'s declared size differs from its bytes.', action: 'Send the bytes and their true size.' },
  TRANSACTION_CLOSED: { when: 'A transaction\'s ports are used after its callback returned.', action: 'Use the ports only inside the callback.' },
  NESTED_TRANSACTION: { when: 'A transaction is opened inside another of the same storage.', action: 'Use the transaction\'s ports inside its callback.' },
  DEPENDENCY_MISSING: { when: 'An optional peer dependency (pg, PGlite) is not installed.', action: 'Install the peer dependency.' },
  STORAGE_QUOTA_EXCEEDED: { when: 'Storing a document would exceed the site\'s storage quota (licence limit).', action: 'Free space, or raise the site\'s quota.' },
  OUTBOX_NOT_DEAD: { when: 'A message is retried or discarded while it is not a dead letter.', action: 'Only dead letters can be retried or discarded; reload the list.' },
  ABORTED: { when: 'A batch (PDF rendering, mail delivery) was stopped by its AbortSignal, or a mail send by its AbortSignal before the message was handed to the server (nothing sent).', action: 'Run the batch again; documents already written are listed in the result. A mail send that was aborted sent nothing: send it again.' },
  STORAGE_UNAVAILABLE: { when: 'The storage cannot be reached or lost its connection during the call (the transaction was rolled back).', action: 'Retry later; nothing of the failed call was stored.' },
  STORE_UNAVAILABLE: { when: 'A store did not answer (used by adapters that are not PostgreSQL).', action: 'Retry later; nothing of the failed call was stored.' },
  STORAGE_RETRYABLE: { when: 'The database aborted the transaction on a serialization failure or a deadlock (SQLSTATE 40001, 40P01) and the retries ran out.', action: 'Retry the whole call; it was rolled back.' },
  STORAGE_CONSTRAINT: { when: 'The database refused a write on a constraint the library did not map to a better code.', action: 'Report it: details has the SQLSTATE and constraint.' },
  STORAGE_ERROR: { when: 'The database failed in a way the library did not expect.', action: 'Report it with details (SQLSTATE).' },
  MIGRATION_UNKNOWN_VERSION: { when: 'The database has a migration this version of the adapter does not know.', action: 'Upgrade the package (downgrades are not supported).' },
  MIGRATION_CHECKSUM_MISMATCH: { when: 'An applied migration differs from the one this version ships.', action: 'Restore the original migration; never edit applied migrations.' },
} as const satisfies Record<string, ErrorCatalogueEntry>

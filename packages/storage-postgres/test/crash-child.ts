/**
 * The child process of the crash-safety test: a worker that the test kills with SIGKILL in the
 * middle of its work and then starts again. It does what a workflow does, through the adapter's
 * ports only, a few records per transaction:
 *
 * - `validate <url> <siteId> <perTx>`: takes the next drafts of the batch, reserves their numbers
 *   from the counter row and marks them validated, in one transaction each, until none is left;
 * - `import <url> <siteId> <entries> <perTx>`: imports the statement's entries in order, skipping
 *   references already imported, recording each entry and crediting its wallet by a ledger
 *   transfer whose id is the entry reference, in one transaction per few entries.
 *
 * After each commit it prints `committed <json>` (what that transaction wrote), and at the end
 * `done <json>`. Run: `node --conditions=@ecole/source --import tsx crash-child.ts validate ...`.
 *
 * @module
 */
import { validateInvoiceDrafts } from '@ecole/core'
import { createPostgresStorage } from '../src/index'
import {
  CRASH_BANK_ACCOUNT, CRASH_BATCH, CRASH_ISSUE_DATE, CRASH_NUMBERING, CRASH_OFFICE, CRASH_SERIES, crashStatementEntry, crashWalletId,
} from './crash-fixtures'

const [mode, url, siteId, ...rest] = process.argv.slice(2)

function out(kind: 'committed' | 'done', value: unknown): void {
  process.stdout.write(`${kind} ${JSON.stringify(value)}\n`)
}

async function validate(perTx: number): Promise<void> {
  const storage = await createPostgresStorage({ connectionString: url!, poolSize: 1, migrate: false })
  let total = 0
  for (;;) {
    const done = await storage.transaction(siteId!, async (tx) => {
      const page = await tx.invoicing!.listInvoices(siteId!, { batchId: CRASH_BATCH, status: 'draft', billingOfficeId: CRASH_OFFICE }, { limit: perTx })
      if (page.items.length === 0) return []
      const first = await tx.invoiceNumbers!.nextNumbers(siteId!, CRASH_SERIES, page.items.length)
      const validated = validateInvoiceDrafts(page.items, { issueDate: CRASH_ISSUE_DATE, firstSequence: first, numbering: CRASH_NUMBERING })
      await tx.invoicing!.markValidated(siteId!, validated)
      return validated.map((v) => [v.id, v.sequence] as const)
    })
    if (done.length === 0) break
    total += done.length
    out('committed', done)
  }
  out('done', { validated: total })
  await storage.close()
}

async function importStatement(entries: number, perTx: number): Promise<void> {
  const storage = await createPostgresStorage({ connectionString: url!, poolSize: 1, migrate: false })
  let imported = 0
  let duplicates = 0
  for (let start = 0; start < entries; start += perTx) {
    const chunk = Array.from({ length: Math.min(perTx, entries - start) }, (_, k) => crashStatementEntry(start + k))
    const created = await storage.transaction(siteId!, async (tx) => {
      const already = await tx.bankImports!.importedEntryReferences(siteId!, chunk.map((e) => e.reference))
      const fresh = []
      for (const e of chunk) {
        if (already.has(e.reference)) continue
        const status = await tx.bankImports!.createBankEntry(siteId!, {
          entryReference: e.reference, accountIban: 'FR7630006000011234567890189', bookingDate: e.bookingDate, amountMinor: e.amountMinor, currency: 'EUR',
          direction: 'credit', counterpartyName: `Guardian ${e.wallet}`, remittance: null,
          outcome: { kind: 'walletTopUp', paymentId: `bank:${e.reference}`, payerId: `g${e.wallet}` },
        })
        if (status === 'created') fresh.push(e)
      }
      const results = await tx.ledger!.createTransfers(
        siteId!,
        fresh.map((e) => ({
          id: `bank:${e.reference}`, debitAccountId: CRASH_BANK_ACCOUNT, creditAccountId: crashWalletId(e.wallet), amount: e.amountMinor, currency: 'EUR' as const,
          code: 'topUp' as const, links: { bankEntryRef: e.reference }, timestamp: new Date(`${e.bookingDate}T10:00:00Z`),
        })),
        new Date(),
      )
      const refused = results.find((r) => r.status !== 'created')
      if (refused) throw new Error(`top-up ${refused.id} was not created: ${JSON.stringify(refused)}`)
      return fresh.map((e) => e.reference)
    })
    imported += created.length
    duplicates += chunk.length - created.length
    out('committed', created)
  }
  out('done', { imported, duplicates })
  await storage.close()
}

try {
  if (mode === 'validate') await validate(Number(rest[0] ?? 5))
  else if (mode === 'import') await importStatement(Number(rest[0]), Number(rest[1] ?? 5))
  else throw new Error(`unknown mode ${mode}: use validate or import`)
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exitCode = 1
}

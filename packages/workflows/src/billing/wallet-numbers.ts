import { EcoleError, parseInput, type Guardian } from '@ecole/core'
import * as z from 'zod'
import { lockRecords } from '../directory/record-versions'
import { need, readAll, type BillingDeps } from './support'
import { asUseCaseError } from '../use-case-error'

/**
 * The counter series wallet numbers are drawn from (one per site, in the `invoiceNumbers` counter
 * port): numbers are handed out once and never reused, so two guardians never share a top-up
 * reference.
 *
 * @example
 * await storage.invoiceNumbers!.lastNumber('site-1', WALLET_NUMBER_SERIES) //=> 3 once three numbers were drawn
 */
export const WALLET_NUMBER_SERIES = 'wallet-number'

const WalletNumberOfSchema = z.strictObject({ siteId: z.string().min(1), guardianId: z.string().min(1) })

/**
 * The guardian's wallet number, assigned on first use: the number their wallet top-up reference
 * encodes (`walletPaymentReference(space, n)`), so the transfer a family makes with it is credited
 * to their wallet and no other. A guardian who has one keeps it; one who has none is given the
 * next number of the site's {@link WALLET_NUMBER_SERIES} and it is stored on their record, in one
 * transaction under the guardian's record lock (the lock every directory writer of the guardian
 * takes): two first calls at once give the guardian one number, and an edit of the guardian
 * running meanwhile neither loses it nor is lost.
 *
 * @example
 * const n = await walletNumberOf({ storage }, { siteId: 'site-1', guardianId: 'g-1' }) //=> 1 (then 1 again on every call)
 * walletPaymentReference({ scheme: 'rf', siteCode: '094' }, n).display // the reference the portal shows
 * @throws EcoleError `NOT_FOUND` for an unknown guardian, `INVALID_INPUT` naming the field.
 */
export async function walletNumberOf(deps: Pick<BillingDeps, 'storage'>, args: { siteId: string; guardianId: string }): Promise<number> {
  try {
    const { siteId, guardianId } = parseInput(WalletNumberOfSchema, args, 'args')
    // most calls find the number already stored: one read, no transaction
    const known = (await deps.storage.directory?.getDirectoryRecord(siteId, 'guardian', guardianId))?.walletNumber
    if (known !== undefined) return known
    return await deps.storage.transaction(siteId, async (tx) => {
      const { directory: d, invoiceNumbers } = need(tx, 'directory', 'invoiceNumbers')
      await lockRecords(tx, siteId, [{ kind: 'guardian', id: guardianId }])
      const guardian = await d.getDirectoryRecord(siteId, 'guardian', guardianId)
      if (!guardian) throw new EcoleError('NOT_FOUND', `[ecole] guardian ${guardianId} not found`, { details: { kind: 'guardian', id: guardianId } })
      if (guardian.walletNumber !== undefined) return guardian.walletNumber
      const walletNumber = await invoiceNumbers.nextNumbers(siteId, WALLET_NUMBER_SERIES, 1)
      await d.putDirectoryRecord(siteId, 'guardian', { ...guardian, walletNumber })
      return walletNumber
    })
  } catch (error) {
    throw asUseCaseError(error, 'walletNumberOf', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], args: [args, 'object', 'the guardian ({ siteId, guardianId })'] })
  }
}

const SetWalletNumbersSchema = z.strictObject({
  siteId: z.string().min(1),
  numbers: z
    .array(z.strictObject({ guardianId: z.string().min(1), walletNumber: z.number().int('must be a whole number').positive('must be at least 1').max(Number.MAX_SAFE_INTEGER) }))
    .max(100_000),
})

/**
 * Gives guardians the wallet numbers they had in a previous system (their families' standing
 * orders keep working), then moves the site's {@link WALLET_NUMBER_SERIES} past the highest, so
 * that {@link walletNumberOf} never draws a number given here. All or nothing, in one transaction:
 * it takes the guardians' record locks, then the series (a number drawn meanwhile is committed
 * before it reads, and none is drawn until it ends), reads every guardian of the site and
 * refuses a number another guardian holds, or a guardian who holds another number. Giving a
 * guardian the number they hold changes nothing.
 *
 * @example
 * await setWalletNumbers({ storage }, { siteId: 'site-1', numbers: [{ guardianId: 'g-1', walletNumber: 21 }, { guardianId: 'g-2', walletNumber: 22 }] })
 * await walletNumberOf({ storage }, { siteId: 'site-1', guardianId: 'g-3' }) //=> 23 or more
 * @throws EcoleError `WALLET_NUMBER_TAKEN` (details: `guardianId`, `walletNumber`, `heldBy`), `NOT_FOUND` for an unknown guardian, `INVALID_INPUT` naming the field (a number given twice is `numbers[i].walletNumber`).
 */
export async function setWalletNumbers(deps: Pick<BillingDeps, 'storage'>, args: { siteId: string; numbers: ReadonlyArray<{ guardianId: string; walletNumber: number }> }): Promise<void> {
  try {
    const { siteId, numbers } = parseInput(SetWalletNumbersSchema, args, 'args')
    const byGuardian = new Map<string, number>()
    const byNumber = new Map<number, string>()
    numbers.forEach(({ guardianId, walletNumber }, i) => {
      if (byGuardian.has(guardianId)) throw EcoleError.invalidInput(`numbers[${i}].guardianId`, `names guardian ${guardianId} a second time`)
      if (byNumber.has(walletNumber)) throw EcoleError.invalidInput(`numbers[${i}].walletNumber`, `gives ${walletNumber} a second time (already to ${byNumber.get(walletNumber)})`)
      byGuardian.set(guardianId, walletNumber)
      byNumber.set(walletNumber, guardianId)
    })
    if (numbers.length === 0) return
    await deps.storage.transaction(siteId, async (tx) => {
      const { directory, invoiceNumbers } = need(tx, 'directory', 'invoiceNumbers')
      // the guardians' locks, then the series, in the order walletNumberOf takes them (no deadlock):
      // once the series is ours, every number drawn before is committed, and none is drawn until we end
      await lockRecords(tx, siteId, [...byGuardian.keys()].map((id) => ({ kind: 'guardian', id })))
      const drawn = await invoiceNumbers.nextNumbers(siteId, WALLET_NUMBER_SERIES, 1)
      const guardians = await readAll((p) => directory.listDirectoryRecords(siteId, 'guardian', p))
      const holders = new Map<number, string>()
      const found = new Map<string, Guardian>()
      for (const g of guardians) {
        found.set(g.id, g)
        if (g.walletNumber !== undefined) holders.set(g.walletNumber, g.id)
      }
      for (const [guardianId, walletNumber] of byGuardian) {
        const guardian = found.get(guardianId)
        if (!guardian) throw new EcoleError('NOT_FOUND', `[ecole] guardian ${guardianId} not found`, { details: { kind: 'guardian', id: guardianId } })
        const heldBy = holders.get(walletNumber)
        if (heldBy !== undefined && heldBy !== guardianId) {
          throw new EcoleError('WALLET_NUMBER_TAKEN', `[ecole] wallet number ${walletNumber} is held by guardian ${heldBy}: it cannot be given to ${guardianId}`, { details: { guardianId, walletNumber, heldBy } })
        }
        if (guardian.walletNumber !== undefined && guardian.walletNumber !== walletNumber) {
          throw new EcoleError('WALLET_NUMBER_TAKEN', `[ecole] guardian ${guardianId} holds wallet number ${guardian.walletNumber}: a family may have paid with its reference, so it is not changed to ${walletNumber}`, {
            details: { guardianId, walletNumber, heldBy: guardianId },
          })
        }
      }
      for (const [guardianId, walletNumber] of byGuardian) {
        const guardian = found.get(guardianId)!
        if (guardian.walletNumber !== walletNumber) await directory.putDirectoryRecord(siteId, 'guardian', { ...guardian, walletNumber })
      }
      const highest = Math.max(...byGuardian.values())
      if (highest > drawn) await invoiceNumbers.nextNumbers(siteId, WALLET_NUMBER_SERIES, highest - drawn)
    })
  } catch (error) {
    throw asUseCaseError(error, 'setWalletNumbers', { deps: [deps, 'object', 'the host’s wiring ({ storage })'], args: [args, 'object', 'the wallet numbers ({ siteId, numbers })'] })
  }
}

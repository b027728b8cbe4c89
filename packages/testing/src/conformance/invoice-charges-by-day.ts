import { isEcoleError } from '@ecole/core'
import { chargeDayKey, type InvoiceStore } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { draftInvoice, validatedInvoice } from './invoicing'
import { freshSiteId, need, type ConformanceContext } from './support'

/** The day key of a charge id of billing's form (it has one: the ids below are all of that form). */
const dayOf = (chargeId: string): string => {
  const day = chargeDayKey(chargeId)
  if (day === undefined) throw new Error(`[ecole] ${chargeId} is not a charge id of billing's form`)
  return day
}

/** The answer of `billedChargeIdsByDay` as sorted entries, for comparison. */
async function byDay(store: InvoiceStore, siteId: string, days: readonly string[]): Promise<Array<[string, string[]]>> {
  const found = await store.billedChargeIdsByDay!(siteId, days)
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * `InvoiceStore.billedChargeIdsByDay`, when the adapter has it (it is optional: without it the
 * cases pass without checking anything, and `createInvoiceBatch` reads the invoices instead):
 * the charges billing a day, for any payer, on the site's invoices and drafts. @internal
 */
export function describeInvoiceChargesByDay(ctx: ConformanceContext): void {
  describe('invoicing: billed charges by day (billedChargeIdsByDay, when present)', () => {
    const mumsMeal = 'mum|lea|cantine|service|2026-09-07'
    const dadsMeal = 'dad|lea|cantine|service|2026-09-07'

    it('finds a day billed to mum when asked by the day of dad’s charge, on a draft and once validated, and answers only the days billed', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      if (store.billedChargeIdsByDay === undefined) return
      const site = freshSiteId()
      const draft = draftInvoice(site, 'sept:mum', [mumsMeal, 'mum|lea|garderie|service|2026-09-07', 'mum|lea|cantine|service|2026-09-08'])
      await store.createDrafts(site, [draft])
      const asked = [dayOf(dadsMeal), dayOf('dad|lea|cantine|service|2026-09-09'), dayOf('dad|tom|cantine|service|2026-09-07'), dayOf('dad|lea|cantine|reduced|2026-09-07')]
      expect(await byDay(store, site, asked)).toEqual([[dayOf(dadsMeal), [mumsMeal]]])
      await store.markValidated(site, [validatedInvoice(draft, 1)])
      expect(await byDay(store, site, asked)).toEqual([[dayOf(dadsMeal), [mumsMeal]]])
      expect(await byDay(store, site, [])).toEqual([])
    })

    it('answers every payer billing a day, escaped ids (a | or a \\ in a field) with the plain ones of the same day, and keeps apart days whose ids only look alike', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      if (store.billedChargeIdsByDay === undefined) return
      const site = freshSiteId()
      // martin|anna pays for leo; martin pays for anna|leo: two days, not one
      const forLeo = 'martin\\|anna|leo|cantine|service|2026-09-07'
      const forAnnaLeo = 'martin|anna\\|leo|cantine|service|2026-09-07'
      // a \ in a plain id (4 bars: taken as it is) and the same day in an escaped id
      const plainBackslash = 'mum|le\\a|cantine|service|2026-09-07'
      const escapedBackslash = 'x\\|y|le\\\\a|cantine|service|2026-09-07'
      await store.createDrafts(site, [
        draftInvoice(site, 'i-martin', [forLeo, forAnnaLeo]),
        draftInvoice(site, 'i-mum', [mumsMeal, plainBackslash, 'mum|leo|cantine|service|2026-09-07']),
        draftInvoice(site, 'i-x', [escapedBackslash]),
      ])
      expect(dayOf(forLeo)).not.toBe(dayOf(forAnnaLeo))
      expect(dayOf(plainBackslash)).toBe(dayOf(escapedBackslash))
      expect(await byDay(store, site, [dayOf('dad|leo|cantine|service|2026-09-07'), dayOf('dad|anna\\|leo|cantine|service|2026-09-07'), dayOf('dad|le\\a|cantine|service|2026-09-07'), dayOf(dadsMeal)])).toEqual(
        [
          [dayOf(forAnnaLeo), [forAnnaLeo]],
          [dayOf(dadsMeal), [mumsMeal]],
          [dayOf(plainBackslash), [plainBackslash, escapedBackslash].sort()],
          [dayOf(forLeo), [forLeo, 'mum|leo|cantine|service|2026-09-07'].sort()],
        ].sort(([a], [b]) => (a! < b! ? -1 : 1)),
      )
    })

    it('no longer counts the charges of a deleted draft, nor those of drafts written by a transaction that rolled back', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      if (store.billedChargeIdsByDay === undefined) return
      const site = freshSiteId()
      await store.createDrafts(site, [draftInvoice(site, 'sept-1:mum', [mumsMeal]), draftInvoice(site, 'sept-1:martin', ['martin\\|anna|lea|cantine|service|2026-09-07'])])
      expect(await store.deleteDrafts(site, ['sept-1:mum'])).toBe(1)
      expect(await byDay(store, site, [dayOf(dadsMeal)])).toEqual([[dayOf(dadsMeal), ['martin\\|anna|lea|cantine|service|2026-09-07']]])
      expect(await store.deleteDrafts(site, ['sept-1:martin'])).toBe(1)
      expect(await byDay(store, site, [dayOf(dadsMeal)])).toEqual([])
      const failed = await ctx.storage().transaction(site, async (tx) => {
        await tx.invoicing!.createDrafts(site, [draftInvoice(site, 'sept-2:mum', [mumsMeal])])
        throw new Error('the batch failed after its drafts')
      }).then(() => undefined, (error: unknown) => error)
      expect(String(failed)).toContain('the batch failed after its drafts')
      expect(await byDay(store, site, [dayOf(dadsMeal)])).toEqual([])
      // the day is free again: billed to dad now, it is dad's charge that answers
      await store.createDrafts(site, [draftInvoice(site, 'sept-3:dad', [dadsMeal])])
      expect(await byDay(store, site, [dayOf(mumsMeal)])).toEqual([[dayOf(mumsMeal), [dadsMeal]]])
    })

    it('never answers with another site’s charges, nor with ids of a host’s own form (they have no day)', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      if (store.billedChargeIdsByDay === undefined) return
      const site = freshSiteId()
      const other = freshSiteId()
      await store.createDrafts(other, [draftInvoice(other, 'sept:mum', [mumsMeal])])
      await store.createDrafts(site, [draftInvoice(site, 'sept:host', ['c1', 'lea|cantine|2026-09-07', 'a|b|c|d|e|f'])])
      expect(await byDay(store, site, [dayOf(dadsMeal), 'c1', 'lea\u0000cantine\u00002026-09-07', ''])).toEqual([])
      expect(await byDay(store, other, [dayOf(dadsMeal)])).toEqual([[dayOf(dadsMeal), [mumsMeal]]])
    })

    it('refuses days that are not an array of strings with INVALID_INPUT naming them', async () => {
      const store = need(ctx.storage().invoicing, 'invoicing')
      if (store.billedChargeIdsByDay === undefined) return
      const site = freshSiteId()
      for (const [days, field] of [[dayOf(dadsMeal), 'days'], [[dayOf(dadsMeal), 7], 'days[1]']] as const) {
        const error = await store.billedChargeIdsByDay(site, days as unknown as string[]).then(() => undefined, (e: unknown) => e)
        expect(isEcoleError(error) && error.code === 'INVALID_INPUT' ? error.message : error).toContain(field)
      }
    })
  })
}

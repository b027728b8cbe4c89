/**
 * The demo site's consents (seed 001: the canteen rules families accept before booking the
 * canteen), stored once by `seed.ts` as directory records (`saveConsent`), then edited from the
 * back office (`/staff/admin/consents`). Nothing reads them from here after the seed.
 */
import type { ConsentRecordInput } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { saveConsent } from '@ecole/workflows'
import { SERVICES } from '@ecole/example-billing-run/demo-site'

/** The demo's consents, without their site. */
export const DEMO_CONSENTS: ReadonlyArray<Omit<ConsentRecordInput, 'siteId'>> = [
  {
    id: 'reglement-2026',
    label: 'Règlement intérieur de la restauration scolaire 2026-2027',
    texts: {
      fr: "J'ai lu le règlement intérieur de la restauration scolaire 2026-2027 (horaires, menus, allergies, annulations) et je l'accepte.",
      en: 'I have read the school canteen rules 2026-2027 (times, menus, allergies, cancellations) and I accept them.',
      it: 'Ho letto il regolamento della mensa scolastica 2026-2027 (orari, menù, allergie, disdette) e lo accetto.',
      nl: 'Ik heb het reglement van het schoolrestaurant 2026-2027 (uren, menu’s, allergieën, annuleringen) gelezen en aanvaard het.',
    },
    validity: { from: '2026-09-01' },
    scope: { kind: 'services', serviceIds: [SERVICES.canteen.id] },
    documentId: 'reglement-restauration-2026',
  },
]

/** Stores the demo's consents on a site (once: a consent already stored is left as it is). Store their documents first. */
export async function seedDemoConsents(storage: StoragePorts, siteId: string): Promise<void> {
  for (const c of DEMO_CONSENTS) {
    if (await storage.directory!.getDirectoryRecord(siteId, 'consent', c.id)) continue
    await saveConsent({ storage }, { ...c, siteId }, { create: true })
  }
}

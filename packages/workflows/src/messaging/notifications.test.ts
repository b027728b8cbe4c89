import { createMemoryStorage } from '@ecole/storage-memory'
import { describe, expect, it } from 'vitest'
import type { MailPayload } from './mail-outbox'
import { queueDocumentNotices } from './notifications'

describe('queueDocumentNotices: the text part', () => {
  it('gives the portal’s address once, after the link’s text, as the HTML part links it once', async () => {
    const storage = createMemoryStorage()
    await storage.transaction('s1', (tx) =>
      queueDocumentNotices(tx.outbox!, {
        siteId: 's1', timeZone: 'Europe/Paris', locale: 'fr', sender: { from: '"École" <no-reply@ecole.example>' }, portalUrl: 'https://portail.example',
        notices: [{ kind: 'taxCertificate', documentId: 'att-2026', reference: '2026', guardianId: 'marie', guardianName: 'Marie Dupont', email: 'marie@example.fr', displayDate: '2027-01-04' }],
      }),
    )
    const p = (await storage.outbox!.get('s1', 'notice:taxCertificate:att-2026:marie'))!.payload as MailPayload
    expect(p.text).toBe('Bonjour Marie Dupont,\n\nVotre attestation fiscale 2026 est disponible sur le portail depuis le lundi 4 janvier 2027.\n\nConsulter le portail <https://portail.example>')
    expect(p.text!.split('https://portail.example').length - 1).toBe(1)
  })
})

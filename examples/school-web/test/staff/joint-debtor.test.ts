import { describe, expect, it } from 'vitest'
import { searchSite } from './search-support'
import { Client, host, pgliteForFile } from './support'

// Removing a joint debtor (tiers solidaire) from a billing rule, through HTTP (seed 001): a
// confirmation naming who is removed from which rule, the rule kept otherwise, audited.
const db = pgliteForFile()
let site = 0

async function fresh() {
  const siteId = `staff-joint-${++site}`
  await searchSite(db.storage, siteId)
  const { ctx, app } = await host(db.storage, siteId)
  const as = async (login: string) => {
    const client = new Client(app, ctx)
    await client.login(login)
    return client
  }
  return { ctx, siteId, as }
}

describe('removing a joint debtor from a billing rule (seed 001: tiers solidaire)', () => {
  it('asks for confirmation naming the joint debtor, the payer and the child, then removes only the joint debtor', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as('secretariat@jaures.example')
    const rules = (await secretary.get('/staff/children/k3/rules')).text
    expect(rules).toContain('Marc Dupuis (<a href="/staff/children/k3/rules/r-k3/joint/g4/remove">retirer</a>)')
    const confirm = await secretary.get('/staff/children/k3/rules/r-k3/joint/g4/remove')
    expect(confirm.text).toContain('Retirer Marc Dupuis comme tiers solidaire de la règle de Hélène Lefèvre')
    expect(confirm.text).toContain('pour Éloïse Lefèvre ?')
    const r = await secretary.post('/staff/children/k3/rules/r-k3/joint/g4/remove', {})
    expect([r.status, r.location]).toEqual([303, '/staff/children/k3/rules?done=jointRemoved'])
    expect((await secretary.get('/staff/children/k3/rules?done=jointRemoved')).text).toContain('Le tiers solidaire est retiré de la règle.')
    const rule = await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-k3')
    expect(rule?.jointDebtorIds).toEqual([])
    expect(rule?.payers).toEqual([{ guardianId: 'g3', weight: 1 }])
    const trail = await ctx.storage.audit!.listAuditEntries(siteId, { subjectId: 'r-k3' })
    expect(trail.items.map((e) => [e.action, e.before, (e.after as { jointDebtorIds?: unknown }).jointDebtorIds])).toEqual([['billingRule.jointDebtorRemoved', { jointDebtorIds: ['g4'] }, []]])
  })

  it('refuses to remove someone who is not a joint debtor of the rule, naming them, and changes nothing', async () => {
    const { ctx, siteId, as } = await fresh()
    const secretary = await as('secretariat@jaures.example')
    expect((await secretary.get('/staff/children/k3/rules/r-k3/joint/g1/remove')).status).toBe(404)
    const r = await secretary.post('/staff/children/k3/rules/r-k3/joint/g1/remove', {})
    expect(r.status).toBe(400)
    expect(r.text).toContain("Rien n&#39;a été modifié : Claire Martin n&#39;est pas tiers solidaire de cette règle.")
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-k3'))?.jointDebtorIds).toEqual(['g4'])
  })

  it('refuses the animateur, naming billingRules.write, and keeps the joint debtor', async () => {
    const { ctx, siteId, as } = await fresh()
    const animateur = await as('animateur@jaures.example')
    const r = await animateur.post('/staff/children/k3/rules/r-k3/joint/g4/remove', {})
    expect(r.status).toBe(403)
    expect(r.text).toContain('billingRules.write')
    expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'billingRule', 'r-k3'))?.jointDebtorIds).toEqual(['g4'])
  })
})

import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { LedgerTransfer } from './transfer'
import { TransferIndex, hashId } from './transfer-index'

const transfer = (id: string): LedgerTransfer => ({ id, debitAccountId: 'a', creditAccountId: 'b', amount: 1n, code: 'topUp', timestamp: new Date(0) })

type Op = { kind: 'add'; id: string } | { kind: 'pop' } | { kind: 'get'; id: string }
const idArb = fc.oneof(fc.string({ maxLength: 6 }), fc.nat({ max: 3000 }).map((n) => `t${n}`))
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: idArb.map((id) => ({ kind: 'add' as const, id })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pop' as const }) },
  { weight: 3, arbitrary: idArb.map((id) => ({ kind: 'get' as const, id })) },
)

test.prop([fc.array(opArb, { maxLength: 3000, size: 'medium' }), fc.integer({ min: 1, max: 6 })])(
  'the transfer index finds exactly the ids a Map would, through growth and undo',
  (ops, bits) => {
    const index = new TransferIndex(bits)
    const model = new Map<string, LedgerTransfer>()
    const order: string[] = []
    for (const op of ops) {
      if (op.kind === 'add') {
        if (model.has(op.id)) continue
        const t = transfer(op.id)
        index.add(t, hashId(op.id), 0)
        model.set(op.id, t)
        order.push(op.id)
      } else if (op.kind === 'pop') {
        if (order.length === 0) continue
        index.pop()
        model.delete(order.pop()!)
      } else {
        expect(index.get(op.id)).toBe(model.get(op.id))
      }
    }
    expect(index.size).toBe(model.size)
    expect(index.log.map((t) => t.id)).toEqual(order)
    for (const id of order) expect(index.has(id)).toBe(true)
  },
)

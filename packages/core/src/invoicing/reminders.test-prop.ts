import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { LocalDate } from '../time'
import { selectDueReminders, type ReminderCandidate } from './reminders'

// days as UTC calendar arithmetic written here, not the code under test's helpers
const day = (n: number): LocalDate => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10) as LocalDate
const policy = { levels: [{ level: 1, daysAfterDue: 10, templateId: 'r1' }, { level: 2, daysAfterDue: 30, templateId: 'r2' }, { level: 3, daysAfterDue: 60, templateId: 'r3' }] }

const candidatesArb = fc.array(
  fc.record({ due: fc.integer({ min: 0, max: 700 }), outstanding: fc.bigInt({ min: 0n, max: 100_000n }), lastLevelSent: fc.integer({ min: 0, max: 3 }) }),
  { maxLength: 12 },
)

test.prop([candidatesArb, fc.integer({ min: 0, max: 800 })])(
  "every reminder selected carries its invoice's due date, and its days late lead from that date to the selection day",
  (rows, today) => {
    const candidates: ReminderCandidate[] = rows.map((r, i) => ({ invoiceId: `i${i}`, debtorId: 'g1', number: `F${i}`, dueDate: day(r.due), outstandingMinor: r.outstanding, lastLevelSent: r.lastLevelSent }))
    for (const r of selectDueReminders(candidates, policy, day(today))) {
      const i = Number(r.invoiceId.slice(1))
      expect(r.dueDate).toBe(candidates[i]!.dueDate)
      expect(day(rows[i]!.due + r.daysLate)).toBe(day(today))
    }
  },
)

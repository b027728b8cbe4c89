import { describe, expect, it } from 'vitest'
import { invoiceBatchJobStatus } from './invoice-batch-job'

describe('invoiceBatchJobStatus', () => {
  const now = new Date('2027-01-04T08:05:00Z')
  it('calls a running job interrupted when its last write is older than the timeout', () => {
    expect(invoiceBatchJobStatus({ state: 'running', updatedAt: '2027-01-04T08:03:59.000Z' }, now, 60_000)).toBe('interrupted')
    expect(invoiceBatchJobStatus({ state: 'queued', updatedAt: '2027-01-04T08:00:00.000Z' }, now, 60_000)).toBe('interrupted')
  })
  it('keeps a running job running while it writes within the timeout', () => {
    expect(invoiceBatchJobStatus({ state: 'running', updatedAt: '2027-01-04T08:04:30.000Z' }, now, 60_000)).toBe('running')
  })
  it('never calls a finished job interrupted, however old', () => {
    expect(invoiceBatchJobStatus({ state: 'done', updatedAt: '2026-01-01T00:00:00.000Z' }, now, 60_000)).toBe('done')
    expect(invoiceBatchJobStatus({ state: 'failed', updatedAt: '2026-01-01T00:00:00.000Z' }, now, 60_000)).toBe('failed')
  })
  it('calls a job without a readable heartbeat interrupted', () => {
    expect(invoiceBatchJobStatus({ state: 'running', updatedAt: 'not a time' }, now, 60_000)).toBe('interrupted')
  })
})

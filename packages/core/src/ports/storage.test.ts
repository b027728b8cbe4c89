import { describe, expect, it } from 'vitest'
import { STORAGE_CAPABILITIES, storageCapabilities, type StoragePortSet } from './storage'

describe('storage capabilities are derived from the ports present', () => {
  const port = {} as NonNullable<StoragePortSet['ledger']>

  it('lists every capability once', () => {
    expect(new Set(STORAGE_CAPABILITIES).size).toBe(STORAGE_CAPABILITIES.length)
    expect(STORAGE_CAPABILITIES).toContain('ledger')
    expect(STORAGE_CAPABILITIES).toContain('audit')
  })

  it('gives a port set the capabilities of the ports it holds, in the fixed order, whatever order they were written in', () => {
    const ports = { invoiceNumbers: {} as NonNullable<StoragePortSet['invoiceNumbers']>, ledger: port } satisfies StoragePortSet
    expect(storageCapabilities(ports)).toEqual(['ledger', 'invoiceNumbers'])
  })

  it('does not count a port present as a key but undefined', () => {
    expect(storageCapabilities({ ledger: undefined, documents: undefined })).toEqual([])
  })

  it('ignores what is not a port (a transaction site id, a storage method)', () => {
    const tx = { siteId: 's1', close: async () => undefined, ledger: port }
    expect(storageCapabilities(tx)).toEqual(['ledger'])
  })
})

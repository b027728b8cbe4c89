import { runStorageConformance } from '@ecole/testing'
import { createMemoryStorage } from './memory-storage'

runStorageConformance({ name: 'storage-memory', create: async () => createMemoryStorage() })

/**
 * The storage conformance suite: what every adapter of `@ecole/core/ports` must pass.
 *
 * @module
 */
export { runStorageConformance, type ConformanceGroup, type StorageConformanceOptions } from './run'
export { freshSiteId, type ConformanceFaults } from './support'

export * from './pes-settings'
export * from './build-pes-aller'
export * from './export-pes-titles'

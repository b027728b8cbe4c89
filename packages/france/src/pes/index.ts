export * from './pes-settings'
export * from './build-pes-aller'

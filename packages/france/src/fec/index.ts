export * from './fec-columns'
export * from './fec-settings'
export * from './fec-entries'
export * from './build-fec'

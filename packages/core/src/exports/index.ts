export * from './export-register'

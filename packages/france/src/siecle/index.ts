export * from './siecle-export'
export * from './plan-siecle-import'
export * from './import-siecle'

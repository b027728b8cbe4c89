export * from './siecle-export'
export * from './plan-siecle-import'

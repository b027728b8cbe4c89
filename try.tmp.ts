import { readFileSync } from 'node:fs'
import { parseCamt053, parseCamt054, parseCoda } from './packages/bank/src/index'
const d = '/work/shared/data/bank/'
const t = (n: string, f: (s: any) => any[]) => { try { const ss = f(readFileSync(d + n)); for (const s of ss) { console.log('OK', n, s.id, s.entries.length); for (const c of s.checks) console.log('   ', JSON.stringify(c)) } } catch (e: any) { console.log('FAIL', n, e.code, e.message.slice(0, 300)) } }
t('genkgo-camt-camt053.v2.minimal.xml', parseCamt053)
t('genkgo-camt-camt053.v8.xml', parseCamt053)
t('genkgo-camt-camt054.v2.xml', parseCamt054)
t('pycoda-Coda_v2_3_globalisation.txt', parseCoda)
t('pycoda-Coda_v2_3_single_statement.txt', parseCoda)

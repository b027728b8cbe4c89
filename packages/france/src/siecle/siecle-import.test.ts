import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { addChild, isEcoleError, createHousehold, createSchool, createSchoolClass, emptyDirectory, enrol, enrolmentOn, type DirectoryState } from '@ecole/core'
import { applySiecleImport, parseSiecleExport, planSiecleImport, type SiecleExport, type SiecleImportOptions } from '.'

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-fixtures/siecle')
const files = {
  eleves: fs.readFileSync(path.join(dir, 'ElevesSansAdresses.xml')),
  responsables: fs.readFileSync(path.join(dir, 'ResponsablesAvecAdresses.xml')),
  nomenclature: fs.readFileSync(path.join(dir, 'Nomenclature.xml')),
}
const siecle = parseSiecleExport(files)
const options = { schoolId: 'clg-jaures', schoolName: 'Collège Jean Jaurès', today: '2026-09-01' as const }

function ok<T extends { ok: boolean }>(o: T): Extract<T, { ok: true }> {
  if (!o.ok) throw new Error(JSON.stringify(o))
  return o as Extract<T, { ok: true }>
}

describe('parseSiecleExport', () => {
  it('reads the establishment, the school year and the pupils of an ISO-8859-15 export', () => {
    expect(siecle.uai).toBe('0751234J')
    expect(siecle.schoolYear).toBe('2026-2027')
    expect(siecle.exportedOn).toBe('2026-08-28')
    const lea = siecle.pupils.find((p) => p.siecleId === '1001')!
    expect(lea).toMatchObject({ ine: '070803070AJ', firstName: 'Léa', lastName: 'DUPONT', birthDate: '2014-05-14', classCode: '6A', previousUai: '0750001U' })
    expect(siecle.pupils.find((p) => p.siecleId === '1003')?.lastName).toBe('MARTIN-ŒUVRARD')
  })

  it('keeps a pupil whose birth date is not a real day, with a problem, instead of failing the file', () => {
    expect(siecle.pupils.find((p) => p.siecleId === '1005')?.problems).toEqual([{ field: 'DATE_NAISS', message: expect.stringContaining('31/02/2014') }])
  })

  const oneName = (prenom: string, encoding = 'UTF-8') => `<?xml version="1.0" encoding="${encoding}"?><BEE_ELEVES><PARAMETRES><UAJ>0751234J</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES><DONNEES><ELEVES><ELEVE ELEVE_ID="1"><NOM_DE_FAMILLE>X</NOM_DE_FAMILLE><PRENOM>${prenom}</PRENOM><DATE_NAISS>01/01/2014</DATE_NAISS></ELEVE></ELEVES></DONNEES></BEE_ELEVES>`
  const bytesOf = (text: string, high: Record<string, number>) => Uint8Array.from([...text].map((c) => high[c] ?? c.charCodeAt(0)))
  const firstName = (eleves: Uint8Array | string) => parseSiecleExport({ eleves }).pupils[0]?.firstName

  it('decodes a file declared windows-1252 as Windows-1252, where Œ œ € ’ are bytes 0x80-0x9F', () => {
    expect(firstName(bytesOf(oneName('ŒUVRE œil 12€ l’été', 'windows-1252'), { 'Œ': 0x8c, 'œ': 0x9c, '€': 0x80, '’': 0x92, 'é': 0xe9 }))).toBe('ŒUVRE œil 12€ l’été')
  })

  it('decodes the 27 characters Windows-1252 puts at bytes 0x80-0x9F, and Latin-1 above them', () => {
    // Node 20's TextDecoder('windows-1252') decodes these bytes as Latin-1: it is not relied on
    const high = [0x80, ...Array.from({ length: 30 }, (_, i) => 0x82 + i).filter((b) => ![0x8d, 0x8f, 0x90, 0x9d].includes(b)), 0xa0, 0xe9, 0xff]
    const file = Uint8Array.from([...new TextEncoder().encode(oneName('@', 'windows-1252'))].flatMap((b) => (b === 0x40 ? high : [b])))
    expect(firstName(file)).toBe('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\u00a0éÿ'.trim())
  })

  it('decodes character references (&#233; &#xE9;) and the five predefined entities once, as XML requires', () => {
    expect(firstName(oneName('Zo&#233; Zo&#xE9; &amp;#233; &lt;&gt;&quot;&apos; &#x1F600;'))).toBe('Zoé Zoé &#233; <>"\' 😀')
    expect(() => firstName(oneName('&#0;'))).toThrow(/siecle\.eleves.*&#0;/)
  })

  it('refuses bytes that are not UTF-8 under a UTF-8 declaration (or none), naming the file and the byte', () => {
    const latin9 = bytesOf(oneName('Zoé'), { 'é': 0xe9 })
    const error = (() => { try { firstName(latin9) } catch (e) { return e } })()
    expect(isEcoleError(error) && [error.code, error.message]).toEqual(['INVALID_INPUT', expect.stringMatching(/siecle\.eleves: .*UTF-8.*byte \d+ \(0xe9\)/)])
  })

  it('reads a file with a UTF-8 byte-order mark, and a UTF-16 file by its byte-order mark', () => {
    expect(firstName(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(oneName('Zoé'))]))).toBe('Zoé')
    const utf16 = oneName('Zoé', 'UTF-16')
    expect(firstName(Uint8Array.from([0xff, 0xfe, ...[...utf16].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]))).toBe('Zoé')
  })

  it('refuses a file that is not the pupils\' export, naming it', () => {
    expect(() => parseSiecleExport({ eleves: files.responsables })).toThrow(/siecle\.eleves.*BEE_RESPONSABLES/)
    expect(() => parseSiecleExport({ eleves: '<BEE_ELEVES><PARAMETRES><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES></BEE_ELEVES>' })).toThrow(/UAJ/)
  })
})

describe('planSiecleImport and applySiecleImport', () => {
  it('previews, on an empty directory, the school, classes, households, guardians and pupils to create, and the pupils left alone', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
    expect(plan.school.action).toBe('create')
    expect(plan.classes.map((k) => [k.code, k.levels, k.action])).toEqual([['6A', ['6e'], 'create'], ['4B', ['4e'], 'create']])
    expect(plan.pupils.map((p) => [p.siecleId, p.action, p.reason])).toEqual([
      ['1001', 'create', undefined], ['1002', 'create', undefined], ['1003', 'create', undefined], ['1004', 'skipped', 'LEFT'], ['1005', 'skipped', 'UNREADABLE'],
    ])
    expect(plan.households.map((h) => h.householdId)).toEqual(['siecle-0751234J-a9001', 'siecle-0751234J-a9002'])
    // only legal guardians (RESP_LEGAL 1 or 2) become guardians
    expect(plan.guardians.map((g) => g.personId)).toEqual(['5001', '5002', '5003'])
  })

  it('lists the pupils without INE: they cannot be transferred', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
    expect(plan.withoutIne.map((p) => `${p.firstName} ${p.lastName}`)).toEqual(['Zoë MARTIN-ŒUVRARD', 'Inès PETIT'])
  })

  it('leaves out a contact that is not valid, and says so', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
    expect(plan.guardians.find((g) => g.personId === '5002')?.contact).toEqual({ phone: '01 23 45 67 89' })
    expect(plan.problems).toContainEqual({ ref: 'person 5002', field: 'MEL', message: expect.stringContaining('pas-une-adresse') })
  })

  it('applies the plan through the directory operations: children with their guardians and relationships, enrolled in their class', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
    const s = applySiecleImport(emptyDirectory('s1'), plan, { maxPupils: null })
    const lea = s.children['siecle-0751234J-1001']!
    expect(lea.ine).toBe('070803070AJ')
    expect(lea.guardians).toEqual([{ guardianId: 'siecle-0751234J-p5001', relationship: 'mother' }, { guardianId: 'siecle-0751234J-p5002', relationship: 'father' }])
    expect(s.guardians['siecle-0751234J-p5001']).toMatchObject({ email: 'marie.dupont@example.fr', householdId: 'siecle-0751234J-a9001' })
    expect(s.households['siecle-0751234J-a9001']?.address).toMatchObject({ line1: '3 RUE DES ÉCOLES', line2: 'BAT B', postcode: '75005', city: 'PARIS' })
    expect(enrolmentOn(s, lea.id, '2026-09-01')).toMatchObject({ classId: 'clg-jaures:2026-2027:6A', level: '6e', schoolYear: '2026-2027' })
    expect(s.schools['clg-jaures']?.uai).toBe('0751234J')
    expect(Object.keys(s.children)).toHaveLength(3)
  })

  it('leaves everything alone when the same export is imported again', () => {
    const first = applySiecleImport(emptyDirectory('s1'), planSiecleImport(emptyDirectory('s1'), siecle, options), { maxPupils: null })
    const again = planSiecleImport(first, siecle, options)
    expect(again.school.action).toBe('unchanged')
    expect(again.classes.every((k) => k.action === 'unchanged')).toBe(true)
    expect(again.guardians.every((g) => g.action === 'unchanged')).toBe(true)
    expect(again.pupils.filter((p) => p.action !== 'skipped').every((p) => p.action === 'unchanged')).toBe(true)
    expect(applySiecleImport(first, again, { maxPupils: null })).toEqual(first)
  })

  it('matches a child already in the directory by name and birth date, gives it its INE and moves it to its new class', () => {
    let s: DirectoryState = emptyDirectory('s1')
    s = ok(createSchool(s, { id: 'clg-jaures', name: 'Collège Jean Jaurès', uai: '0751234J' })).state
    s = ok(createSchoolClass(s, { id: 'old-5B', schoolId: 'clg-jaures', name: '5B', schoolYear: '2025-2026' })).state
    s = ok(createHousehold(s, {
      household: { id: 'h1', name: 'Famille Dupont' }, guardian: { id: 'g-marie', firstName: 'Marie', lastName: 'Dupont', email: 'Marie.Dupont@example.fr' },
      child: { newChild: { id: 'tom', firstName: 'Tom', lastName: 'Dupont', birthDate: '2012-02-03' }, relationship: 'mother' }, today: '2025-09-01',
    })).state
    s = ok(enrol(s, { id: 'e-tom', beneficiaryId: 'tom', schoolId: 'clg-jaures', classId: 'old-5B', from: '2025-09-01' }, { maxPupils: null })).state
    const plan = planSiecleImport(s, siecle, options)
    const tom = plan.pupils.find((p) => p.siecleId === '1002')!
    expect(tom).toMatchObject({ childId: 'tom', action: 'update', changes: ['ine', 'class'] })
    // Marie is found by her e-mail, whatever its case
    expect(plan.guardians.find((g) => g.personId === '5001')).toMatchObject({ guardianId: 'g-marie', action: 'update', changes: ['mobile'] })
    const next = applySiecleImport(s, plan, { maxPupils: null })
    expect(next.children['tom']?.ine).toBe('123456789AB')
    expect(next.enrolments['e-tom']?.to).toBe('2026-08-31')
    expect(enrolmentOn(next, 'tom', '2026-09-01')?.classId).toBe('clg-jaures:2026-2027:4B')
    expect(next.guardians['g-marie']?.mobile).toBe('06 12 34 56 78')
  })

  it('refuses an export of another establishment', () => {
    let s: DirectoryState = emptyDirectory('s1')
    s = ok(createSchool(s, { id: 'clg-jaures', name: 'Collège', uai: '0341234G' })).state
    expect(() => planSiecleImport(s, siecle, options)).toThrow(/siecle\.uai/)
  })

  it('records the transfer log (arrivals from another establishment, departures) only when pupil transfer is on with the CNIL declaration', () => {
    let s: DirectoryState = emptyDirectory('s1')
    s = ok(createSchool(s, { id: 'clg-jaures', name: 'Collège', uai: '0751234J' })).state
    expect(planSiecleImport(s, siecle, options).transferLog).toEqual([])
    s = ok(createSchool(emptyDirectory('s1'), { id: 'clg-jaures', name: 'Collège', uai: '0751234J', cnilDeclaration: '1234567', pupilTransferEnabled: true })).state
    expect(planSiecleImport(s, siecle, options).transferLog).toEqual([
      { direction: 'received', childId: 'siecle-0751234J-1001', ine: '070803070AJ', date: '2026-09-01', otherUai: '0750001U' },
      { direction: 'sent', childId: 'siecle-0751234J-1004', ine: '1234567890A', date: '2026-07-04', otherUai: undefined },
    ])
  })
})

// a small export written for one rule: pupils, the persons responsible for them, who is whose
interface TestPupil { id: string; ine?: string; nom: string; prenom: string; naiss: string; classe?: string; sortie?: string }
interface TestPerson { id: string; nom: string; prenom: string; mel?: string }
const tag = (t: string, v: string | undefined) => (v === undefined ? '' : `<${t}>${v}</${t}>`)
function exportOf(pupils: TestPupil[], persons: TestPerson[], links: Array<[eleve: string, personne: string, legal: number, parente: '10' | '20']>) {
  const eleves = `<?xml version="1.0" encoding="UTF-8"?><BEE_ELEVES><PARAMETRES><UAJ>0751234J</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES><DONNEES><ELEVES>${pupils
    .map((p) => `<ELEVE ELEVE_ID="${p.id}">${tag('ID_NATIONAL', p.ine)}${tag('NOM_DE_FAMILLE', p.nom)}${tag('PRENOM', p.prenom)}${tag('DATE_NAISS', p.naiss)}${tag('DATE_SORTIE', p.sortie)}</ELEVE>`)
    .join('')}</ELEVES><STRUCTURES>${pupils.filter((p) => p.classe).map((p) => `<STRUCTURES_ELEVE ELEVE_ID="${p.id}"><STRUCTURE><CODE_STRUCTURE>${p.classe}</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>`).join('')}</STRUCTURES></DONNEES></BEE_ELEVES>`
  const responsables = `<?xml version="1.0" encoding="UTF-8"?><BEE_RESPONSABLES><DONNEES><PERSONNES>${persons
    .map((p) => `<PERSONNE PERSONNE_ID="${p.id}">${tag('NOM_DE_FAMILLE', p.nom)}${tag('PRENOM', p.prenom)}${tag('MEL', p.mel)}<ADRESSE_ID>A${p.id}</ADRESSE_ID></PERSONNE>`)
    .join('')}</PERSONNES><RESPONSABLES>${links
    .map(([e, p, legal, parente]) => `<RESPONSABLE_ELEVE><ELEVE_ID>${e}</ELEVE_ID><PERSONNE_ID>${p}</PERSONNE_ID><RESP_LEGAL>${legal}</RESP_LEGAL><CODE_PARENTE>${parente}</CODE_PARENTE></RESPONSABLE_ELEVE>`)
    .join('')}</RESPONSABLES><ADRESSES>${persons.map((p) => `<ADRESSE ADRESSE_ID="A${p.id}"><LIGNE1_ADRESSE>1 RUE X</LIGNE1_ADRESSE><CODE_POSTAL>75005</CODE_POSTAL><LIBELLE_POSTAL>PARIS</LIBELLE_POSTAL></ADRESSE>`).join('')}</ADRESSES></DONNEES></BEE_RESPONSABLES>`
  return parseSiecleExport({ eleves, responsables, nomenclature: files.nomenclature })
}
const opts = { schoolId: 'clg', schoolName: 'Collège', today: '2026-09-01' as const }
const importInto = (s: DirectoryState, e: SiecleExport, o: SiecleImportOptions = opts) => applySiecleImport(s, planSiecleImport(s, e, o), { maxPupils: null })
const enrolmentsOf = (s: DirectoryState, childId: string) => Object.values(s.enrolments).filter((e) => e.beneficiaryId === childId).map((e) => [e.classId, e.from, e.to])

describe('planSiecleImport: who is who', () => {
  const anne: TestPerson = { id: 'p1', nom: 'MARTIN', prenom: 'Anne' }
  const karim: TestPerson = { id: 'p9', nom: 'MARTIN', prenom: 'Karim' }

  it('never takes a pupil for a child of the directory with the same name and birth date but another INE', () => {
    const lea = { id: '1', ine: '070803070AJ', nom: 'MARTIN', prenom: 'Léa', naiss: '14/05/2014', classe: '6A' }
    const s = importInto(emptyDirectory('s1'), exportOf([lea], [anne], [['1', 'p1', 1, '20']]))
    const other = { id: '2', ine: '123456789AB', nom: 'MARTIN', prenom: 'LEA', naiss: '14/05/2014', classe: '6C' }
    const plan = planSiecleImport(s, exportOf([other, lea], [anne, karim], [['1', 'p1', 1, '20'], ['2', 'p9', 1, '10']]), { ...opts, today: '2026-09-15' })
    expect(plan.pupils.map((p) => [p.siecleId, p.childId, p.action])).toEqual([['2', 'siecle-0751234J-2', 'create'], ['1', 'siecle-0751234J-1', 'unchanged']])
    const next = applySiecleImport(s, plan, { maxPupils: null })
    expect(next.children['siecle-0751234J-1']?.guardians.map((g) => g.guardianId)).toEqual(['siecle-0751234J-pp1'])
    expect(enrolmentsOf(next, 'siecle-0751234J-1')).toEqual([['clg:2026-2027:6A', '2026-09-01', undefined]])
  })

  it('never gives one child of the directory to two pupils of the export with its name and birth date: both are skipped and reported', () => {
    let s: DirectoryState = emptyDirectory('s1')
    s = ok(createHousehold(s, { household: { id: 'h1', name: 'Martin' }, guardian: { id: 'g1', firstName: 'Anne', lastName: 'Martin' }, child: { newChild: { id: 'lea', firstName: 'Léa', lastName: 'Martin', birthDate: '2014-05-14' }, relationship: 'mother' }, today: '2026-06-01' })).state
    const e = exportOf([
      { id: '1', nom: 'MARTIN', prenom: 'Léa', naiss: '14/05/2014', classe: '6A' },
      { id: '2', ine: '070803070AJ', nom: 'MARTIN', prenom: 'LEA', naiss: '14/05/2014', classe: '6C' },
    ], [anne], [['1', 'p1', 1, '20'], ['2', 'p1', 1, '20']])
    const plan = planSiecleImport(s, e, opts)
    expect(plan.pupils.map((p) => [p.siecleId, p.action, p.reason])).toEqual([['1', 'skipped', 'AMBIGUOUS'], ['2', 'skipped', 'AMBIGUOUS']])
    expect(plan.problems).toEqual([
      { ref: 'pupil 1', field: 'ID_NATIONAL', message: expect.stringContaining('pupil 2 of the export also has the name and birth date of child lea') },
      { ref: 'pupil 2', field: 'ID_NATIONAL', message: expect.stringContaining('pupil 1 of the export also has the name and birth date of child lea') },
    ])
    expect(applySiecleImport(s, plan, { maxPupils: null }).children).toEqual(s.children)
  })

  it('does not guess between two children of the directory with the same name and birth date when the pupil has no INE', () => {
    let s: DirectoryState = emptyDirectory('s1')
    s = ok(createHousehold(s, { household: { id: 'h1', name: 'Durand' }, guardian: { id: 'g1', firstName: 'Anne', lastName: 'Durand' }, child: { newChild: { id: 'leo', firstName: 'Léo', lastName: 'Durand', birthDate: '2014-02-01' }, relationship: 'mother' }, today: '2026-06-01' })).state
    s = ok(addChild(s, { id: 'leo2', firstName: 'Leo', lastName: 'DURAND', birthDate: '2014-02-01', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }, '2026-06-01')).state
    const plan = planSiecleImport(s, exportOf([{ id: '1', nom: 'DURAND', prenom: 'Léo', naiss: '01/02/2014', classe: '6A' }], [anne], [['1', 'p1', 1, '20']]), opts)
    expect(plan.pupils.map((p) => [p.action, p.reason])).toEqual([['skipped', 'AMBIGUOUS']])
    expect(plan.problems).toContainEqual({ ref: 'pupil 1', field: 'ID_NATIONAL', message: expect.stringContaining('leo, leo2') })
  })

  it('tells twins of the same name apart by the ELEVE_ID that created them, import after import', () => {
    const twins = [{ id: '1', nom: 'DURAND', prenom: 'Léo', naiss: '01/02/2014', classe: '6A' }, { id: '2', nom: 'DURAND', prenom: 'Leo', naiss: '01/02/2014', classe: '6B' }]
    const e = exportOf(twins, [anne], [['1', 'p1', 1, '20'], ['2', 'p1', 1, '20']])
    const s = importInto(emptyDirectory('s1'), e)
    expect(planSiecleImport(s, e, opts).pupils.map((p) => [p.childId, p.action])).toEqual([['siecle-0751234J-1', 'unchanged'], ['siecle-0751234J-2', 'unchanged']])
  })

  it('matches a guardian by e-mail only when the name is the same too: parents sharing a family address stay two guardians', () => {
    let s: DirectoryState = emptyDirectory('s1')
    s = ok(createHousehold(s, { household: { id: 'h1', name: 'Durand' }, guardian: { id: 'g-mere', firstName: 'Sophie', lastName: 'DURAND', email: 'famille.durand@example.fr' }, today: '2026-06-01' })).state
    const e = exportOf([{ id: '1', ine: '070803070AJ', nom: 'DURAND', prenom: 'Jules', naiss: '01/02/2014', classe: '6A' }],
      [{ id: 'p1', nom: 'DURAND', prenom: 'Sophie', mel: 'famille.durand@example.fr' }, { id: 'p2', nom: 'LEBLANC', prenom: 'Marc', mel: 'Famille.Durand@example.fr' }],
      [['1', 'p1', 1, '20'], ['1', 'p2', 2, '10']])
    const plan = planSiecleImport(s, e, opts)
    expect(plan.guardians.map((g) => [g.personId, g.guardianId, g.action])).toEqual([['p1', 'g-mere', 'unchanged'], ['p2', 'siecle-0751234J-pp2', 'create']])
    expect(plan.problems).toContainEqual({ ref: 'person p2', field: 'MEL', message: expect.stringContaining('g-mere') })
    const next = applySiecleImport(s, plan, { maxPupils: null })
    expect(next.children['siecle-0751234J-1']?.guardians).toEqual([{ guardianId: 'g-mere', relationship: 'mother' }, { guardianId: 'siecle-0751234J-pp2', relationship: 'father' }])
    // the child already in the directory, linked to the mother: the father is created and linked
    let t: DirectoryState = ok(createHousehold(emptyDirectory('s1'), { household: { id: 'h1', name: 'Durand' }, guardian: { id: 'g-mere', firstName: 'Sophie', lastName: 'DURAND', email: 'famille.durand@example.fr' }, child: { newChild: { id: 'c1', firstName: 'Jules', lastName: 'DURAND', birthDate: '2014-02-01' }, relationship: 'mother' }, today: '2026-06-01' })).state
    t = importInto(t, e)
    expect(t.children['c1']?.guardians.map((g) => g.guardianId)).toEqual(['g-mere', 'siecle-0751234J-pp2'])
    expect(t.guardians['siecle-0751234J-pp2']).toMatchObject({ firstName: 'Marc', lastName: 'LEBLANC' })
  })
})

describe('planSiecleImport and applySiecleImport: enrolments', () => {
  const jules = (classe: string, sortie?: string) => exportOf([{ id: '1', ine: '070803070AJ', nom: 'DURAND', prenom: 'Jules', naiss: '01/02/2014', classe, ...(sortie ? { sortie } : {}) }], [{ id: 'p1', nom: 'DURAND', prenom: 'Anne' }], [['1', 'p1', 1, '20']])
  const child = 'siecle-0751234J-1'

  it('moves a pupil to its corrected class when the division changes on the day of the first import, and then says unchanged', () => {
    let s = importInto(emptyDirectory('s1'), jules('6A'))
    const plan = planSiecleImport(s, jules('6B'), opts)
    expect(plan.pupils[0]).toMatchObject({ action: 'update', changes: ['class'] })
    s = applySiecleImport(s, plan, { maxPupils: null })
    expect(enrolmentsOf(s, child)).toEqual([['clg:2026-2027:6B', '2026-09-01', undefined]])
    expect(planSiecleImport(s, jules('6B'), opts).pupils[0]?.action).toBe('unchanged')
  })

  it('ends the enrolment of a pupil who left on its DATE_SORTIE (inclusive), so it is not enrolled after it', () => {
    let s = importInto(emptyDirectory('s1'), jules('6A'))
    const later = { ...opts, today: '2026-11-02' as const }
    const plan = planSiecleImport(s, jules('6A', '16/10/2026'), later)
    expect(plan.pupils[0]).toMatchObject({ action: 'update', changes: ['left'], leftOn: '2026-10-16' })
    s = applySiecleImport(s, plan, { maxPupils: null })
    expect(enrolmentsOf(s, child)).toEqual([['clg:2026-2027:6A', '2026-09-01', '2026-10-16']])
    expect(enrolmentOn(s, child, '2026-10-17')).toBeUndefined()
    const again = planSiecleImport(s, jules('6A', '16/10/2026'), later)
    expect(again.pupils[0]).toMatchObject({ action: 'skipped', reason: 'LEFT' })
    expect(applySiecleImport(s, again, { maxPupils: null })).toEqual(s)
  })
})

describe('planSiecleImport: records given twice in the export', () => {
  const p1: TestPerson = { id: 'p1', nom: 'DURAND', prenom: 'Anne' }
  const jules = { id: '1', ine: '070803070AJ', nom: 'DURAND', prenom: 'Jules', naiss: '01/02/2014', classe: '6A' }
  const zoe = { id: '3', ine: '123456789AB', nom: 'DURAND', prenom: 'Zoé', naiss: '03/04/2015', classe: '5B' }

  it('skips the second pupil with the same INE under another ELEVE_ID, naming both, and imports the rest', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), exportOf([jules, { ...jules, id: '2', classe: '6B' }, zoe], [p1], [['1', 'p1', 1, '20'], ['2', 'p1', 1, '20'], ['3', 'p1', 1, '20']]), opts)
    expect(plan.pupils.map((p) => [p.siecleId, p.action, p.reason])).toEqual([['1', 'create', undefined], ['2', 'skipped', 'DUPLICATE'], ['3', 'create', undefined]])
    expect(plan.problems).toContainEqual({ ref: 'pupil 2', field: 'ID_NATIONAL', message: expect.stringContaining("070803070AJ is also pupil 1's") })
    const s = applySiecleImport(emptyDirectory('s1'), plan, { maxPupils: null })
    expect(Object.values(s.children).map((c) => c.ine).sort()).toEqual(['070803070AJ', '123456789AB'])
  })

  it('skips the second pupil with the same ELEVE_ID, and imports the rest', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), exportOf([jules, jules, zoe], [p1], [['1', 'p1', 1, '20'], ['3', 'p1', 1, '20']]), opts)
    expect(plan.pupils.map((p) => [p.siecleId, p.action, p.reason])).toEqual([['1', 'create', undefined], ['1', 'skipped', 'DUPLICATE'], ['3', 'create', undefined]])
    expect(plan.problems).toContainEqual({ ref: 'pupil 1', field: 'ELEVE_ID', message: expect.stringContaining('given twice') })
    expect(Object.keys(applySiecleImport(emptyDirectory('s1'), plan, { maxPupils: null }).children).sort()).toEqual(['siecle-0751234J-1', 'siecle-0751234J-3'])
  })

  it('counts a RESPONSABLE_ELEVE row given twice once, and says so', () => {
    const plan = planSiecleImport(emptyDirectory('s1'), exportOf([jules], [p1], [['1', 'p1', 1, '20'], ['1', 'p1', 1, '20']]), opts)
    expect(plan.problems).toEqual([{ ref: 'pupil 1', field: 'RESPONSABLE_ELEVE', message: expect.stringContaining('p1 is given twice') }])
    const s = applySiecleImport(emptyDirectory('s1'), plan, { maxPupils: null })
    expect(s.children['siecle-0751234J-1']?.guardians).toEqual([{ guardianId: 'siecle-0751234J-pp1', relationship: 'mother' }])
  })
})

import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { emptyDirectory } from '@ecole/core'
import { applySiecleImport, parseSiecleExport, planSiecleImport } from '.'

// INEs valid by their published formats (checked by core's ine.isValid)
const INES = ['070803070AJ', '123456789AB', '1234567890A']
const pupilArb = fc.record({
  ine: fc.option(fc.constantFrom(...INES), { nil: undefined }),
  lastName: fc.constantFrom('DUPONT', 'MARTIN', 'N\'DIAYE', 'ÉLOI'),
  firstName: fc.constantFrom('Léa', 'Tom', 'Zoë', 'Inès', 'Hugo'),
  day: fc.integer({ min: 1, max: 28 }),
  classCode: fc.option(fc.constantFrom('6A', '6B', '5A'), { nil: undefined }),
  guardians: fc.subarray([0, 1, 2, 3]),
})
const exportArb = fc.array(pupilArb, { maxLength: 12 }).map((pupils) => {
  // an INE belongs to one pupil
  const used = new Set<string>()
  const ps = pupils.map((p, i) => {
    const ine = p.ine && !used.has(p.ine) ? p.ine : undefined
    if (ine) used.add(ine)
    return { ...p, ine, id: String(1000 + i), firstName: `${p.firstName}${i}` }
  })
  const eleves = `<?xml version="1.0" encoding="UTF-8"?><BEE_ELEVES><PARAMETRES><UAJ>0751234J</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES><DONNEES><ELEVES>${ps
    .map((p) => `<ELEVE ELEVE_ID="${p.id}">${p.ine ? `<ID_NATIONAL>${p.ine}</ID_NATIONAL>` : ''}<NOM_DE_FAMILLE>${p.lastName.replace("'", '&apos;')}</NOM_DE_FAMILLE><PRENOM>${p.firstName}</PRENOM><DATE_NAISS>${String(p.day).padStart(2, '0')}/03/2014</DATE_NAISS></ELEVE>`)
    .join('')}</ELEVES><STRUCTURES>${ps.filter((p) => p.classCode).map((p) => `<STRUCTURES_ELEVE ELEVE_ID="${p.id}"><STRUCTURE><CODE_STRUCTURE>${p.classCode}</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>`).join('')}</STRUCTURES></DONNEES></BEE_ELEVES>`
  const persons = [0, 1, 2, 3].map((k) => `<PERSONNE PERSONNE_ID="${k}"><NOM_DE_FAMILLE>PARENT${k}</NOM_DE_FAMILLE><PRENOM>P${k}</PRENOM><MEL>p${k}@example.fr</MEL><ADRESSE_ID>${k % 2}</ADRESSE_ID></PERSONNE>`).join('')
  const links = ps.flatMap((p) => p.guardians.map((k, j) => `<RESPONSABLE_ELEVE><ELEVE_ID>${p.id}</ELEVE_ID><PERSONNE_ID>${k}</PERSONNE_ID><RESP_LEGAL>${j < 2 ? j + 1 : 0}</RESP_LEGAL></RESPONSABLE_ELEVE>`)).join('')
  const responsables = `<BEE_RESPONSABLES><DONNEES><PERSONNES>${persons}</PERSONNES><RESPONSABLES>${links}</RESPONSABLES><ADRESSES><ADRESSE ADRESSE_ID="0"><LIGNE1_ADRESSE>1 RUE A</LIGNE1_ADRESSE><CODE_POSTAL>75001</CODE_POSTAL><LIBELLE_POSTAL>PARIS</LIBELLE_POSTAL></ADRESSE><ADRESSE ADRESSE_ID="1"><LIGNE1_ADRESSE>2 RUE B</LIGNE1_ADRESSE><CODE_POSTAL>75002</CODE_POSTAL><LIBELLE_POSTAL>PARIS</LIBELLE_POSTAL></ADRESSE></ADRESSES></DONNEES></BEE_RESPONSABLES>`
  return { ps, files: { eleves, responsables } }
})

const options = { schoolId: 'clg', schoolName: 'Collège', today: '2026-09-01' as const }

test.prop([exportArb])('every pupil with a legal guardian becomes a child, enrolled when it has a class; the others are skipped; pupils without INE are listed', ({ ps, files }) => {
  const siecle = parseSiecleExport(files)
  const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
  const s = applySiecleImport(emptyDirectory('s1'), plan, { maxPupils: null })
  const withLegal = ps.filter((p) => p.guardians.length > 0)
  expect(Object.keys(s.children).sort()).toEqual(withLegal.map((p) => `siecle-0751234J-${p.id}`).sort())
  expect(Object.values(s.enrolments).map((e) => e.beneficiaryId).sort()).toEqual(withLegal.filter((p) => p.classCode).map((p) => `siecle-0751234J-${p.id}`).sort())
  expect(plan.withoutIne.map((w) => w.siecleId)).toEqual(ps.filter((p) => !p.ine).map((p) => p.id))
  for (const p of withLegal) {
    // the legal guardians are the first two responsibles (RESP_LEGAL 1 and 2)
    expect(s.children[`siecle-0751234J-${p.id}`]!.guardians.map((g) => g.guardianId)).toEqual(p.guardians.slice(0, 2).map((k) => `siecle-0751234J-p${k}`))
  }
})

test.prop([exportArb])('importing the same export again leaves the directory as it is', ({ files }) => {
  const siecle = parseSiecleExport(files)
  const first = applySiecleImport(emptyDirectory('s1'), planSiecleImport(emptyDirectory('s1'), siecle, options), { maxPupils: null })
  const again = planSiecleImport(first, siecle, options)
  expect(again.pupils.filter((p) => p.action === 'create' || p.action === 'update')).toEqual([])
  expect(applySiecleImport(first, again, { maxPupils: null })).toEqual(first)
})

// exports with what a hand-edited or merged file may hold twice: an INE under two ELEVE_IDs, an ELEVE_ID, a RESPONSABLE_ELEVE row
const messyExportArb = fc.record({
  pupils: fc.array(fc.record({ ine: fc.option(fc.constantFrom(...INES), { nil: undefined }), firstName: fc.constantFrom('Léa', 'LEA', 'Tom'), id: fc.integer({ min: 1, max: 6 }), guardians: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }) }), { maxLength: 8 }),
}).map(({ pupils }) => {
  const eleves = `<BEE_ELEVES><PARAMETRES><UAJ>0751234J</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES><DONNEES><ELEVES>${pupils
    .map((p) => `<ELEVE ELEVE_ID="${p.id}">${p.ine ? `<ID_NATIONAL>${p.ine}</ID_NATIONAL>` : ''}<NOM_DE_FAMILLE>MARTIN</NOM_DE_FAMILLE><PRENOM>${p.firstName}</PRENOM><DATE_NAISS>14/05/2014</DATE_NAISS></ELEVE>`)
    .join('')}</ELEVES><STRUCTURES>${pupils.map((p) => `<STRUCTURES_ELEVE ELEVE_ID="${p.id}"><STRUCTURE><CODE_STRUCTURE>6A</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>`).join('')}</STRUCTURES></DONNEES></BEE_ELEVES>`
  // persons 0 and 1 share a family e-mail; 2 has the name and e-mail of 0
  const persons = [['MARTIN', 'Anne', 'famille@example.fr'], ['LEBLANC', 'Marc', 'famille@example.fr'], ['MARTIN', 'Anne', 'famille@example.fr']]
    .map(([nom, prenom, mel], k) => `<PERSONNE PERSONNE_ID="${k}"><NOM_DE_FAMILLE>${nom}</NOM_DE_FAMILLE><PRENOM>${prenom}</PRENOM><MEL>${mel}</MEL><ADRESSE_ID>0</ADRESSE_ID></PERSONNE>`).join('')
  const links = pupils.flatMap((p) => p.guardians.map((k) => `<RESPONSABLE_ELEVE><ELEVE_ID>${p.id}</ELEVE_ID><PERSONNE_ID>${k}</PERSONNE_ID><RESP_LEGAL>1</RESP_LEGAL></RESPONSABLE_ELEVE>`)).join('')
  const responsables = `<BEE_RESPONSABLES><DONNEES><PERSONNES>${persons}</PERSONNES><RESPONSABLES>${links}</RESPONSABLES><ADRESSES><ADRESSE ADRESSE_ID="0"><LIGNE1_ADRESSE>1 RUE A</LIGNE1_ADRESSE></ADRESSE></ADRESSES></DONNEES></BEE_RESPONSABLES>`
  return { eleves, responsables }
})

test.prop([messyExportArb, messyExportArb])('records given twice never abort an import: no two children share an INE, no child names a guardian twice, and importing again changes nothing', (first, second) => {
  let s = emptyDirectory('s1')
  for (const files of [first, second]) {
    const siecle = parseSiecleExport(files)
    s = applySiecleImport(s, planSiecleImport(s, siecle, options), { maxPupils: null })
    const ines = Object.values(s.children).flatMap((c) => (c.ine ? [c.ine] : []))
    expect(new Set(ines).size).toBe(ines.length)
    for (const c of Object.values(s.children)) expect(new Set(c.guardians.map((g) => g.guardianId)).size).toBe(c.guardians.length)
    const again = planSiecleImport(s, siecle, options)
    expect(again.pupils.filter((p) => p.action === 'create' || p.action === 'update')).toEqual([])
    expect(applySiecleImport(s, again, { maxPupils: null })).toEqual(s)
  }
})

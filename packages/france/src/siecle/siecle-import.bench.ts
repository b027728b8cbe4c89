import { bench, describe } from 'vitest'
import { emptyDirectory } from '@ecole/core'
import { applySiecleImport, parseSiecleExport, planSiecleImport, type SiecleExport } from '.'

// A collège of N pupils, siblings two by two (a mother and a father each): applying its import
// must grow linearly (it took 27.9 s for 3,000 pupils against 1.2 s for 1,000 while each directory
// operation ran on the whole directory).
function collegeOf(n: number): SiecleExport {
  const pupils: string[] = []
  const classes: string[] = []
  const persons: string[] = []
  const links: string[] = []
  const addresses: string[] = []
  for (let i = 0; i < n; i++) {
    const id = 10_000 + i
    pupils.push(`<ELEVE ELEVE_ID="${id}"><NOM_DE_FAMILLE>NOM${i >> 1}</NOM_DE_FAMILLE><PRENOM>Prénom${i}</PRENOM><DATE_NAISS>${String(1 + (i % 28)).padStart(2, '0')}/0${1 + (i % 9)}/2013</DATE_NAISS></ELEVE>`)
    classes.push(`<STRUCTURES_ELEVE ELEVE_ID="${id}"><STRUCTURE><CODE_STRUCTURE>${6 + (i % 4)}${'ABCDEFGH'[i % 8]}</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>`)
    const fam = i >> 1
    if (i % 2 === 0) {
      persons.push(`<PERSONNE PERSONNE_ID="m${fam}"><NOM_DE_FAMILLE>NOM${fam}</NOM_DE_FAMILLE><PRENOM>Mère</PRENOM><MEL>m${fam}@example.fr</MEL><ADRESSE_ID>A${fam}</ADRESSE_ID></PERSONNE>`)
      persons.push(`<PERSONNE PERSONNE_ID="f${fam}"><NOM_DE_FAMILLE>NOM${fam}</NOM_DE_FAMILLE><PRENOM>Père</PRENOM><ADRESSE_ID>A${fam}</ADRESSE_ID></PERSONNE>`)
      addresses.push(`<ADRESSE ADRESSE_ID="A${fam}"><LIGNE1_ADRESSE>${fam} RUE X</LIGNE1_ADRESSE><CODE_POSTAL>75005</CODE_POSTAL><LIBELLE_POSTAL>PARIS</LIBELLE_POSTAL></ADRESSE>`)
    }
    links.push(`<RESPONSABLE_ELEVE><ELEVE_ID>${id}</ELEVE_ID><PERSONNE_ID>m${fam}</PERSONNE_ID><RESP_LEGAL>1</RESP_LEGAL></RESPONSABLE_ELEVE><RESPONSABLE_ELEVE><ELEVE_ID>${id}</ELEVE_ID><PERSONNE_ID>f${fam}</PERSONNE_ID><RESP_LEGAL>2</RESP_LEGAL></RESPONSABLE_ELEVE>`)
  }
  return parseSiecleExport({
    eleves: `<BEE_ELEVES><PARAMETRES><UAJ>0751234J</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE></PARAMETRES><DONNEES><ELEVES>${pupils.join('')}</ELEVES><STRUCTURES>${classes.join('')}</STRUCTURES></DONNEES></BEE_ELEVES>`,
    responsables: `<BEE_RESPONSABLES><DONNEES><PERSONNES>${persons.join('')}</PERSONNES><RESPONSABLES>${links.join('')}</RESPONSABLES><ADRESSES>${addresses.join('')}</ADRESSES></DONNEES></BEE_RESPONSABLES>`,
  })
}

const options = { schoolId: 'clg', schoolName: 'Collège', today: '2026-09-01' as const }
for (const n of [1_000, 3_000]) {
  describe(`SIECLE import of ${n.toLocaleString('en')} pupils`, () => {
    const siecle = collegeOf(n)
    const plan = planSiecleImport(emptyDirectory('s1'), siecle, options)
    const imported = applySiecleImport(emptyDirectory('s1'), plan, { maxPupils: n })
    bench('apply to an empty directory (licence limit on)', () => {
      applySiecleImport(emptyDirectory('s1'), plan, { maxPupils: n })
    }, { iterations: 3 })
    bench('plan again on the imported directory', () => {
      planSiecleImport(imported, siecle, options)
    }, { iterations: 3 })
  })
}

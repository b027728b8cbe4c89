import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { parseFrenchSchoolCalendar } from './french-school-calendar'

const row = (over: Record<string, string | null> = {}) => ({
  description: 'Vacances de la Toussaint', population: '-', start_date: '2024-10-18T22:00:00+00:00', end_date: '2024-11-03T23:00:00+00:00',
  location: 'Lyon', zones: 'Zone A', annee_scolaire: '2024-2025', ...over,
})

describe('parseFrenchSchoolCalendar', () => {
  it('reads start and end as Paris days, not as the first 10 characters of the UTC string', () => {
    const [h] = parseFrenchSchoolCalendar([row()]).holidays
    // 2024-10-18T22:00Z is midnight on 19 October in Paris (UTC+2)
    expect(h?.from).toBe('2024-10-19')
  })

  it('ends a holiday the day before classes resume', () => {
    // 2024-11-03T23:00Z is midnight on Monday 4 November in Paris (UTC+1): classes resume then
    expect(parseFrenchSchoolCalendar([row()]).holidays[0]?.to).toBe('2024-11-03')
  })

  it('keeps one holiday per zone, listing the académies that gave it', () => {
    const parsed = parseFrenchSchoolCalendar([row(), row({ location: 'Dijon' }), row({ location: 'Lille', zones: 'Zone B' })])
    expect(parsed.holidays.map((h) => [h.calendar, h.academies])).toEqual([['FR-A', ['Dijon', 'Lyon']], ['FR-B', ['Lille']]])
  })

  it('leaves out teacher-only rows and lists holidays without an end date', () => {
    const parsed = parseFrenchSchoolCalendar([
      row({ population: 'Enseignants' }),
      row({ description: "Vacances d'Été", start_date: '2027-07-02T22:00:00+00:00', end_date: null, annee_scolaire: '2026-2027' }),
    ])
    expect(parsed.holidays).toEqual([])
    expect(parsed.teacherRowsIgnored).toBe(1)
    expect(parsed.openEnded).toEqual([{ calendar: 'FR-A', schoolYear: '2026-2027', name: "Vacances d'Été", from: '2027-07-03' }])
  })

  it('reads the API answer shapes {results} and {records: [{fields}]}', () => {
    expect(parseFrenchSchoolCalendar({ total_count: 1, results: [row()] }).holidays).toHaveLength(1)
    expect(parseFrenchSchoolCalendar({ records: [{ fields: row() }] }).holidays).toHaveLength(1)
    expect(parseFrenchSchoolCalendar(JSON.stringify([row()])).holidays).toHaveLength(1)
  })

  it('reads the CSV export with French labels, quotes and semicolons', () => {
    const csv = [
      'Description;Population;Date de début;Date de fin;Académies;Zones;annee_scolaire',
      '"Vacances de Noël";-;2024-12-20T23:00:00+00:00;2025-01-05T23:00:00+00:00;Corse;Corse;2024-2025',
      '"Vacances de Noël";Élèves;2024-12-20T23:00:00+00:00;2025-01-05T23:00:00+00:00;Paris;Zone C;2024-2025',
      '',
    ].join('\r\n')
    expect(parseFrenchSchoolCalendar(csv).holidays.map((h) => [h.calendar, h.from, h.to, h.nameEn])).toEqual([
      ['FR-C', '2024-12-21', '2025-01-05', 'Christmas Holidays'],
      ['FR-CORSE', '2024-12-21', '2025-01-05', 'Christmas Holidays'],
    ])
  })

  it('reads the comma-separated CSV with field names', () => {
    const csv = 'description,population,start_date,end_date,location,zones,annee_scolaire\n"Pont de l\'Ascension",-,2025-05-28T22:00:00+00:00,2025-06-01T22:00:00+00:00,Nantes,Zone B,2024-2025\n'
    expect(parseFrenchSchoolCalendar(csv).holidays[0]).toMatchObject({ calendar: 'FR-B', from: '2025-05-29', to: '2025-06-01' })
  })

  it('names the row and field it cannot read', () => {
    try {
      parseFrenchSchoolCalendar([row(), row({ annee_scolaire: '2024' })])
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e) && e.code).toBe('INVALID_INPUT')
      expect((e as Error).message).toMatch(/row 2.*annee_scolaire/)
    }
  })
})

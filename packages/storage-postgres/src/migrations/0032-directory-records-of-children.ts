/**
 * The enrolments and service rights of some children read without the site's others (issue 17,
 * a booking from the portal reads only the family's children): `DirectoryStore.listDirectoryRecordsOf`
 * finds them by an index on (site, kind, the record's `beneficiaryId`), partial to those two
 * kinds, instead of scanning every enrolment of the site.
 *
 * @internal
 */
export const migration0032 = {
  version: 32,
  name: 'directory-records-of-children',
  sql: `
CREATE INDEX ecole_records_by_beneficiary ON ecole_records USING btree (site_id, kind, (body->>'beneficiaryId'), id)
  WHERE kind IN ('directory:enrolment', 'directory:subscription');
`,
}

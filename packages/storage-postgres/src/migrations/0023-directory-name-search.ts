/**
 * Searching the directory by name (issue 18): one row per (site, kind, record, word of its name)
 * for households, guardians and children, folded as `foldName` of `@ecole/core` folds (the SQL
 * function `ecole_fold_name`, checked against core's table by a test), kept by triggers on
 * `ecole_records` so every write path keeps it true; and the guardians of a household found by
 * an index instead of a scan.
 *
 * @internal
 */
export const migration0023 = {
  version: 23,
  name: 'directory-name-search',
  sql: `
CREATE FUNCTION ecole_fold_name(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fold$
  SELECT replace(replace(replace(replace(replace(
    translate(regexp_replace(t, '[\\u0300-\\u036f]', '', 'g'),
      'ABCDEFGHIJKLMNOPQRSTUVWXYZàáâãäåāăąÀÁÂÃÄÅĀĂĄçćĉċčÇĆĈĊČďđĎĐèéêëēĕėęěÈÉÊËĒĔĖĘĚĝğġģĜĞĠĢĥħĤĦìíîïĩīĭįıÌÍÎÏĨĪĬĮİĵĴķĶĺļľŀłĹĻĽĿŁñńņňÑŃŅŇòóôõöøōŏőÒÓÔÕÖØŌŎŐŕŗřŔŖŘśŝşšșŚŜŞŠȘţťŧțŢŤŦȚùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲŵŴýÿŷÝŸŶźżžŹŻŽ',
      'abcdefghijklmnopqrstuvwxyzaaaaaaaaaaaaaaaaaaccccccccccddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiiijjkkllllllllllnnnnnnnnoooooooooooooooooorrrrrrssssssssssttttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzz'),
    'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'), 'ß', 'ss')
$fold$;

CREATE FUNCTION ecole_name_words(kind text, body jsonb) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $words$
  SELECT DISTINCT w FROM regexp_split_to_table(
    ecole_fold_name(CASE WHEN kind = 'directory:household' THEN coalesce(body->>'name', '')
                         ELSE coalesce(body->>'firstName', '') || ' ' || coalesce(body->>'lastName', '') END),
    '[ \\t\\u00a0''\\u2019.,/()-]+') AS w
  WHERE w <> ''
$words$;

CREATE TABLE ecole_directory_words (
  site_id text NOT NULL,
  kind text NOT NULL,
  id text NOT NULL,
  word text COLLATE "C" NOT NULL,
  PRIMARY KEY (site_id, kind, id, word)
);
CREATE INDEX ecole_directory_words_by_word ON ecole_directory_words (site_id, kind, word, id);

CREATE FUNCTION ecole_directory_words_sync() RETURNS trigger LANGUAGE plpgsql AS $sync$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.body->'name' IS NOT DISTINCT FROM NEW.body->'name' AND OLD.body->'firstName' IS NOT DISTINCT FROM NEW.body->'firstName'
       AND OLD.body->'lastName' IS NOT DISTINCT FROM NEW.body->'lastName' THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM ecole_directory_words WHERE site_id = OLD.site_id AND kind = OLD.kind AND id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO ecole_directory_words (site_id, kind, id, word)
      SELECT NEW.site_id, NEW.kind, NEW.id, w FROM ecole_name_words(NEW.kind, NEW.body) AS w;
  END IF;
  RETURN NULL;
END
$sync$;

CREATE TRIGGER ecole_directory_words_write AFTER INSERT OR UPDATE ON ecole_records FOR EACH ROW
  WHEN (NEW.kind IN ('directory:household', 'directory:guardian', 'directory:child')) EXECUTE FUNCTION ecole_directory_words_sync();
CREATE TRIGGER ecole_directory_words_delete AFTER DELETE ON ecole_records FOR EACH ROW
  WHEN (OLD.kind IN ('directory:household', 'directory:guardian', 'directory:child')) EXECUTE FUNCTION ecole_directory_words_sync();

INSERT INTO ecole_directory_words (site_id, kind, id, word)
  SELECT r.site_id, r.kind, r.id, w FROM ecole_records r, LATERAL ecole_name_words(r.kind, r.body) AS w
  WHERE r.kind IN ('directory:household', 'directory:guardian', 'directory:child');

CREATE INDEX ecole_records_guardians_by_household ON ecole_records (site_id, (body->>'householdId'), id) WHERE kind = 'directory:guardian';
`,
}

#include "migrations.hpp"

#include <array>

namespace pressroom::catalog {
namespace {

// 1: photos, by content. width/height are the stored pixel size; orientation is EXIF 1..8.
// date_taken is local time as the camera wrote it, date_taken_offset its UTC offset if known.
constexpr std::string_view k_migration_1 = R"sql(
CREATE TABLE photos (
  id                INTEGER PRIMARY KEY,
  sha256            TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
  type              TEXT NOT NULL CHECK (type IN ('jpeg', 'png', 'tiff', 'webp')),
  byte_size         INTEGER NOT NULL CHECK (byte_size > 0),
  width             INTEGER NOT NULL CHECK (width > 0),
  height            INTEGER NOT NULL CHECK (height > 0),
  orientation       INTEGER NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8),
  date_taken        TEXT,
  date_taken_offset TEXT,
  camera_make       TEXT,
  camera_model      TEXT,
  original_name     TEXT NOT NULL,
  imported_from     TEXT NOT NULL,
  imported_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
)sql";

// 2: what a release says, who made and owns a photo, on what terms, who and what it shows,
// where it came from, and every change to it. Search runs on a Xapian index beside the catalog
// (search_index.cpp); search_pending lists the photos whose index entry is out of date, filled
// by the triggers below in the same transaction as the change, so a crash never loses one.
constexpr std::string_view k_migration_2 = R"sql(
CREATE TABLE catalog_info (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO catalog_info (key, value) VALUES ('search_index_id', lower(hex(randomblob(16))));

CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
  folded_name TEXT NOT NULL
);
CREATE INDEX people_by_folded_name ON people (folded_name);

CREATE TABLE credits (
  id              INTEGER PRIMARY KEY,
  photographer_id INTEGER REFERENCES people (id),
  rights_holder   TEXT CHECK (rights_holder IS NULL OR length(rights_holder) BETWEEN 1 AND 200),
  credit_line     TEXT NOT NULL CHECK (length(credit_line) BETWEEN 1 AND 500),
  UNIQUE (photographer_id, rights_holder, credit_line)
);

CREATE TABLE licences (
  id              INTEGER PRIMARY KEY,
  usage_terms     TEXT NOT NULL CHECK (length(usage_terms) <= 2000),
  editorial_only  INTEGER NOT NULL DEFAULT 0 CHECK (editorial_only IN (0, 1)),
  credit_required INTEGER NOT NULL DEFAULT 1 CHECK (credit_required IN (0, 1)),
  valid_from      TEXT CHECK (valid_from IS NULL OR date(valid_from) = valid_from),
  valid_until     TEXT CHECK (valid_until IS NULL OR date(valid_until) = valid_until),
  CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until),
  UNIQUE (usage_terms, editorial_only, credit_required, valid_from, valid_until)
);

ALTER TABLE photos ADD COLUMN lens TEXT;
ALTER TABLE photos ADD COLUMN exposure_time TEXT;
ALTER TABLE photos ADD COLUMN f_number REAL;
ALTER TABLE photos ADD COLUMN iso INTEGER;
ALTER TABLE photos ADD COLUMN focal_length REAL;
ALTER TABLE photos ADD COLUMN gps_latitude REAL CHECK (gps_latitude BETWEEN -90 AND 90);
ALTER TABLE photos ADD COLUMN gps_longitude REAL CHECK (gps_longitude BETWEEN -180 AND 180);
ALTER TABLE photos ADD COLUMN gps_altitude REAL;
ALTER TABLE photos ADD COLUMN place TEXT;
ALTER TABLE photos ADD COLUMN perceptual_hash TEXT CHECK (length(perceptual_hash) = 16);
ALTER TABLE photos ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
  CHECK (status IN ('active', 'withdrawn'));
ALTER TABLE photos ADD COLUMN headline TEXT;
ALTER TABLE photos ADD COLUMN caption TEXT;
ALTER TABLE photos ADD COLUMN credit_id INTEGER REFERENCES credits (id);
ALTER TABLE photos ADD COLUMN licence_id INTEGER REFERENCES licences (id);
CREATE INDEX photos_by_credit ON photos (credit_id);
CREATE INDEX photos_by_licence ON photos (licence_id);

CREATE TABLE releases (
  id                INTEGER PRIMARY KEY,
  source            TEXT NOT NULL,
  source_sha256     TEXT CHECK (source_sha256 IS NULL OR length(source_sha256) = 64),
  kind              TEXT NOT NULL CHECK (kind IN ('release', 'news')),
  date              TEXT CHECK (date IS NULL OR date(date) = date),
  subtitle          TEXT,
  contact_name      TEXT,
  contact_email     TEXT,
  contact_phone     TEXT,
  text_version_url  TEXT,
  translation_group INTEGER REFERENCES releases (id),
  imported_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (source, source_sha256)
);
CREATE TABLE release_texts (
  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
  language   TEXT NOT NULL CHECK (length(language) = 2),
  title      TEXT NOT NULL DEFAULT '',
  body       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (release_id, language)
) WITHOUT ROWID;

CREATE TABLE entries (
  id           INTEGER PRIMARY KEY,
  release_id   INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL CHECK (position >= 1),
  photo_id     INTEGER REFERENCES photos (id),
  caption      TEXT NOT NULL DEFAULT '',
  credit       TEXT NOT NULL DEFAULT '',
  credit_rights_holder TEXT NOT NULL DEFAULT '',
  credit_photographer  TEXT NOT NULL DEFAULT '',
  people       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(people)),
  url          TEXT NOT NULL DEFAULT '',
  licence_note TEXT NOT NULL DEFAULT '',
  warnings     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings)),
  UNIQUE (release_id, position)
);
CREATE INDEX entries_by_photo ON entries (photo_id);

CREATE TABLE tags (
  id        INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES tags (id),
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100 AND instr(name, '|') = 0),
  path        TEXT NOT NULL,
  folded_path TEXT NOT NULL UNIQUE
);
CREATE INDEX tags_by_parent ON tags (parent_id);
CREATE TABLE photo_tags (
  photo_id INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  tag_id   INTEGER NOT NULL REFERENCES tags (id),
  PRIMARY KEY (photo_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX photo_tags_by_tag ON photo_tags (tag_id);

CREATE TABLE photo_people (
  photo_id  INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people (id),
  position  INTEGER NOT NULL CHECK (position >= 1),
  region    TEXT CHECK (region IS NULL OR json_valid(region)),
  PRIMARY KEY (photo_id, person_id)
);
CREATE INDEX photo_people_by_person ON photo_people (person_id);

CREATE TABLE sources (
  url           TEXT PRIMARY KEY,
  etag          TEXT,
  last_modified TEXT,
  status        INTEGER,
  error         TEXT,
  photo_id      INTEGER REFERENCES photos (id),
  checked_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  who        TEXT NOT NULL,
  action     TEXT NOT NULL,
  photo_id   INTEGER,
  release_id INTEGER,
  field      TEXT,
  before     TEXT,
  after      TEXT
);
CREATE INDEX audit_log_by_photo ON audit_log (photo_id, id);

CREATE TABLE saved_searches (
  name       TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
  query      TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;
CREATE TABLE saved_search_photos (
  name     TEXT NOT NULL REFERENCES saved_searches (name) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  photo_id INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  PRIMARY KEY (name, position)
) WITHOUT ROWID;

CREATE TABLE search_pending (
  seq      INTEGER PRIMARY KEY,
  photo_id INTEGER NOT NULL UNIQUE
);
INSERT INTO search_pending (photo_id) SELECT id FROM photos ORDER BY id;

CREATE TRIGGER photos_pending_insert AFTER INSERT ON photos BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (new.id);
END;
CREATE TRIGGER photos_pending_update AFTER UPDATE ON photos BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (new.id);
END;
CREATE TRIGGER photos_pending_delete AFTER DELETE ON photos BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (old.id);
END;
CREATE TRIGGER entries_pending_insert AFTER INSERT ON entries WHEN new.photo_id IS NOT NULL BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (new.photo_id);
END;
CREATE TRIGGER entries_pending_update AFTER UPDATE ON entries BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id)
    SELECT photo_id FROM (SELECT old.photo_id AS photo_id UNION SELECT new.photo_id)
    WHERE photo_id IS NOT NULL;
END;
CREATE TRIGGER entries_pending_delete AFTER DELETE ON entries WHEN old.photo_id IS NOT NULL BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (old.photo_id);
END;
CREATE TRIGGER photo_tags_pending_insert AFTER INSERT ON photo_tags BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (new.photo_id);
END;
CREATE TRIGGER photo_tags_pending_delete AFTER DELETE ON photo_tags BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (old.photo_id);
END;
CREATE TRIGGER photo_people_pending_insert AFTER INSERT ON photo_people BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (new.photo_id);
END;
CREATE TRIGGER photo_people_pending_update AFTER UPDATE ON photo_people BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (new.photo_id);
END;
CREATE TRIGGER photo_people_pending_delete AFTER DELETE ON photo_people BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (old.photo_id);
END;
CREATE TRIGGER people_pending_update AFTER UPDATE ON people BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id)
    SELECT photo_id FROM photo_people WHERE person_id = new.id
    UNION SELECT photos.id FROM photos JOIN credits ON credits.id = photos.credit_id
          WHERE credits.photographer_id = new.id;
END;
CREATE TRIGGER credits_pending_update AFTER UPDATE ON credits BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) SELECT id FROM photos WHERE credit_id = new.id;
END;
CREATE TRIGGER licences_pending_update AFTER UPDATE ON licences BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) SELECT id FROM photos WHERE licence_id = new.id;
END;
CREATE TRIGGER tags_pending_update AFTER UPDATE ON tags BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id)
    SELECT photo_id FROM photo_tags WHERE tag_id = new.id;
END;
CREATE TRIGGER releases_pending_update AFTER UPDATE ON releases BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id)
    SELECT photo_id FROM entries WHERE release_id = new.id AND photo_id IS NOT NULL;
END;
CREATE TRIGGER release_texts_pending_insert AFTER INSERT ON release_texts BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id)
    SELECT photo_id FROM entries WHERE release_id = new.release_id AND photo_id IS NOT NULL;
END;
CREATE TRIGGER release_texts_pending_update AFTER UPDATE ON release_texts BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id)
    SELECT photo_id FROM entries WHERE release_id = new.release_id AND photo_id IS NOT NULL;
END;
)sql";

// The words of each person's folded name, so that a search for the person "Hergenröder" finds
// the people whose names have every word through an index instead of reading every name. A
// name is split at spaces and at the punctuation in k_name_separators (values.hpp), as
// Catalog::people_named splits the name asked for; a trigger adds the words of a new person.
constexpr std::string_view k_migration_3 = R"sql(
CREATE TABLE person_words (
  word      TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  PRIMARY KEY (word, person_id)
) WITHOUT ROWID;
CREATE INDEX person_words_by_person ON person_words (person_id);

CREATE TRIGGER person_words_insert AFTER INSERT ON people BEGIN
  INSERT OR IGNORE INTO person_words (word, person_id)
    SELECT word, new.id FROM (
      WITH RECURSIVE split (word, rest) AS (
        SELECT '', replace(replace(replace(replace(replace(replace(replace(replace(replace(
                     replace(replace(new.folded_name, '-', ' '), '.', ' '), ',', ' '), '''',
                     ' '), '/', ' '), '(', ' '), ')', ' '), '&', ' '), ';', ' '), ':', ' '),
                     '"', ' ') || ' '
        UNION ALL
        SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
          FROM split WHERE rest <> '')
      SELECT word FROM split)
    WHERE word <> '';
END;

INSERT OR IGNORE INTO person_words (word, person_id)
  WITH RECURSIVE split (word, rest, person_id) AS (
    SELECT '', replace(replace(replace(replace(replace(replace(replace(replace(replace(
                 replace(replace(folded_name, '-', ' '), '.', ' '), ',', ' '), '''',
                 ' '), '/', ' '), '(', ' '), ')', ' '), '&', ' '), ';', ' '), ':', ' '),
                 '"', ' ') || ' ', id
      FROM people
    UNION ALL
    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1), person_id
      FROM split WHERE rest <> '')
  SELECT word, person_id FROM split WHERE word <> '';
)sql";

// 4: HEIC photos. SQLite cannot change a CHECK in place, so photos is rebuilt as SQLite's
// procedure says (lang_altertable.html, section 7): the new table under another name, the rows
// copied with their ids, the old table dropped, the new one renamed, its indexes and triggers
// made again. migrate() runs it with foreign keys off and checks them before it commits. The
// rename is a legacy one: the other tables' triggers name `photos`, gone between the DROP and
// the rename, and a modern rename would refuse them (they name the right table after it). The
// columns are those of migrations 1 and 2, in their order (later columns were added by ALTER).
constexpr std::string_view k_migration_4 = R"sql(
CREATE TABLE photos_v4 (
  id                INTEGER PRIMARY KEY,
  sha256            TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
  type              TEXT NOT NULL CHECK (type IN ('jpeg', 'png', 'tiff', 'webp', 'heic')),
  byte_size         INTEGER NOT NULL CHECK (byte_size > 0),
  width             INTEGER NOT NULL CHECK (width > 0),
  height            INTEGER NOT NULL CHECK (height > 0),
  orientation       INTEGER NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8),
  date_taken        TEXT,
  date_taken_offset TEXT,
  camera_make       TEXT,
  camera_model      TEXT,
  original_name     TEXT NOT NULL,
  imported_from     TEXT NOT NULL,
  imported_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  lens              TEXT,
  exposure_time     TEXT,
  f_number          REAL,
  iso               INTEGER,
  focal_length      REAL,
  gps_latitude      REAL CHECK (gps_latitude BETWEEN -90 AND 90),
  gps_longitude     REAL CHECK (gps_longitude BETWEEN -180 AND 180),
  gps_altitude      REAL,
  place             TEXT,
  perceptual_hash   TEXT CHECK (length(perceptual_hash) = 16),
  status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
  headline          TEXT,
  caption           TEXT,
  credit_id         INTEGER REFERENCES credits (id),
  licence_id        INTEGER REFERENCES licences (id)
);
INSERT INTO photos_v4 (id, sha256, type, byte_size, width, height, orientation, date_taken,
    date_taken_offset, camera_make, camera_model, original_name, imported_from, imported_at, lens,
    exposure_time, f_number, iso, focal_length, gps_latitude, gps_longitude, gps_altitude, place,
    perceptual_hash, status, headline, caption, credit_id, licence_id)
  SELECT id, sha256, type, byte_size, width, height, orientation, date_taken, date_taken_offset,
         camera_make, camera_model, original_name, imported_from, imported_at, lens,
         exposure_time, f_number, iso, focal_length, gps_latitude, gps_longitude, gps_altitude,
         place, perceptual_hash, status, headline, caption, credit_id, licence_id
    FROM photos;
DROP TABLE photos;
PRAGMA legacy_alter_table = ON;
ALTER TABLE photos_v4 RENAME TO photos;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX photos_by_credit ON photos (credit_id);
CREATE INDEX photos_by_licence ON photos (licence_id);
CREATE TRIGGER photos_pending_insert AFTER INSERT ON photos BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (new.id);
END;
CREATE TRIGGER photos_pending_update AFTER UPDATE ON photos BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (new.id);
END;
CREATE TRIGGER photos_pending_delete AFTER DELETE ON photos BEGIN
  INSERT OR REPLACE INTO search_pending (photo_id) VALUES (old.id);
END;
)sql";

// Schema 5: a manifest's tags for each entry's photo (import applies them with the photo).
constexpr std::string_view k_migration_5 = R"sql(
ALTER TABLE entries ADD COLUMN tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags));
)sql";

constexpr std::array<std::string_view, 5> k_migrations{k_migration_1, k_migration_2, k_migration_3,
                                                       k_migration_4, k_migration_5};

}  // namespace

std::span<const std::string_view> migrations() {
  return k_migrations;
}

}  // namespace pressroom::catalog

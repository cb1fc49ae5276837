/**
 * Schema migrations, applied in order by `user_version`. A migration that has shipped is never
 * edited (a test holds each to the hash of its SQL): change the schema by appending a new one. Each runs in its own transaction.
 */
export interface Migration {
  version: number
  description: string
  sql: string
}

/** The reports table's definition, `source_kind` allowing these kinds (written once: the table is rebuilt for new kinds). */
function reportsTable(name: string, kinds: string[]): string {
  return `CREATE TABLE ${name} (
  id             INTEGER PRIMARY KEY,
  study_id       INTEGER REFERENCES studies(id) ON DELETE CASCADE,
  import_job_id  INTEGER REFERENCES import_jobs(id),
  source_path    TEXT NOT NULL,
  source_kind    TEXT NOT NULL CHECK (source_kind IN (${kinds.map((k) => `'${k}'`).join(',')})),
  match_key      TEXT,
  encoding       TEXT NOT NULL,
  language       TEXT,
  raw_text       TEXT NOT NULL,
  sections_json  TEXT,
  findings_json  TEXT,
  created_at     TEXT NOT NULL
);`
}

/**
 * The reports table rebuilt with `source_kind` allowing these kinds: SQLite cannot change a CHECK, so
 * each new kind of report source copies the table (its rows, ids and indexes kept).
 */
function reportsRebuiltForKinds(kinds: string[]): string {
  return `
${reportsTable('reports_rebuilt', kinds)}
INSERT INTO reports_rebuilt (id, study_id, import_job_id, source_path, source_kind, match_key, encoding, language, raw_text, sections_json, findings_json, created_at)
  SELECT id, study_id, import_job_id, source_path, source_kind, match_key, encoding, language, raw_text, sections_json, findings_json, created_at FROM reports;
DROP TABLE reports;
ALTER TABLE reports_rebuilt RENAME TO reports;
CREATE INDEX reports_study ON reports(study_id);
CREATE INDEX reports_source_key ON reports(source_path, match_key);
`
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'tables of DESIGN §4',
    sql: `
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value_json TEXT NOT NULL
);

CREATE TABLE import_jobs (
  id                INTEGER PRIMARY KEY,
  roots_json        TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('running','done','cancelled','failed','interrupted')),
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  files_total       INTEGER NOT NULL DEFAULT 0,
  files_imported    INTEGER NOT NULL DEFAULT 0,
  files_failed      INTEGER NOT NULL DEFAULT 0,
  files_already     INTEGER NOT NULL DEFAULT 0,
  reports_matched   INTEGER NOT NULL DEFAULT 0,
  reports_unmatched INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE studies (
  id                 INTEGER PRIMARY KEY,
  study_uid          TEXT NOT NULL UNIQUE,
  pseudonym          TEXT NOT NULL UNIQUE,
  patient_id         TEXT,
  patient_name       TEXT,
  patient_birth_date TEXT,
  patient_sex        TEXT,
  study_date         TEXT,
  accession_number   TEXT,
  description        TEXT,
  created_at         TEXT NOT NULL
);
CREATE INDEX studies_accession ON studies(accession_number);

CREATE TABLE series (
  id            INTEGER PRIMARY KEY,
  study_id      INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  series_uid    TEXT NOT NULL UNIQUE,
  modality      TEXT,
  body_part     TEXT,
  view_position TEXT,
  description   TEXT
);
CREATE INDEX series_study ON series(study_id);

-- One row per DICOM file seen by an import. A file that failed has status 'error', a reason a
-- person understands in 'error', and no series (its UIDs may be unreadable).
CREATE TABLE images (
  id                    INTEGER PRIMARY KEY,
  series_id             INTEGER REFERENCES series(id) ON DELETE CASCADE,
  import_job_id         INTEGER REFERENCES import_jobs(id),
  sop_instance_uid      TEXT UNIQUE,
  sop_class_uid         TEXT,
  file_path             TEXT NOT NULL,
  file_size             INTEGER,
  file_sha256           TEXT,
  transfer_syntax_uid   TEXT,
  rows                  INTEGER,
  columns               INTEGER,
  photometric           TEXT,
  bits_stored           INTEGER,
  spacing_row_mm        REAL,
  spacing_col_mm        REAL,
  spacing_kind          TEXT CHECK (spacing_kind IN ('pixel','imager','none')),
  view_position         TEXT,
  for_processing        INTEGER NOT NULL DEFAULT 0,
  tags_json             TEXT,
  display_path          TEXT,
  display_sha256        TEXT,
  model_path            TEXT,
  model_sha256          TEXT,
  status                TEXT NOT NULL CHECK (status IN ('ok','error')),
  error                 TEXT,
  created_at            TEXT NOT NULL
);
CREATE INDEX images_series ON images(series_id);
CREATE INDEX images_status ON images(status);

${reportsTable('reports', ['txt', 'json', 'csv', 'sr'])}
CREATE INDEX reports_study ON reports(study_id);

CREATE TABLE runs (
  id                 INTEGER PRIMARY KEY,
  name               TEXT NOT NULL,
  config_json        TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('created','running','paused','stopped','done','failed','interrupted')),
  seed               INTEGER NOT NULL,
  device             TEXT,
  execution_provider TEXT,
  error              TEXT,
  created_at         TEXT NOT NULL,
  started_at         TEXT,
  finished_at        TEXT
);

CREATE TABLE checkpoints (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  round_index  INTEGER NOT NULL,
  path         TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  metrics_json TEXT,
  created_at   TEXT NOT NULL
);
CREATE INDEX checkpoints_run ON checkpoints(run_id);

CREATE TABLE rounds (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  round_index  INTEGER NOT NULL,
  stage        TEXT NOT NULL,
  metrics_json TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  seconds      REAL NOT NULL,
  UNIQUE (run_id, round_index)
);

CREATE TABLE games (
  id              INTEGER PRIMARY KEY,
  round_id        INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('spy','qa')),
  players_json    TEXT NOT NULL,
  transcript_json TEXT NOT NULL,
  rewards_json    TEXT NOT NULL,
  advantages_json TEXT NOT NULL
);
CREATE INDEX games_round ON games(round_id);

CREATE TABLE findings (
  id              INTEGER PRIMARY KEY,
  study_id        INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  image_id        INTEGER REFERENCES images(id) ON DELETE CASCADE,
  checkpoint_id   INTEGER REFERENCES checkpoints(id),
  text            TEXT NOT NULL,
  structured_json TEXT NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE INDEX findings_study ON findings(study_id);

CREATE TABLE reviews (
  id              INTEGER PRIMARY KEY,
  finding_id      INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  decision        TEXT NOT NULL CHECK (decision IN ('accept','edit','reject','uncertain')),
  edited_json     TEXT,
  reason          TEXT,
  reviewer        TEXT NOT NULL,
  seconds_on_task REAL,
  created_at      TEXT NOT NULL
);
CREATE INDEX reviews_finding ON reviews(finding_id);

-- Append-only and hash-chained: each row's hash covers its content and the previous row's hash.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   INTEGER,
  before_json TEXT,
  after_json  TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Long tasks run in a child process; their last known state survives a crash of the app.
CREATE TABLE tasks (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  params_json   TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('running','done','cancelled','failed','interrupted')),
  progress_json TEXT,
  result_json   TEXT,
  error         TEXT,
  created_at    TEXT NOT NULL,
  finished_at   TEXT
);
`
  },
  {
    version: 2,
    description: 'games.spy_edit: the study and nodule recipe a spy game\'s images were drawn from, so the transcript viewer can show them again',
    sql: `ALTER TABLE games ADD COLUMN spy_edit_json TEXT;`
  },
  {
    version: 3,
    description: 'held-out evaluations and experiments (DESIGN §10)',
    sql: `
-- A model scored on the held-out split: after a self-play round (periodic, on a sample) or as an
-- experiment arm's result. The checkpoint is named by path: round checkpoints may be pruned later.
CREATE TABLE evaluations (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  round_index     INTEGER,
  checkpoint_path TEXT NOT NULL,
  truth_source    TEXT NOT NULL CHECK (truth_source IN ('synthetic','reports')),
  images          INTEGER NOT NULL,
  metrics_json    TEXT NOT NULL,
  seconds         REAL NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE INDEX evaluations_run ON evaluations(run_id);

CREATE TABLE experiments (
  id           INTEGER PRIMARY KEY,
  preset       TEXT NOT NULL,
  config_json  TEXT NOT NULL,
  seeds_json   TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('running','done','failed','stopped')),
  truth_source TEXT NOT NULL CHECK (truth_source IN ('synthetic','reports')),
  held_out     INTEGER NOT NULL,
  report_path  TEXT,
  plot_path    TEXT,
  error        TEXT,
  created_at   TEXT NOT NULL,
  finished_at  TEXT
);

-- One arm of one seed: the run that trained it and the evaluation that scored it.
CREATE TABLE experiment_arms (
  id              INTEGER PRIMARY KEY,
  experiment_id   INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  seed            INTEGER NOT NULL,
  arm             TEXT NOT NULL CHECK (arm IN ('warmup','selfplay','supervised')),
  run_id          INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  evaluation_id   INTEGER NOT NULL REFERENCES evaluations(id),
  compute_seconds REAL NOT NULL,
  warmup_steps    INTEGER NOT NULL,
  selfplay_rounds INTEGER NOT NULL,
  UNIQUE (experiment_id, seed, arm)
);
`
  },
  {
    version: 4,
    description: 'experiments.no_nodule_metrics_json: the held-out set scored as if every image were called clear, the floor the arms are read against',
    sql: `ALTER TABLE experiments ADD COLUMN no_nodule_metrics_json TEXT;`
  },
  {
    version: 5,
    description:
      'images.projection: frontal, lateral or other (NULL when the header does not say), so that a lateral view is never a study\'s model image; rows imported before are read from their ViewPosition',
    sql: `
ALTER TABLE images ADD COLUMN projection TEXT CHECK (projection IN ('frontal', 'lateral', 'other'));
UPDATE images SET projection = CASE upper(trim(view_position))
  WHEN 'PA' THEN 'frontal' WHEN 'AP' THEN 'frontal'
  WHEN 'LL' THEN 'lateral' WHEN 'RL' THEN 'lateral'
  WHEN 'LLD' THEN 'other' WHEN 'RLD' THEN 'other' WHEN 'LLO' THEN 'other' WHEN 'RLO' THEN 'other'
END;
`
  },
  {
    version: 6,
    description: 'an index on accession numbers without leading zeros or case, so that matching a report loosely does not read every study',
    sql: `CREATE INDEX studies_accession_loose ON studies(upper(ltrim(accession_number, '0')));`
  },
  {
    version: 7,
    description:
      'indexes for matching reports without accession numbers: on patient ID and study date (exact, and without leading zeros or case) and on image file paths (a report beside or inside its study\'s folder), so that no match reads every study',
    sql: `
CREATE INDEX studies_patient_date ON studies(patient_id, study_date);
CREATE INDEX studies_patient_date_loose ON studies(upper(ltrim(patient_id, '0')), study_date);
CREATE INDEX images_file_path ON images(file_path);
`
  },
  {
    version: 8,
    description:
      "reports.source_kind also 'rtf', 'docx' and 'xlsx' (RTF and Word reports, spreadsheets of reports): the table is rebuilt, as SQLite cannot change a CHECK; an index on (source_path, match_key), so that finding a report's stored copy does not read every report",
    sql: reportsRebuiltForKinds(['txt', 'rtf', 'docx', 'json', 'csv', 'xlsx', 'sr'])
  },
  {
    version: 9,
    description:
      "reports.source_kind also 'pdf' (a PDF report file, or an Encapsulated PDF in the study's DICOM), 'xls' (an Excel 97–2003 workbook of reports) and 'doc' (RTF or HTML saved as .doc or .wps): the table is rebuilt, as SQLite cannot change a CHECK",
    sql: reportsRebuiltForKinds(['txt', 'rtf', 'doc', 'docx', 'pdf', 'json', 'csv', 'xlsx', 'xls', 'sr'])
  },
  {
    version: 10,
    description:
      'report_errors: the report files (or rows of them) an import could not read, each with its reason, so that the Library lists them beside the DICOM files that failed',
    sql: `
CREATE TABLE report_errors (
  id             INTEGER PRIMARY KEY,
  import_job_id  INTEGER NOT NULL REFERENCES import_jobs(id),
  file_path      TEXT NOT NULL,
  error          TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX report_errors_job ON report_errors(import_job_id);
CREATE INDEX report_errors_file ON report_errors(file_path);
`
  },
  {
    version: 11,
    description:
      "reports.source_kind also 'hl7' (HL7 v2 result messages a RIS interface wrote to a file) and 'cda' (an HL7 CDA report kept in the study as an Encapsulated CDA): the table is rebuilt, as SQLite cannot change a CHECK",
    sql: reportsRebuiltForKinds(['txt', 'rtf', 'doc', 'docx', 'pdf', 'json', 'csv', 'xlsx', 'xls', 'hl7', 'sr', 'cda'])
  },
  {
    version: 12,
    description: "reviews.comment: the reader's optional free-text comment on a decision (REFERENCE §6's per-finding card)",
    sql: `ALTER TABLE reviews ADD COLUMN comment TEXT;`
  },
  {
    version: 13,
    description:
      'findings written by `vzw describe` before it stored them as runs do: the nodule finding out of the whole parsed report, ' +
      'and the image the model read (the study model image rule of then), so Review shows their structure and film',
    sql: `UPDATE findings SET
        image_id = (SELECT mi.id FROM images mi JOIN series ms ON ms.id = mi.series_id
                     WHERE ms.study_id = findings.study_id AND mi.status = 'ok' AND mi.for_processing = 0 AND mi.model_path IS NOT NULL
                       AND (mi.projection IS NULL OR mi.projection = 'frontal')
                     ORDER BY mi.projection IS NULL, mi.id LIMIT 1),
        structured_json = json_extract(structured_json, '$.nodules')
      WHERE image_id IS NULL AND json_valid(structured_json) AND json_type(structured_json, '$.nodules') = 'object';`
  },
  {
    version: 14,
    description:
      "reports.source_kind also 'xml' (a RIS's XML export of reports, or a CDA document as a file) and 'mht' (a web archive a browser saved a report page as): the table is rebuilt, as SQLite cannot change a CHECK",
    sql: reportsRebuiltForKinds(['txt', 'rtf', 'doc', 'docx', 'pdf', 'json', 'csv', 'xlsx', 'xls', 'hl7', 'sr', 'cda', 'xml', 'mht'])
  },
  {
    version: 15,
    description:
      "reports.source_kind also 'html' (a report page, or a worklist page of reports, a browser or a web RIS saved) and 'odt' (an OpenDocument text, LibreOffice's own format): the table is rebuilt, as SQLite cannot change a CHECK",
    sql: reportsRebuiltForKinds(['txt', 'rtf', 'doc', 'docx', 'pdf', 'json', 'csv', 'xlsx', 'xls', 'hl7', 'sr', 'cda', 'xml', 'mht', 'html', 'odt'])
  },
  {
    version: 16,
    description: "reports.source_kind also 'ods' (an OpenDocument spreadsheet, LibreOffice Calc's own format): the table is rebuilt, as SQLite cannot change a CHECK",
    sql: reportsRebuiltForKinds(['txt', 'rtf', 'doc', 'docx', 'pdf', 'json', 'csv', 'xlsx', 'xls', 'hl7', 'sr', 'cda', 'xml', 'mht', 'html', 'odt', 'ods'])
  },
  {
    version: 17,
    description:
      "images.model_image_rank: a film as acquired (0) before a copy made from it (1), a dual-energy soft-tissue or bone-suppressed image (2) and a dual-energy bone image (3) as its study's model image; films imported before it count as acquired",
    sql: `ALTER TABLE images ADD COLUMN model_image_rank INTEGER NOT NULL DEFAULT 0;`
  },
  {
    version: 18,
    description:
      "findings.certainty: the model's certainty of its finding (0–1: the lowest probability it gave a token on its way to the finding, model/finding-certainty.ts), so a reader can take the least certain first; null for findings written before it",
    sql: `ALTER TABLE findings ADD COLUMN certainty REAL;`
  },
  {
    version: 19,
    description:
      "no index on images.status: nearly every image is 'ok', yet with it SQLite found a study's model image by scanning every 'ok' image for each study (STUDY_MODEL_IMAGE_ID), so the library's counts and filters grew with the square of its size (a minute at 20,000 studies); the study's series and their images are searched instead",
    sql: `DROP INDEX images_status;`
  },
  {
    version: 20,
    description:
      'studies(study_date, id): the Library lists studies newest first a page at a time; without an index each page sorted the whole library (0.35 s a page at 100,000 studies, now a few ms)',
    sql: `CREATE INDEX studies_date ON studies(study_date, id);`
  },
  {
    version: 21,
    description:
      "film_cases: the case a dataset's table of films gives each film (IU X-ray's indiana_projections.csv: uid → filename), so that the reports of that case (indiana_reports.csv: uid → findings) find its study",
    sql: `CREATE TABLE film_cases (
  case_key    TEXT NOT NULL,
  image_id    INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  source_path TEXT NOT NULL,
  PRIMARY KEY (case_key, image_id)
);
CREATE INDEX film_cases_image ON film_cases(image_id);`
  },
  {
    version: 22,
    description:
      'import_jobs.pictures_among_dicom: PNG and JPEG pictures a job passed over for lying in a folder of DICOM films (copies of them), so the Library can say why, and how to import a folder of pictures',
    sql: `ALTER TABLE import_jobs ADD COLUMN pictures_among_dicom INTEGER NOT NULL DEFAULT 0;`
  },
  {
    version: 23,
    description:
      "studies(description): a picture study is named by its study folder or its file, and a report named like it finds it by that name (MIMIC-CXR's reports kept apart from MIMIC-CXR-JPG's films), a lookup per report",
    sql: `CREATE INDEX studies_description ON studies(description);`
  },
  {
    version: 24,
    description:
      "film_index_entries: what a dataset's table of films says of each film it names, kept so that films imported after the table get it too (MIMIC-CXR-JPG's metadata at its root, its films imported a folder at a time)",
    sql: `CREATE TABLE film_index_entries (
  table_path      TEXT NOT NULL,
  image_key       TEXT NOT NULL,
  view            TEXT,
  case_id         TEXT,
  patient_id      TEXT,
  study_date      TEXT,
  spacing_row_mm  REAL,
  spacing_col_mm  REAL,
  spacing_rows    INTEGER,
  spacing_columns INTEGER,
  PRIMARY KEY (table_path, image_key)
) WITHOUT ROWID;
CREATE INDEX film_index_entries_key ON film_index_entries(image_key);`
  },
  {
    version: 25,
    description:
      "import_jobs.films_indexed: films of a job a dataset's table of films named (their view, patient, date, pixel spacing or case taken from it), so the Library can say the table was read",
    sql: `ALTER TABLE import_jobs ADD COLUMN films_indexed INTEGER NOT NULL DEFAULT 0;`
  },
  {
    version: 26,
    description:
      "images.file_name: each film's file name (its path after the last separator, either kind), indexed, so that a report kept in a folder of reports finds the one film of its name beside it (reports/film1.txt, images/film1.dcm) at a lookup a report",
    sql: `ALTER TABLE images ADD COLUMN file_name TEXT GENERATED ALWAYS AS (replace(file_path, rtrim(file_path, replace(replace(file_path, '/', ''), '\\', '')), '')) VIRTUAL;
CREATE INDEX images_file_name ON images(file_name);`
  },
  {
    version: 27,
    description:
      "images.frontal_likeness: how frontal a film's pixels look (mirror symmetry and the mediastinum's brightness, dicom/frontal-likeness.ts), so that of a study's films whose headers do not tell a frontal from a lateral the study's model image is the frontal one; NULL for films imported before (they keep the order of import)",
    sql: `ALTER TABLE images ADD COLUMN frontal_likeness REAL;`
  }
]

export const latestSchemaVersion = migrations[migrations.length - 1].version

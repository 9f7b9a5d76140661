"""Numbered schema migrations.

``MIGRATIONS[n - 1]`` takes a database from version ``n - 1`` to ``n``; the version lives
in ``PRAGMA user_version``. A migration is SQL run in the same transaction as the version
bump, so a failed migration leaves the database at its previous version. Never edit a
migration that has shipped: add a new one, and a test that starts from every earlier
version (tests/storage/test_migrations.py) checks the path.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]

# Columns every record carries (ARCHITECTURE.md, "Data").
_RECORD = """
    id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT"""


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    (``executescript`` would commit first, breaking the all-or-nothing migration.)
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer!r}")


def _v1_foundation(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        f"""
        CREATE TABLE meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE neighbourhoods ({_RECORD},
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (name <> ''),
            commune TEXT NOT NULL,
            population INTEGER CHECK (population IS NULL OR population >= 0),
            population_source TEXT,
            urban_renewal INTEGER NOT NULL DEFAULT 0 CHECK (urban_renewal IN (0, 1)),
            notes TEXT NOT NULL DEFAULT ''
        ) STRICT;

        CREATE TABLE councils ({_RECORD},
            name TEXT NOT NULL CHECK (name <> ''),
            status TEXT NOT NULL DEFAULT 'en_creation'
                CHECK (status IN ('en_creation', 'actif', 'en_sommeil')),
            facilitator_name TEXT NOT NULL DEFAULT '',
            facilitator_contact TEXT NOT NULL DEFAULT '',
            venue TEXT NOT NULL DEFAULT '',
            recognised_on TEXT,
            notes TEXT NOT NULL DEFAULT ''
        ) STRICT;

        CREATE TABLE council_neighbourhoods ({_RECORD},
            council_id TEXT NOT NULL REFERENCES councils(id),
            neighbourhood_id TEXT NOT NULL REFERENCES neighbourhoods(id),
            UNIQUE (council_id, neighbourhood_id)
        ) STRICT;

        CREATE TABLE people ({_RECORD},
            first_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            gender TEXT NOT NULL DEFAULT 'non_precise'
                CHECK (gender IN ('femme', 'homme', 'non_precise')),
            organisation TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
            lives_in_qpv INTEGER CHECK (lives_in_qpv IS NULL OR lives_in_qpv IN (0, 1)),
            notes TEXT NOT NULL DEFAULT '',
            consent_date TEXT,
            consent_contact INTEGER NOT NULL DEFAULT 0 CHECK (consent_contact IN (0, 1)),
            consent_photos INTEGER NOT NULL DEFAULT 0 CHECK (consent_photos IN (0, 1)),
            search_key TEXT NOT NULL DEFAULT '',
            sort_key TEXT NOT NULL DEFAULT '',
            CHECK (first_name <> '' OR last_name <> '' OR deleted_at IS NOT NULL)
        ) STRICT;
        CREATE INDEX people_sort ON people (sort_key);

        CREATE TABLE memberships ({_RECORD},
            council_id TEXT NOT NULL REFERENCES councils(id),
            person_id TEXT NOT NULL REFERENCES people(id),
            college TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'membre',
            joined_on TEXT,
            left_on TEXT,
            notes TEXT NOT NULL DEFAULT '',
            CHECK (left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on)
        ) STRICT;
        CREATE INDEX memberships_council ON memberships (council_id);
        CREATE INDEX memberships_person ON memberships (person_id);

        CREATE TABLE vocabulary ({_RECORD},
            kind TEXT NOT NULL,
            code TEXT NOT NULL,
            label_fr TEXT NOT NULL CHECK (label_fr <> ''),
            label_en TEXT NOT NULL DEFAULT '',
            grouping TEXT NOT NULL DEFAULT '',
            sort_order INTEGER NOT NULL DEFAULT 0,
            system INTEGER NOT NULL DEFAULT 0 CHECK (system IN (0, 1)),
            UNIQUE (kind, code)
        ) STRICT;

        CREATE TABLE perr_objectives ({_RECORD},
            code TEXT NOT NULL UNIQUE,
            parent_code TEXT REFERENCES perr_objectives(code),
            level TEXT NOT NULL CHECK (level IN ('pillar', 'theme', 'objective', 'sub_objective')),
            label_fr TEXT NOT NULL CHECK (label_fr <> ''),
            label_en TEXT NOT NULL DEFAULT '',
            note_fr TEXT NOT NULL DEFAULT '',
            note_en TEXT NOT NULL DEFAULT '',
            sort_order INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        """
    )


def _v2_meetings(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        f"""
        ALTER TABLE councils ADD COLUMN quorum_percent INTEGER DEFAULT 50
            CHECK (quorum_percent IS NULL OR quorum_percent BETWEEN 1 AND 100);

        CREATE TABLE meetings ({_RECORD},
            council_id TEXT NOT NULL REFERENCES councils(id),
            kind TEXT NOT NULL,
            title TEXT NOT NULL CHECK (title <> ''),
            starts_at TEXT NOT NULL,
            ends_at TEXT,
            venue TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
            minutes_status TEXT NOT NULL DEFAULT 'brouillon'
                CHECK (minutes_status IN ('brouillon', 'valide')),
            validated_at TEXT,
            validated_in_meeting_id TEXT REFERENCES meetings(id),
            copied_from_id TEXT REFERENCES meetings(id),
            CHECK (ends_at IS NULL OR ends_at > starts_at)
        ) STRICT;
        CREATE INDEX meetings_council ON meetings (council_id, starts_at);
        CREATE INDEX meetings_start ON meetings (starts_at);

        CREATE TABLE meeting_guest_councils ({_RECORD},
            meeting_id TEXT NOT NULL REFERENCES meetings(id),
            council_id TEXT NOT NULL REFERENCES councils(id),
            UNIQUE (meeting_id, council_id)
        ) STRICT;
        CREATE INDEX meeting_guest_councils_council ON meeting_guest_councils (council_id);

        CREATE TABLE meeting_objectives ({_RECORD},
            meeting_id TEXT NOT NULL REFERENCES meetings(id),
            objective_code TEXT NOT NULL REFERENCES perr_objectives(code),
            UNIQUE (meeting_id, objective_code)
        ) STRICT;

        CREATE TABLE agenda_items ({_RECORD},
            meeting_id TEXT NOT NULL REFERENCES meetings(id),
            position INTEGER NOT NULL,
            title TEXT NOT NULL CHECK (title <> ''),
            duration_minutes INTEGER CHECK (duration_minutes IS NULL OR duration_minutes > 0),
            presenter TEXT NOT NULL DEFAULT '',
            objective_code TEXT REFERENCES perr_objectives(code),
            notes TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

        CREATE TABLE attendance ({_RECORD},
            meeting_id TEXT NOT NULL REFERENCES meetings(id),
            person_id TEXT NOT NULL REFERENCES people(id),
            invited INTEGER NOT NULL DEFAULT 1 CHECK (invited IN (0, 1)),
            member INTEGER NOT NULL DEFAULT 1 CHECK (member IN (0, 1)),
            status TEXT,
            proxy_person_id TEXT REFERENCES people(id),
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (meeting_id, person_id),
            CHECK (proxy_person_id IS NULL OR status = 'represente')
        ) STRICT;
        CREATE INDEX attendance_person ON attendance (person_id);

        CREATE TABLE headcounts ({_RECORD},
            meeting_id TEXT NOT NULL REFERENCES meetings(id),
            gender TEXT NOT NULL CHECK (gender IN ('femme', 'homme', 'non_precise')),
            age_band TEXT NOT NULL
                CHECK (age_band IN ('moins_16', '16_25', '26_59', '60_plus', 'non_precise')),
            lives_in_qpv INTEGER CHECK (lives_in_qpv IS NULL OR lives_in_qpv IN (0, 1)),
            first_time INTEGER CHECK (first_time IS NULL OR first_time IN (0, 1)),
            count INTEGER NOT NULL CHECK (count >= 0)
        ) STRICT;
        CREATE INDEX headcounts_meeting ON headcounts (meeting_id);

        CREATE TABLE decisions ({_RECORD},
            meeting_id TEXT NOT NULL REFERENCES meetings(id),
            agenda_item_id TEXT REFERENCES agenda_items(id),
            position INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL CHECK (text <> ''),
            votes_for INTEGER CHECK (votes_for IS NULL OR votes_for >= 0),
            votes_against INTEGER CHECK (votes_against IS NULL OR votes_against >= 0),
            votes_abstain INTEGER CHECK (votes_abstain IS NULL OR votes_abstain >= 0)
        ) STRICT;
        CREATE INDEX decisions_meeting ON decisions (meeting_id);

        CREATE TABLE actions ({_RECORD},
            council_id TEXT NOT NULL REFERENCES councils(id),
            meeting_id TEXT NOT NULL REFERENCES meetings(id),
            agenda_item_id TEXT REFERENCES agenda_items(id),
            position INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL CHECK (text <> ''),
            assignee_person_id TEXT REFERENCES people(id),
            assignee_body TEXT NOT NULL DEFAULT '',
            due_on TEXT,
            status TEXT NOT NULL DEFAULT 'a_faire'
                CHECK (status IN ('a_faire', 'en_cours', 'fait', 'abandonne')),
            closed_on TEXT
        ) STRICT;
        CREATE INDEX actions_council ON actions (council_id, status);
        CREATE INDEX actions_meeting ON actions (meeting_id);

        CREATE TABLE action_updates ({_RECORD},
            action_id TEXT NOT NULL REFERENCES actions(id),
            meeting_id TEXT NOT NULL REFERENCES meetings(id),
            status TEXT NOT NULL CHECK (status IN ('a_faire', 'en_cours', 'fait', 'abandonne')),
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (action_id, meeting_id)
        ) STRICT;
        CREATE INDEX action_updates_meeting ON action_updates (meeting_id);

        CREATE TABLE amendments ({_RECORD},
            meeting_id TEXT NOT NULL REFERENCES meetings(id),
            text TEXT NOT NULL CHECK (text <> ''),
            recorded_on TEXT NOT NULL
        ) STRICT;
        """,
    )


def _v3_walks(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        f"""
        CREATE TABLE media ({_RECORD},
            sha256 TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('photo', 'plan')),
            original_name TEXT NOT NULL DEFAULT '',
            original_size INTEGER,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            taken_at TEXT,
            latitude REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
            longitude REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
            camera TEXT NOT NULL DEFAULT ''
        ) STRICT;

        CREATE TABLE walks ({_RECORD},
            council_id TEXT NOT NULL REFERENCES councils(id),
            title TEXT NOT NULL CHECK (title <> ''),
            walk_date TEXT NOT NULL,
            start_time TEXT,
            period TEXT NOT NULL DEFAULT 'jour' CHECK (period IN ('jour', 'nuit')),
            weather TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            counted_participants INTEGER NOT NULL DEFAULT 0 CHECK (counted_participants >= 0),
            plan_media_id TEXT REFERENCES media(id),
            previous_walk_id TEXT REFERENCES walks(id),
            meeting_id TEXT REFERENCES meetings(id)
        ) STRICT;
        CREATE INDEX walks_council ON walks (council_id, walk_date);

        CREATE TABLE walk_stops ({_RECORD},
            walk_id TEXT NOT NULL REFERENCES walks(id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL CHECK (name <> ''),
            address TEXT NOT NULL DEFAULT '',
            latitude REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
            longitude REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
            plan_x REAL CHECK (plan_x IS NULL OR plan_x BETWEEN 0 AND 1),
            plan_y REAL CHECK (plan_y IS NULL OR plan_y BETWEEN 0 AND 1),
            notes TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX walk_stops_walk ON walk_stops (walk_id, position);

        CREATE TABLE walk_participants ({_RECORD},
            walk_id TEXT NOT NULL REFERENCES walks(id),
            person_id TEXT REFERENCES people(id),
            name TEXT NOT NULL DEFAULT '',
            organisation TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL,
            CHECK (person_id IS NOT NULL OR name <> '')
        ) STRICT;
        CREATE INDEX walk_participants_walk ON walk_participants (walk_id);

        CREATE TABLE observations ({_RECORD},
            walk_id TEXT NOT NULL REFERENCES walks(id),
            number INTEGER NOT NULL CHECK (number > 0),
            stop_id TEXT REFERENCES walk_stops(id),
            theme TEXT,
            positive INTEGER NOT NULL DEFAULT 0 CHECK (positive IN (0, 1)),
            description TEXT NOT NULL DEFAULT '',
            feeling TEXT NOT NULL DEFAULT '',
            proposal TEXT NOT NULL DEFAULT '',
            priority INTEGER CHECK (priority IS NULL OR priority BETWEEN 1 AND 3),
            objective_code TEXT REFERENCES perr_objectives(code),
            tags TEXT NOT NULL DEFAULT '',
            latitude REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
            longitude REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
            plan_x REAL CHECK (plan_x IS NULL OR plan_x BETWEEN 0 AND 1),
            plan_y REAL CHECK (plan_y IS NULL OR plan_y BETWEEN 0 AND 1),
            UNIQUE (walk_id, number)
        ) STRICT;
        CREATE INDEX observations_stop ON observations (stop_id);

        CREATE TABLE photos ({_RECORD},
            walk_id TEXT NOT NULL REFERENCES walks(id),
            media_id TEXT NOT NULL REFERENCES media(id),
            stop_id TEXT REFERENCES walk_stops(id),
            observation_id TEXT REFERENCES observations(id),
            identifiable INTEGER NOT NULL DEFAULT 0 CHECK (identifiable IN (0, 1)),
            include_anyway INTEGER NOT NULL DEFAULT 0 CHECK (include_anyway IN (0, 1)),
            caption TEXT NOT NULL DEFAULT '',
            UNIQUE (walk_id, media_id)
        ) STRICT;
        CREATE INDEX photos_observation ON photos (observation_id);
        CREATE INDEX photos_stop ON photos (stop_id);

        CREATE TABLE followups ({_RECORD},
            observation_id TEXT NOT NULL REFERENCES observations(id),
            body TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'a_transmettre',
            next_reminder_on TEXT,
            UNIQUE (observation_id, body)
        ) STRICT;
        CREATE INDEX followups_status ON followups (status);

        CREATE TABLE followup_steps ({_RECORD},
            followup_id TEXT NOT NULL REFERENCES followups(id),
            step_date TEXT NOT NULL,
            status TEXT NOT NULL,
            channel TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            next_reminder_on TEXT
        ) STRICT;
        CREATE INDEX followup_steps_followup ON followup_steps (followup_id, step_date);
        """,
    )


def _v4_indicators(conn: sqlite3.Connection) -> None:
    """Indexes only, for the indicators (services/indicators.py): the dashboard
    recomputes every figure on each filter change, over years of data. Each index holds
    every column its query reads, ``deleted_at`` second so that « live rows of this
    meeting / walk / observation » is a lookup, and the figures come from the indexes
    without reading the tables."""
    run_script(
        conn,
        """
        CREATE INDEX attendance_meeting_status ON attendance (meeting_id, deleted_at,
            status, member, person_id);
        CREATE INDEX attendance_person_status ON attendance (person_id, deleted_at, status,
            meeting_id);
        CREATE INDEX agenda_items_meeting_objective ON agenda_items (meeting_id, deleted_at,
            objective_code);
        CREATE INDEX walks_date ON walks (walk_date);
        CREATE INDEX observations_walk_live ON observations (walk_id, deleted_at, theme,
            positive, objective_code);
        CREATE INDEX followups_observation_live ON followups (observation_id, deleted_at,
            status, next_reminder_on, body);
        CREATE INDEX followup_steps_live ON followup_steps (followup_id, deleted_at,
            step_date, status);
        CREATE INDEX followup_steps_status_date ON followup_steps (status, deleted_at,
            step_date);
        """,
    )


def _v5_exchange(conn: sqlite3.Connection) -> None:
    """Exchange between laptops (services/exchange.py, docs/exchange-format.md).

    ``meta.database_id`` names this database in the packages it writes (random, made
    once). ``sync_state``: per peer database, the ``created_at`` of the last package
    imported from it. ``sync_records``: per peer and record, the version both sides held
    at the last exchange (its ``updated_at`` and a short hash of each field, never the
    values), the base of the three-way merge. ``conflicts``: edits made on both sides,
    waiting for the user. ``pseudonyms``: the stable numbers of anonymised exports.
    None of these tables travels in a package.
    """
    import uuid

    run_script(
        conn,
        """
        CREATE TABLE sync_state (
            peer_id TEXT PRIMARY KEY NOT NULL,
            peer_name TEXT NOT NULL DEFAULT '',
            last_created_at TEXT NOT NULL,
            imported_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE sync_records (
            peer_id TEXT NOT NULL,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            fields TEXT NOT NULL,
            PRIMARY KEY (peer_id, table_name, record_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX sync_records_record ON sync_records (table_name, record_id);

        CREATE TABLE conflicts (
            id TEXT PRIMARY KEY NOT NULL,
            peer_id TEXT NOT NULL,
            peer_name TEXT NOT NULL DEFAULT '',
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            local_row TEXT NOT NULL,
            incoming_row TEXT NOT NULL,
            fields TEXT NOT NULL,
            detected_at TEXT NOT NULL,
            settled_at TEXT,
            choice TEXT
        ) STRICT;
        CREATE INDEX conflicts_record ON conflicts (table_name, record_id, settled_at);

        CREATE TABLE pseudonyms (
            subject_id TEXT PRIMARY KEY NOT NULL,
            number INTEGER NOT NULL UNIQUE CHECK (number > 0)
        ) STRICT;
        """,
    )
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', ?)",
                 (str(uuid.uuid4()),))


def _v6_search(conn: sqlite3.Connection) -> None:
    """Full-text search across observations and meetings (services/search.py, issue 7).

    ``search_fts`` is an FTS5 table, accent- and case-insensitive (``unicode61
    remove_diacritics 2``), of the live records' free text: one document per observation,
    meeting, agenda item, decision, action, walk and stop of a walk, in three columns
    (``title``, ``body`` and ``extra``, less telling words). ``search_map`` names the
    record behind each document (its rowid). Triggers keep both in step with every
    insert, edit, tombstone and restore, whoever writes (the window, an import, an
    exchange package, an erasure); the documents of the records already there are made
    here. Neither table travels in an exchange package nor holds anything the records do
    not (services/privacy.py purges the words of erased text from the index). Covering
    indexes serve the « Suivi » list over years of follow-ups and the walks list.
    """
    # kind: (table, title, body, extra) — SQL over the row (NEW or OLD), frozen here.
    documents = {
        "observation": ("observations", "''",
                        "{r}.description || ' ' || {r}.proposal",
                        "{r}.feeling || ' ' || {r}.tags"),
        "meeting": ("meetings", "{r}.title", "{r}.notes", "{r}.venue"),
        "agenda_item": ("agenda_items", "{r}.title", "{r}.notes", "{r}.presenter"),
        "decision": ("decisions", "''", "{r}.text", "''"),
        "action": ("actions", "''", "{r}.text", "{r}.assignee_body"),
        "walk": ("walks", "{r}.title", "{r}.notes", "{r}.weather"),
        "walk_stop": ("walk_stops", "{r}.name", "{r}.notes", "{r}.address"),
    }
    run_script(
        conn,
        """
        CREATE TABLE search_map (
            docid INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            UNIQUE (record_id, kind)
        ) STRICT;

        CREATE VIRTUAL TABLE search_fts USING fts5(
            title, body, extra, tokenize = "unicode61 remove_diacritics 2");

        -- The « Suivi » list over ten years (services/followups.list_ids): from a walk
        -- to its observations to their follow-ups without reading the tables.
        CREATE INDEX observations_walk_list ON observations (walk_id, deleted_at, id,
            number, stop_id, theme);
        CREATE INDEX followups_observation_list ON followups (observation_id, deleted_at,
            id, status, next_reminder_on, body);
        -- The walks list counts each walk's live photos.
        CREATE INDEX photos_walk_live ON photos (walk_id, deleted_at);
        """,
    )
    for kind, (table, title, body, extra) in documents.items():
        def doc(row: str, kind=kind, title=title, body=body, extra=extra) -> str:
            return (f"INSERT INTO search_fts (rowid, title, body, extra) "
                    f"SELECT docid, {title.format(r=row)}, {body.format(r=row)}, "
                    f"{extra.format(r=row)} FROM search_map "
                    f"WHERE record_id = {row}.id AND kind = '{kind}';")

        forget = (f"DELETE FROM search_fts WHERE rowid = (SELECT docid FROM search_map "
                  f"WHERE record_id = OLD.id AND kind = '{kind}'); "
                  f"DELETE FROM search_map WHERE record_id = OLD.id AND kind = '{kind}';")
        remember = (f"INSERT INTO search_map (kind, record_id) "
                    f"SELECT '{kind}', NEW.id WHERE NEW.deleted_at IS NULL; ")
        columns = sorted({c for part in (title, body, extra)
                          for c in re.findall(r"\{r\}\.(\w+)", part)} | {"deleted_at"})
        run_script(
            conn,
            f"""
            CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN
                {remember} {doc("NEW")}
            END;
            CREATE TRIGGER search_{table}_update AFTER UPDATE OF {", ".join(columns)}
            ON {table} BEGIN
                {forget} {remember} {doc("NEW")}
            END;
            CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN
                {forget}
            END;
            INSERT INTO search_map (kind, record_id)
                SELECT '{kind}', id FROM {table} WHERE deleted_at IS NULL;
            INSERT INTO search_fts (rowid, title, body, extra)
                SELECT m.docid, {title.format(r="t")}, {body.format(r="t")},
                       {extra.format(r="t")}
                FROM search_map m JOIN {table} t ON t.id = m.record_id
                WHERE m.kind = '{kind}';
            """,
        )


MIGRATIONS: list[Migration] = [
    _v1_foundation,
    _v2_meetings,
    _v3_walks,
    _v4_indicators,
    _v5_exchange,
    _v6_search,
]

LATEST_VERSION = len(MIGRATIONS)

# "PERR" in ASCII, in the file header: tells our databases from other SQLite files.
APPLICATION_ID = 0x50455252


def apply(conn: sqlite3.Connection, target: int | None = None) -> list[int]:
    """Bring ``conn`` up to ``target`` (the latest by default), one transaction per step;
    return the steps run."""
    target = LATEST_VERSION if target is None else target
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    ran = []
    for version in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](conn)
            conn.execute(f"PRAGMA user_version = {version:d}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise sqlite3.IntegrityError(f"migration {version} broke foreign keys: {problems}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        ran.append(version)
    return ran

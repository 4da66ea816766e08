-- The fact store: typed facts, their sources and links, every revision, and full-text search.

CREATE TABLE facts (
    rowid          INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 64),
    kind           TEXT NOT NULL CHECK (kind IN ('nuclear_test', 'missile_launch', 'satellite_launch',
                       'un_resolution', 'un_draft', 'un_body', 'unilateral', 'agreement', 'multilateral',
                       'summit', 'bilateral', 'withdrawal')),
    category       TEXT NOT NULL CHECK (category IN ('tests', 'sanctions', 'talks')),
    title          TEXT NOT NULL CHECK (length(title) > 0),
    summary        TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',
    date           TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]*'),
    end_date       TEXT CHECK (end_date IS NULL OR end_date >= substr(date, 1, length(end_date))),
    date_uncertain INTEGER NOT NULL DEFAULT 0 CHECK (date_uncertain IN (0, 1)),
    note           TEXT NOT NULL DEFAULT '',
    figures        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(figures)),
    aliases        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
    tags           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    -- 'dataset' facts may be updated by a re-seed until someone edits them (edited = 1).
    origin         TEXT NOT NULL CHECK (origin IN ('dataset', 'moderator', 'import')),
    edited         INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),
    retired_at     TEXT,
    retired_reason TEXT NOT NULL DEFAULT '',
    revision       INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    updated_at     TEXT NOT NULL
);
CREATE INDEX facts_by_category_date ON facts (category, date);
CREATE INDEX facts_by_kind_date ON facts (kind, date);
CREATE INDEX facts_by_resolution ON facts (json_extract(figures, '$.resolution_number'))
    WHERE kind = 'un_resolution';

CREATE TABLE fact_sources (
    fact_id   TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE ON UPDATE CASCADE,
    position  INTEGER NOT NULL,
    url       TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
    publisher TEXT NOT NULL CHECK (length(publisher) > 0),
    title     TEXT NOT NULL DEFAULT '',
    date      TEXT,
    PRIMARY KEY (fact_id, position)
);

-- Links may point at facts written later in the same transaction, hence deferred.
CREATE TABLE fact_links (
    from_id  TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    to_id    TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    relation TEXT NOT NULL CHECK (relation IN ('related', 'responds_to')),
    position INTEGER NOT NULL,
    PRIMARY KEY (from_id, relation, to_id),
    CHECK (from_id <> to_id)
);
CREATE INDEX fact_links_by_target ON fact_links (to_id, relation);

-- A full snapshot of a fact's content after every change, written in the change's transaction.
CREATE TABLE fact_revisions (
    fact_id     TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    action      TEXT NOT NULL CHECK (action IN ('seed', 'add', 'edit', 'retire', 'restore', 'revert', 'import')),
    snapshot    TEXT NOT NULL CHECK (json_valid(snapshot)),
    editor_id   INTEGER,
    editor_name TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (fact_id, revision)
);

CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Names (id and aliases), title, summary, body and tags, diacritics folded: "Hwasŏng" finds "Hwasong".
CREATE VIRTUAL TABLE facts_fts USING fts5 (
    names, title, summary, body, tags,
    tokenize = "unicode61 remove_diacritics 2"
);

CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN
    INSERT INTO facts_fts (rowid, names, title, summary, body, tags) VALUES (
        new.rowid,
        new.id || ' ' || (SELECT ifnull(group_concat(value, ' | '), '') FROM json_each(new.aliases)),
        new.title, new.summary, new.body,
        (SELECT ifnull(group_concat(value, ' | '), '') FROM json_each(new.tags)));
END;

CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts BEGIN
    DELETE FROM facts_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER facts_fts_update AFTER UPDATE OF id, title, summary, body, aliases, tags ON facts BEGIN
    DELETE FROM facts_fts WHERE rowid = old.rowid;
    INSERT INTO facts_fts (rowid, names, title, summary, body, tags) VALUES (
        new.rowid,
        new.id || ' ' || (SELECT ifnull(group_concat(value, ' | '), '') FROM json_each(new.aliases)),
        new.title, new.summary, new.body,
        (SELECT ifnull(group_concat(value, ' | '), '') FROM json_each(new.tags)));
END;

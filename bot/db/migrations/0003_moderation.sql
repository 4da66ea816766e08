-- Per-server settings, moderator drafts and members' suggested corrections.

CREATE TABLE guild_settings (
    guild_id          INTEGER PRIMARY KEY,
    moderator_role_id INTEGER,
    audit_channel_id  INTEGER,
    updated_at        TEXT NOT NULL
);

-- What a moderator typed in the add/edit forms, kept until saved or cancelled, so nothing is lost.
CREATE TABLE fact_drafts (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('add', 'edit')),
    fact_id       TEXT,
    base_revision INTEGER,
    draft         TEXT NOT NULL CHECK (json_valid(draft)),
    created_at    TEXT NOT NULL,
    CHECK ((action = 'add') = (base_revision IS NULL))
);
CREATE INDEX fact_drafts_by_owner ON fact_drafts (guild_id, user_id);

CREATE TABLE suggestions (
    id          INTEGER PRIMARY KEY,
    fact_id     TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    user_name   TEXT NOT NULL,
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')),
    handled_by  INTEGER,
    created_at  TEXT NOT NULL,
    handled_at  TEXT
);
CREATE INDEX suggestions_open ON suggestions (status, created_at);

-- An uploaded import file between its dry run and the moderator's Confirm.
CREATE TABLE pending_imports (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    filename   TEXT NOT NULL,
    file_format TEXT NOT NULL CHECK (file_format IN ('json', 'csv')),
    data       BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- A livelier daily quiz: an opt-in role pinged by each post, a discussion thread opened at the reveal,
-- and the answer count shown on the open post (what was last shown and when, so that after a restart
-- the count is neither edited again needlessly nor more often than once in 10 seconds).
-- Idempotent, like 0006 and 0007: new tables rather than new columns (SQLite's ADD COLUMN cannot be
-- run twice), so it can run again over a database taken back to an older schema version.

CREATE TABLE IF NOT EXISTS quiz_server_options (
    guild_id    INTEGER PRIMARY KEY REFERENCES quiz_settings (guild_id) ON DELETE CASCADE,
    role_id     INTEGER,
    open_thread INTEGER NOT NULL DEFAULT 0 CHECK (open_thread IN (0, 1))
);

CREATE TABLE IF NOT EXISTS quiz_post_live (
    post_id       INTEGER PRIMARY KEY REFERENCES quiz_posts (id) ON DELETE CASCADE,
    shown_answers INTEGER NOT NULL DEFAULT 0 CHECK (shown_answers >= 0),
    shown_at      TEXT,
    thread_id     INTEGER
);

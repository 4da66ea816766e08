-- The quiz's weekly recap and its "on this day" line. Idempotent, like 0006 to 0010: new tables only.

-- Per server: the weekday of the recap (0 = Monday … 6 = Sunday; NULL: no recap) and whether the daily
-- post names an event of its date in a past year.
CREATE TABLE IF NOT EXISTS quiz_server_extras (
    guild_id    INTEGER PRIMARY KEY REFERENCES quiz_settings (guild_id) ON DELETE CASCADE,
    recap_day   INTEGER CHECK (recap_day IS NULL OR recap_day BETWEEN 0 AND 6),
    on_this_day INTEGER NOT NULL DEFAULT 0 CHECK (on_this_day IN (0, 1))
);

-- One recap per server and week (the Monday of the week it is posted in), claimed before anything is
-- sent exactly as a daily post is (claimed -> posted; or failed, retried while attempts last). "empty":
-- the week had no answers, so nothing was posted. It covers the seven local dates before `local_date`.
CREATE TABLE IF NOT EXISTS quiz_recaps (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    week       TEXT NOT NULL CHECK (week GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    local_date TEXT NOT NULL CHECK (local_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    state      TEXT NOT NULL CHECK (state IN ('claimed', 'posted', 'failed', 'empty')),
    channel_id INTEGER,
    message_id INTEGER UNIQUE,
    attempts   INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT NOT NULL DEFAULT '',
    claimed_at TEXT NOT NULL,
    posted_at  TEXT,
    UNIQUE (guild_id, week),
    CHECK (state <> 'posted' OR (message_id IS NOT NULL AND posted_at IS NOT NULL))
);

-- The event of the day's date named on a daily post, as shown (kept with the post, so the count edits
-- and the reveal show the same line).
CREATE TABLE IF NOT EXISTS quiz_post_on_this_day (
    post_id INTEGER PRIMARY KEY REFERENCES quiz_posts (id) ON DELETE CASCADE,
    fact_id TEXT NOT NULL,
    year    INTEGER NOT NULL,
    title   TEXT NOT NULL CHECK (length(title) > 0)
);

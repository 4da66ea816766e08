-- Source watchers: each configured feed's conditional-GET validators and trouble, and the leads found in
-- feeds, one per feed item for good (UNIQUE (feed, item_key)): a restart or a re-fetch never offers an
-- item twice, and a dismissed lead stays dismissed. Idempotent, like 0006 and 0007.

CREATE TABLE IF NOT EXISTS watch_feeds (
    name           TEXT PRIMARY KEY,
    etag           TEXT,
    last_modified  TEXT,
    -- Failed fetches in a row: the next try waits longer after each (reset by a success).
    failures       INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_error     TEXT NOT NULL DEFAULT '',
    last_polled_at TEXT,
    last_ok_at     TEXT
);

CREATE TABLE IF NOT EXISTS watch_leads (
    id          INTEGER PRIMARY KEY,
    feed        TEXT NOT NULL,
    item_key    TEXT NOT NULL CHECK (length(item_key) BETWEEN 1 AND 300),
    title       TEXT NOT NULL CHECK (length(title) > 0),
    date        TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    link        TEXT NOT NULL DEFAULT '' CHECK (link = '' OR link LIKE 'http://%' OR link LIKE 'https://%'),
    matched     TEXT NOT NULL DEFAULT '',
    -- A launch day read from CNS: the lead is no longer offered once the record has that day.
    launch_date TEXT,
    draft       TEXT NOT NULL CHECK (json_valid(draft)),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed')),
    found_at    TEXT NOT NULL,
    handled_by  INTEGER,
    handled_at  TEXT,
    UNIQUE (feed, item_key)
);
CREATE INDEX IF NOT EXISTS watch_leads_by_status ON watch_leads (status, id);

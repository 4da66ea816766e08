-- Alerts: channels subscribed to changes of the record, an outbox of those changes written by a trigger
-- in the very transaction that changes a fact (whichever code path or process made it: a moderator in
-- Discord, `facts import`, a dataset seed), and one claimed delivery per subscription and batch.
-- Idempotent, like 0006: it can run again over a database taken back to an older schema version.

CREATE TABLE IF NOT EXISTS alert_subscriptions (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL UNIQUE,
    only         TEXT NOT NULL CHECK (only IN ('everything', 'major', 'tests', 'sanctions', 'talks')),
    role_id      INTEGER,
    thread       INTEGER NOT NULL DEFAULT 0 CHECK (thread IN (0, 1)),
    -- The newest outbox row when the subscription was made: it sees only later changes (no replay).
    since_event  INTEGER NOT NULL CHECK (since_event >= 0),
    -- Failed deliveries in a row; at 3 the subscription pauses until it is made again.
    failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_error   TEXT NOT NULL DEFAULT '',
    paused_at    TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_subscriptions_by_guild ON alert_subscriptions (guild_id);

-- The outbox: one row per fact change worth announcing. `batch` is the id of the first row of its
-- batch: the rows of a seed or an import (one transaction, or several by the same editor before the
-- bot looked) share it and become one digest; a moderator's change is a batch of its own.
-- `planned`: the bot has turned the row into deliveries; a planned batch is never extended.
CREATE TABLE IF NOT EXISTS alert_events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    batch             INTEGER,
    fact_id           TEXT NOT NULL,
    revision          INTEGER NOT NULL,
    previous_revision INTEGER,
    change            TEXT NOT NULL CHECK (change IN ('added', 'corrected', 'retired')),
    action            TEXT NOT NULL,
    editor_name       TEXT NOT NULL,
    reason            TEXT NOT NULL,
    planned           INTEGER NOT NULL DEFAULT 0 CHECK (planned IN (0, 1)),
    created_at        TEXT NOT NULL,
    UNIQUE (fact_id, revision)
);
CREATE INDEX IF NOT EXISTS alert_events_unplanned ON alert_events (id) WHERE planned = 0;
CREATE INDEX IF NOT EXISTS alert_events_by_batch ON alert_events (batch);

-- A fact added (not born retired); retired; or corrected in its date, title or figures while in the
-- record. Restores, and edits of the summary, body, sources or aliases, are not announced.
CREATE TRIGGER IF NOT EXISTS alert_events_on_revision AFTER INSERT ON fact_revisions BEGIN
    INSERT INTO alert_events (fact_id, revision, previous_revision, change, action, editor_name, reason,
                              created_at)
    SELECT NEW.fact_id, NEW.revision, prev.revision,
           CASE WHEN prev.revision IS NULL THEN 'added'
                WHEN ifnull(json_extract(NEW.snapshot, '$.retired'), 0) THEN 'retired'
                ELSE 'corrected' END,
           NEW.action, NEW.editor_name, NEW.reason, NEW.created_at
    FROM (SELECT 1) LEFT JOIN (
        SELECT revision, snapshot FROM fact_revisions
        WHERE fact_id = NEW.fact_id AND revision < NEW.revision ORDER BY revision DESC LIMIT 1) AS prev
    WHERE (prev.revision IS NULL AND NOT ifnull(json_extract(NEW.snapshot, '$.retired'), 0))
       OR (prev.revision IS NOT NULL AND NOT ifnull(json_extract(prev.snapshot, '$.retired'), 0) AND (
               ifnull(json_extract(NEW.snapshot, '$.retired'), 0)
               OR json_extract(NEW.snapshot, '$.date') IS NOT json_extract(prev.snapshot, '$.date')
               OR json_extract(NEW.snapshot, '$.end_date') IS NOT json_extract(prev.snapshot, '$.end_date')
               OR json_extract(NEW.snapshot, '$.title') IS NOT json_extract(prev.snapshot, '$.title')
               OR json_extract(NEW.snapshot, '$.figures') IS NOT json_extract(prev.snapshot, '$.figures')));
    -- Join the open batch (the newest row, not yet planned, of the same seed or import by the same
    -- editor) or start one.
    UPDATE alert_events SET batch = coalesce(
        (SELECT last.batch FROM alert_events AS last
         WHERE last.id = (SELECT max(p.id) FROM alert_events AS p WHERE p.id < alert_events.id)
           AND last.planned = 0 AND NEW.action IN ('seed', 'import') AND last.action = NEW.action
           AND last.editor_name = NEW.editor_name AND last.reason = NEW.reason),
        id)
    WHERE batch IS NULL;
END;

-- One delivery per subscription and batch, claimed before anything is sent (like quiz_posts), so a
-- restart or a second worker can never post it twice. pending -> claimed -> sent, or failed (for
-- good: a lost permission, a deleted channel, or too many attempts), or skipped (nothing left to say
-- after the subscription was changed).
CREATE TABLE IF NOT EXISTS alert_deliveries (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES alert_subscriptions (id) ON DELETE CASCADE,
    batch           INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'claimed', 'sent', 'failed', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    claimed_at      TEXT,
    message_id      INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (subscription_id, batch),
    CHECK ((state = 'sent') = (message_id IS NOT NULL AND sent_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS alert_deliveries_open ON alert_deliveries (state) WHERE state IN ('pending', 'claimed');

-- The daily quiz: per-server schedules, one post per server and local day, members' answers,
-- practice rounds, and moderators' reviews of hand-written questions.
-- Times are UTC ISO-8601 text with milliseconds ("2026-03-08T14:00:00.000+00:00"), one fixed width,
-- so they compare correctly as text.

CREATE TABLE quiz_settings (
    guild_id   INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    post_time  TEXT NOT NULL CHECK (post_time GLOB '[0-2][0-9]:[0-5][0-9]' AND post_time <= '23:59'),
    timezone   TEXT NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
    -- NULL: a question closes when the next day's question is posted.
    close_time TEXT CHECK (close_time IS NULL
                           OR (close_time GLOB '[0-2][0-9]:[0-5][0-9]' AND close_time <= '23:59')),
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    updated_at TEXT NOT NULL
);

-- One row per server and local date, claimed before anything is sent, so a restart or a second
-- worker can never post twice. claimed -> posted -> revealed; or failed (retried while attempts
-- last), or skipped by a moderator.
CREATE TABLE quiz_posts (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    local_date    TEXT NOT NULL CHECK (local_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    state         TEXT NOT NULL CHECK (state IN ('claimed', 'posted', 'revealed', 'failed', 'skipped')),
    -- Questions are not repeated in a server until its pool is used up; then a new round starts.
    round         INTEGER NOT NULL DEFAULT 1 CHECK (round >= 1),
    question_key  TEXT,
    -- The question as asked, so the reveal matches it even if the fact is edited meanwhile.
    question      TEXT CHECK (question IS NULL OR json_valid(question)),
    correct_index INTEGER CHECK (correct_index BETWEEN 0 AND 3),
    channel_id    INTEGER,
    message_id    INTEGER UNIQUE,
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error    TEXT NOT NULL DEFAULT '',
    claimed_at    TEXT NOT NULL,
    posted_at     TEXT,
    closes_at     TEXT,
    revealed_at   TEXT,
    UNIQUE (guild_id, local_date),
    CHECK ((question IS NULL) = (question_key IS NULL) AND (question IS NULL) = (correct_index IS NULL)),
    CHECK (state = 'skipped' OR question IS NOT NULL),
    CHECK (state NOT IN ('posted', 'revealed')
           OR (message_id IS NOT NULL AND posted_at IS NOT NULL AND closes_at IS NOT NULL)),
    CHECK (closes_at IS NULL OR posted_at IS NULL OR closes_at > posted_at),
    CHECK ((state = 'revealed') = (revealed_at IS NOT NULL))
);
CREATE INDEX quiz_posts_open ON quiz_posts (closes_at) WHERE state = 'posted';
CREATE INDEX quiz_posts_by_round ON quiz_posts (guild_id, round);

-- One locked answer per member per post: the primary key makes a second click a no-op.
CREATE TABLE quiz_answers (
    post_id     INTEGER NOT NULL REFERENCES quiz_posts (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    choice      INTEGER NOT NULL CHECK (choice BETWEEN 0 AND 3),
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    points      INTEGER NOT NULL CHECK (points >= 0),
    answered_at TEXT NOT NULL,
    elapsed_ms  INTEGER NOT NULL CHECK (elapsed_ms >= 0),
    PRIMARY KEY (post_id, user_id),
    CHECK (correct = 1 OR points = 0)
) WITHOUT ROWID;
CREATE INDEX quiz_answers_by_member ON quiz_answers (user_id);

-- Practice questions (/quiz play): shown to one member, answered at most once, never on the
-- daily leaderboard.
CREATE TABLE quiz_practice (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    question_key  TEXT NOT NULL,
    question      TEXT NOT NULL CHECK (json_valid(question)),
    correct_index INTEGER NOT NULL CHECK (correct_index BETWEEN 0 AND 3),
    shown_at      TEXT NOT NULL,
    choice        INTEGER CHECK (choice BETWEEN 0 AND 3),
    correct       INTEGER CHECK (correct IN (0, 1)),
    answered_at   TEXT,
    CHECK ((choice IS NULL) = (correct IS NULL) AND (choice IS NULL) = (answered_at IS NULL))
);
CREATE INDEX quiz_practice_by_member ON quiz_practice (guild_id, user_id, shown_at);

-- The fact revision a moderator last checked a hand-written question against. A question whose
-- fact has been edited since is held back from the quiz until it is reviewed again.
CREATE TABLE quiz_question_reviews (
    question_id       TEXT PRIMARY KEY CHECK (length(question_id) BETWEEN 1 AND 64),
    fact_id           TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE ON UPDATE CASCADE,
    reviewed_revision INTEGER NOT NULL CHECK (reviewed_revision >= 1),
    reviewer_id       INTEGER,
    reviewed_at       TEXT NOT NULL
);

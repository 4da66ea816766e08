-- Hand-written quiz questions corrected by a moderator from Discord (/factmod review-questions,
-- "Correct it"): the question as corrected, in the file's fields as JSON, replaces the file's version of
-- the same id in the question bank. One correction a question (a new one replaces the last); the fact
-- revision it was checked against, who corrected it and when. Idempotent, like 0006 to 0009.

CREATE TABLE IF NOT EXISTS quiz_question_corrections (
    question_id   TEXT PRIMARY KEY CHECK (length(question_id) BETWEEN 1 AND 80),
    fact_id       TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE ON UPDATE CASCADE,
    question      TEXT NOT NULL CHECK (json_valid(question)),
    fact_revision INTEGER NOT NULL CHECK (fact_revision >= 1),
    corrected_by  INTEGER,
    corrected_at  TEXT NOT NULL
);

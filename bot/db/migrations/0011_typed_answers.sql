-- Indexes for answering questions in a store of 100,000 facts, where reading facts' rows (their text) to
-- learn a few fields took from tens to hundreds of milliseconds a question. Idempotent, like 0006 to 0010
-- (it can run again over a database taken back to an older schema version).

-- Whether a fact is current, its category, id and revision by rowid: what full-text matching reads for each
-- fact holding a word (FactStore.search_candidates), without the fact's row.
CREATE INDEX IF NOT EXISTS facts_current_by_rowid ON facts (rowid, category, id, revision)
    WHERE retired_at IS NULL;

-- The launched systems each fact names (its figures' `systems`), one row each: "the first Hwasong-15
-- test" finds the launches of a system here instead of reading every launch's figures. Triggers keep it
-- with the facts; the facts already stored are filled at the end.
CREATE TABLE IF NOT EXISTS fact_systems (
    system     TEXT NOT NULL,
    fact_rowid INTEGER NOT NULL,
    PRIMARY KEY (system, fact_rowid)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS fact_systems_by_fact ON fact_systems (fact_rowid);

CREATE TRIGGER IF NOT EXISTS fact_systems_insert AFTER INSERT ON facts BEGIN
    INSERT OR IGNORE INTO fact_systems (system, fact_rowid)
        SELECT value, new.rowid FROM json_each(new.figures, '$.systems') WHERE type = 'text';
END;

CREATE TRIGGER IF NOT EXISTS fact_systems_update AFTER UPDATE OF figures ON facts BEGIN
    DELETE FROM fact_systems WHERE fact_rowid = old.rowid;
    INSERT OR IGNORE INTO fact_systems (system, fact_rowid)
        SELECT value, new.rowid FROM json_each(new.figures, '$.systems') WHERE type = 'text';
END;

CREATE TRIGGER IF NOT EXISTS fact_systems_delete AFTER DELETE ON facts BEGIN
    DELETE FROM fact_systems WHERE fact_rowid = old.rowid;
END;

DELETE FROM fact_systems;
INSERT OR IGNORE INTO fact_systems (system, fact_rowid)
    SELECT s.value, f.rowid FROM facts f, json_each(f.figures, '$.systems') AS s WHERE s.type = 'text';

-- The current facts' typed fields in the order typed answers take them (kind, then date and id): read from
-- this index alone, without the facts' rows (their text).
CREATE INDEX IF NOT EXISTS facts_typed ON facts (kind, date, id, revision, end_date, figures)
    WHERE retired_at IS NULL;
